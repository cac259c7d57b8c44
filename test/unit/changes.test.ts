/**
 * Drafts and revisions through the extension's API layer and DraftService (src/api/changes.ts,
 * src/services/drafts.ts) against the stand-in over real loopback HTTP: the shapes parse, the typed
 * refusals are recognised, and every write hands PostHog's answer to the store.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { changesApi, isConfirmTokenRefused, isDraftExists, noDraftsSupport, parseDraft } from '../../src/api/changes';
import { PostHogClient } from '../../src/api/client';
import type { HogFunction } from '../../src/api/schemas';
import { DraftService } from '../../src/services/drafts';
import { DEMO_IDS, DEMO_KEYS } from '../standin/data';
import { startStandIn, type StandIn } from '../standin/server';

describe('drafts and revisions: API layer and DraftService', () => {
  let standIn: StandIn;
  let client: PostHogClient;
  const env = { host: '', projectId: 1, name: 'Hogflix Production' };
  const id = DEMO_IDS.webhookDestination;
  const puts: HogFunction[] = [];
  const service = (): DraftService =>
    new DraftService(
      { get: () => client },
      {
        put: (_e, fn) => {
          puts.push(fn);
        },
        fetch: (_e, fnId) => client.getHogFunction(1, fnId),
      },
      { info: () => undefined },
    );

  before(async () => {
    standIn = await startStandIn();
    env.host = standIn.url;
    client = new PostHogClient({ host: standIn.url, apiKey: () => DEMO_KEYS.fullAccess, userAgent: 'test', maxRetries: () => 0 });
  });
  after(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    standIn.reset();
    puts.length = 0;
  });

  async function stage(hog: string): Promise<void> {
    const res = await fetch(`${standIn.url}/api/environments/1/hog_functions/${id}/`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${DEMO_KEYS.fullAccess}`, 'content-type': 'application/json', 'x-posthog-client': 'mcp' },
      body: JSON.stringify({ hog }),
    });
    assert.equal(res.status, 200);
  }

  test('the draft parses from the full function; preview → publish with the token updates the store', async () => {
    await stage("print('staged')");
    const fn = await client.getHogFunction(1, id);
    assert.equal(parseDraft(fn)?.hog, "print('staged')");
    assert.ok(fn.draft_updated_at);
    const s = service();
    const preview = await s.preview(env, id);
    assert.deepEqual(preview.changed_fields, ['hog']);
    assert.equal(preview.published, false);
    const published = await s.publish(env, id, preview.confirm_token ?? '');
    assert.equal(published.hog, "print('staged')");
    assert.equal(parseDraft(published), undefined);
    assert.deepEqual(
      puts.map((p) => p.hog),
      ["print('staged')"],
    );
  });

  test('a refused token and an open draft are recognised; discard clears the draft', async () => {
    await stage("print('a')");
    const refused = await changesApi.publishDraft(client, 1, id, 'not-a-token').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isConfirmTokenRefused(refused));
    const s = service();
    const revisions = await s.revisions(env, id, 0);
    assert.equal(revisions.items.length, 0, 'nothing went live yet');
    await client.updateHogFunction(1, id, { hog: "print('live')" });
    const page = await s.revisions(env, id, 0);
    assert.equal(page.items.length, 2);
    const conflict = await s.restore(env, id, page.items[1]?.version ?? 0, false).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isDraftExists(conflict), 'a restore over the open draft is a draft_exists 409');
    const restored = await s.restore(env, id, page.items[1]?.version ?? 0, true);
    assert.notEqual(parseDraft(restored)?.hog, "print('a')");
    const discarded = await s.discard(env, id);
    assert.equal(parseDraft(discarded), undefined);
    assert.equal(puts.length, 2);
  });

  test('revision detail carries the content; an unknown version is not mistaken for a server without drafts', async () => {
    await client.updateHogFunction(1, id, { hog: "print('one')" });
    const s = service();
    const [newest] = (await s.revisions(env, id, 0)).items;
    assert.ok(newest);
    const detail = await s.revision(env, id, newest.version);
    assert.equal(detail.content?.hog, "print('one')");
    const missing = await s.revision(env, id, 999).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.equal(noDraftsSupport(missing), false);
    assert.match(String(missing), /No such revision/);
    const gone = await s.revisions(env, 'no-such-function', 0).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.match(String(gone), /the function was deleted, or this PostHog version has no drafts and revisions/);
  });
});
