/**
 * Suite imported by test/unit/standin.test.ts: drafts, publish (preview → confirm with a token), discard,
 * revisions and restore over real HTTP, with the bodies PostHog's test_hog_function_drafts.py expects.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_IDS, DEMO_KEYS } from '../data';
import { startStandIn, type StandIn } from '../server';
import { arr, clientFor, obj, str } from '../testClient';

describe('stand-in: drafts, publish, revisions', () => {
  let standIn: StandIn;
  const FN = '/api/environments/1/hog_functions/';
  const WEBHOOK = DEMO_IDS.webhookDestination;
  const agent = { headers: { 'x-posthog-client': 'mcp' } };

  before(async () => {
    standIn = await startStandIn();
  });
  after(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    standIn.reset();
  });

  const api = () => clientFor(standIn.url, DEMO_KEYS.fullAccess);
  const fnPath = (id: string, rest = '') => `${FN}${id}/${rest}`;

  async function stageCode(id: string, hog: string): Promise<Record<string, unknown>> {
    const res = await api().patch(fnPath(id), { hog }, agent);
    assert.equal(res.status, 200, res.text);
    return obj(res.json);
  }

  test("an agent's content edit of an enabled destination is staged; the live config and updated_at stay", async () => {
    const before = obj((await api().get(fnPath(WEBHOOK))).json);
    const staged = await stageCode(WEBHOOK, "print('staged')");
    assert.equal(staged.hog, before.hog);
    assert.equal(staged.updated_at, before.updated_at);
    assert.equal(obj(staged.draft).hog, "print('staged')");
    assert.equal(typeof staged.draft_updated_at, 'string');
    // Secrets in the draft come back masked, never as values.
    assert.deepEqual(obj(obj(staged.draft).inputs).headers, { secret: true });
    const list = obj((await api().get(`${FN}?type=destination`)).json);
    const row = obj(arr(list.results).find((r) => obj(r).id === WEBHOOK));
    assert.equal(row.draft_updated_at, staged.draft_updated_at);
    // A plain API-key PATCH edits live, even for the same function.
    const live = obj((await api().patch(fnPath(WEBHOOK), { description: 'live' })).json);
    assert.equal(live.description, 'live');
    assert.equal(obj(live.draft).hog, "print('staged')");
  });

  test('publish: preview (changed fields + token), confirm with the token applies it and clears the draft', async () => {
    const v0 = obj((await api().get(fnPath(WEBHOOK))).json).version as number;
    await stageCode(WEBHOOK, "print('v2')");
    const preview = obj((await api().post(fnPath(WEBHOOK, 'publish/'), {})).json);
    assert.deepEqual(
      { ...preview, confirm_token: typeof preview.confirm_token },
      { published: false, draft_updated_at: preview.draft_updated_at, confirm_token: 'string', changed_fields: ['hog'], function: null },
    );
    const noToken = await api().post(fnPath(WEBHOOK, 'publish/'), { confirm: true });
    assert.equal(noToken.status, 400);
    assert.equal(obj(noToken.json).attr, 'confirm_token');
    const bad = await api().post(fnPath(WEBHOOK, 'publish/'), { confirm: true, confirm_token: 'x:y' });
    assert.match(str(obj(bad.json).detail), /^Invalid\./);
    const done = obj((await api().post(fnPath(WEBHOOK, 'publish/'), { confirm: true, confirm_token: preview.confirm_token })).json);
    assert.equal(done.published, true);
    const fn = obj(done.function);
    assert.equal(fn.hog, "print('v2')");
    assert.equal(fn.draft, null);
    assert.equal(fn.draft_updated_at, null);
    assert.equal(fn.version, v0 + 1);
    // The secret stayed (publish re-attaches the live one).
    assert.deepEqual(obj(fn.inputs).headers, { secret: true });
    assert.ok(standIn.state.hogFunctions.get(WEBHOOK)?.encrypted_inputs.headers);
    const again = await api().post(fnPath(WEBHOOK, 'publish/'), {});
    assert.deepEqual(again.json, { type: 'validation_error', code: 'invalid_input', detail: 'This function has no staged draft to publish.', attr: null });
  });

  test('publish: a token from before the latest edit is a 409; an expired one a 400', async () => {
    await stageCode(WEBHOOK, "print('a')");
    const token = obj((await api().post(fnPath(WEBHOOK, 'publish/'), {})).json).confirm_token;
    await stageCode(WEBHOOK, "print('b')");
    const stale = await api().post(fnPath(WEBHOOK, 'publish/'), { confirm: true, confirm_token: token });
    assert.equal(stale.status, 409);
    assert.equal(obj(stale.json).code, 'stale_update');
    standIn.config.publishTokenMaxAgeSeconds = 0;
    const fresh = obj((await api().post(fnPath(WEBHOOK, 'publish/'), {})).json).confirm_token;
    await new Promise((r) => setTimeout(r, 5));
    const expired = await api().post(fnPath(WEBHOOK, 'publish/'), { confirm: true, confirm_token: fresh });
    assert.equal(expired.status, 400);
    assert.equal(obj(expired.json).detail, 'Expired. Preview the publish again to get a fresh token.');
  });

  test('discard_draft clears the draft and is idempotent; enabling with an open draft is refused', async () => {
    await stageCode(WEBHOOK, "print('x')");
    for (let i = 0; i < 2; i++) {
      const res = await api().post(fnPath(WEBHOOK, 'discard_draft/'));
      assert.equal(res.status, 200);
      assert.equal(obj(res.json).draft, null);
    }
    await stageCode(WEBHOOK, "print('x')");
    await api().patch(fnPath(WEBHOOK), { enabled: false });
    const refused = await api().patch(fnPath(WEBHOOK), { enabled: true });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json, {
      type: 'validation_error',
      code: 'invalid_input',
      detail: "This function has config staged for review. Publish or discard it before enabling, so you don't turn on config nobody looked at.",
      attr: 'enabled',
    });
  });

  test('revisions: recorded only for live content changes, the first also snapshots the content before; detail has no secret values', async () => {
    const before = obj((await api().get(fnPath(WEBHOOK))).json);
    const v0 = before.version as number;
    await api().patch(fnPath(WEBHOOK), { name: 'renamed' });
    assert.equal(arr(obj((await api().get(fnPath(WEBHOOK, 'revisions/'))).json).results).length, 0);
    await api().patch(fnPath(WEBHOOK), { hog: "print('one')" });
    await api().patch(fnPath(WEBHOOK), { hog: "print('two')" });
    const list = obj((await api().get(fnPath(WEBHOOK, 'revisions/'))).json);
    const items = arr(list.results).map(obj);
    assert.deepEqual(
      items.map((r) => r.version),
      [v0 + 2, v0 + 1, v0],
    );
    assert.deepEqual(Object.keys(items[0] ?? {}).sort(), ['created_at', 'created_by', 'version']);
    assert.equal(items[2]?.created_by, null);
    assert.equal(obj(items[0]?.created_by).email, 'max@hogflix.com');
    const first = obj((await api().get(fnPath(WEBHOOK, `revisions/${v0}/`))).json);
    assert.equal(obj(first.content).hog, before.hog);
    assert.equal(Object.hasOwn(obj(obj(first.content).inputs), 'headers'), false);
    const missing = await api().get(fnPath(WEBHOOK, 'revisions/99/'));
    assert.equal(missing.status, 404);
    assert.equal(obj(missing.json).detail, 'No such revision for this function.');
  });

  test('restore stages a revision as the draft (409 draft_exists over an open draft unless overwrite), then publish', async () => {
    const live = obj((await api().get(fnPath(WEBHOOK))).json);
    const original = str(live.hog);
    const v0 = live.version as number;
    await api().patch(fnPath(WEBHOOK), { hog: "print('changed')" });
    const restored = obj((await api().post(fnPath(WEBHOOK, `revisions/${v0}/restore/`), {})).json);
    assert.equal(restored.hog, "print('changed')");
    assert.equal(obj(restored.draft).hog, original);
    const again = await api().post(fnPath(WEBHOOK, `revisions/${v0 + 1}/restore/`), {});
    assert.equal(again.status, 409);
    assert.equal(obj(again.json).code, 'draft_exists');
    assert.equal((await api().post(fnPath(WEBHOOK, `revisions/${v0}/restore/`), { overwrite: true })).status, 200);
    const preview = obj((await api().post(fnPath(WEBHOOK, 'publish/'), {})).json);
    assert.deepEqual(preview.changed_fields, ['hog']);
    const done = obj((await api().post(fnPath(WEBHOOK, 'publish/'), { confirm: true, confirm_token: preview.confirm_token })).json);
    assert.equal(obj(done.function).hog, original);
    assert.equal(obj(done.function).version, v0 + 2);
  });
});
