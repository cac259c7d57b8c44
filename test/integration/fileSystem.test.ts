// The posthog: file system inside the real editor, against the stand-in (issue 4).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { functionUri, groupUri } from '../../src/fs/uri';
import { DEMO_IDS, DEMO_SECRETS } from '../standin/ids';
import {
  api,
  autoSaveOff,
  control,
  env,
  functionPath as fnPath,
  lastSeq,
  openFunctionDocument as open,
  replaceAll,
  requestsSince,
  requestsTo as only,
  save,
  saveReportingFailures,
  until,
} from './helpers';

suite('posthog: documents', () => {
  let restoreAutoSave: () => Promise<void>;
  suiteSetup(async () => {
    restoreAutoSave = await autoSaveOff();
    await control('PATCH', 'config', { backfillsRequireSession: true });
  });
  suiteTeardown(async () => {
    await restoreAutoSave();
  });
  teardown(async () => {
    await control('DELETE', 'faults');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('opening code costs one GET; language hog; content is the function hog', async () => {
    // A function no other suite opens, so its document is not already in memory.
    const since = await lastSeq();
    const editor = await open(DEMO_IDS.internalDestination, 'code');
    assert.equal(editor.document.languageId, 'hog');
    assert.match(editor.document.uri.path, /\/1\/hog_functions\/.+\/.+\.hog$/);
    const reqs = only(await requestsSince(since), 'GET', DEMO_IDS.internalDestination);
    assert.equal(reqs.length, 1, 'exactly one GET of the function');
    assert.ok(editor.document.getText().length > 0);
  });

  test('site apps open as TypeScript', async () => {
    const editor = await open(DEMO_IDS.siteApp, 'code');
    assert.equal(editor.document.languageId, 'typescript');
  });

  test('save sends exactly one PATCH with the new hog and base_updated_at', async () => {
    const editor = await open(DEMO_IDS.degradedDestination, 'code');
    const { services } = await api();
    const e = await env();
    const before = services.store.cachedFull(e, DEMO_IDS.degradedDestination);
    assert.ok(before);
    const statBefore = await vscode.workspace.fs.stat(editor.document.uri);
    const text = `${editor.document.getText().trimEnd()}\nprint('saved from the integration test')\n`;
    await replaceAll(editor, text);
    const since = await lastSeq();
    assert.equal(await save(editor.document), true);
    const reqs = await requestsSince(since);
    assert.equal(reqs.length, 1, `one request, got ${reqs.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    assert.equal(reqs[0]?.method, 'PATCH');
    const [patch] = reqs;
    assert.ok(patch);
    assert.deepEqual(patch.body, { hog: text, base_updated_at: before.updated_at });
    assert.equal(editor.document.isDirty, false);
    const statAfter = await vscode.workspace.fs.stat(editor.document.uri);
    assert.ok(statAfter.mtime >= statBefore.mtime);
  });

  test('inputs: secrets stay secret through a round trip', async () => {
    const editor = await open(DEMO_IDS.webhookDestination, 'inputs');
    const json = JSON.parse(editor.document.getText()) as Record<string, Record<string, unknown>>;
    assert.deepEqual(json.headers, { secret: true });
    assert.equal(editor.document.getText().includes('bytecode'), false);
    const url = json.url;
    assert.ok(url);
    url.value = 'https://example.com/hooks/orders-v2';
    await replaceAll(editor, JSON.stringify(json, null, 2));
    assert.equal(editor.document.isDirty, true, 'edited');
    const since = await lastSeq();
    assert.equal(await save(editor.document), true);
    const patch = only(await requestsSince(since), 'PATCH', DEMO_IDS.webhookDestination)[0];
    const sent = (patch?.body as { inputs: Record<string, unknown> }).inputs;
    assert.deepEqual(sent.headers, { secret: true });
    const stored = (await control('GET', `state/hog_functions/${DEMO_IDS.webhookDestination}`)) as {
      inputs: Record<string, { value?: unknown }>;
      encrypted_inputs?: Record<string, { value?: unknown }>;
    };
    const secret = stored.encrypted_inputs?.headers?.value ?? stored.inputs.headers?.value;
    assert.equal((secret as Record<string, unknown> | undefined)?.Authorization, DEMO_SECRETS.webhookAuthorization);
  });

  test('saving without a change deploys nothing: 0 requests, the document turns clean (code, inputs, group)', async () => {
    const e = await env();
    // The save's requests: the status bar's metrics read (1 s after a function's document shows) is not one.
    const saveRequests = async (since: number) => (await requestsSince(since)).filter((r) => !r.path.endsWith('/metrics/')).map((r) => `${r.method} ${r.path}`);
    for (const kind of ['code', 'inputs'] as const) {
      const editor = await open(DEMO_IDS.webhookDestination, kind);
      const original = editor.document.getText();
      // Ctrl+S on a clean document (VS Code still writes it)…
      let since = await lastSeq();
      await vscode.commands.executeCommand('workbench.action.files.save');
      assert.deepEqual(await saveRequests(since), [], `${kind}: Ctrl+S on a clean document`);
      // …and on a dirty one whose text is back to what was read (typed, then deleted by hand).
      const end = editor.document.positionAt(original.length);
      assert.ok(await editor.edit((b) => b.insert(end, ' ')));
      assert.ok(await editor.edit((b) => b.delete(new vscode.Range(end, editor.document.positionAt(original.length + 1)))));
      assert.equal(editor.document.isDirty, true);
      since = await lastSeq();
      assert.equal(await save(editor.document), true);
      assert.deepEqual(await saveRequests(since), [], `${kind}: unchanged text`);
      assert.equal(editor.document.isDirty, false);
      assert.equal(editor.document.getText(), original);
    }
    const doc = await vscode.workspace.openTextDocument(groupUri(e, 0, 'globex-labs'));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const original = doc.getText();
    // Same properties, other formatting: still nothing to send.
    await replaceAll(editor, JSON.stringify(JSON.parse(original) as unknown));
    const since = await lastSeq();
    assert.equal(await save(doc), true);
    assert.deepEqual(await saveRequests(since), [], 'group: same properties');
    assert.equal(doc.isDirty, false);
  });

  test('invalid inputs JSON: save refused, diagnostic shown, text intact, nothing sent', async () => {
    const editor = await open(DEMO_IDS.webhookDestination, 'inputs');
    const broken = editor.document.getText().replace('"url"', '"url",,');
    await replaceAll(editor, broken);
    const since = await lastSeq();
    assert.equal(await save(editor.document), false);
    assert.equal(editor.document.isDirty, true);
    assert.equal(editor.document.getText(), broken);
    assert.equal(only(await requestsSince(since), 'PATCH', DEMO_IDS.webhookDestination).length, 0);
    // Ours, among whatever VS Code's own JSON validation reports ("Colon expected").
    const ours = await until(
      [vscode.languages.onDidChangeDiagnostics],
      () => vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.message.includes('Invalid JSON')),
      'our Invalid JSON diagnostic',
    );
    assert.match(ours.message, /Invalid JSON/);
  });

  test('server 400 on hog: save refused with the verbatim detail as a diagnostic', async () => {
    const editor = await open(DEMO_IDS.slackDestination, 'code');
    await replaceAll(editor, 'let x = 1\n');
    assert.equal(await save(editor.document), false);
    assert.equal(editor.document.isDirty, true);
    const diags = await until(
      [vscode.languages.onDidChangeDiagnostics],
      () => vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.source === 'PostHog'),
      'server diagnostic',
    );
    assert.match(diags.message, /Hog code has errors\./);
  });

  test('F17: a server error about an input the document does not contain names that input', async () => {
    const editor = await open(DEMO_IDS.webhookDestination, 'inputs');
    await replaceAll(editor, editor.document.getText().replace('"POST"', '"PUT"'));
    await control('POST', 'faults', {
      method: 'PATCH',
      path: DEMO_IDS.webhookDestination,
      kind: 'status',
      status: 400,
      body: { type: 'validation_error', code: 'required', detail: 'This field is required.', attr: 'inputs__api_region' },
    });
    const { saved, failures } = await saveReportingFailures(editor.document);
    assert.equal(saved, false);
    const [failure] = failures;
    assert.ok(failure);
    assert.equal(failure.kind, 'rejected');
    assert.equal(failure.problems[0]?.message, 'Input "api_region": This field is required.');
  });

  test('E5: saving a function deleted in PostHog says so, not "could not open"; opening one never says "your edit is kept"', async () => {
    const { services } = await api();
    const e = await env();
    const created = await services.store.create(e, { type: 'destination', name: 'E5 probe', hog: "print('e5')", enabled: false });
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(functionUri(e, created, 'code')), { preview: false });
    await replaceAll(editor, "print('e5 edited')\n");
    await control('POST', `hog_functions/${created.id}/remote_edit`, { deleted: true });
    const { saved, failures } = await saveReportingFailures(editor.document);
    assert.equal(saved, false);
    const [failure] = failures;
    assert.ok(failure);
    assert.equal(failure.kind, 'notFound');
    assert.match(failure.message, /no longer exists in PostHog.*Your text is kept/);
    assert.equal(editor.document.isDirty, true);
    // Bring it back so the teardown can revert the editor (VS Code cannot revert a file that is gone).
    await control('POST', `hog_functions/${created.id}/remote_edit`, { deleted: false });
    // Opening a function that does not exist: an open failure, worded as one.
    const missing = functionUri(e, { id: '0199a7c1-0000-7000-8000-00000000ffff', name: 'gone', type: 'destination' }, 'code');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(missing)), (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      assert.doesNotMatch(message, /edit is kept|save again/i);
      assert.match(message, /Could not open/);
      return true;
    });
  });

  test('network failure: save fails, edit kept', async () => {
    const editor = await open(DEMO_IDS.slackDestination, 'code');
    await replaceAll(editor, "print('offline edit')\n");
    // Every attempt fails (a conditional PATCH is retried after a dropped connection).
    await control('POST', 'faults', { method: 'PATCH', path: DEMO_IDS.slackDestination, kind: 'drop', times: -1 });
    assert.equal(await save(editor.document), false);
    assert.equal(editor.document.isDirty, true);
    assert.equal(editor.document.getText(), "print('offline edit')\n");
  });

  test('stale save: a real conflict fails and keeps the edit; Overwrite is conditional on the version shown (A1)', async () => {
    const { services } = await api();
    const editor = await open(DEMO_IDS.piiTransformation, 'code');
    await control('POST', `hog_functions/${DEMO_IDS.piiTransformation}/remote_edit`, { hog: '// edited in the web app\nreturn event\n' });
    await replaceAll(editor, '// my edit\nreturn event\n');
    const since = await lastSeq();
    const { saved, failures } = await saveReportingFailures(editor.document);
    assert.equal(saved, false, 'conflicting save must fail');
    const conflict = failures.find((f) => f.kind === 'conflict');
    assert.ok(conflict, 'a conflict was reported');
    assert.ok(conflict.remoteText?.includes('edited in the web app'), 'the conflict carries the remote text');
    assert.equal(editor.document.isDirty, true);
    const patches = only(await requestsSince(since), 'PATCH', DEMO_IDS.piiTransformation);
    assert.equal(patches.length, 1);
    assert.ok((patches[0]?.body as Record<string, unknown>).base_updated_at, 'sent with base_updated_at');
    assert.equal(patches[0]?.status, 409);
    assert.equal((await services.fs.remoteText(editor.document.uri)).includes('edited in the web app'), true);

    // Someone changes it once more before the user clicks Overwrite: a new conflict, nothing replaced.
    await control('POST', `hog_functions/${DEMO_IDS.piiTransformation}/remote_edit`, { hog: '// a third change\nreturn event\n' });
    const since2 = await lastSeq();
    const again = await services.fs.overwrite(editor.document.uri, editor.document.getText(), conflict);
    assert.equal(again?.kind, 'conflict', 'a change after the compared version is a new conflict');
    assert.ok(again.remoteText?.includes('a third change'));
    const refused = only(await requestsSince(since2), 'PATCH', DEMO_IDS.piiTransformation);
    assert.deepEqual(
      refused.map((r) => r.status),
      [409],
    );
    assert.ok((await services.fs.remoteText(editor.document.uri)).includes('a third change'), 'the third change is still in PostHog');

    // Overwrite of the version now shown: one conditional PATCH that succeeds.
    const since3 = await lastSeq();
    assert.equal(await services.fs.overwrite(editor.document.uri, editor.document.getText(), again), undefined);
    const overwrite = only(await requestsSince(since3), 'PATCH', DEMO_IDS.piiTransformation);
    assert.deepEqual(
      overwrite.map((r) => r.status),
      [200],
    );
    const body = overwrite[0]?.body as Record<string, unknown>;
    assert.equal(body.hog, '// my edit\nreturn event\n');
    assert.equal(typeof body.base_updated_at, 'string', 'Overwrite is a conditional write');
  });

  test('409 whose remote field is unchanged (another field was edited) is retried silently', async () => {
    const editor = await open(DEMO_IDS.geoipTransformation, 'code');
    await control('POST', `hog_functions/${DEMO_IDS.geoipTransformation}/remote_edit`, { name: 'GeoIP (renamed in the web app)' });
    await replaceAll(editor, `${editor.document.getText().trimEnd()}\n// tweak\n`);
    const since = await lastSeq();
    assert.equal(await save(editor.document), true);
    const patches = only(await requestsSince(since), 'PATCH', DEMO_IDS.geoipTransformation);
    assert.deepEqual(
      patches.map((p) => p.status),
      [409, 200],
    );
  });

  test('E2: no conflict after your own saves although PostHog stores JSON in jsonb key order', async () => {
    const { services } = await api();
    const inputs = await open(DEMO_IDS.piiTransformation, 'inputs');
    const set = async (value: string): Promise<void> => {
      const text = inputs.document.getText().replace(/"propertiesToHash": \{\s*"value": [\s\S]*?\n {2}\}/, `"propertiesToHash": {\n    "value": ${value}\n  }`);
      assert.notEqual(text, inputs.document.getText(), 'the input was found');
      await replaceAll(inputs, text);
    };
    await set('{ "zz": ["$email"], "a": ["$ip"] }');
    assert.equal(await save(inputs.document), true, 'first inputs save');
    // Another edit of the inputs stays unsaved while the code is saved (updated_at moves on).
    await set('{ "zz": ["$email", "$phone"], "a": ["$ip"] }');
    const code = await open(DEMO_IDS.piiTransformation, 'code');
    await replaceAll(code, `${code.document.getText().trimEnd()}\n// reviewed\n`);
    assert.equal(await save(code.document), true, 'code save');
    const remote = (await control('GET', `state/hog_functions/${DEMO_IDS.piiTransformation}`)) as { updated_at: string };
    const since = await lastSeq();
    await vscode.window.showTextDocument(inputs.document);
    // The inputs were read before the code save: PostHog has a newer version whose inputs (in jsonb
    // order) are the ones this document last saved — so they are sent against that version, no conflict.
    assert.equal(await save(inputs.document), true, 'the inputs still save: nobody else changed them');
    const patches = only(await requestsSince(since), 'PATCH', DEMO_IDS.piiTransformation);
    const accepted = patches.filter((r) => r.status === 200);
    assert.equal(accepted.length, 1, JSON.stringify(patches.map((r) => r.status)));
    assert.equal((accepted[0]?.body as { base_updated_at?: string }).base_updated_at, remote.updated_at);
    assert.ok(services.store.cachedFull(await env(), DEMO_IDS.piiTransformation));
  });

  test('E2: code PostHog trims at both ends does not turn into a conflict later', async () => {
    const code = await open(DEMO_IDS.geoipTransformation, 'code');
    await replaceAll(code, `\n\n${code.document.getText().trim()}\n// leading blank lines\n`);
    assert.equal(await save(code.document), true);
    await control('POST', `hog_functions/${DEMO_IDS.geoipTransformation}/remote_edit`, { name: 'GeoIP (renamed again)' });
    await replaceAll(code, `${code.document.getText()}// and one more line\n`);
    const remote = (await control('GET', `state/hog_functions/${DEMO_IDS.geoipTransformation}`)) as { updated_at: string };
    const since = await lastSeq();
    assert.equal(await save(code.document), true, 'only the name changed remotely');
    const patches = only(await requestsSince(since), 'PATCH', DEMO_IDS.geoipTransformation);
    const accepted = patches.filter((r) => r.status === 200);
    assert.equal(accepted.length, 1, JSON.stringify(patches.map((r) => r.status)));
    assert.equal((accepted[0]?.body as { base_updated_at?: string }).base_updated_at, remote.updated_at, 'sent against the version with the remote rename');
  });

  test('A5: an older server that ignores base_updated_at still never overwrites a remote change', async () => {
    await control('PATCH', 'config', { enforceBaseUpdatedAt: false });
    try {
      const code = await open(DEMO_IDS.hubspotDestination, 'code');
      await control('POST', `hog_functions/${DEMO_IDS.hubspotDestination}/remote_edit`, { hog: "print('changed on the old server')" });
      await replaceAll(code, `${code.document.getText().trimEnd()}\n// mine\n`);
      const since = await lastSeq();
      const { saved, failures } = await saveReportingFailures(code.document);
      assert.equal(saved, false, 'the save is refused');
      assert.equal(failures[0]?.kind, 'conflict');
      const reqs = (await requestsSince(since)).filter((r) => r.path === fnPath(DEMO_IDS.hubspotDestination));
      assert.deepEqual(
        reqs.map((r) => `${r.method} ${r.status}`),
        ['GET 200'],
        'read and compared first; nothing PATCHed',
      );
    } finally {
      await control('PATCH', 'config', { enforceBaseUpdatedAt: true });
    }
  });

  test('documents that are not dirty follow remote changes on refresh', async () => {
    const { services } = await api();
    const e = await env();
    const editor = await open(DEMO_IDS.sourceWebhook, 'code');
    await control('POST', `hog_functions/${DEMO_IDS.sourceWebhook}/remote_edit`, { hog: "// changed remotely\nreturn {'httpResponse': {'status': 200}}\n" });
    services.explorer.reload(e);
    await services.store.load(e);
    await until([vscode.workspace.onDidChangeTextDocument], () => editor.document.getText().includes('changed remotely'), 'the document to reload');
    assert.equal(editor.document.isDirty, false);
  });

  test('documents are read-only when the key lacks hog_function:write', async () => {
    const { services } = await api();
    const e = await env();
    const fn = (await services.store.load(e)).find((f) => f.id === DEMO_IDS.slackDestination);
    assert.ok(fn);
    await services.keys.set(e.host, 'phx_demo_read_only');
    try {
      services.clients.forget(e.host);
      const st = await vscode.workspace.fs.stat(functionUri(e, fn, 'code'));
      assert.equal(st.permissions, vscode.FilePermission.Readonly);
    } finally {
      await services.keys.delete(e.host);
    }
    services.clients.forget(e.host);
    const st = await vscode.workspace.fs.stat(functionUri(e, fn, 'code'));
    assert.equal(st.permissions, undefined);
  });

  test('stat and readDirectory are consistent', async () => {
    const e = await env();
    const { services } = await api();
    const fn = (await services.store.load(e)).find((f) => f.id === DEMO_IDS.slackDestination);
    assert.ok(fn);
    const dir = functionUri(e, fn, 'code').with({ path: `/1/hog_functions/${fn.id}` });
    const entries = await vscode.workspace.fs.readDirectory(dir);
    assert.deepEqual(entries.map(([n]) => n).slice(1), ['inputs.json', 'filters.json']);
    for (const [name] of entries) {
      const st = await vscode.workspace.fs.stat(vscode.Uri.joinPath(dir, name));
      assert.equal(st.type, vscode.FileType.File);
      assert.ok(st.mtime > 0);
    }
  });
});
