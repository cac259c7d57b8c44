// Regression tests for findings of the reliability review (../shared/docs/review-reliability.md) that
// need the real editor: each test is named after its finding's id.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SaveFailure } from '../../src/fs/posthogFileSystem';
import { functionUri } from '../../src/fs/uri';
import { DEMO_IDS } from '../standin/ids';
import { api, autoSaveOff, control, env, functionPath, lastSeq, openFunctionDocument, replaceAll, requestsSince, requestsTo, save, saveReportingFailures, until } from './helpers';

/** Resolves once the stand-in has taken every queued fault (the faulted request has arrived). */
async function faultsTaken(): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const pending = (await control('GET', 'faults')) as unknown[];
    if (pending.length === 0) return;
    assert.ok(Date.now() < deadline, 'the faulted request never reached the stand-in');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Makes the code document conflict: PostHog's copy changes, the editor's too, and the save is refused. */
async function conflictOn(editor: vscode.TextEditor, id: string, remoteHog: string, mine: string): Promise<SaveFailure> {
  await control('POST', `hog_functions/${id}/remote_edit`, { hog: remoteHog });
  await replaceAll(editor, mine);
  const { saved, failures } = await saveReportingFailures(editor.document);
  assert.equal(saved, false);
  const conflict = failures.find((f) => f.kind === 'conflict');
  assert.ok(conflict, 'the save was refused as a conflict');
  return conflict;
}

const endOf = (doc: vscode.TextDocument): vscode.Position => doc.positionAt(doc.getText().length);

suite('reliability review: regressions', () => {
  let restoreAutoSave: () => Promise<void>;
  suiteSetup(async () => {
    restoreAutoSave = await autoSaveOff();
  });
  suiteTeardown(async () => {
    await restoreAutoSave();
  });
  teardown(async () => {
    await control('DELETE', 'faults');
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('A2: Overwrite never discards text typed while it runs, and cleans only its own document', async () => {
    const { services, saveFeedback } = await api();
    const id = DEMO_IDS.degradedDestination;
    const editor = await openFunctionDocument(id, 'code');
    const doc = editor.document;

    // 1. The user keeps typing while "Overwriting…" shows (the PATCH answers 3 s after it arrived).
    const first = await conflictOn(editor, id, "print('from the web app')", "print('mine')\n");
    await control('POST', 'faults', { kind: 'latency', method: 'PATCH', path: functionPath(id), delayMs: 3000, afterApply: true });
    let settled = false;
    const overwriting = saveFeedback.overwrite(first).finally(() => {
      settled = true;
    });
    await faultsTaken();
    assert.ok(await editor.edit((b) => b.insert(endOf(doc), '// typed while overwriting\n')));
    assert.equal(settled, false, 'the edit landed while the overwrite was still running');
    await overwriting;
    assert.equal(doc.isDirty, true, 'typed text is kept, dirty');
    assert.match(doc.getText(), /typed while overwriting/);
    const remote = await services.fs.remoteText(doc.uri);
    assert.match(remote, /print\('mine'\)/, 'the text shown when Overwrite was clicked is in PostHog');
    assert.doesNotMatch(remote, /typed while overwriting/);
    // The base moved to the overwritten version. VS Code's own save check still holds the mtime it
    // read, so it asks first ("The content of the file is newer"); its Overwrite writes through the
    // provider, which is a plain conditional write against the overwritten version.
    const since = await lastSeq();
    await vscode.workspace.fs.writeFile(doc.uri, Buffer.from(doc.getText()));
    assert.deepEqual(
      requestsTo(await requestsSince(since), 'PATCH', id).map((r) => r.status),
      [200],
    );
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');

    // 2. Focus moves to another dirty editor meanwhile: that one is left alone.
    const second = await conflictOn(editor, id, "print('from the web app, again')", "print('mine, again')\n");
    const other = await openFunctionDocument(DEMO_IDS.geoipTransformation, 'code');
    assert.ok(await other.edit((b) => b.insert(endOf(other.document), '// unsaved elsewhere\n')));
    await vscode.window.showTextDocument(doc);
    await control('POST', 'faults', { kind: 'latency', method: 'PATCH', path: functionPath(id), delayMs: 1500, afterApply: true });
    const since2 = await lastSeq();
    const overwriting2 = saveFeedback.overwrite(second);
    await faultsTaken();
    await vscode.window.showTextDocument(other.document);
    await overwriting2;
    assert.equal(doc.isDirty, false, 'the overwritten document is clean');
    assert.equal(doc.getText().trimEnd(), "print('mine, again')", 'it shows what PostHog stored');
    assert.equal(other.document.isDirty, true, 'the focused editor was not reverted');
    assert.match(other.document.getText(), /unsaved elsewhere/);
    assert.deepEqual(
      requestsTo(await requestsSince(since2), 'PATCH', id).map((r) => r.status),
      [200],
      'cleaning the document sent nothing more',
    );
  });

  test("E1: a conflicting save says what happened and what to do, not PostHog's publish wording", async () => {
    const editor = await openFunctionDocument(DEMO_IDS.slackDestination, 'code');
    const conflict = await conflictOn(editor, DEMO_IDS.slackDestination, "print('edited in the web app')", "print('mine')\n");
    assert.doesNotMatch(conflict.message, /publish|draft|refresh the page/i);
    assert.match(conflict.message, /changed in PostHog since you opened it/);
    assert.match(conflict.message, /Compare|Overwrite/, 'names the ways forward');
    assert.equal(editor.document.isDirty, true);
  });

  test('A4: a read whose text the editor never showed does not move the conflict base', async () => {
    const { services } = await api();
    const id = DEMO_IDS.disabledDestination;
    const editor = await openFunctionDocument(id, 'code');
    const doc = editor.document;
    const shown = doc.getText();
    await control('POST', `hog_functions/${id}/remote_edit`, { hog: "print('changed while you were reading')" });
    // VS Code re-reads a clean document, but the user typed first: VS Code keeps their text and never
    // shows what the provider returned. (Calling the provider directly is exactly that read.)
    const read = Buffer.from(await services.fs.readFile(doc.uri)).toString('utf8');
    assert.match(read, /changed while you were reading/);
    assert.equal(doc.getText(), shown, 'the editor did not take the new text');
    await replaceAll(editor, `${shown.trimEnd()}\n// mine\n`);
    const since = await lastSeq();
    // VS Code's own check refuses the save first (its model holds the mtime it read)…
    assert.equal(await save(doc), false);
    assert.deepEqual(requestsTo(await requestsSince(since), 'PATCH', id), []);
    // …and its "Overwrite" writes through the provider: still conditional on the version shown.
    const failures: SaveFailure[] = [];
    const sub = services.fs.onDidFailSave((f) => failures.push(f));
    try {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(doc.uri, Buffer.from(doc.getText()))));
    } finally {
      sub.dispose();
    }
    const conflict = failures.find((f) => f.kind === 'conflict');
    assert.match(conflict?.remoteText ?? '', /changed while you were reading/, 'a conflict, not a silent overwrite');
    // The store knew of the newer version (the read), so it compared before sending anything.
    assert.deepEqual(requestsTo(await requestsSince(since), 'PATCH', id), []);

    // Once the editor shows the new text, that is the base: the next edit saves in one PATCH.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await until([vscode.workspace.onDidChangeTextDocument], () => doc.getText().includes('changed while you were reading'), 'the editor to show PostHog’s text');
    await replaceAll(editor, `${doc.getText().trimEnd()}\n// mine, on the new version\n`);
    const since2 = await lastSeq();
    assert.equal(await save(doc), true);
    assert.deepEqual(
      requestsTo(await requestsSince(since2), 'PATCH', id).map((r) => r.status),
      [200],
    );
  });

  test('F3: after a 409 the store reads afresh, never a GET that started before the conflicting change', async () => {
    const { services } = await api();
    const e = await env();
    const id = DEMO_IDS.backfillsEnabledDestination;
    const editor = await openFunctionDocument(id, 'code');
    // A GET reads the function now and answers 3 s later (a slow response).
    await control('POST', 'faults', { kind: 'latency', method: 'GET', path: functionPath(id), delayMs: 3000, afterApply: true });
    const slow = services.store.fetch(e, id);
    await faultsTaken();
    await control('POST', `hog_functions/${id}/remote_edit`, { hog: "print('the conflicting change')" });
    await replaceAll(editor, `${editor.document.getText().trimEnd()}\n// mine\n`);
    const since = await lastSeq();
    const { saved, failures } = await saveReportingFailures(editor.document);
    await slow;
    assert.equal(saved, false);
    const conflict = failures.find((f) => f.kind === 'conflict');
    assert.match(conflict?.remoteText ?? '', /the conflicting change/, 'Compare shows the change that conflicted');
    assert.deepEqual(
      requestsTo(await requestsSince(since), 'PATCH', id).map((r) => r.status),
      [409],
      'no second PATCH built on the stale read',
    );
  });

  test('F4: a key whose scopes cannot be read is asked once, not on every stat', async () => {
    const { services } = await api();
    const e = await env();
    const summary = (await services.store.load(e)).find((f) => f.id === DEMO_IDS.slackDestination);
    assert.ok(summary);
    const uri = functionUri(e, summary, 'code');
    await control('POST', 'faults', { kind: 'status', status: 403, method: 'GET', path: '/api/personal_api_keys/@current/', times: -1 });
    services.clients.forget(e.host);
    try {
      const since = await lastSeq();
      for (let i = 0; i < 5; i++) {
        const st = await vscode.workspace.fs.stat(uri);
        assert.equal(st.permissions, undefined, 'scopes unknown: writable, PostHog decides');
      }
      const lookups = (await requestsSince(since)).filter((r) => r.path === '/api/personal_api_keys/@current/');
      assert.equal(lookups.length, 1, 'one lookup for five stats');
    } finally {
      await control('DELETE', 'faults');
      services.clients.forget(e.host);
    }
  });

  test('F18: a save without a base whose text PostHog already has sends nothing; other text is a conflict', async () => {
    const { services } = await api();
    const e = await env();
    const summary = (await services.store.load(e)).find((f) => f.id === DEMO_IDS.emailCampaign);
    assert.ok(summary);
    // Never opened in this window: no base is known for it.
    const uri = functionUri(e, summary, 'code');
    const text = await services.fs.remoteText(uri);
    const since = await lastSeq();
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from(`${text.trimEnd()}\n// blind\n`))), /changed in PostHog/);
    assert.deepEqual(requestsTo(await requestsSince(since), 'PATCH', DEMO_IDS.emailCampaign), [], 'a write based on nothing known is not sent');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    assert.deepEqual(requestsTo(await requestsSince(since), 'PATCH', DEMO_IDS.emailCampaign), [], 'no redundant production write');
  });
});
