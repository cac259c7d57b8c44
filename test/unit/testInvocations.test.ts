/**
 * Test runs on PostHog (issue 17): the stand-in's `POST …/invocations/` really runs the Hog (the project's
 * compiler and PostHog's VM) and answers in PostHog's shapes; the client parses them; the test report
 * masks what PostHog's logs reveal. Over loopback HTTP, no mocked fetch.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { PostHogClient } from '../../src/api/client';
import { PostHogError } from '../../src/api/errors';
import { mockedRequests, renderTestReport } from '../../src/model/testReport';
import { DEMO_IDS, DEMO_KEYS, DEMO_SECRETS } from '../standin/data';
import { startStandIn, type StandIn } from '../standin/server';

let standIn: StandIn;
const client = (): PostHogClient => new PostHogClient({ host: standIn.url, apiKey: () => DEMO_KEYS.fullAccess, userAgent: 'test', timeoutMs: () => 10_000, maxRetries: () => 0 });

const event = {
  uuid: 'e-1',
  event: '$pageview',
  distinct_id: 'u-1',
  properties: { $browser: 'Chrome', $email: 'a@b.c', phone: '123', $ip: '1.2.3.4' },
  elements_chain: '',
  timestamp: '2026-12-05T10:00:00Z',
  url: 'http://x/e/1',
};
const globals = { event, person: { id: 'p-1', properties: { email: 'a@b.c' }, name: 'A', url: 'http://x/p/1' } };

before(async () => {
  standIn = await startStandIn({ seed: 'demo', quiet: true });
});
after(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
  standIn.clearRequests();
});

describe('test runs on PostHog (invocations)', () => {
  test('a destination: the unsaved code runs, fetch is mocked and logged as PostHog logs it (the stored secret included)', async () => {
    const fn = await client().getHogFunction(1, DEMO_IDS.webhookDestination);
    const res = await client().testHogFunction(1, fn.id, {
      configuration: { type: 'destination', name: fn.name, hog: `${fn.hog}\nprint('unsaved edit ran')`, inputs: fn.inputs ?? {} },
      globals,
      mockAsyncFunctions: true,
    });
    assert.equal(res.status, 'success', JSON.stringify(res));
    const messages = res.logs.map((l) => l.message);
    assert.equal(messages[0], "Async function 'fetch' was mocked with arguments:");
    assert.ok(messages.some((m) => m === 'unsaved edit ran'));
    assert.ok(
      messages.some((m) => m.includes(DEMO_SECRETS.webhookAuthorization)),
      'PostHog logs the mocked call as made: the stored secret is in it',
    );
    const [call] = mockedRequests(res.logs);
    assert.equal(call?.url, 'https://orders.hogflix.example/hooks/posthog');
    // The report masks it.
    const report = renderTestReport(res, {
      functionName: 'W',
      globalsSource: 'x',
      inputEvent: event,
      transformation: false,
      mocked: true,
      startedAt: new Date(),
      elapsedMs: 5,
      secrets: [],
    });
    assert.ok(!report.includes('demo_orders_api_token'), 'the report never shows the secret');
    assert.match(report, /"Authorization": "\*\*\*REDACTED\*\*\*"/);
    assert.match(report, /### 1\. POST https:\/\/orders\.hogflix\.example\/hooks\/posthog/);
    // The run's lines are appended to the function's logs.
    const logs = await client().hogFunctionLogs(1, fn.id, { search: 'unsaved edit ran' });
    assert.equal(logs.length, 1);
  });

  test('a transformation: the transformed event is the result; runtime errors are listed', async () => {
    const fn = await client().getHogFunction(1, DEMO_IDS.piiTransformation);
    const res = await client().testHogFunction(1, fn.id, {
      configuration: { type: 'transformation', hog: `let e := event\ne.properties.tested := true\nreturn e`, inputs: fn.inputs ?? {} },
      globals: { event },
      mockAsyncFunctions: true,
    });
    assert.equal(res.status, 'success');
    assert.deepEqual((res.result as { properties: Record<string, unknown> }).properties, { ...event.properties, tested: true });
    const report = renderTestReport(res, {
      functionName: 'T',
      globalsSource: 'x',
      inputEvent: event,
      transformation: true,
      mocked: true,
      startedAt: new Date(),
      elapsedMs: 5,
      secrets: [],
    });
    assert.match(report, /\+ {4}"tested": true/);

    const failing = await client().testHogFunction(1, fn.id, { configuration: { hog: "throw Error('nope')" }, globals: { event }, mockAsyncFunctions: true });
    assert.equal(failing.status, 'error');
    assert.deepEqual(failing.errors, ["Error('nope')"]);
  });

  test("PostHog's refusals: raw serializer errors name the field; no event or an untestable type is a bare 400", async () => {
    await assert.rejects(
      client().testHogFunction(1, DEMO_IDS.webhookDestination, { configuration: { hog: 'let a := 1\nlet a := 2' }, globals, mockAsyncFunctions: true }),
      (e: unknown) => e instanceof PostHogError && e.status === 400 && e.attr === 'configuration__hog' && e.detail === 'Hog code has errors.',
    );
    await assert.rejects(
      client().testHogFunction(1, DEMO_IDS.webhookDestination, { configuration: {}, globals: { person: {} }, mockAsyncFunctions: true }),
      (e: unknown) => e instanceof PostHogError && e.status === 400,
    );
    await assert.rejects(
      client().testHogFunction(1, DEMO_IDS.sourceWebhook, { configuration: {}, globals, mockAsyncFunctions: true }),
      (e: unknown) => e instanceof PostHogError && e.status === 400,
    );
    const posts = standIn.requests.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 3, 'one POST each, never retried');
  });
});

describe('metrics (issue 17)', () => {
  test('one hourly request over 48 h, summarized as the last 24 h vs the 24 h before; cached for a minute per function', async () => {
    const { FunctionMetrics } = await import('../../src/services/functionMetrics');
    let now = 1_000_000;
    // The client pool needs vscode; one client against the stand-in does the same job here.
    const metrics = new FunctionMetrics({ get: () => client() }, () => now);
    const env = { host: standIn.url, projectId: 1, name: 'P' };
    assert.equal(metrics.cached(env, DEMO_IDS.degradedDestination), undefined, 'nothing cached yet');
    const m = await metrics.get(env, DEMO_IDS.degradedDestination);
    assert.ok((m.last24h.succeeded ?? 0) > 0 && (m.previous24h.succeeded ?? 0) > 0);
    assert.ok((m.last24h.failed ?? 0) > 0, 'the degraded function fails');
    await metrics.get(env, DEMO_IDS.degradedDestination);
    const metricRequests = (): number => standIn.requests.filter((r) => r.path.endsWith('/metrics/')).length;
    assert.equal(metricRequests(), 1, 'cached');
    assert.deepEqual(standIn.requests.find((r) => r.path.endsWith('/metrics/'))?.query, { after: '-48h', interval: 'hour', breakdown_by: 'name' });
    assert.equal(await metrics.cached(env, DEMO_IDS.degradedDestination), m, 'cached() answers from the cache');
    now += 61_000;
    assert.equal(metrics.cached(env, DEMO_IDS.degradedDestination), undefined, 'expired after a minute');
    assert.equal(metricRequests(), 1, 'cached() never asks');
    await metrics.get(env, DEMO_IDS.degradedDestination);
    assert.equal(metricRequests(), 2, 'fetched again after a minute');
  });

  test('described in words: the usual three first, changes in per cent, zero-before as "was 0"', async () => {
    const { describeMetrics, summarizeMetrics } = await import('../../src/model/metrics');
    const values = (prev: number, last: number): number[] => [...Array.from({ length: 24 }, () => prev), ...Array.from({ length: 23 }, () => last), last * 2];
    const s = summarizeMetrics({
      labels: [],
      series: [
        { name: 'filtered', values: values(1, 1) },
        { name: 'succeeded', values: values(10, 11) },
        { name: 'failed', values: values(0, 1) },
        { name: 'disabled_temporarily', values: values(0, 0) },
      ],
    });
    assert.equal(s.lastHour.failed, 2);
    assert.equal(describeMetrics(s), 'succeeded 275 (+15 %) · failed 25 (was 0) · filtered 25 (+4 %)');
  });
});

describe('the most recent real event (issue 17)', () => {
  test("PostHog's EventsQuery for the function's filters: the newest matching event becomes the globals", async () => {
    const { globalsFromEventRow, recentEventQuery } = await import('../../src/model/runGlobals');
    const fn = await client().getHogFunction(1, DEMO_IDS.webhookDestination);
    const query = recentEventQuery(fn.filters, '-7d');
    assert.deepEqual(query.select, ['*', 'person']);
    const rows = await client().eventsQuery(1, query);
    assert.equal(rows.length, 1);
    const env = { host: 'https://us.posthog.com', projectId: 1, name: 'P' };
    const globals = globalsFromEventRow(rows[0] ?? [], { id: fn.id, name: fn.name, type: fn.type, filters: fn.filters }, env) as {
      event: { event: string; properties: Record<string, unknown>; url: string };
      person: { id: string; name: string };
    };
    assert.ok(['order_completed', 'order_refunded'].includes(globals.event.event), globals.event.event);
    assert.match(globals.person.name, /@hogflix\.example$/);
    const sent = standIn.requests.find((r) => r.path === '/api/environments/1/query/');
    assert.deepEqual((sent?.body as { query: { kind: string } }).query.kind, 'EventsQuery');
    // Nothing in 7 days for an event that never happens.
    assert.deepEqual(await client().eventsQuery(1, recentEventQuery({ events: [{ id: 'never happens' }] }, '-30d')), []);
  });

  test("a key without query:read gets PostHog's 403 naming the scope", async () => {
    const readOnly = new PostHogClient({ host: standIn.url, apiKey: () => DEMO_KEYS.readOnly, userAgent: 'test', timeoutMs: () => 5000, maxRetries: () => 0 });
    await assert.rejects(readOnly.eventsQuery(1, { select: ['*'] }), (e: unknown) => e instanceof PostHogError && e.status === 403 && e.message.includes('query:read'));
  });
});
