/**
 * What "Run Locally" starts from and shows: the example globals built from a function's filters, fixture
 * files, and the result document (src/model/runGlobals.ts, src/model/runReport.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runHogFunction } from '../../src/hog/runner/run';
import { exampleGlobals, filterEventName, readFixture } from '../../src/model/runGlobals';
import { lineColumn, renderRunReport } from '../../src/model/runReport';

const env = { host: 'https://us.posthog.com', projectId: 7, name: 'Shop' };

describe('run globals and report', () => {
  test("the example event: the filters' event name and exact property values; transformations get event and project only", () => {
    const filters = {
      events: [{ id: null }, { id: 'order completed', properties: [{ key: 'plan', value: ['pro'], operator: 'exact', type: 'event' }] }],
      properties: [
        { key: '$browser', value: 'Safari', type: 'event' },
        { key: 'email', value: 'a@b.c', operator: 'exact', type: 'person' },
        { key: 'amount', value: 10, operator: 'gt', type: 'event' },
      ],
    };
    const g = exampleGlobals({ id: 'f1', name: 'Orders', type: 'destination', filters }, env, new Date('2026-12-05T10:00:00Z')) as {
      event: { event: string; properties: Record<string, unknown>; url: string };
      person: { properties: Record<string, unknown> };
      project: unknown;
      source: { name: string };
    };
    assert.equal(g.event.event, 'order completed');
    assert.equal(g.event.properties.plan, 'pro');
    assert.equal(g.event.properties.$browser, 'Safari');
    assert.equal(g.event.properties.amount, undefined, 'only exact filters set values');
    assert.equal(g.person.properties.email, 'a@b.c');
    assert.deepEqual(g.project, { id: 7, name: 'Shop', url: 'https://us.posthog.com/project/7' });
    assert.match(g.event.url, /^https:\/\/us\.posthog\.com\/project\/7\/events\/[0-9a-f-]{36}\/2026-12-05T10%3A00%3A00\.000Z$/);
    assert.equal(g.source.name, 'Orders');
    assert.equal(filterEventName(undefined), '$pageview');
    assert.deepEqual(Object.keys(exampleGlobals({ id: 't', type: 'transformation' }, env)), ['event', 'project']);
  });

  test('fixtures: JSON objects with an event; anything else is a sentence naming the file', () => {
    assert.deepEqual(readFixture('{"event": {"event": "x"}}', 'a.event.json'), { event: { event: 'x' } });
    assert.throws(() => readFixture('{', 'a.event.json'), /a\.event\.json is not valid JSON/);
    assert.throws(() => readFixture('[]', 'a.event.json'), /a\.event\.json must hold a JSON object/);
    assert.throws(() => readFixture('{"person": {}}', 'a.event.json'), /a\.event\.json has no "event" object/);
  });

  test('the report: problems on lines, the event diff, requests with masked headers, logs', async () => {
    const code = "let res := fetch(inputs.url, {'headers': {'Authorization': f'Bearer {inputs.token}'}})\nlet x := nope()";
    const result = await runHogFunction({
      type: 'destination',
      code,
      inputs: { url: { value: 'https://api.example.com/x' }, token: { value: 'tok-123', secret: true } },
      globals: { event: { event: 'e', properties: {} } },
      fetch: 'mock',
    });
    const text = renderRunReport(result, { functionName: 'Hook', globalsSource: 'fixtures/a.event.json', code, startedAt: new Date(), elapsedMs: 12.3, fetchMode: 'mock' });
    assert.match(text, /^# ✖ Local run of Hook: error/);
    assert.match(text, /globals: fixtures\/a\.event\.json · fetch mocked/);
    assert.match(text, /- \*\*line 2, column 10\*\*: Unsupported function call: nope/);
    assert.match(text, /### 1\. POST https:\/\/api\.example\.com\/x \(mocked\) → 200/);
    assert.match(text, /"Authorization": "Bearer \*\*\*REDACTED\*\*\*"/);
    assert.ok(!text.includes('tok-123'));
    assert.match(text, /```log\n\d\d:\d\d:\d\d\.\d{3} INFO {2}Async function 'fetch' was mocked with arguments:/);

    const t = await runHogFunction({
      type: 'transformation',
      code: 'let e := event\ne.properties.b := 2\nreturn e',
      inputs: {},
      globals: { event: { event: 'e', properties: { a: 1 } }, project: { id: 1 } },
      fetch: 'mock',
    });
    const diff = renderRunReport(t, { functionName: 'T', globalsSource: 'example', code: '', startedAt: new Date(), fetchMode: 'mock' });
    assert.match(diff, /```diff\n--- event \(input\)\n\+\+\+ event \(output\)\n@@/);
    assert.match(diff, /\+ {4}"b": 2/);
    assert.deepEqual(lineColumn('ab\ncd', 4), { line: 2, column: 2 });
  });
});

describe('function logs document', () => {
  test('entries merge newest first without repeats, grouped by invocation; the header says the filters', async () => {
    const { mergeEntries, renderLogs } = await import('../../src/model/logsDocument');
    const e = (t: string, instance: string, message: string, level = 'INFO') => ({
      timestamp: `2026-12-05T12:00:0${t}.123456Z`,
      level,
      message,
      instance_id: instance,
      log_source_id: 'f',
    });
    const first = mergeEntries([], [e('1', 'a', 'one'), e('2', 'a', 'two')]);
    const merged = mergeEntries(first, [e('2', 'a', 'two'), e('3', 'b', 'three', 'ERROR')]);
    assert.deepEqual(
      merged.map((x) => x.message),
      ['three', 'two', 'one'],
    );
    const text = renderLogs({ functionName: 'Hook', entries: merged, levels: ['ERROR', 'INFO'], search: 'tw', tailing: true, more: true });
    assert.match(text, /^# Logs of Hook: 3 entries, newest first \(UTC\) · levels ERROR, INFO · search "tw" · live/);
    assert.match(text, /── invocation b ──\n2026-12-05 12:00:03\.123 ERROR three\n\n── invocation a ──\n2026-12-05 12:00:02\.123 INFO {2}two\n/);
    assert.match(text, /\(older entries: Load Older Function Logs\)\n$/);
    assert.match(renderLogs({ functionName: 'H', entries: [], levels: [], search: '', tailing: false, more: false }), /\(no log entries yet\)/);
  });
});
