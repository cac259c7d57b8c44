/**
 * Suite imported by test/unit/standin.test.ts (not a *.test file itself, so it runs once).
 * Stand-in hog function endpoints over real HTTP: listing and pagination, serializers,
 * create/PATCH validation, secrets, optimistic concurrency, soft delete, enable_backfills,
 * logs and templates.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_IDS, DEMO_KEYS, DEMO_LISTABLE_COUNTS, TEMPLATE_IDS } from '../data';
import { startStandIn, type StandIn } from '../server';
import { arr, clientFor, obj, request } from '../testClient';

describe('stand-in: hog functions', () => {
  let standIn: StandIn;
  const FN = '/api/environments/1/hog_functions/';
  const MICROS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

  before(async () => {
    standIn = await startStandIn();
  });
  after(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    standIn.reset();
  });

  /** fetch() does not let us set Host, so use node:http for the "links follow the Host header" check. */
  function getWithHost(path: string, host: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = http.get(`${standIn.url}${path}`, { headers: { host, authorization: `Bearer ${DEMO_KEYS.fullAccess}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
        });
      });
      req.on('error', reject);
    });
  }

  const api = () => clientFor(standIn.url, DEMO_KEYS.fullAccess);
  const fnPath = (id: string) => `${FN}${id}/`;
  const stored = (id: string) => {
    const fn = standIn.state.hogFunctions.get(id);
    assert.ok(fn, `stored function ${id}`);
    return fn;
  };

  test('list: DRF limit/offset pagination with absolute next/previous from the Host header', async () => {
    const first = obj((await api().get(`${FN}?limit=5&type=destination,transformation`)).json);
    assert.equal(typeof first.count, 'number');
    assert.equal(first.previous, null);
    // Django's replace_query_param re-encodes the query with sorted keys.
    assert.equal(first.next, `${standIn.url}${FN}?limit=5&offset=5&type=destination%2Ctransformation`);
    const second = obj(await getWithHost(`${FN}?limit=5&offset=5`, 'posthog.test:8000'));
    assert.equal(second.previous, 'http://posthog.test:8000/api/environments/1/hog_functions/?limit=5');
    const all = obj((await api().get(FN)).json);
    assert.equal(all.count, DEMO_LISTABLE_COUNTS.production);
    assert.equal(all.next, null);
  });

  test('list: order is execution_order (nulls last) then -updated_at; deleted and warehouse excluded', async () => {
    const results = arr(obj((await api().get(FN)).json).results).map(obj);
    const ids = results.map((r) => r.id);
    assert.deepEqual(ids.slice(0, 2), [DEMO_IDS.geoipTransformation, DEMO_IDS.piiTransformation]);
    const rest = results.slice(2).map((r) => String(r.updated_at));
    assert.deepEqual(rest, [...rest].sort().reverse());
    assert.ok(!ids.includes(DEMO_IDS.deletedDestination));
    assert.ok(!ids.includes(DEMO_IDS.warehouseSourceWebhook));
    assert.ok(ids.includes(DEMO_IDS.emailCampaign), 'unknown future types are listed');
  });

  test('list: type, enabled and search filters', async () => {
    const names = async (query: string) => arr(obj((await api().get(`${FN}?${query}`)).json).results).map((r) => obj(r).id);
    assert.deepEqual(await names('type=site_app'), [DEMO_IDS.siteApp]);
    assert.ok((await names('enabled=false')).includes(DEMO_IDS.disabledDestination));
    assert.ok(!(await names('enabled=true')).includes(DEMO_IDS.disabledDestination));
    assert.deepEqual(await names('search=HUBSPOT'), [DEMO_IDS.hubspotDestination]);
    assert.deepEqual(await names('search=announces new'), [DEMO_IDS.slackDestination], 'description matches too');
  });

  test('the cached list order never outlives a write or a reset', async () => {
    const names = async () => arr(obj((await api().get(`${FN}?search=slack`)).json).results).map((r) => obj(r).name);
    await api().patch(fnPath(DEMO_IDS.slackDestination), { name: 'Slack A' });
    assert.deepEqual(await names(), ['Slack A']);
    standIn.reset();
    await api().patch(fnPath(DEMO_IDS.slackDestination), { name: 'Slack B' });
    assert.deepEqual(await names(), ['Slack B'], 'same revision number and size, but a new state');
  });

  test('list uses the minimal serializer unless full=true', async () => {
    const minimal = obj(arr(obj((await api().get(`${FN}?search=Orders API`)).json).results)[0]);
    assert.deepEqual(Object.keys(minimal).sort(), [
      'created_at',
      'created_by',
      'description',
      'draft_updated_at',
      'enabled',
      'execution_order',
      'filters',
      'hog',
      'icon_url',
      'id',
      'name',
      'search_match_type',
      'status',
      'template',
      'type',
      'updated_at',
    ]);
    assert.deepEqual(Object.keys(obj(minimal.created_by)).sort(), ['distinct_id', 'email', 'first_name', 'id', 'is_email_verified', 'last_name', 'uuid']);
    const full = obj(arr(obj((await api().get(`${FN}?search=Orders API&full=true`)).json).results)[0]);
    assert.ok('inputs' in full && 'inputs_schema' in full && 'bytecode' in full && 'mappings' in full);
  });

  test('retrieve: full serializer, masked secrets, write-only fields absent, µs updated_at', async () => {
    const res = await api().get(fnPath(DEMO_IDS.webhookDestination));
    assert.equal(res.status, 200);
    const fn = obj(res.json);
    for (const key of ['deleted', 'template_id', 'base_updated_at', 'encrypted_inputs']) assert.ok(!(key in fn), key);
    assert.match(String(fn.updated_at), MICROS);
    assert.deepEqual(obj(fn.inputs).headers, { secret: true });
    const url = obj(obj(fn.inputs).url);
    assert.equal(url.value, 'https://orders.hogflix.example/hooks/posthog');
    assert.deepEqual(arr(url.bytecode).slice(0, 2), ['_H', 1]);
    assert.equal(typeof url.order, 'number');
    assert.deepEqual(arr(fn.bytecode).slice(0, 2), ['_H', 1]);
    assert.equal(obj(fn.template).id, TEMPLATE_IDS.webhook);
    assert.equal(fn.draft, null);
    assert.equal(typeof fn.version, 'number');
    const site = obj((await api().get(fnPath(DEMO_IDS.siteApp))).json);
    assert.equal(site.bytecode, null);
    assert.equal(typeof site.transpiled, 'string');
  });

  test('both URL prefixes work; only /api/environments/ responses carry Deprecation headers', async () => {
    const env = await api().get(fnPath(DEMO_IDS.slackDestination));
    const proj = await api().get(`/api/projects/1/hog_functions/${DEMO_IDS.slackDestination}/`);
    assert.deepEqual(env.json, proj.json);
    assert.equal(env.headers.get('deprecation'), 'true');
    assert.equal(proj.headers.get('deprecation'), null);
    assert.equal((await api().get(`/api/environments/2/hog_functions/${DEMO_IDS.slackDestination}/`)).status, 404);
  });

  test('create: defaults, created_by from the key, template filling, transformation order', async () => {
    const res = await api().post(FN, { name: 'New webhook', hog: "print('hi')  \n\n" });
    assert.equal(res.status, 201);
    const created = obj(res.json);
    assert.equal(created.type, 'destination');
    assert.equal(created.enabled, false);
    assert.equal(created.hog, "print('hi')", 'trailing whitespace is stripped');
    assert.equal(obj(created.created_by).email, 'max@hogflix.com');
    assert.match(String(created.updated_at), MICROS);

    const fromTemplate = obj((await api().post(FN, { template_id: TEMPLATE_IDS.slack, inputs: { slack_webhook_url: { value: 'https://hooks.example/x' } } })).json);
    assert.equal(fromTemplate.name, 'Slack');
    assert.equal(obj(fromTemplate.template).id, TEMPLATE_IDS.slack);
    assert.ok(String(fromTemplate.hog).includes('slack_webhook_url'));

    const missing = await api().post(FN, { name: 'No code' });
    assert.deepEqual(missing.json, { type: 'validation_error', code: 'required', detail: 'This field is required.', attr: 'hog' });
    const badTemplate = await api().post(FN, { template_id: 'template-nope' });
    assert.equal(obj(badTemplate.json).attr, 'template_id');

    const t = obj((await api().post(FN, { type: 'transformation', hog: 'return event' })).json);
    assert.equal(t.execution_order, 3);
    const badType = await api().post(FN, { type: 'warehouse_source_webhook', hog: 'return 1' });
    assert.equal(obj(badType.json).attr, 'type');
  });

  test('PATCH: type is immutable; Hog syntax errors and size limit are reported on hog', async () => {
    const path = fnPath(DEMO_IDS.slackDestination);
    assert.deepEqual((await api().patch(path, { type: 'transformation' })).json, {
      type: 'validation_error',
      code: 'invalid_input',
      detail: 'Cannot modify the type of an existing function',
      attr: 'type',
    });
    assert.deepEqual((await api().patch(path, { hog: 'let x = 1' })).json, {
      type: 'validation_error',
      code: 'invalid_input',
      detail: 'Hog code has errors.',
      attr: 'hog',
    });
    assert.equal(obj((await api().patch(path, { hog: 'let x := {event}' })).json).detail, 'Hog code has errors.', 'placeholders do not compile');
    const big = await api().patch(path, { hog: `// ${'x'.repeat(100 * 1024)}` });
    assert.equal(big.status, 400);
    assert.equal(obj(big.json).attr, 'hog');
    const hyphen = obj((await api().patch(path, { hog: 'return event.properties.utm-source' })).json);
    assert.equal(hyphen.attr, 'hog');
    assert.match(String(hyphen.detail), /Hyphens are not supported.*event\.properties\['utm-source'\]/);
    const ts = await api().patch(fnPath(DEMO_IDS.siteApp), { hog: 'export function onLoad( {' });
    assert.deepEqual(ts.json, { type: 'validation_error', code: 'invalid_input', detail: 'Error in TypeScript code', attr: 'hog' });
    assert.equal((await api().patch(fnPath(DEMO_IDS.siteApp), { hog: 'export const x: number = 1' })).status, 200);
  });

  test('PATCH: inputs validated against the schema (required, types, unknown keys, templates)', async () => {
    const path = fnPath(DEMO_IDS.slackDestination);
    assert.deepEqual((await api().patch(path, { inputs: { text: { value: 'hi' } } })).json, {
      type: 'validation_error',
      code: 'invalid_input',
      detail: 'This field is required.',
      attr: 'inputs__slack_webhook_url',
    });
    const wrongType = obj((await api().patch(path, { inputs: { slack_webhook_url: { value: 42 } } })).json);
    assert.deepEqual([wrongType.attr, wrongType.detail], ['inputs__slack_webhook_url', 'Value must be a string.']);
    const template = obj((await api().patch(path, { inputs: { slack_webhook_url: { value: 'https://x' }, text: { value: 'Hi {{ person.name }}' } } })).json);
    assert.equal(template.attr, 'inputs__text');
    assert.match(String(template.detail), /^Invalid template: .*single curly braces/);
    const ok = await api().patch(path, { inputs: { slack_webhook_url: { value: 'https://x' }, text: { value: 'Hi {person.name}' }, bogus: { value: 1 } } });
    assert.equal(ok.status, 200);
    const inputs = obj(obj(ok.json).inputs);
    assert.deepEqual(Object.keys(inputs).sort(), ['slack_webhook_url', 'text']);
    // A PATCH of only the hog re-fills and revalidates the stored inputs.
    assert.equal((await api().patch(path, { hog: "print('x')" })).status, 200);
  });

  test('secrets: kept by marker or omission, rotated by value, never persisted as the mask', async () => {
    const path = fnPath(DEMO_IDS.hubspotDestination);
    const token = () => stored(DEMO_IDS.hubspotDestination).encrypted_inputs.access_token?.value;
    const retrieved = obj((await api().get(path)).json);
    assert.deepEqual(obj(retrieved.inputs).access_token, { secret: true });
    // Round-tripping the returned inputs keeps the stored secret.
    assert.equal((await api().patch(path, { inputs: retrieved.inputs })).status, 200);
    assert.equal(token(), 'demo_hubspot_private_app_token');
    const { access_token: _omitted, ...withoutSecret } = obj(retrieved.inputs);
    assert.equal((await api().patch(path, { inputs: withoutSecret })).status, 200);
    assert.equal(token(), 'demo_hubspot_private_app_token');
    assert.equal((await api().patch(path, { inputs: { ...withoutSecret, access_token: { secret: true, value: '********' } } })).status, 200);
    assert.equal(token(), 'demo_hubspot_private_app_token');
    assert.equal((await api().patch(path, { inputs: { ...withoutSecret, access_token: { value: 'rotated' } } })).status, 200);
    assert.equal(token(), 'rotated');
    const mask = obj((await api().patch(path, { inputs: { ...withoutSecret, access_token: { value: '********' } } })).json);
    assert.deepEqual([mask.attr, mask.detail], ['inputs__access_token', 'This secret input was not updated correctly. Enter the value again.']);
    const fresh = obj((await api().post(FN, { template_id: TEMPLATE_IDS.hubspot, inputs: { access_token: { secret: true }, email: { value: 'a@b.c' } } })).json);
    assert.deepEqual([fresh.attr, fresh.detail], ['inputs__access_token', 'No value is saved for this secret input. Enter the value again.']);
  });

  test('a full GET body round-trips through PATCH and PUT unchanged (read-only fields ignored)', async () => {
    for (const id of [DEMO_IDS.webhookDestination, DEMO_IDS.degradedDestination, DEMO_IDS.siteApp, DEMO_IDS.emailCampaign]) {
      const before = stored(id);
      const body = obj((await api().get(fnPath(id))).json);
      const patched = await api().patch(fnPath(id), body);
      assert.equal(patched.status, 200, `${id}: ${patched.text}`);
      const after = stored(id);
      assert.deepEqual(after.encrypted_inputs, before.encrypted_inputs, 'secrets kept');
      assert.deepEqual(after.inputs, before.inputs);
      assert.deepEqual(after.mappings, before.mappings);
      assert.equal(after.version, before.version, 'no content change');
      assert.equal((await api().put(fnPath(id), body)).status, 200);
    }
  });

  test('writes bump updated_at strictly; version only for content changes', async () => {
    const path = fnPath(DEMO_IDS.slackDestination);
    const before = obj((await api().get(path)).json);
    const renamed = obj((await api().patch(path, { name: 'Renamed' })).json);
    assert.ok(String(renamed.updated_at) > String(before.updated_at));
    assert.equal(renamed.version, before.version);
    const recoded = obj((await api().patch(path, { hog: "print('new')" })).json);
    assert.ok(String(recoded.updated_at) > String(renamed.updated_at));
    assert.equal(recoded.version, Number(before.version) + 1);
  });

  test('base_updated_at: stale → 409 stale_update; current accepted; compared at µs precision', async () => {
    const path = fnPath(DEMO_IDS.webhookDestination);
    const current = String(obj((await api().get(path)).json).updated_at);
    assert.equal(current, '2026-09-01T10:00:00.123456Z');
    const truncated = '2026-09-01T10:00:00.123Z';
    const stale = await api().patch(path, { name: 'x', base_updated_at: truncated });
    assert.equal(stale.status, 409);
    assert.deepEqual(stale.json, {
      type: 'server_error',
      code: 'stale_update',
      detail: 'This function changed since you previewed the publish. Review the latest version and try again.',
      attr: null,
    });
    const ok = obj((await api().patch(path, { name: 'y', base_updated_at: current })).json);
    assert.equal(ok.name, 'y');
    await request(standIn.url, `/__standin/hog_functions/${DEMO_IDS.webhookDestination}/remote_edit`, { method: 'POST', body: { description: 'colleague' } });
    assert.equal((await api().patch(path, { name: 'z', base_updated_at: String(ok.updated_at) })).status, 409);
    standIn.config.enforceBaseUpdatedAt = false;
    assert.equal((await api().patch(path, { name: 'z', base_updated_at: String(ok.updated_at) })).status, 200, 'older servers ignore it');
    assert.equal(obj((await api().patch(path, { base_updated_at: 'yesterday' })).json).attr, 'base_updated_at');
  });

  test('soft delete with PATCH deleted:true, restore with deleted:false', async () => {
    const path = fnPath(DEMO_IDS.slackDestination);
    assert.equal((await api().patch(path, { deleted: true })).status, 200);
    assert.equal((await api().get(path)).status, 404);
    assert.equal((await api().patch(path, { name: 'x' })).status, 404);
    const ids = arr(obj((await api().get(FN)).json).results).map((r) => obj(r).id);
    assert.ok(!ids.includes(DEMO_IDS.slackDestination));
    const restored = await api().patch(path, { deleted: false });
    assert.equal(restored.status, 200);
    assert.equal((await api().get(path)).status, 200);
    assert.equal((await api().patch(fnPath(DEMO_IDS.deletedDestination), { deleted: false })).status, 200);
  });

  test('mappings only for destinations; enabled transformations are capped', async () => {
    const res = obj((await api().patch(fnPath(DEMO_IDS.geoipTransformation), { mappings: [] })).json);
    assert.deepEqual([res.attr, res.detail], ['mappings', 'Mappings are only allowed for destinations.']);
    standIn.config.maxEnabledTransformations = 2;
    const capped = await api().post(FN, { type: 'transformation', hog: 'return event', enabled: true });
    assert.equal(capped.status, 400);
    assert.equal(obj(capped.json).attr, 'type');
  });

  test('enable_backfills: refused for scoped keys, rules and success for legacy keys', async () => {
    const url = (id: string) => `${fnPath(id)}enable_backfills/`;
    const scoped = await api().post(url(DEMO_IDS.disabledDestination));
    assert.equal(scoped.status, 403);
    assert.equal(obj(scoped.json).detail, 'This action does not support Personal API Key access');
    const legacy = clientFor(standIn.url, DEMO_KEYS.legacy);
    assert.deepEqual((await legacy.post(url(DEMO_IDS.backfillsEnabledDestination))).json, { error: 'Backfills already enabled for this function' });
    assert.deepEqual((await legacy.post(url(DEMO_IDS.geoipTransformation))).json, { error: 'Backfills are only supported for destination functions.' });
    assert.deepEqual((await legacy.post(url(DEMO_IDS.hubspotDestination))).json, { error: 'Backfills are only supported for event-sourced destinations.' });
    const before = stored(DEMO_IDS.disabledDestination).updated_at;
    const ok = await legacy.post(url(DEMO_IDS.disabledDestination));
    assert.equal(ok.status, 200);
    const batchId = String(obj(ok.json).batch_export_id);
    assert.match(batchId, /^[0-9a-f-]{36}$/);
    assert.equal(stored(DEMO_IDS.disabledDestination).batch_export_id, batchId);
    assert.ok(stored(DEMO_IDS.disabledDestination).updated_at > before);
    standIn.config.backfillsFeatureFlag = false;
    const flagged = await legacy.post(url(DEMO_IDS.slackDestination));
    assert.equal(flagged.status, 403);
    assert.equal(obj(flagged.json).detail, 'Backfilling Workflows is not enabled for this team.');
    standIn.config.backfillsFeatureFlag = true;
    standIn.config.backfillsRequireSession = false;
    assert.equal((await api().post(url(DEMO_IDS.slackDestination))).status, 200);
  });

  test('logs: newest first, with level, search, after and limit filters', async () => {
    const path = `${fnPath(DEMO_IDS.degradedDestination)}logs/`;
    const all = arr(obj((await api().get(path)).json).results).map(obj);
    assert.ok(all.length >= 8);
    const stamps = all.map((e) => String(e.timestamp));
    assert.deepEqual(stamps, [...stamps].sort().reverse());
    const errors = arr(obj((await api().get(`${path}?level=ERROR`)).json).results).map(obj);
    assert.ok(errors.length > 0 && errors.every((e) => e.level === 'ERROR'));
    assert.equal(arr(obj((await api().get(`${path}?limit=2`)).json).results).length, 2);
    const newest = stamps[0] ?? '';
    await request(standIn.url, `/__standin/hog_functions/${DEMO_IDS.degradedDestination}/logs`, {
      method: 'POST',
      body: { entries: [{ level: 'INFO', message: 'tail me' }] },
    });
    const tail = arr(obj((await api().get(`${path}?after=${encodeURIComponent(newest)}`)).json).results).map(obj);
    assert.deepEqual(
      tail.map((e) => e.message),
      ['tail me'],
    );
  });

  test('templates: paginated, destination by default, type/types filters, detail', async () => {
    const names = async (q: string) => arr(obj((await api().get(`/api/projects/1/hog_function_templates/${q}`)).json).results).map((t) => obj(t).id);
    assert.deepEqual(await names(''), [TEMPLATE_IDS.webhook, TEMPLATE_IDS.slack, TEMPLATE_IDS.hubspot]);
    assert.deepEqual(await names('?type=transformation'), [TEMPLATE_IDS.geoip]);
    assert.deepEqual(await names('?types=site_app,source_webhook'), [TEMPLATE_IDS.notificationBar, TEMPLATE_IDS.stripeWebhook]);
    const detail = obj((await api().get(`/api/projects/1/hog_function_templates/${TEMPLATE_IDS.notificationBar}/`)).json);
    assert.equal(detail.code_language, 'javascript');
    assert.equal((await api().get('/api/projects/1/hog_function_templates/template-nope/')).status, 404);
  });
});
