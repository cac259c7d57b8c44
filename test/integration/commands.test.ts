// Commands of issue 5, run inside the real extension host against the PostHog stand-in.
//
// The interactive shells (QuickPicks, modal confirmations) are driven through the real UI in
// test/e2e/journeys/commands*.journey.mjs; here each command's non-interactive core is called with the
// extension's own services (from its activate() exports), and every test asserts the exact requests the
// stand-in received (its control API: /__standin/requests, /faults, /config, /reset).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyGroupPropertyDelete } from '../../src/commands/deleteGroupProperty';
import { restoreFunction, softDeleteFunction } from '../../src/commands/deleteFunction';
import { applyEnableBackfills } from '../../src/commands/enableBackfills';
import { blankCode, createBody, createFunction } from '../../src/commands/newHogFunction';
import { applyRename } from '../../src/commands/renameFunction';
import { relatedItems } from '../../src/commands/showRelated';
import { functionTabs } from '../../src/commands/support';
import { setFunctionEnabled } from '../../src/commands/toggleFunction';
import { applyGroupPropertyUpdate, editableText, NULL_REFUSED, parsePropertyValue, suggestedValue } from '../../src/commands/updateGroupProperty';
import type { HogFunctionSummary } from '../../src/api/schemas';
import type { ExtensionApi } from '../../src/extension';
import { functionUri, groupUri } from '../../src/fs/uri';
import type { Environment } from '../../src/model/environment';
import { CREATABLE_TYPES } from '../../src/model/hogFunctionTypes';
import { functionContextValue, functionDescription } from '../../src/model/treeModel';
import type { Services } from '../../src/commands/services';
import { DEMO_IDS } from '../standin/ids';
import { control, EXTENSION_ID, lastSeq as mark, requestsSince, type RecordedRequest as Recorded } from './helpers';

const PROJECT = 1;
const FN_PATH = (id: string): string => `/api/environments/${PROJECT}/hog_functions/${id}/`;
const GROUPS_PATH = (action: string): string => `/api/environments/${PROJECT}/groups/${action}/`;

/**
 * Requests since `seq` for one hog function. Other functions' documents (still known to VS Code after
 * earlier tests closed them) may be re-read in the background when the store forgets them: not ours. Nor
 * is the status bar's metrics read, 1 s after a function's document shows.
 */
async function requestsFor(seq: number, id: string): Promise<Recorded[]> {
  return (await requestsSince(seq)).filter((r) => r.path.startsWith(FN_PATH(id)) && !r.path.endsWith('/metrics/'));
}

/** A hover's text (VS Code gives MarkdownStrings; the old MarkedString shapes are read the same way). */
function hoverText(c: unknown): string {
  if (typeof c === 'string') return c;
  const value = (c as { value?: unknown } | null)?.value;
  return typeof value === 'string' ? value : '';
}

async function writesSince(seq: number): Promise<Recorded[]> {
  return (await requestsSince(seq)).filter((r) => r.method !== 'GET');
}

const brief = (r: Recorded): string => `${r.method} ${r.path} → ${r.status ?? 'dropped'}`;

async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reverts every dirty editor and closes all editors (no save prompts between tests). */
async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty) continue;
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

function openTabPaths(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).flatMap((t) => (t.input instanceof vscode.TabInputText ? [t.input.uri.path] : []));
}

suite('commands (issue 5)', () => {
  let s: Services;
  let env: Environment;
  /** Functions created by these tests (forgotten with the seeded ones after each reset). */
  const created: string[] = [];

  /**
   * The stand-in's reset re-seeds older timestamps than the writes the extension just saw, and the
   * store never lets an older version replace a newer one: forget every function so the next reads
   * (here and in the suites that follow) match the stand-in again.
   */
  async function resetStandIn(): Promise<void> {
    await control('POST', '/__standin/reset', {});
    for (const id of [...Object.values(DEMO_IDS), ...created.splice(0)]) s.store.remove(env, id);
    s.store.invalidate();
    s.groups.invalidate();
  }

  suiteSetup(async () => {
    // VS Code for the web (code-server) auto-saves after a delay by default; these tests keep dirty editors on purpose.
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
    s = (await ext.activate()).services;
    await s.registry.ensureEnvDiscovered();
    const found = s.registry.list().find((e) => e.projectId === PROJECT);
    assert.ok(found, `project ${PROJECT} discovered from POSTHOG_PERSONAL_API_KEY (got ${JSON.stringify(s.registry.list())})`);
    env = found;
  });

  setup(async () => {
    await closeAllEditors();
    await resetStandIn();
  });

  suiteTeardown(async () => {
    await closeAllEditors();
    await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    await resetStandIn();
  });

  async function summary(id: string): Promise<HogFunctionSummary> {
    const items = await s.store.load(env, true);
    const fn = items.find((f) => f.id === id);
    assert.ok(fn, `function ${id} is listed`);
    return fn;
  }

  // ── health next to the code (issue 17) ──────────────────────────────────────────────────────

  test("hovering a function's first line: its health, the last 24 h and the last hour from one metrics request, and a link to its logs", async () => {
    const fn = await summary(DEMO_IDS.degradedDestination);
    const since = await mark();
    const doc = await vscode.workspace.openTextDocument(functionUri(env, fn, 'code'));
    await vscode.window.showTextDocument(doc);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 1));
    const text = hovers.flatMap((h) => h.contents.map(hoverText)).join('\n');
    assert.match(text, /\*\*Ads conversions\*\* in PostHog: enabled · degraded/);
    assert.match(text, /Last 24 h: succeeded [\d,]+( \([^)]*\))? · failed [\d,]+/);
    assert.match(text, /Last hour: [\d,]+ failed/);
    assert.match(text, /\[Show logs\]\(command:posthogHog\.showFunctionLogs\?/);
    const metricsRequests = (await requestsSince(since)).filter((r) => r.path.endsWith('/metrics/'));
    assert.equal(metricsRequests.length, 1, 'one metrics request (the status bar and the hover share it)');
    const again = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 2));
    assert.ok(again.length > 0);
    assert.equal((await requestsSince(since)).filter((r) => r.path.endsWith('/metrics/')).length, 1, 'cached: no second request');
    const below = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 1));
    assert.ok(!below.some((h) => h.contents.some((c) => hoverText(c).includes('Last 24 h'))), 'only on the first line');
  });

  // ── enable backfills ────────────────────────────────────────────────────────────────────────

  suite('enable backfills', () => {
    test('success: POST enable_backfills, then the function is re-fetched and is no longer backfillable', async () => {
      await control('PATCH', '/__standin/config', { backfillsRequireSession: false });
      const fn = await summary(DEMO_IDS.webhookDestination);
      assert.match(functionContextValue(fn), /:backfillable$/);
      const since = await mark();
      const outcome = await applyEnableBackfills(s, env, fn);
      assert.ok(outcome.kind === 'enabled', `enabled (got ${outcome.kind})`);
      assert.match(outcome.batchExportId, /^[0-9a-f-]{36}$/);
      const reqs = await requestsFor(since, fn.id);
      assert.deepEqual(
        reqs.map((r) => ({ method: r.method, path: r.path, status: r.status })),
        [
          { method: 'POST', path: `${FN_PATH(fn.id)}enable_backfills/`, status: 200 },
          { method: 'GET', path: FN_PATH(fn.id), status: 200 },
        ],
      );
      assert.deepEqual(reqs[0]?.body, {});
      assert.equal(outcome.fn?.batch_export_id, outcome.batchExportId);
      const now = s.store.summary(env, fn.id);
      assert.ok(now);
      assert.doesNotMatch(functionContextValue(now), /backfillable/, 'the node loses :backfillable');
    });

    test('400 "already enabled" is reported with PostHog\'s text verbatim', async () => {
      await control('PATCH', '/__standin/config', { backfillsRequireSession: false });
      const fn = await summary(DEMO_IDS.backfillsEnabledDestination);
      const since = await mark();
      await assert.rejects(applyEnableBackfills(s, env, fn), {
        message: 'Could not enable backfills for "Warehouse relay (backfills on)": Backfills already enabled for this function.',
      });
      assert.deepEqual((await requestsFor(since, fn.id)).map(brief), [`POST ${FN_PATH(fn.id)}enable_backfills/ → 400`]);
    });

    test('F16: the command does not ask PostHog again when backfills are already on', async () => {
      const fn = await summary(DEMO_IDS.backfillsEnabledDestination);
      const since = await mark();
      // A tree node of the function (list items do not say whether backfills are on; the function does).
      await vscode.commands.executeCommand('posthogHog.enableBackfills', { kind: 'function', id: `test/${fn.id}`, env, fn });
      const reqs = (await requestsFor(since, fn.id)).map(brief);
      assert.deepEqual(
        reqs.filter((r) => !r.startsWith('GET ')),
        [],
        'no POST enable_backfills',
      );
      assert.ok(
        reqs.some((r) => r.startsWith(`GET ${FN_PATH(fn.id)} `)),
        'the function was read',
      );
    });

    test('400 "event-sourced" and 403 feature flag texts are verbatim too', async () => {
      await control('PATCH', '/__standin/config', { backfillsRequireSession: false });
      const hubspot = await summary(DEMO_IDS.hubspotDestination);
      await assert.rejects(applyEnableBackfills(s, env, hubspot), {
        message: 'Could not enable backfills for "HubSpot: sync persons": Backfills are only supported for event-sourced destinations.',
      });
      await control('PATCH', '/__standin/config', { backfillsFeatureFlag: false });
      const webhook = await summary(DEMO_IDS.webhookDestination);
      const since = await mark();
      await assert.rejects(applyEnableBackfills(s, env, webhook), {
        message: 'Could not enable backfills for "Orders API webhook": Backfilling Workflows is not enabled for this team.',
      });
      assert.deepEqual((await requestsFor(since, webhook.id)).map(brief), [`POST ${FN_PATH(webhook.id)}enable_backfills/ → 403`]);
    });

    test('403 "does not support Personal API Key access" → the session-required outcome, nothing else requested', async () => {
      const fn = await summary(DEMO_IDS.webhookDestination);
      const since = await mark();
      const outcome = await applyEnableBackfills(s, env, fn);
      assert.deepEqual(outcome, { kind: 'sessionRequired' });
      assert.deepEqual((await requestsFor(since, fn.id)).map(brief), [`POST ${FN_PATH(fn.id)}enable_backfills/ → 403`]);
    });
  });

  // ── group properties ────────────────────────────────────────────────────────────────────────

  suite('group properties', () => {
    const company = { group_type_index: 0, group_key: 'acme-labs' };

    test('typed values (F13): JSON when valid JSON, else plain strings; null refused; big numbers keep their digits; old values prefill exactly', () => {
      assert.deepEqual(parsePropertyValue('1234'), { ok: true, value: 1234 });
      assert.deepEqual(parsePropertyValue('true'), { ok: true, value: true });
      assert.deepEqual(parsePropertyValue('{"tier": 2, "tags": ["a"]}'), { ok: true, value: { tier: 2, tags: ['a'] } });
      assert.deepEqual(parsePropertyValue('[1, 2]'), { ok: true, value: [1, 2] });
      assert.deepEqual(parsePropertyValue('"42"'), { ok: true, value: '42' });
      assert.deepEqual(parsePropertyValue('scale'), { ok: true, value: 'scale' });
      assert.deepEqual(parsePropertyValue('{not json'), { ok: true, value: '{not json' });
      assert.deepEqual(parsePropertyValue(''), { ok: true, value: '' });
      assert.deepEqual(parsePropertyValue('null'), { ok: false, reason: NULL_REFUSED });
      // F13: a number a double cannot hold keeps its digits; one beyond any number is refused.
      const big = parsePropertyValue('12345678901234567890');
      assert.ok(big.ok && editableText(big.value) === '12345678901234567890', 'big integers keep every digit');
      const huge = parsePropertyValue('1e400');
      assert.ok(!huge.ok);
      assert.match(huge.reason, /beyond what a number can hold/);
      for (const v of ['scale', '42', 'true', 42, false, { a: 1 }, ['x'], '']) {
        assert.deepEqual(parsePropertyValue(editableText(v)), { ok: true, value: v }, `round trip of ${JSON.stringify(v)}`);
      }
      // PostHog returns property values as text: numbers come back as numbers unless the property is a string.
      assert.equal(suggestedValue('5000', 12), 5000);
      assert.equal(suggestedValue('5000', 'x'), '5000');
      assert.equal(suggestedValue('scale', undefined), 'scale');
      assert.equal(suggestedValue('null', undefined), undefined);
    });

    test('update with a JSON value and with a string value: exact update_property requests; tree and open document follow', async () => {
      await s.groups.ensureFirstPage(env, 0);
      const editor = await openEditor(groupUri(env, company.group_type_index, company.group_key));
      const since = await mark();
      const g1 = await applyGroupPropertyUpdate(s, env, company, 'employees', 1234);
      const g2 = await applyGroupPropertyUpdate(s, env, company, 'segment', 'enterprise-plus');
      const typed = parsePropertyValue('{"seats": 50, "sso": true}');
      assert.ok(typed.ok);
      const g3 = await applyGroupPropertyUpdate(s, env, company, 'limits', typed.value);
      const writes = await writesSince(since);
      assert.deepEqual(
        writes.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body, status: r.status })),
        [
          { method: 'POST', path: GROUPS_PATH('update_property'), query: { group_type_index: '0', group_key: 'acme-labs' }, body: { key: 'employees', value: 1234 }, status: 200 },
          {
            method: 'POST',
            path: GROUPS_PATH('update_property'),
            query: { group_type_index: '0', group_key: 'acme-labs' },
            body: { key: 'segment', value: 'enterprise-plus' },
            status: 200,
          },
          {
            method: 'POST',
            path: GROUPS_PATH('update_property'),
            query: { group_type_index: '0', group_key: 'acme-labs' },
            body: { key: 'limits', value: { seats: 50, sso: true } },
            status: 200,
          },
        ],
      );
      assert.equal(g1.group_properties.employees, 1234);
      assert.equal(g2.group_properties.segment, 'enterprise-plus');
      assert.deepEqual(g3.group_properties.limits, { seats: 50, sso: true });
      const listed = s.groups.state(env, 0).groups.find((g) => g.group_key === 'acme-labs');
      assert.deepEqual(listed?.group_properties.limits, { seats: 50, sso: true }, "the tree's group list has the new values");
      await waitFor(
        () => editor.document.getText().includes('"enterprise-plus"') && editor.document.getText().includes('"sso": true'),
        'the open group document to show the new values',
      );
      assert.equal(editor.document.isDirty, false);
    });

    test('E6: update_property whose $groupidentify capture failed (PostHog saved it) is reported as saved', async () => {
      await control('POST', 'faults', {
        method: 'POST',
        path: 'update_property',
        kind: 'status',
        status: 502,
        afterApply: true,
        body: { type: 'server_error', code: 'Failed to submit group property update event.', detail: 'capture_http_error', attr: null },
      });
      const since = await mark();
      const g = await applyGroupPropertyUpdate(s, env, company, 'e6_check', 'saved anyway');
      assert.equal(g.group_properties.e6_check, 'saved anyway');
      const reqs = (await requestsSince(since)).filter((r) => r.path.includes('/groups/')).map((r) => `${r.method} ${r.path.split('/').at(-2) ?? ''} → ${r.status ?? 'dropped'}`);
      assert.deepEqual(
        reqs.filter((r) => r.startsWith('POST')),
        ['POST update_property → 502'],
        'one write',
      );
      assert.ok(reqs.lastIndexOf('GET find → 200') > reqs.indexOf('POST update_property → 502'), 'then a read to confirm');
    });

    test('C4: delete_property applied but answered with a 503, retried → "does not exist" reads as done', async () => {
      await applyGroupPropertyUpdate(s, env, company, 'c4_check', 'to delete');
      await control('POST', 'faults', {
        method: 'POST',
        path: 'delete_property',
        kind: 'status',
        status: 503,
        afterApply: true,
        body: { type: 'server_error', code: 'database_unavailable', detail: 'Database unavailable.', attr: null },
      });
      const since = await mark();
      const g = await applyGroupPropertyDelete(s, env, company, 'c4_check');
      assert.equal(Object.hasOwn(g.group_properties, 'c4_check'), false);
      const reqs = (await requestsSince(since)).filter((r) => r.path.includes('/groups/')).map((r) => `${r.method} ${r.path.split('/').at(-2) ?? ''} → ${r.status ?? 'dropped'}`);
      // (An open document of the group may re-read it at any time: only the order of these matters.)
      const posts = reqs.filter((r) => r.startsWith('POST'));
      assert.deepEqual(posts, ['POST delete_property → 503', 'POST delete_property → 400']);
      assert.ok(reqs.lastIndexOf('GET find → 200') > reqs.lastIndexOf('POST delete_property → 400'), 'a read confirmed it');
    });

    test('null is refused before anything is sent', async () => {
      const since = await mark();
      await assert.rejects(applyGroupPropertyUpdate(s, env, company, 'plan', null), { message: NULL_REFUSED });
      await assert.rejects(applyGroupPropertyUpdate(s, env, company, ' ', 'x'), { message: 'A property key cannot be empty.' });
      assert.deepEqual(
        (await requestsSince(since)).filter((r) => r.path.includes('/groups/')),
        [],
      );
    });

    test('delete: POST delete_property with {"$unset": key}; the open document follows', async () => {
      const editor = await openEditor(groupUri(env, company.group_type_index, company.group_key));
      assert.match(editor.document.getText(), /"country":/);
      const since = await mark();
      const g = await applyGroupPropertyDelete(s, env, company, 'country');
      const writes = await writesSince(since);
      assert.deepEqual(
        writes.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body, status: r.status })),
        [{ method: 'POST', path: GROUPS_PATH('delete_property'), query: { group_type_index: '0', group_key: 'acme-labs' }, body: { $unset: 'country' }, status: 200 }],
      );
      assert.equal('country' in g.group_properties, false);
      await waitFor(() => !editor.document.getText().includes('"country":'), 'the open group document to lose "country"');
    });

    test('group document save with a midway failure: only the applied calls reached PostHog, the document stays dirty, the retry sends the rest', async () => {
      const uri = groupUri(env, 0, 'globex-labs');
      const editor = await openEditor(uri);
      const doc = editor.document;
      const before = JSON.parse(doc.getText()) as Record<string, unknown>;
      assert.ok('plan' in before && 'country' in before, `seeded group has plan and country: ${doc.getText()}`);
      const after: Record<string, unknown> = { ...before, plan: 'enterprise-plus', tier: 3 };
      delete after.country;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), `${JSON.stringify(after, null, 2)}\n`);
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.equal(doc.isDirty, true);
      // The first update_property passes (a 1 ms latency fault consumes the first match), the second gets a 500.
      await control('POST', '/__standin/faults', { method: 'POST', path: 'update_property', kind: 'latency', delayMs: 1 });
      await control('POST', '/__standin/faults', { method: 'POST', path: 'update_property', kind: 'status', status: 500 });
      const since = await mark();
      const saved = await Promise.resolve(doc.save()).then(
        (ok) => ok,
        () => false,
      );
      assert.equal(saved, false, 'the save failed');
      const writes = await writesSince(since);
      assert.deepEqual(
        writes.map((r) => ({ path: r.path, body: r.body, status: r.status })),
        [
          { path: GROUPS_PATH('update_property'), body: { key: 'plan', value: 'enterprise-plus' }, status: 200 },
          { path: GROUPS_PATH('update_property'), body: { key: 'tier', value: 3 }, status: 500 },
        ],
        'PostHog got the applied call and the failed one; the delete was never sent',
      );
      assert.equal(doc.isDirty, true, 'the document stays dirty');
      assert.deepEqual(JSON.parse(doc.getText()), after, 'nothing typed is lost');
      const state = (await control('GET', '/__standin/state/groups/1/0/globex-labs')) as { group_properties: Record<string, unknown> };
      assert.equal(state.group_properties.plan, 'enterprise-plus');
      assert.equal('tier' in state.group_properties, false);
      assert.ok('country' in state.group_properties);

      const retry = await mark();
      assert.equal(await doc.save(), true, 'the second save succeeds');
      assert.deepEqual(
        (await writesSince(retry)).map((r) => ({ path: r.path, body: r.body, status: r.status })),
        [
          { path: GROUPS_PATH('update_property'), body: { key: 'tier', value: 3 }, status: 200 },
          { path: GROUPS_PATH('delete_property'), body: { $unset: 'country' }, status: 200 },
        ],
        'only what was not applied is sent again',
      );
      assert.equal(doc.isDirty, false);
    });

    test('show related: GET related, groups labelled by name with their type', async () => {
      const since = await mark();
      const items = await relatedItems(s, env, 0, 'acme-labs');
      const reqs = (await requestsSince(since)).filter((r) => r.path.endsWith('/related/'));
      assert.deepEqual(
        reqs.map((r) => ({ path: r.path, query: r.query, status: r.status })),
        [{ path: GROUPS_PATH('related'), query: { group_type_index: '0', id: 'acme-labs' }, status: 200 }],
      );
      assert.ok(items.length > 0, 'acme-labs has related teams and projects');
      for (const item of items) {
        assert.ok(item.open, `${item.label} is a group that can be opened`);
        assert.ok(['team', 'project'].includes(item.description ?? ''), `description is the group type name (${item.description})`);
      }
      const team = items.find((i) => i.description === 'team');
      assert.ok(team?.open);
      assert.match(team.label, /^Acme Labs /, 'labelled by the name property');
      const doc = await vscode.workspace.openTextDocument(groupUri(env, team.open.groupTypeIndex, team.open.groupKey));
      assert.match(doc.getText(), /"function":/);
    });
  });

  // ── hog function lifecycle ──────────────────────────────────────────────────────────────────

  suite('hog function lifecycle', () => {
    test('create blank: exact POST body (always disabled), shown in the store', async () => {
      await s.store.load(env);
      const since = await mark();
      const fn = await createFunction(s, env, { type: 'destination', name: 'Integration: blank destination' });
      created.push(fn.id);
      const writes = await writesSince(since);
      assert.deepEqual(
        writes.map((r) => ({ method: r.method, path: r.path, body: r.body, status: r.status })),
        [
          {
            method: 'POST',
            path: `/api/environments/${PROJECT}/hog_functions/`,
            body: { type: 'destination', name: 'Integration: blank destination', hog: blankCode('destination'), enabled: false },
            status: 201,
          },
        ],
      );
      assert.equal(fn.enabled, false);
      assert.equal(s.store.summary(env, fn.id)?.name, 'Integration: blank destination');
      const doc = await vscode.workspace.openTextDocument(functionUri(env, fn, 'code'));
      assert.equal(doc.getText().trimEnd(), blankCode('destination').trimEnd());
    });

    test('every creatable type has a blank program PostHog accepts', async () => {
      const since = await mark();
      for (const type of CREATABLE_TYPES) created.push((await createFunction(s, env, { type, name: `Blank ${type}` })).id);
      assert.deepEqual(
        (await writesSince(since)).map((r) => `${(r.body as { type: string }).type} → ${r.status}`),
        CREATABLE_TYPES.map((t) => `${t} → 201`),
      );
    });

    test('create from a template: template_id, defaults and the required inputs asked for; disabled', async () => {
      const templates = await s.clients.get(env.host).listTemplates(env.projectId, 'destination');
      const webhook = templates.find((t) => t.id === 'template-webhook');
      assert.ok(webhook, 'the stand-in serves template-webhook');
      const spec = { type: 'destination', name: 'Integration: from template', template: webhook, inputs: { url: 'https://example.com/hook' } };
      const since = await mark();
      const fn = await createFunction(s, env, spec);
      created.push(fn.id);
      const [post] = await writesSince(since);
      assert.ok(post, 'one POST');
      assert.deepEqual(post.body, createBody(spec));
      assert.deepEqual(post.body, {
        type: 'destination',
        name: 'Integration: from template',
        template_id: 'template-webhook',
        enabled: false,
        inputs: {
          url: { value: 'https://example.com/hook' },
          method: { value: 'POST' },
          body: { value: { event: '{event}', person: '{person}' } },
          headers: { value: { 'Content-Type': 'application/json' } },
          debug: { value: false },
        },
      });
      assert.equal(post.status, 201);
      assert.equal(fn.enabled, false);
      assert.equal(fn.template?.id ?? 'template-webhook', 'template-webhook');
    });

    test('enable then disable: PATCH {enabled} against the version known; the node follows', async () => {
      const fn = await summary(DEMO_IDS.disabledDestination);
      assert.equal(fn.enabled, false);
      const since = await mark();
      const enabled = await setFunctionEnabled(s, env, fn, true);
      assert.match(functionContextValue(s.store.summary(env, fn.id) ?? fn), /^hogFunction:destination:enabled/);
      await setFunctionEnabled(s, env, fn, false);
      assert.match(functionContextValue(s.store.summary(env, fn.id) ?? fn), /^hogFunction:destination:disabled/);
      // One conflict policy for every write (issue 13): each PATCH is conditional on the newest version known.
      assert.deepEqual(
        (await writesSince(since)).map((r) => ({ method: r.method, path: r.path, body: r.body, status: r.status })),
        [
          { method: 'PATCH', path: FN_PATH(fn.id), body: { enabled: true, base_updated_at: fn.updated_at }, status: 200 },
          { method: 'PATCH', path: FN_PATH(fn.id), body: { enabled: false, base_updated_at: enabled.updated_at }, status: 200 },
        ],
      );
    });

    test('F15: a function with a staged draft shows "draft" and is not enabled (PostHog would refuse)', async () => {
      const id = DEMO_IDS.disabledDestination;
      await control('POST', `hog_functions/${id}/remote_edit`, { draft_updated_at: '2026-12-01T09:00:00.000000Z' });
      try {
        s.store.invalidate(env);
        const fn = (await s.store.load(env)).find((f) => f.id === id);
        assert.ok(fn && !fn.enabled);
        assert.match(functionDescription(fn), /· draft$/);
        const since = await mark();
        await assert.rejects(setFunctionEnabled(s, env, fn, true), /has a staged draft/);
        assert.deepEqual(await requestsFor(since, id), [], 'nothing sent');
      } finally {
        await control('POST', `hog_functions/${id}/remote_edit`, { draft_updated_at: null });
        s.store.invalidate(env);
      }
    });

    test('C4: a soft delete applied but answered with a 504 is retried, and the 404 reads as deleted', async () => {
      const created = await createFunction(s, env, { type: 'destination', name: 'C4 delete probe' });
      await control('POST', 'faults', { method: 'PATCH', path: created.id, kind: 'status', status: 504, afterApply: true, body: '' });
      const since = await mark();
      await softDeleteFunction(s, env, created);
      assert.equal(s.store.summary(env, created.id), undefined, 'gone from the store and the tree');
      assert.deepEqual((await requestsFor(since, created.id)).map(brief), [`PATCH ${FN_PATH(created.id)} → 504`, `PATCH ${FN_PATH(created.id)} → 404`]);
    });

    test('soft delete closes clean editors, keeps dirty ones; Undo restores and reopens', async () => {
      const fn = await summary(DEMO_IDS.slackDestination);
      const code = functionUri(env, fn, 'code');
      const inputs = functionUri(env, fn, 'inputs');
      await openEditor(code);
      const inputsEditor = await openEditor(inputs);
      await inputsEditor.edit((b) => {
        b.insert(new vscode.Position(0, 0), ' ');
      });
      assert.equal(inputsEditor.document.isDirty, true);
      const since = await mark();
      const result = await softDeleteFunction(s, env, fn);
      assert.deepEqual(
        result.closed.map((c) => c.uri.path),
        [code.path],
      );
      assert.deepEqual(
        result.keptDirty.map((u) => u.path),
        [inputs.path],
      );
      assert.deepEqual(
        functionTabs(env, fn.id).map((t) => t.uri.path),
        [inputs.path],
        'only the dirty editor is still open',
      );
      assert.equal(s.store.summary(env, fn.id), undefined, 'gone from the store (and the tree)');
      await assert.rejects(s.clients.get(env.host).getHogFunction(env.projectId, fn.id), (e: Error) => e.message.includes('Not found'));

      await restoreFunction(s, env, fn.id, result.closed);
      assert.equal(s.store.summary(env, fn.id)?.name, 'Slack: new signups');
      assert.deepEqual(
        functionTabs(env, fn.id)
          .map((t) => t.uri.path)
          .sort(),
        [code.path, inputs.path].sort(),
        'Undo reopened the closed editor',
      );
      assert.deepEqual(
        (await writesSince(since)).map((r) => ({ method: r.method, path: r.path, body: r.body, status: r.status })),
        [
          { method: 'PATCH', path: FN_PATH(fn.id), body: { deleted: true }, status: 200 },
          { method: 'PATCH', path: FN_PATH(fn.id), body: { deleted: false }, status: 200 },
        ],
      );
    });

    test('rename: PATCH {name, base_updated_at}; the open code tab follows the new name, a dirty one keeps its title', async () => {
      const geoip = await summary(DEMO_IDS.geoipTransformation);
      const pii = await summary(DEMO_IDS.piiTransformation);
      await openEditor(functionUri(env, geoip, 'code'));
      const dirtyEditor = await openEditor(functionUri(env, pii, 'code'));
      await dirtyEditor.edit((b) => {
        b.insert(new vscode.Position(0, 0), '// draft\n');
      });
      const since = await mark();
      const renamed = await applyRename(s, env, geoip, 'GeoIP enrichment');
      assert.equal(renamed.fn.name, 'GeoIP enrichment');
      assert.deepEqual(
        renamed.moved.map((u) => u.path),
        [functionUri(env, geoip, 'code').path],
      );
      const paths = openTabPaths();
      assert.ok(paths.includes(functionUri(env, renamed.fn, 'code').path), `a tab shows the new name (${paths.join(', ')})`);
      assert.ok(!paths.includes(functionUri(env, geoip, 'code').path), 'the old tab is closed');

      const kept = await applyRename(s, env, pii, 'Hash PII');
      assert.deepEqual(
        kept.keptDirty.map((u) => u.path),
        [functionUri(env, pii, 'code').path],
      );
      assert.ok(openTabPaths().includes(functionUri(env, pii, 'code').path), 'the dirty tab keeps its old title');
      assert.equal(dirtyEditor.document.isDirty, true);

      assert.deepEqual(
        (await writesSince(since)).map((r) => ({ method: r.method, path: r.path, body: r.body, status: r.status })),
        [
          { method: 'PATCH', path: FN_PATH(geoip.id), body: { name: 'GeoIP enrichment', base_updated_at: geoip.updated_at }, status: 200 },
          { method: 'PATCH', path: FN_PATH(pii.id), body: { name: 'Hash PII', base_updated_at: pii.updated_at }, status: 200 },
        ],
      );
    });

    test('rename on a stale base: retried once when only other fields changed; refused when renamed remotely', async () => {
      const site = await summary(DEMO_IDS.siteApp);
      await control('POST', `/__standin/hog_functions/${site.id}/remote_edit`, { description: 'edited elsewhere' });
      let since = await mark();
      const renamed = await applyRename(s, env, site, 'Notification bar v2');
      assert.equal(renamed.fn.name, 'Notification bar v2');
      assert.deepEqual((await requestsFor(since, site.id)).map(brief), [`PATCH ${FN_PATH(site.id)} → 409`, `GET ${FN_PATH(site.id)} → 200`, `PATCH ${FN_PATH(site.id)} → 200`]);

      const webhook = await summary(DEMO_IDS.webhookDestination);
      await control('POST', `/__standin/hog_functions/${webhook.id}/remote_edit`, { name: 'Renamed elsewhere' });
      since = await mark();
      await assert.rejects(applyRename(s, env, webhook, 'Mine'), {
        message: '"Orders API webhook" was renamed in PostHog to "Renamed elsewhere" meanwhile; not renamed. Try again if you still want "Mine".',
      });
      assert.deepEqual((await requestsFor(since, webhook.id)).map(brief), [`PATCH ${FN_PATH(webhook.id)} → 409`, `GET ${FN_PATH(webhook.id)} → 200`]);
    });
  });
});
