/**
 * Tests of the PostHog stand-in itself over real loopback HTTP. This file holds auth and scopes,
 * discovery endpoints, error shapes, throttling, fault injection, the request log and the control
 * API; the hog function, groups and demo-data suites live in test/standin/suites/ and are
 * imported below, so `node --test out/test/unit/standin.test.js` runs everything.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_IDS, DEMO_KEYS, DEMO_ORGANIZATION_ID } from '../standin/data';
import { startStandIn, type StandIn } from '../standin/server';
import { arr, clientFor, obj, request } from '../standin/testClient';
import '../standin/suites/hogFunctions.suite';
import '../standin/suites/groups.suite';
import '../standin/suites/seed.suite';
import '../standin/suites/drafts.suite';

describe('stand-in: auth, errors, faults, request log, control API', () => {
  let standIn: StandIn;
  const FN = `/api/environments/1/hog_functions/`;

  before(async () => {
    standIn = await startStandIn({ seed: 'demo' });
  });
  after(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    standIn.reset();
    standIn.clearRequests();
  });

  const as = (key: string | null) => clientFor(standIn.url, key);

  test('missing credentials → 401 not_authenticated', async () => {
    const res = await as(null).get(FN);
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, {
      type: 'authentication_error',
      code: 'not_authenticated',
      detail: 'Authentication credentials were not provided.',
      attr: null,
    });
  });

  test('unknown key → 401 authentication_failed', async () => {
    const res = await as('phx_demo_nonexistent').get(FN);
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, {
      type: 'authentication_error',
      code: 'authentication_failed',
      detail: 'Personal API key found in request Authorization header is invalid.',
      attr: null,
    });
  });

  test('personal_api_key query parameter authenticates too', async () => {
    const res = await as(null).get(`${FN}?personal_api_key=${DEMO_KEYS.readOnly}&limit=1`);
    assert.equal(res.status, 200);
  });

  test('missing scope → 403 naming the scope; :write implies :read', async () => {
    const write = await as(DEMO_KEYS.readOnly).patch(`${FN}${DEMO_IDS.slackDestination}/`, { name: 'x' });
    assert.equal(write.status, 403);
    assert.deepEqual(write.json, {
      type: 'authentication_error',
      code: 'permission_denied',
      detail: "API key missing required scope 'hog_function:write'",
      attr: null,
    });
    const groups = await as(DEMO_KEYS.noGroups).get('/api/projects/1/groups_types/');
    assert.equal(obj(groups.json).detail, "API key missing required scope 'group:read'");
    assert.equal((await as(DEMO_KEYS.noGroups).get(FN)).status, 200, 'hog_function:write implies read');
  });

  test('key scoped to other projects → 403 with the project id', async () => {
    const res = await as(DEMO_KEYS.projectTwoOnly).get(FN);
    assert.equal(res.status, 403);
    assert.equal(obj(res.json).detail, 'API key does not have access to the requested project: ID 1');
    assert.equal((await as(DEMO_KEYS.projectTwoOnly).get('/api/environments/2/hog_functions/')).status, 200);
  });

  test('legacy key (no scopes) may do everything', async () => {
    const key = as(DEMO_KEYS.legacy);
    assert.equal((await key.get(FN)).status, 200);
    assert.equal((await key.get('/api/projects/1/groups_types/')).status, 200);
    assert.equal((await key.patch(`${FN}${DEMO_IDS.slackDestination}/`, { name: 'Renamed' })).status, 200);
  });

  test('DELETE a hog function: 403 for scoped keys (even *), empty 405 for legacy keys', async () => {
    const scoped = await as(DEMO_KEYS.fullAccess).delete(`${FN}${DEMO_IDS.slackDestination}/`);
    assert.equal(scoped.status, 403);
    assert.deepEqual(scoped.json, {
      type: 'authentication_error',
      code: 'permission_denied',
      detail: 'This action does not support Personal API Key access',
      attr: null,
    });
    const legacy = await as(DEMO_KEYS.legacy).delete(`${FN}${DEMO_IDS.slackDestination}/`);
    assert.equal(legacy.status, 405);
    assert.equal(legacy.text, '');
  });

  test('unknown route → 404 in the PostHog shape, even without a key', async () => {
    const res = await as(null).get('/api/environments/1/nope/');
    assert.equal(res.status, 404);
    assert.deepEqual(res.json, { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null });
    assert.equal((await as(DEMO_KEYS.fullAccess).get('/api/environments/99/hog_functions/')).status, 404);
  });

  test('paths without a trailing slash are accepted', async () => {
    assert.equal((await as(DEMO_KEYS.fullAccess).get('/api/environments/1/hog_functions?limit=1')).status, 200);
  });

  test('malformed JSON body → 400 parse_error', async () => {
    const res = await as(DEMO_KEYS.fullAccess).patch(`${FN}${DEMO_IDS.slackDestination}/`, '{"name": ');
    assert.equal(res.status, 400);
    assert.equal(obj(res.json).code, 'parse_error');
    assert.equal(obj(res.json).type, 'invalid_request');
  });

  test('GET /api/users/@me/ describes the user, team and organizations', async () => {
    const me = obj((await as(DEMO_KEYS.extension).get('/api/users/@me/')).json);
    assert.equal(me.email, 'max@hogflix.com');
    assert.equal(me.first_name, 'Max');
    assert.equal(typeof me.uuid, 'string');
    assert.equal(typeof me.distinct_id, 'string');
    assert.deepEqual(obj(me.team).id, 1);
    assert.deepEqual(obj(me.team).project_id, 1);
    assert.equal(obj(me.organization).name, 'Hogflix');
    assert.deepEqual(
      arr(me.organizations).map((o) => obj(o).slug),
      ['hogflix'],
    );
    const scoped = obj((await as(DEMO_KEYS.projectTwoOnly).get('/api/users/@me/')).json);
    assert.equal(obj(scoped.team).id, 2, 'the current team is one the key may access');
  });

  test('projects are listed per organization and for /api/projects/', async () => {
    const res = obj((await as(DEMO_KEYS.fullAccess).get(`/api/organizations/${DEMO_ORGANIZATION_ID}/projects/`)).json);
    assert.equal(res.count, 2);
    assert.equal(res.next, null);
    assert.deepEqual(
      arr(res.results).map((p) => obj(p).name),
      ['Hogflix Production', 'Hogflix Staging'],
    );
    const scoped = obj((await as(DEMO_KEYS.projectTwoOnly).get('/api/projects/')).json);
    assert.deepEqual(
      arr(scoped.results).map((p) => obj(p).id),
      [2],
    );
    assert.equal((await as(DEMO_KEYS.fullAccess).get('/api/organizations/other-org/projects/')).status, 404);
  });

  test('GET /api/personal_api_keys/@current/ works with any valid key', async () => {
    const res = await as(DEMO_KEYS.readOnly).get('/api/personal_api_keys/@current/');
    assert.equal(res.status, 200);
    const key = obj(res.json);
    assert.equal(key.label, 'Demo: read only');
    assert.ok(arr(key.scopes).includes('hog_function:read'));
    assert.deepEqual(key.scoped_teams, []);
    assert.ok(!JSON.stringify(key).includes(DEMO_KEYS.readOnly), 'the key value is never echoed');
  });

  test('rate limit: 429 throttled_error with "Expected available in N seconds", no Retry-After', async () => {
    standIn.config.rateLimitPerMinute = 2;
    const key = as(DEMO_KEYS.fullAccess);
    assert.equal((await key.get(`${FN}?limit=1`)).status, 200);
    assert.equal((await key.get(`${FN}?limit=1`)).status, 200);
    const limited = await key.get(`${FN}?limit=1`);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
    const body = obj(limited.json);
    assert.equal(body.type, 'throttled_error');
    assert.equal(body.code, 'throttled');
    assert.match(String(body.detail), /^Request was throttled\. Expected available in \d+ seconds\.$/);
    assert.equal((await as(DEMO_KEYS.readOnly).get(`${FN}?limit=1`)).status, 200, 'limits are per key');
  });

  test('fault: status (FIFO, consumed, with headers) then normal handling', async () => {
    standIn.addFault({ path: '/hog_functions/', kind: 'status', status: 503 });
    standIn.addFault({ path: '/hog_functions/', kind: 'status', status: 429, headers: { 'Retry-After': '2' } });
    const key = as(DEMO_KEYS.fullAccess);
    const first = await key.get(FN);
    assert.equal(first.status, 503);
    assert.equal(obj(first.json).type, 'server_error');
    const second = await key.get(FN);
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), '2');
    assert.equal((await key.get(FN)).status, 200);
  });

  test('fault: times, method filter and regex path', async () => {
    standIn.addFault({ method: 'PATCH', pathRegex: String.raw`hog_functions/[^/]+/$`, kind: 'status', status: 502, times: 2 });
    const key = as(DEMO_KEYS.fullAccess);
    const target = `${FN}${DEMO_IDS.slackDestination}/`;
    assert.equal((await key.get(target)).status, 200, 'GET does not match a PATCH fault');
    assert.equal((await key.patch(target, { name: 'a' })).status, 502);
    assert.equal((await key.patch(target, { name: 'b' })).status, 502);
    assert.equal((await key.patch(target, { name: 'c' })).status, 200);
  });

  test('fault: drop and reset close the connection without a response', async () => {
    standIn.addFault({ path: 'hog_functions', kind: 'drop' });
    standIn.addFault({ path: 'hog_functions', kind: 'reset' });
    await assert.rejects(as(DEMO_KEYS.fullAccess).get(FN));
    await assert.rejects(as(DEMO_KEYS.fullAccess).get(FN));
    const dropped = standIn.requests.filter((r) => r.fault === 'drop' || r.fault === 'reset');
    assert.deepEqual(
      dropped.map((r) => r.status),
      [null, null],
    );
    assert.equal((await as(DEMO_KEYS.fullAccess).get(FN)).status, 200);
  });

  test('fault: malformed JSON body with status 200', async () => {
    standIn.addFault({ path: 'hog_functions', kind: 'malformed' });
    const res = await as(DEMO_KEYS.fullAccess).get(FN);
    assert.equal(res.status, 200);
    assert.equal(res.text, '{"results": [');
    assert.equal(res.json, undefined);
  });

  test('fault: latency delays, then the request is handled normally', async () => {
    standIn.addFault({ path: 'groups_types', kind: 'latency', delayMs: 150 });
    const started = performance.now();
    const res = await as(DEMO_KEYS.fullAccess).get('/api/projects/1/groups_types/');
    assert.ok(performance.now() - started >= 140, 'delayed');
    assert.equal(res.status, 200);
  });

  test('faults over the control API (pathRegex, unlimited times) and clearing them', async () => {
    const fault = await request(standIn.url, '/__standin/faults', {
      method: 'POST',
      body: { pathRegex: 'groups_types', kind: 'status', status: 504, times: -1 },
    });
    assert.equal(fault.status, 201);
    const key = as(DEMO_KEYS.fullAccess);
    assert.equal((await key.get('/api/projects/1/groups_types/')).status, 504);
    assert.equal((await key.get('/api/projects/1/groups_types/')).status, 504);
    assert.equal((await request(standIn.url, '/__standin/faults', { method: 'DELETE' })).status, 200);
    assert.equal((await key.get('/api/projects/1/groups_types/')).status, 200);
    const bad = await request(standIn.url, '/__standin/faults', { method: 'POST', body: { kind: 'explode' } });
    assert.equal(bad.status, 400);
  });

  test('request log: method, path, query, body, headers, key label, status; never the key', async () => {
    await as(DEMO_KEYS.fullAccess).patch(
      `${FN}${DEMO_IDS.slackDestination}/?full=true`,
      { name: 'Logged' },
      {
        headers: { 'user-agent': 'posthog-hog-vscode/0.1.0', 'x-posthog-client': 'vscode' },
      },
    );
    await as(null).get(FN);
    const [patch, anonymous] = standIn.requests;
    assert.ok(patch && anonymous);
    assert.equal(patch.method, 'PATCH');
    assert.equal(patch.path, `${FN}${DEMO_IDS.slackDestination}/`);
    assert.deepEqual(patch.query, { full: 'true' });
    assert.deepEqual(patch.body, { name: 'Logged' });
    assert.deepEqual(patch.headers, {
      'user-agent': 'posthog-hog-vscode/0.1.0',
      'x-posthog-client': 'vscode',
      'content-type': 'application/json',
    });
    assert.equal(patch.authKeyLabel, 'Demo: full access');
    assert.equal(patch.hasAuth, true);
    assert.equal(patch.status, 200);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.hasAuth, false);
    assert.ok(!JSON.stringify(standIn.requests).includes(DEMO_KEYS.fullAccess));
  });

  test('request log over HTTP: since=<seq>, control calls excluded, clearing keeps seq growing', async () => {
    await as(DEMO_KEYS.fullAccess).get(`${FN}?limit=1`);
    const first = obj((await request(standIn.url, '/__standin/requests')).json);
    const firstRequests = arr(first.requests);
    assert.equal(firstRequests.length, 1, 'control calls are not recorded');
    const lastSeq = Number(first.lastSeq);
    await as(DEMO_KEYS.fullAccess).get('/api/projects/1/groups_types/');
    const since = obj((await request(standIn.url, `/__standin/requests?since=${lastSeq}`)).json);
    assert.deepEqual(
      arr(since.requests).map((r) => obj(r).path),
      ['/api/projects/1/groups_types/'],
    );
    await request(standIn.url, '/__standin/requests', { method: 'DELETE' });
    await as(DEMO_KEYS.fullAccess).get(`${FN}?limit=1`);
    const after = arr(obj((await request(standIn.url, '/__standin/requests')).json).requests);
    assert.equal(after.length, 1);
    assert.ok(Number(obj(after[0]).seq) > lastSeq + 1);
  });

  test('waitForRequest resolves for past and future requests', async () => {
    await as(DEMO_KEYS.fullAccess).get(`${FN}?limit=1`);
    const past = await standIn.waitForRequest((r) => r.path === FN);
    assert.equal(past.status, 200);
    const future = standIn.waitForRequest((r) => r.path === '/api/users/@me/');
    await as(DEMO_KEYS.fullAccess).get('/api/users/@me/');
    assert.equal((await future).status, 200);
  });

  test('control API: keys can be added and revoked', async () => {
    const added = await request(standIn.url, '/__standin/keys', {
      method: 'POST',
      body: { key: 'phx_test_groups_reader', scopes: ['group:read'], scoped_teams: [1] },
    });
    assert.equal(added.status, 201);
    assert.equal((await as('phx_test_groups_reader').get('/api/projects/1/groups_types/')).status, 200);
    assert.equal((await as('phx_test_groups_reader').get(FN)).status, 403);
    assert.equal((await request(standIn.url, '/__standin/keys/phx_test_groups_reader', { method: 'DELETE' })).status, 200);
    assert.equal((await as('phx_test_groups_reader').get('/api/projects/1/groups_types/')).status, 401);
    assert.equal((await request(standIn.url, '/__standin/keys', { method: 'POST', body: { key: 'x' } })).status, 400);
  });

  test('control API: config patch, health, reset restores data and config', async () => {
    const patched = await request(standIn.url, '/__standin/config', { method: 'PATCH', body: { groupsPageSize: 7 } });
    assert.equal(obj(patched.json).groupsPageSize, 7);
    assert.equal(standIn.config.groupsPageSize, 7);
    assert.equal((await request(standIn.url, '/__standin/config', { method: 'PATCH', body: { nope: 1 } })).status, 400);
    await as(DEMO_KEYS.fullAccess).patch(`${FN}${DEMO_IDS.slackDestination}/`, { name: 'Changed' });
    const reset = await request(standIn.url, '/__standin/reset', { method: 'POST', body: { extraFunctions: 5 } });
    assert.equal(reset.status, 200);
    assert.equal(standIn.config.groupsPageSize, 100);
    assert.equal(standIn.state.hogFunctions.get(DEMO_IDS.slackDestination)?.name, 'Slack: new signups');
    const health = obj((await request(standIn.url, '/__standin/health')).json);
    assert.equal(health.ok, true);
    assert.equal(health.functions, standIn.state.hogFunctions.size);
    assert.equal(health.url, standIn.url);
  });

  test('control API: raw state includes secrets; remote_edit bumps updated_at and version', async () => {
    const raw = obj((await request(standIn.url, `/__standin/state/hog_functions/${DEMO_IDS.webhookDestination}`)).json);
    const headers = obj(obj(obj(raw.encrypted_inputs).headers).value);
    assert.equal(headers.Authorization, 'Bearer demo_orders_api_token');
    const before = standIn.state.hogFunctions.get(DEMO_IDS.webhookDestination);
    assert.ok(before);
    const edited = await request(standIn.url, `/__standin/hog_functions/${DEMO_IDS.webhookDestination}/remote_edit`, {
      method: 'POST',
      body: { hog: "print('edited by a colleague')", name: 'Edited remotely' },
    });
    const after = obj(edited.json);
    assert.equal(after.name, 'Edited remotely');
    assert.ok(String(after.updated_at) > before.updated_at);
    assert.equal(after.version, before.version + 1);
    assert.match(String(after.updated_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  test('close() ends keep-alive connections promptly', async () => {
    const other = await startStandIn({ seed: 'empty' });
    assert.equal((await request(other.url, '/api/users/@me/', { key: DEMO_KEYS.fullAccess })).status, 200);
    const started = performance.now();
    await other.close();
    assert.ok(performance.now() - started < 2000);
    await assert.rejects(request(other.url, '/__standin/health'));
  });
});
