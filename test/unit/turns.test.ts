/**
 * util/turns.ts: heavy steps (a large response's parse, its validation) each in a turn of the event loop
 * of their own, in order, with timers running in between.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inOwnTurn, NextTurnBatch } from '../../src/util/turns';

/** Keeps this thread busy for `ms`, as a heavy step does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spinning on purpose
  }
}

describe('inOwnTurn', () => {
  test('steps run in the order asked and resolve with their results', async () => {
    const order: string[] = [];
    const results = await Promise.all(['a', 'b', 'c'].map((x) => inOwnTurn(() => (order.push(x), x.toUpperCase()))));
    assert.deepEqual(order, ['a', 'b', 'c']);
    assert.deepEqual(results, ['A', 'B', 'C']);
  });

  test('a timer that falls due during one step runs before the next step', async () => {
    const order: string[] = [];
    const first = inOwnTurn(() => {
      setTimeout(() => order.push('timer'), 1);
      busy(10);
      order.push('step 1');
    });
    const second = inOwnTurn(() => order.push('step 2'));
    await Promise.all([first, second]);
    assert.deepEqual(order, ['step 1', 'timer', 'step 2']);
  });

  test('a step that throws rejects its own promise only', async () => {
    const failing = inOwnTurn(() => {
      throw new SyntaxError('Unexpected token');
    });
    const next = inOwnTurn(() => 42);
    await assert.rejects(failing, SyntaxError);
    assert.equal(await next, 42);
  });
});

describe('NextTurnBatch', () => {
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

  test('values added in one turn reach run once, together, the last per key, in the next turn', async () => {
    const runs: string[][] = [];
    const batch = new NextTurnBatch<string>((values) => runs.push(values));
    batch.add('a', 'a1');
    batch.add('b', 'b1');
    batch.add('a', 'a2');
    assert.deepEqual(runs, [], 'not in the turn that added them');
    await nextTurn();
    assert.deepEqual(runs, [['a2', 'b1']]);
    batch.add('c', 'c1');
    await nextTurn();
    assert.deepEqual(runs, [['a2', 'b1'], ['c1']], 'a later turn is a new batch');
  });

  test('dispose drops what is waiting', async () => {
    const runs: string[][] = [];
    const batch = new NextTurnBatch<string>((values) => runs.push(values));
    batch.add('a', 'a1');
    batch.dispose();
    await nextTurn();
    await nextTurn();
    assert.deepEqual(runs, []);
  });
});
