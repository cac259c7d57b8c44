// Issue 12 (C1): with files.autoSave on, a pause in typing must not deploy a PostHog document. The
// automatic save is refused (the tab stays dirty, nothing is sent) and explained once; Ctrl+S deploys.
export const title = 'auto save never deploys half-written code; Ctrl+S does';

export const options = {
  signedIn: true,
  settings: { 'files.autoSave': 'afterDelay', 'files.autoSaveDelay': 300 },
  // VS Code reports each refused automatic save as a failed save.
  expectErrors: [/auto save does not deploy PostHog documents/],
};

export default async function autosave(j) {
  const { page, assert } = j;
  const { get } = await j.openFunctionCode(/Slack/);

  const beforeTyping = j.markRequests();
  await j.typeInEditor("\nprint('half-writt", { at: 'end' });
  // The delay passes: VS Code tries to save on its own, the extension explains why it did not deploy.
  await j.waitForToast('PostHog documents deploy only when you save them yourself');
  await page.locator('.part.editor .tab.active.dirty').waitFor();
  await j.screenshot('autosave-refused');
  assert.equal((j.extensionLog().match(/automatic save not deployed/g) ?? []).length >= 1, true, 'the refusal is logged');
  // VS Code stops auto-saving a document whose save failed until a save succeeds: no further errors.
  await j.typeInEditor("en line')");
  assert.equal(j.requests().filter((r) => r.seq > beforeTyping && r.method === 'PATCH').length, 0, 'nothing deployed by auto save');
  await page.locator('.part.editor .tab.active.dirty').waitFor();

  // Ctrl+S is the user's decision: one PATCH with the whole line.
  await j.dismissNotifications();
  const beforeSave = j.markRequests();
  await j.save({ waitForClean: true });
  const patch = await j.waitForRequest((r) => r.method === 'PATCH' && r.path === get.path && r.status === 200, 'the PATCH', { since: beforeSave });
  assert.match(patch.body.hog, /print\('half-written line'\)$/);
  assert.equal(j.requests().filter((r) => r.seq > beforeTyping && r.method === 'PATCH').length, 1, 'exactly one deploy: the manual save');
}
