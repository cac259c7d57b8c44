/**
 * The tree's one refresh mechanism (src/tree/refreshQueue.ts), in plain Node with a manual scheduler.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RefreshQueue, type TreeNodeLike } from '../../src/tree/refreshQueue';

interface N extends TreeNodeLike {
  readonly id: string;
  readonly parent: N | undefined;
}

function setup() {
  const env: N = { id: 'env', parent: undefined };
  const functions: N = { id: 'env/functions', parent: env };
  const destinations: N = { id: 'env/functions/destination', parent: functions };
  const groups: N = { id: 'env/groups', parent: env };
  const orgs: N = { id: 'env/groups/0', parent: groups };
  const known = new Map<string, N>([env, functions, destinations, groups, orgs].map((n) => [n.id, n]));
  const emitted: (string | undefined)[] = [];
  const ticks: (() => void)[] = [];
  const q = new RefreshQueue<N>({
    emit: (n) => emitted.push(n?.id),
    known: (id) => known.get(id),
    schedule: (fn) => ticks.push(fn),
  });
  /** Runs every scheduled tick (and those they schedule). */
  const tick = () => {
    while (ticks.length) ticks.shift()?.();
  };
  return { q, emitted, tick, known, nodes: { env, functions, destinations, groups, orgs } };
}

describe('tree refresh queue', () => {
  test('coalesces the requests of one tick into one event per node', () => {
    const { q, emitted, tick, nodes } = setup();
    q.request(nodes.destinations);
    q.request(nodes.destinations);
    q.request(nodes.orgs);
    assert.deepEqual(emitted, [], 'nothing before the tick');
    tick();
    assert.deepEqual(emitted, ['env/functions/destination', 'env/groups/0']);
    tick();
    assert.equal(emitted.length, 2, 'nothing left over');
  });

  test('merges to the highest affected node; the root covers everything', () => {
    const { q, emitted, tick, nodes } = setup();
    q.request(nodes.destinations);
    q.request(nodes.functions);
    q.request(nodes.orgs);
    q.request(nodes.env);
    tick();
    assert.deepEqual(emitted, ['env']);
    q.request(nodes.orgs);
    q.request(undefined);
    q.request(nodes.functions);
    tick();
    assert.deepEqual(emitted, ['env', undefined]);
  });

  test('no event for a node VS Code was never given', () => {
    const { q, emitted, tick } = setup();
    q.request({ id: 'env/functions/transformation', parent: undefined });
    tick();
    assert.deepEqual(emitted, []);
    assert.equal(q.busy, false);
  });

  test('emits the object VS Code holds, not a look-alike', () => {
    const { q, tick, nodes } = setup();
    const got: unknown[] = [];
    const q2 = new RefreshQueue<N>({ emit: (n) => got.push(n), known: (id) => (id === nodes.functions.id ? nodes.functions : undefined), schedule: (fn) => fn() });
    q2.request({ id: nodes.functions.id, parent: nodes.env });
    assert.equal(got[0], nodes.functions);
    q.dispose();
    tick();
  });

  test('a refresh overlapping a fetch of the node, an ancestor or a descendant waits for the fetch to end', () => {
    const { q, emitted, tick, nodes } = setup();
    // VS Code is fetching the children of "Hog functions" (the list is loading)…
    const done = q.beginFetch(nodes.functions);
    // …and the store announces the list (self), a function (descendant) and an environment reload (ancestor).
    q.request(nodes.functions);
    tick();
    assert.deepEqual(emitted, [], 'not while its children are being fetched');
    q.request(nodes.destinations);
    tick();
    assert.deepEqual(emitted, []);
    // Unrelated nodes go out at once.
    q.request(nodes.orgs);
    tick();
    assert.deepEqual(emitted, ['env/groups/0']);
    assert.equal(q.busy, true);
    done();
    assert.deepEqual(emitted, ['env/groups/0'], 'not synchronously: VS Code registers the answer first');
    tick();
    assert.deepEqual(emitted, ['env/groups/0', 'env/functions'], 'the pending descendant is merged into its ancestor');
    assert.equal(q.busy, false);
    done(); // a second call is harmless
    tick();
    assert.equal(emitted.length, 2);
  });

  test('a fetch of a descendant holds back the ancestor; a root fetch holds back everything', () => {
    const { q, emitted, tick, nodes } = setup();
    const doneOrgs = q.beginFetch(nodes.orgs);
    q.request(nodes.env);
    tick();
    assert.deepEqual(emitted, []);
    const doneRoot = q.beginFetch(undefined);
    doneOrgs();
    tick();
    assert.deepEqual(emitted, [], 'the root is still being fetched');
    doneRoot();
    tick();
    assert.deepEqual(emitted, ['env']);
  });

  test('overlapping fetches of the same node are counted', () => {
    const { q, emitted, tick, nodes } = setup();
    const a = q.beginFetch(nodes.orgs);
    const b = q.beginFetch(nodes.orgs);
    q.request(nodes.orgs);
    a();
    tick();
    assert.deepEqual(emitted, []);
    b();
    tick();
    assert.deepEqual(emitted, ['env/groups/0']);
  });

  test("a change announced during the node's own fetch is in that answer: dropped unless the item itself changed", () => {
    const env: N = { id: 'env', parent: undefined };
    const orgs: N = { id: 'env/groups/0', parent: env };
    const emitted: (string | undefined)[] = [];
    const ticks: (() => void)[] = [];
    let itemChanged = false;
    const q = new RefreshQueue<N>({
      emit: (n) => emitted.push(n?.id),
      known: (id) => (id === orgs.id ? orgs : id === env.id ? env : undefined),
      schedule: (fn) => ticks.push(fn),
      itemUnchanged: () => !itemChanged,
    });
    const tick = () => {
      while (ticks.length) ticks.shift()?.();
    };
    // The first page arrives while VS Code fetches the folder's rows: the store announces it.
    let done = q.beginFetch(orgs);
    q.request(orgs);
    done();
    tick();
    assert.deepEqual(emitted, [], 'covered by the fetch, item unchanged: nothing sent');
    assert.equal(q.busy, false);
    // Same, but the folder's own item changed (say its description): it is redrawn.
    done = q.beginFetch(orgs);
    q.request(orgs);
    itemChanged = true;
    done();
    tick();
    assert.deepEqual(emitted, ['env/groups/0']);
    // A change announced outside any fetch (Load more…) always goes out.
    itemChanged = false;
    q.request(orgs);
    tick();
    assert.deepEqual(emitted, ['env/groups/0', 'env/groups/0']);
    // Asked during the fetch and again after it: the later request is not covered.
    done = q.beginFetch(orgs);
    q.request(orgs);
    done();
    q.request(orgs);
    tick();
    assert.deepEqual(emitted, ['env/groups/0', 'env/groups/0', 'env/groups/0']);
  });

  test('a refresh after dropped caches (Retry, Refresh) asked during the fetch of that node goes out after it: the fetch may hold what was there before', () => {
    const { emitted, tick, known, nodes } = setup();
    const ticks: (() => void)[] = [];
    const q = new RefreshQueue<N>({
      emit: (n) => emitted.push(n?.id),
      known: (id) => known.get(id),
      schedule: (fn) => ticks.push(fn),
      itemUnchanged: () => true, // the list's row itself looks the same: only its children are stale
    });
    const run = () => {
      while (ticks.length) ticks.shift()?.();
      tick();
    };
    // VS Code is fetching the list (it read the failed load) when Retry drops the cache and asks again.
    let done = q.beginFetch(nodes.functions);
    q.request(nodes.functions, { afterInvalidate: true });
    run();
    assert.deepEqual(emitted, [], 'held back while the fetch runs');
    done();
    run();
    assert.deepEqual(emitted, ['env/functions'], 'sent once the fetch ended');
    // A store event during the same kind of fetch, after the Retry's request: still not covered.
    done = q.beginFetch(nodes.functions);
    q.request(nodes.functions, { afterInvalidate: true });
    q.request(nodes.functions);
    done();
    run();
    assert.deepEqual(emitted, ['env/functions', 'env/functions']);
    // The view's Refresh during a fetch of the roots: sent after it.
    done = q.beginFetch(undefined);
    q.request(undefined, { afterInvalidate: true });
    done();
    run();
    assert.deepEqual(emitted, ['env/functions', 'env/functions', undefined]);
  });

  test('a root refresh asked during the fetch of the roots is in that answer: not sent (environments discovered at startup)', () => {
    const { q, emitted, tick, nodes } = setup();
    // The first fetch of the roots discovers the env-var key's project; the registry announces it.
    let done = q.beginFetch(undefined);
    q.request(undefined);
    q.request(nodes.env); // and something below: covered by the root as before
    done();
    tick();
    assert.deepEqual(emitted, [], 'covered by the roots fetch');
    assert.equal(q.busy, false);
    // Asked during the fetch and again after it: sent once.
    done = q.beginFetch(undefined);
    q.request(undefined);
    done();
    q.request(undefined);
    tick();
    assert.deepEqual(emitted, [undefined]);
    // Asked before a fetch of the roots began: held back by it, then sent.
    q.request(undefined);
    done = q.beginFetch(undefined);
    tick();
    assert.deepEqual(emitted, [undefined]);
    q.request(undefined);
    done();
    tick();
    assert.deepEqual(emitted, [undefined, undefined]);
    // A fetch of a node below does not cover the root.
    done = q.beginFetch(nodes.env);
    q.request(undefined);
    done();
    tick();
    assert.deepEqual(emitted, [undefined, undefined, undefined]);
  });

  test('after dispose nothing is emitted', () => {
    const { q, emitted, tick, nodes } = setup();
    q.request(nodes.env);
    q.dispose();
    tick();
    q.request(nodes.env);
    tick();
    assert.deepEqual(emitted, []);
  });
});
