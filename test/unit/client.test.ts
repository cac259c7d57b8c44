/**
 * The API client against the local PostHog stand-in over real loopback HTTP (no mocked fetch).
 */
import { storedInputs } from '../../src/model/storedInputs';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { LIST_PAGE_SIZE, PostHogClient } from '../../src/api/client';
import { PostHogError } from '../../src/api/errors';
import { parseErrorBody, parseHost, retryAfterSeconds, retryDelayMs } from '../../src/api/http';
import { DEMO_IDS, DEMO_KEYS } from '../standin/data';
import { startStandIn, type StandIn } from '../standin/server';

let standIn: StandIn;
const UA = 'posthog-hog-vscode/test';

function client(opts: { key?: string; timeoutMs?: number; maxRetries?: number; log?: (line: string) => void; listPageSize?: number; userAgent?: string } = {}): PostHogClient {
  return new PostHogClient({
    log: opts.log,
    listPageSize: opts.listPageSize,
    host: standIn.url,
    apiKey: () => opts.key ?? DEMO_KEYS.fullAccess,
    userAgent: opts.userAgent ?? UA,
    timeoutMs: () => opts.timeoutMs ?? 5000,
    maxRetries: () => opts.maxRetries ?? 3,
    baseRetryDelayMs: 5,
  });
}

async function rejects(p: Promise<unknown>, check: (e: PostHogError) => void): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof PostHogError, `expected PostHogError, got ${String(e)}`);
    check(e);
    return true;
  });
}

before(async () => {
  standIn = await startStandIn({ seed: 'demo', quiet: true });
});
after(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
  standIn.clearFaults();
  standIn.clearRequests();
});

describe('hog functions', () => {
  test('lists every function across limit/offset pages, one GET per page', async () => {
    standIn.reset({ extraFunctions: 250 });
    standIn.clearRequests();
    const all = await client({ listPageSize: 100 }).listHogFunctions(1);
    const gets = standIn.requests.filter((r) => r.path === '/api/environments/1/hog_functions/');
    assert.equal(gets.length, Math.ceil(all.length / 100));
    assert.ok(all.length > 250);
    assert.equal(new Set(all.map((f) => f.id)).size, all.length, 'no duplicates across pages');
    // Pages after the first go out four at a time, so they may arrive in any order: each offset once.
    assert.deepEqual(
      gets.map((r) => Number(r.query.offset ?? '0')).sort((a, b) => a - b),
      gets.map((_r, i) => i * 100),
    );
  });

  test('pages after the first are asked for four at a time, and handed over in order', async () => {
    standIn.reset({ seed: 'empty', extraFunctions: 1000 });
    standIn.clearRequests();
    // Every page answers 250 ms late: one by one, 10 pages would take 2.5 s.
    standIn.addFault({ path: '/hog_functions/', kind: 'latency', delayMs: 250, times: -1 });
    const progress: number[] = [];
    const started = Date.now();
    const all = await client({ listPageSize: 100 }).listHogFunctions(1, {}, undefined, (loaded) => progress.push(loaded));
    const took = Date.now() - started;
    assert.equal(all.length, 1000);
    assert.equal(standIn.requests.filter((r) => r.path === '/api/environments/1/hog_functions/').length, 10);
    assert.ok(took < 1800, `10 pages in ${took} ms: not one by one (≥ 2500 ms)`);
    assert.ok(took >= 750, `10 pages in ${took} ms: at most four at a time (≥ 1000 ms, first page alone)`);
    assert.deepEqual(
      progress,
      progress.map((_p, i) => (i + 1) * 100),
      'progress counts up page by page',
    );
  });

  test('a failing page fails the list (the others are cancelled); nothing partial is returned', async () => {
    standIn.reset({ seed: 'empty', extraFunctions: 1000 });
    standIn.addFault({ path: 'offset=500', kind: 'status', status: 404, body: { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null } });
    await rejects(client({ listPageSize: 100 }).listHogFunctions(1), (e) => {
      assert.equal(e.status, 404);
    });
  });

  test('offsetPages: the pages `next` leads to, for limit/offset lists only', async () => {
    const { offsetPages } = await import('../../src/api/client');
    assert.deepEqual(offsetPages('/api/environments/1/hog_functions/?limit=100&offset=100&types=a', 350), [
      '/api/environments/1/hog_functions/?limit=100&offset=100&types=a',
      '/api/environments/1/hog_functions/?limit=100&offset=200&types=a',
      '/api/environments/1/hog_functions/?limit=100&offset=300&types=a',
    ]);
    assert.deepEqual(offsetPages('https://eu.posthog.com/api/environments/1/hog_functions/?limit=100&offset=100', 150), [
      'https://eu.posthog.com/api/environments/1/hog_functions/?limit=100&offset=100',
    ]);
    assert.equal(offsetPages('/api/environments/1/groups/?cursor=abc', 500), undefined, 'cursor paging');
    assert.equal(offsetPages('/api/environments/1/hog_functions/?limit=100&offset=100', undefined), undefined, 'no count');
    assert.equal(offsetPages(null, 500), undefined);
  });

  test(`10,000 functions cost exactly ceil(n / ${LIST_PAGE_SIZE}) GETs`, async () => {
    standIn.reset({ extraFunctions: 10_000 });
    standIn.clearRequests();
    const started = Date.now();
    // Its own user agent: a request an earlier test cancelled in flight may still reach the stand-in now.
    const all = await client({ userAgent: 'ten-thousand' }).listHogFunctions(1);
    const ms = Date.now() - started;
    assert.ok(all.length >= 10_000);
    const gets = standIn.requests.filter((r) => r.headers['user-agent'] === 'ten-thousand');
    assert.equal(gets.length, Math.ceil(all.length / LIST_PAGE_SIZE), JSON.stringify(gets.map((r) => [r.method, r.path, r.query.offset])));
    assert.ok(
      gets.every((r) => r.query.limit === String(LIST_PAGE_SIZE)),
      `every page asks for ${LIST_PAGE_SIZE}`,
    );
    console.log(`# listed ${all.length} functions in ${gets.length} GETs, ${ms} ms`);
  });

  test('a save between pages neither duplicates nor skips a function (D1): merged by id, re-read when the count does not add up', async () => {
    standIn.reset({ extraFunctions: 250 });
    const c = client({ listPageSize: 100 });
    const before = await c.listHogFunctions(1);
    standIn.clearRequests();
    // Once the first page is in, a function from the third page is saved: it moves to the top of the
    // `-updated_at` order, so page 2 repeats the last row of page 1 and page 3 no longer holds it.
    const moved = before[250];
    assert.ok(moved);
    let bumped = false;
    const all = await c.listHogFunctions(1, {}, undefined, () => {
      if (bumped) return;
      bumped = true;
      const stored = standIn.state.hogFunctions.get(moved.id);
      assert.ok(stored);
      stored.updated_at = '2099-01-01T00:00:00.000001Z';
      standIn.touch();
    });
    const ids = all.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length, 'no function twice');
    assert.deepEqual([...ids].sort(), before.map((f) => f.id).sort(), 'none skipped');
    assert.equal(all.find((f) => f.id === moved.id)?.updated_at, '2099-01-01T00:00:00.000001Z', 'the newest version is kept');
    const gets = standIn.requests.filter((r) => r.path === '/api/environments/1/hog_functions/');
    const pages = Math.ceil(before.length / 100);
    assert.equal(gets.length, 2 * pages, 'the first read missed one, so the list was read once more');
  });

  test('sends the filter to the server; unknown types are tolerated', async () => {
    const dest = await client().listHogFunctions(1, { types: ['destination'], enabled: true, search: 'hook' });
    assert.ok(dest.every((f) => f.type === 'destination' && f.enabled));
    assert.deepEqual(standIn.requests.at(-1)?.query, { type: 'destination', enabled: 'true', search: 'hook', limit: String(LIST_PAGE_SIZE) });
    const all = await client().listHogFunctions(1);
    assert.ok(all.some((f) => f.type === 'email_campaign'));
  });

  test('C2: an older server (destinations only by default, `types=a,b`) still lists every type', async () => {
    standIn.config.enforceBaseUpdatedAt = false;
    try {
      const all = await client().listHogFunctions(1);
      for (const type of ['destination', 'transformation', 'site_app', 'source_webhook']) {
        assert.ok(
          all.some((f) => f.type === type),
          type,
        );
      }
      const two = await client().listHogFunctions(1, { types: ['transformation', 'site_app'] });
      assert.ok(two.length > 0 && two.every((f) => f.type === 'transformation' || f.type === 'site_app'));
      assert.ok(
        two.some((f) => f.type === 'site_app'),
        'a multi-type filter is not read as one unknown type',
      );
    } finally {
      standIn.config.enforceBaseUpdatedAt = true;
    }
  });

  test('retrieve is full: inputs with secrets masked, schema, updated_at with microseconds', async () => {
    const fn = await client().getHogFunction(1, DEMO_IDS.webhookDestination);
    assert.ok(fn.inputs_schema?.some((i) => i.secret));
    assert.deepEqual(storedInputs(fn).headers, { secret: true });
    assert.match(fn.updated_at, /\.\d{6}Z$/);
  });

  test('PATCH sends only the given fields and returns the new updated_at', async () => {
    const c = client();
    const before = await c.getHogFunction(1, DEMO_IDS.slackDestination);
    standIn.clearRequests();
    const after = await c.updateHogFunction(1, before.id, { hog: "print('hi')", base_updated_at: before.updated_at });
    assert.equal(standIn.requests.length, 1);
    assert.deepEqual(standIn.requests[0]?.body, { hog: "print('hi')", base_updated_at: before.updated_at });
    assert.ok(after.updated_at > before.updated_at);
    assert.equal(after.hog, "print('hi')");
  });

  test('identifies itself and never as MCP', async () => {
    await client().listHogFunctions(1);
    const [r] = standIn.requests;
    assert.ok(r);
    assert.equal(r.headers['user-agent'], UA);
    assert.equal(r.headers['x-posthog-client'], null);
  });
});

describe('errors', () => {
  test('401 for an unknown key, with PostHog detail and no key in the message', async () => {
    await rejects(client({ key: 'phx_not_a_real_key_value' }).listHogFunctions(1), (e) => {
      assert.equal(e.status, 401);
      assert.ok(e.isAuth);
      assert.equal(e.type, 'authentication_error');
      assert.doesNotMatch(e.message, /phx_not_a_real/);
    });
  });

  test('403 for a missing scope names the scope', async () => {
    await rejects(client({ key: DEMO_KEYS.readOnly }).updateHogFunction(1, DEMO_IDS.slackDestination, { name: 'x' }), (e) => {
      assert.equal(e.status, 403);
      assert.match(e.message, /hog_function:write/);
    });
  });

  test('400 validation carries attr and the verbatim detail', async () => {
    await rejects(client().updateHogFunction(1, DEMO_IDS.slackDestination, { hog: 'let x = 1' }), (e) => {
      assert.equal(e.status, 400);
      assert.equal(e.attr, 'hog');
      assert.equal(e.detail, 'Hog code has errors.');
    });
    await rejects(client().updateHogFunction(1, DEMO_IDS.webhookDestination, { inputs: { url: { value: '' }, headers: { secret: true } } }), (e) => {
      assert.equal(e.attr, 'inputs__url');
    });
  });

  test('409 stale update', async () => {
    const c = client();
    const fn = await c.getHogFunction(1, DEMO_IDS.slackDestination);
    await c.updateHogFunction(1, fn.id, { name: 'changed elsewhere' });
    await rejects(c.updateHogFunction(1, fn.id, { hog: fn.hog ?? '', base_updated_at: fn.updated_at }), (e) => {
      assert.ok(e.isConflict);
      assert.equal(e.code, 'stale_update');
    });
  });

  test('404, and the ad-hoc {"error"} bodies of enable_backfills', async () => {
    await rejects(client().getHogFunction(1, DEMO_IDS.deletedDestination), (e) => {
      assert.ok(e.isNotFound);
    });
    standIn.config.backfillsRequireSession = false;
    await rejects(client().enableBackfills(1, DEMO_IDS.backfillsEnabledDestination), (e) => {
      assert.equal(e.status, 400);
      assert.equal(e.detail, 'Backfills already enabled for this function');
    });
  });

  test('soft delete works', async () => {
    await client().softDeleteHogFunction(1, DEMO_IDS.slackDestination);
    await rejects(client().getHogFunction(1, DEMO_IDS.slackDestination), (e) => {
      assert.ok(e.isNotFound);
    });
    await client().restoreHogFunction(1, DEMO_IDS.slackDestination);
    assert.equal((await client().getHogFunction(1, DEMO_IDS.slackDestination)).id, DEMO_IDS.slackDestination);
  });

  test('error bodies: standard, ad hoc, raw serializer errors, swapped capture error, HTML', () => {
    assert.deepEqual(parseErrorBody('{"type":"validation_error","code":"invalid_input","detail":"This field is required.","attr":"inputs__url"}'), {
      type: 'validation_error',
      code: 'invalid_input',
      detail: 'This field is required.',
      attr: 'inputs__url',
    });
    assert.deepEqual(parseErrorBody('{"error":"Backfills are only supported for destination functions."}'), { detail: 'Backfills are only supported for destination functions.' });
    assert.deepEqual(parseErrorBody('{"configuration":{"hog":["Hog code has errors."]}}'), {
      type: 'validation_error',
      code: 'invalid_input',
      detail: 'Hog code has errors.',
      attr: 'configuration__hog',
    });
    assert.deepEqual(parseErrorBody('{"code":"Failed to submit group property update event.","detail":"capture_error","type":"server_error"}'), {
      type: 'server_error',
      code: 'capture_error',
      detail: 'Failed to submit group property update event.',
      attr: null,
    });
    assert.deepEqual(parseErrorBody('<html>Bad gateway</html>'), {});
  });
});

describe('retries, timeouts, cancellation', () => {
  test('429 with Retry-After is retried, bounded by maxRetries', async () => {
    standIn.addFault({
      path: '/hog_functions/',
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '0' },
      body: { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled.', attr: null },
      times: 2,
    });
    const fns = await client({ maxRetries: 2 }).listHogFunctions(1);
    assert.ok(fns.length > 0);
    assert.equal(standIn.requests.filter((r) => r.status === 429).length, 2);
    standIn.clearRequests();
    standIn.addFault({ path: '/hog_functions/', kind: 'status', status: 429, headers: { 'Retry-After': '0' }, times: 5 });
    await rejects(client({ maxRetries: 2 }).listHogFunctions(1), (e) => {
      assert.equal(e.status, 429);
    });
    assert.equal(standIn.requests.length, 3, '1 try + 2 retries');
  });

  test('429 without Retry-After uses "Expected available in N seconds"; too long a wait is not attempted', async () => {
    standIn.addFault({
      path: '/hog_functions/',
      kind: 'status',
      status: 429,
      body: { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled. Expected available in 3600 seconds.', attr: null },
    });
    await rejects(client().listHogFunctions(1), (e) => {
      assert.equal(e.retryAfterSeconds, 3600);
      assert.match(e.message, /rate limit/i);
    });
    assert.equal(standIn.requests.length, 1);
  });

  test('502/503/504 retried for GET and PATCH; a POST is retried only on 503', async () => {
    standIn.addFault({ path: '/hog_functions/', kind: 'status', status: 502 });
    standIn.addFault({ path: '/hog_functions/', kind: 'status', status: 504 });
    assert.ok((await client().listHogFunctions(1)).length > 0);
    standIn.clearRequests();
    standIn.addFault({ method: 'POST', path: '/hog_functions/', kind: 'status', status: 502 });
    await rejects(client().createHogFunction(1, { type: 'destination', name: 'n', hog: "print('x')" }), (e) => {
      assert.equal(e.status, 502);
    });
    assert.equal(standIn.requests.length, 1, 'no blind retry of a POST that may have been applied');
  });

  test('dropped connections are retried for GET; malformed JSON is a schema error', async () => {
    standIn.addFault({ path: '/hog_functions/', kind: 'drop' });
    assert.ok((await client().listHogFunctions(1)).length > 0);
    standIn.addFault({ path: '/hog_functions/', kind: 'malformed' });
    await rejects(client().listHogFunctions(1), (e) => {
      assert.equal(e.kind, 'schema');
      assert.match(e.message, /GET \/api\/environments\/1\/hog_functions\/.*not valid JSON/);
    });
  });

  test('schema drift names the endpoint and the field', async () => {
    standIn.addFault({ path: '/hog_functions/', kind: 'status', status: 200, body: { count: 1, next: null, previous: null, results: [{ id: 'a', updated_at: 42 }] } });
    await rejects(client().listHogFunctions(1), (e) => {
      assert.equal(e.kind, 'schema');
      assert.equal(e.field, 'results.0.updated_at');
      assert.match(e.message, /hog_functions/);
      assert.match(e.message, /expected string, received number/);
    });
  });

  test('a slow server hits the timeout', async () => {
    standIn.addFault({ path: '/hog_functions/', kind: 'latency', delayMs: 2000 });
    const started = Date.now();
    await rejects(client({ timeoutMs: 200, maxRetries: 0 }).listHogFunctions(1), (e) => {
      assert.equal(e.kind, 'timeout');
    });
    assert.ok(Date.now() - started < 1500);
  });

  test('an AbortSignal cancels in flight and during a backoff wait', async () => {
    standIn.addFault({ path: '/hog_functions/', kind: 'latency', delayMs: 2000 });
    const ac = new AbortController();
    const p = client().listHogFunctions(1, {}, ac.signal);
    ac.abort();
    await rejects(p, (e) => {
      assert.ok(e.isCancelled);
    });
    standIn.clearFaults();
    standIn.addFault({ path: '/hog_functions/', kind: 'status', status: 429, headers: { 'Retry-After': '20' } });
    const ac2 = new AbortController();
    const p2 = client().listHogFunctions(1, {}, ac2.signal);
    await waitFor(() => standIn.requests.some((r) => r.status === 429));
    ac2.abort();
    await rejects(p2, (e) => {
      assert.ok(e.isCancelled);
    });
  });

  test('Retry-After parsing and backoff', () => {
    assert.equal(retryAfterSeconds('7', undefined), 7);
    assert.equal(retryAfterSeconds(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), undefined, Date.UTC(2030, 0, 1)), 10);
    assert.equal(retryAfterSeconds(null, 'Request was throttled. Expected available in 12 seconds.'), 12);
    assert.equal(retryAfterSeconds(null, 'nothing'), undefined);
    const e = new PostHogError({ kind: 'http', endpoint: 'GET /x', status: 503 });
    assert.equal(
      retryDelayMs(e, 0, 500, () => 0.5),
      500,
    );
    assert.equal(
      retryDelayMs(e, 3, 500, () => 0.5),
      4000,
    );
    assert.equal(
      retryDelayMs(e, 10, 500, () => 0.5),
      8000,
    );
  });
});

describe('groups', () => {
  test('cursor pages follow next until the end', async () => {
    const c = client();
    const types = await c.groupTypes(1);
    assert.equal(types.length, 3);
    const first = await c.listGroups(1, 0);
    assert.ok(first.next, 'more than one page of companies');
    const all = [...first.results];
    for (let next: string | undefined = first.next; next;) {
      const page = await c.listGroups(1, 0, { cursor: next });
      all.push(...page.results);
      next = page.next;
    }
    const pages = standIn.requests.filter((r) => r.path === '/api/environments/1/groups/').length;
    assert.equal(new Set(all.map((g) => g.group_key)).size, all.length);
    assert.ok(pages >= 2);
  });

  test('find always skips notebook creation; update and delete property', async () => {
    const c = client();
    const [g] = (await c.listGroups(1, 0)).results;
    assert.ok(g);
    await c.findGroup(1, 0, g.group_key);
    assert.equal(standIn.requests.at(-1)?.query.skip_create_notebook, 'true');
    const updated = await c.updateGroupProperty(1, 0, g.group_key, 'plan', { tier: 'enterprise' });
    assert.deepEqual(updated.group_properties.plan, { tier: 'enterprise' });
    const r = standIn.requests.at(-1);
    assert.ok(r);
    assert.deepEqual(r.query, { group_type_index: '0', group_key: g.group_key });
    assert.deepEqual(r.body, { key: 'plan', value: { tier: 'enterprise' } });
    await rejects(c.updateGroupProperty(1, 0, g.group_key, 'plan', null), (e) => {
      assert.equal(e.attr, 'value');
    });
    const deleted = await c.deleteGroupProperty(1, 0, g.group_key, 'plan');
    assert.equal('plan' in deleted.group_properties, false);
    assert.deepEqual(standIn.requests.at(-1)?.body, { $unset: 'plan' });
  });

  test('property values and related', async () => {
    const c = client();
    const values = await c.groupPropertyValues(1, 0, 'industry');
    assert.ok(values.length > 0 && values.length <= 20);
    const [g] = (await c.listGroups(1, 0)).results;
    assert.ok(g);
    assert.ok(Array.isArray(await c.relatedGroups(1, 0, g.group_key)));
  });
});

describe('account and hosts', () => {
  test('me, projects, current key', async () => {
    const c = client();
    const me = await c.me();
    assert.ok(me.organizations.length > 0);
    const projects = await c.projects(me.organizations[0]?.id ?? '');
    assert.deepEqual(projects.map((p) => p.id).sort(), [1, 2]);
    assert.deepEqual((await client({ key: DEMO_KEYS.readOnly }).currentKey()).scopes?.includes('hog_function:read'), true);
  });

  test('plain http only for loopback; next links stay on our host', () => {
    assert.throws(() => parseHost('http://posthog.example.com'), /unencrypted/);
    assert.equal(parseHost('http://127.0.0.1:8000').origin, 'http://127.0.0.1:8000');
    assert.equal(parseHost('https://posthog.example.com/sub').pathname, '/sub/');
    assert.throws(() => parseHost('ftp://x'), /https/);
    const c = client();
    assert.equal(c.http.resolve('https://evil.example.com/api/x/?a=1').origin, new URL(standIn.url).origin);
    // "//host/…" in a next link must not switch hosts either.
    assert.equal(c.http.resolve(`${standIn.url}//evil.example.com/api/x/`).origin, new URL(standIn.url).origin);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise<void>((r) => setImmediate(r));
  }
}

describe('reliability review: the HTTP layer', () => {
  test('C3: a `next` link without the self-hosted path prefix gets it back, on the same origin', async () => {
    const { HttpClient } = await import('../../src/api/http');
    const http = new HttpClient({ host: 'https://x.example.com/posthog', apiKey: () => 'k', userAgent: UA });
    assert.equal(
      http.resolve('https://x.example.com/api/environments/1/hog_functions/?offset=100').href,
      'https://x.example.com/posthog/api/environments/1/hog_functions/?offset=100',
    );
    assert.equal(
      http.resolve('https://x.example.com/posthog/api/environments/1/hog_functions/?offset=100').href,
      'https://x.example.com/posthog/api/environments/1/hog_functions/?offset=100',
    );
    assert.equal(http.resolve('http://evil.example/api/x/').host, 'x.example.com', 'never another host');
  });

  test('F7: Retry-After 0 or a past date still waits at least 250 ms', () => {
    const e = new PostHogError({ kind: 'http', endpoint: 'GET /x', status: 429, retryAfterSeconds: 0 });
    assert.ok(retryDelayMs(e, 0, 500, () => 0) >= 250);
  });

  test('F8: paging whose `next` repeats (a proxy dropping the query) stops with an error', async () => {
    const loop = `${standIn.url}/api/environments/1/hog_functions/?limit=100`;
    try {
      // A page with items whose `next` is itself, forever.
      const item = (await client().listHogFunctions(1)).slice(0, 1).map((f) => ({ ...f }));
      standIn.addFault({ path: '/hog_functions/', kind: 'status', status: 200, times: -1, body: { count: 500, next: loop, previous: null, results: item } });
      await rejects(client().listHogFunctions(1), (e) => assert.match(e.message, /paging did not end/));
    } finally {
      standIn.clearFaults();
    }
  });

  test('F8: a proxy that drops the query answers every offset with the first page: an error, not a short list', async () => {
    try {
      const first = (await client().listHogFunctions(1)).slice(0, 100);
      const next = `${standIn.url}/api/environments/1/hog_functions/?limit=100&offset=100`;
      standIn.addFault({ path: '/hog_functions/', kind: 'status', status: 200, times: -1, body: { count: 500, next, previous: null, results: first } });
      await rejects(client().listHogFunctions(1), (e) => assert.match(e.message, /paging did not end \(the page at offset \d+ links back to offset 100/));
    } finally {
      standIn.clearFaults();
    }
  });

  test('F6: a conditional PATCH is retried after a reset connection; a plain one is not', async () => {
    const fn = await client().getHogFunction(1, DEMO_IDS.slackDestination);
    standIn.addFault({ method: 'PATCH', path: DEMO_IDS.slackDestination, kind: 'reset', times: 1 });
    const saved = await client().updateHogFunction(1, fn.id, { description: 'after a reset', base_updated_at: fn.updated_at });
    assert.equal(saved.description, 'after a reset');
    standIn.addFault({ method: 'PATCH', path: DEMO_IDS.slackDestination, kind: 'reset', times: 1 });
    await rejects(client().updateHogFunction(1, fn.id, { description: 'no base' }), (e) => assert.equal(e.kind, 'network'));
    standIn.clearFaults();
  });

  test("C4: POST create is not retried on a proxy 503 (no PostHog error body); PostHog's own 503 is", async () => {
    const before = standIn.requests.length;
    standIn.addFault({
      method: 'POST',
      path: '/hog_functions/',
      kind: 'malformed',
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html>Service Unavailable</html>',
      times: 1,
    });
    await rejects(client().createHogFunction(1, { type: 'destination', name: 'C4 proxy 503', hog: "print('x')", enabled: false }), (e) => assert.equal(e.status, 503));
    assert.equal(standIn.requests.slice(before).filter((r) => r.method === 'POST').length, 1, 'sent once');
    standIn.addFault({
      method: 'POST',
      path: '/hog_functions/',
      kind: 'status',
      status: 503,
      body: { type: 'server_error', code: 'database_unavailable', detail: 'Database unavailable.', attr: null },
      times: 1,
    });
    const created = await client().createHogFunction(1, { type: 'destination', name: 'C4 posthog 503', hog: "print('x')", enabled: false });
    assert.equal(created.name, 'C4 posthog 503');
    standIn.clearFaults();
  });
});

describe('F12: group keys (often e-mails or domains) never reach the log or an error message', () => {
  test('finds, updates, a 404, a retried 503 and a dropped connection', async () => {
    const lines: string[] = [];
    const c = client({ maxRetries: 1, log: (l) => lines.push(l) });
    const [g] = (await c.listGroups(1, 0)).results;
    assert.ok(g);
    const keys = [g.group_key, 'jane.doe@example.com'];
    const messages: string[] = [];
    const failing = async (p: Promise<unknown>): Promise<void> => {
      await p.then(
        () => assert.fail('expected a failure'),
        (e: unknown) => messages.push(e instanceof Error ? e.message : String(e)),
      );
    };
    await c.findGroup(1, 0, g.group_key);
    await failing(c.findGroup(1, 0, 'jane.doe@example.com'));
    standIn.addFault({ path: '/update_property/', kind: 'status', status: 503, body: { type: 'server_error', code: 'error', detail: 'Try again.', attr: null } });
    await c.updateGroupProperty(1, 0, g.group_key, 'plan', 'pro');
    standIn.addFault({ path: '/groups/find/', kind: 'drop', times: -1 });
    await failing(c.findGroup(1, 0, 'jane.doe@example.com'));
    assert.ok(
      lines.some((l) => l.includes('retrying')),
      'the retry was logged',
    );
    assert.ok(lines.length >= 4 && messages.length === 2);
    for (const text of [...lines, ...messages]) {
      for (const key of keys) {
        assert.ok(!text.includes(key) && !text.includes(encodeURIComponent(key)), `"${text}" names the group key`);
      }
    }
  });
});
