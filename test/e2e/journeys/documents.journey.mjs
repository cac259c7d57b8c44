// Issue 4: open a function's code from the tree, edit, save → exactly one PATCH; invalid inputs are
// refused with a diagnostic; a stale save offers Compare/Overwrite; a reload restores the document.
export const title = 'edit Hog code and inputs in the editor; saves PATCH safely';

export const options = {
  signedIn: true,
  // The refused saves this journey provokes: VS Code reports each as "Failed to save …" (notification and console).
  expectErrors: [
    /Not saved to PostHog \(inputs\.json\): Invalid JSON/,
    /Not saved to PostHog \(Slack- new signups\.hog\): The function changed in PostHog since you opened it\./,
    /The content of the file is newer|File Modified Since/,
  ],
};

export default async function documents(j) {
  const { page, assert } = j;
  const { row: fnRow, name: fnName, fnPath, since } = await j.openFunctionCode(/Slack/);
  // The tab shows the file name: the function name made path-safe ("Slack: new signups" → "Slack- new signups.hog").
  await page.locator('.part.editor .tab.active', { hasText: fnName.replace(/[:/\\]/g, '-') }).waitFor();
  await j.waitForEditorText(/./);
  const gets = j.requests().filter((r) => r.seq > since && r.method === 'GET' && r.path === fnPath);
  assert.equal(gets.length, 1, 'opening costs one GET');

  // Edit and save: exactly one PATCH, with the new hog and base_updated_at.
  await j.typeInEditor("\nprint('hello from the editor')", { at: 'end' });
  const beforeSave = j.markRequests();
  await j.save({ waitForClean: true });
  const patch = await j.waitForRequest((r) => r.method === 'PATCH' && r.path === fnPath, 'the PATCH', { since: beforeSave });
  assert.match(patch.body.hog, /print\('hello from the editor'\)$/);
  assert.ok(patch.body.base_updated_at, 'base_updated_at sent');
  assert.deepEqual(Object.keys(patch.body).sort(), ['base_updated_at', 'hog']);
  assert.deepEqual(j.actionRequests(beforeSave), [`PATCH ${fnPath}`], 'the save is one request');
  await j.screenshot('code-saved');

  // Ctrl+S again without a change: nothing is deployed (VS Code still writes a clean document).
  const beforeNoop = j.markRequests();
  const noopLogged = () => (j.extensionLog().match(/nothing to save in code/g) ?? []).length;
  const noopsBefore = noopLogged();
  await j.save();
  await j.waitFor(() => noopLogged() > noopsBefore, 'the extension to log "nothing to save"');
  assert.deepEqual(
    j
      .requests()
      .filter((r) => r.seq > beforeNoop)
      .map((r) => `${r.method} ${r.path}`),
    [],
    'an unchanged save sends 0 requests',
  );
  j.step('unchanged save: 0 requests');

  // Inputs of the webhook destination: a JSON syntax error is refused with a diagnostic, text intact.
  await j.expandTreeRow('Orders API webhook');
  const inputsRow = j
    .viewPane()
    .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^Inputs$/ }) })
    .first();
  await inputsRow.click();
  await page.locator('.part.editor .tab.active', { hasText: 'inputs.json' }).waitFor();
  await j.waitForEditorText('"secret": true');
  await j.typeInEditor('oops', { at: 'start' });
  const beforeBad = j.markRequests();
  await j.save();
  await page.locator('.squiggly-error').first().waitFor({ state: 'attached' });
  await page.locator('.part.editor .tab.active.dirty').waitFor();
  assert.equal(j.requests().filter((r) => r.seq > beforeBad && r.method === 'PATCH').length, 0, 'nothing sent');
  await page.keyboard.press('Control+Shift+M'); // Problems panel
  await page
    .locator('.markers-panel .monaco-list-row', { hasText: /Invalid JSON/ })
    .first()
    .waitFor({ state: 'visible' });
  await j.screenshot('inputs-invalid');
  await page.keyboard.press('Control+Z');

  // Stale save: someone edits the code in the web app; our save fails with Compare/Overwrite.
  await j.runCommand('Close All Editors', { category: 'View' });
  await fnRow.click();
  await j.waitForEditorText('hello from the editor');
  const id = fnPath.split('/').at(-2);
  await j.control('POST', `hog_functions/${id}/remote_edit`, { hog: "print('edited in the web app')" });
  await j.typeInEditor("\nprint('my conflicting edit')", { at: 'end' });
  const beforeStale = j.markRequests();
  await j.save();
  await j.waitForRequest((r) => r.method === 'PATCH' && r.status === 409, 'the 409', { since: beforeStale });
  await j.waitForToast('changed in PostHog since you opened it');
  await j.screenshot('conflict');
  await j.clickNotificationButton('Compare');
  await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' });
  await j.screenshot('conflict-compare');

  // Saving again after Compare: VS Code's own check sees the newer remote version ("The content of the
  // file is newer": the extension reports PostHog's updated_at as mtime). Its Overwrite reaches our
  // save, which is now conditional on the version the user compared with (A1): one PATCH, accepted.
  const compared = j.standIn.state.hogFunctions.get(id).updated_at;
  await j.dismissNotifications();
  await j.save();
  const vscodeToast = await j.waitForToast('The content of the file is newer');
  const beforeVsOverwrite = j.markRequests();
  await vscodeToast.locator('.monaco-button', { hasText: /^Overwrite$/ }).click();
  const afterCompare = await j.waitForRequest((r) => r.method === 'PATCH' && r.status === 200, 'the PATCH after Compare', { since: beforeVsOverwrite });
  assert.equal(afterCompare.body.base_updated_at, compared, 'conditional on the compared version');
  assert.match(afterCompare.body.hog, /my conflicting edit/);
  await page.locator('.part.editor .tab.dirty').first().waitFor({ state: 'detached' });

  // Our notification's Overwrite: a second web-app edit, a 409, Overwrite → one conditional PATCH
  // against the version shown, then the editor is clean.
  await j.runCommand('Close All Editors', { category: 'View' });
  await fnRow.click();
  await j.waitForEditorText('my conflicting edit');
  await j.control('POST', `hog_functions/${id}/remote_edit`, { hog: "print('edited in the web app again')" });
  await j.typeInEditor("\nprint('mine again')", { at: 'end' });
  const beforeSecond = j.markRequests();
  await j.save();
  await j.waitForRequest((r) => r.method === 'PATCH' && r.status === 409, 'the second 409', { since: beforeSecond });
  const ours = await j.waitForToast('Compare to review both versions');
  const shown = j.standIn.state.hogFunctions.get(id).updated_at;
  const beforeOverwrite = j.markRequests();
  await ours.locator('.monaco-button', { hasText: /^Overwrite$/ }).click();
  const overwrite = await j.waitForRequest((r) => r.method === 'PATCH' && r.status === 200, 'the overwrite PATCH', { since: beforeOverwrite });
  assert.equal(overwrite.body.base_updated_at, shown, 'Overwrite is conditional on the version shown');
  assert.match(overwrite.body.hog, /mine again/);
  await page.locator('.part.editor .tab.dirty').first().waitFor({ state: 'detached' });

  // Reload the window with the document open: it loads again from PostHog.
  await j.runCommand('Close All Editors', { category: 'View' });
  await fnRow.click();
  await j.waitForEditorText('my conflicting edit');
  const beforeReload = j.markRequests();
  // "Developer: Reload Window" shuts the workbench down properly (editor state is persisted), as a user's reload does.
  const reloaded = page.waitForEvent('framenavigated', { timeout: 60000 });
  await j.runCommand('Reload Window', { category: 'Developer' });
  await reloaded;
  await page.locator('.monaco-workbench').waitFor();
  await j.waitForRequest((r) => r.method === 'GET' && r.path === fnPath, 'the GET after reload', { since: beforeReload, timeout: 60000 });
  await j.waitForEditorText('my conflicting edit', { timeout: 60000 });
  await j.screenshot('after-reload');
}
