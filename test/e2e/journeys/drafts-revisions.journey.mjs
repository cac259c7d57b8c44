// Issue 18 (1, 2): a draft staged by an agent shows in the tree; Review Draft opens the live ↔ draft diff;
// Publish goes through PostHog's preview (changed fields, token) and confirms with that token. Then a
// revision restored from the PostHog Revisions view is staged as the draft and published the same way.
// Enabling a function with an open draft explains PostHog's refusal and offers the way on.
export const title = 'Drafts and revisions: publish a staged draft through the preview, restore a revision from the Revisions view and publish it';

export const options = { signedIn: true };

const WEBHOOK = '0199a7c1-0000-7000-8000-000000000101'; // Orders API webhook: enabled destination
const DISABLED = '0199a7c1-0000-7000-8000-000000000105'; // a disabled destination

export default async function draftsRevisions(j) {
  const { page, assert, standIn } = j;
  const fnPath = (id) => `/api/environments/1/hog_functions/${id}/`;
  const api = async (method, path, body, headers = {}) => {
    const res = await fetch(`${standIn.url}${path}`, {
      method,
      headers: { authorization: 'Bearer phx_demo_full_access', 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path} → ${res.status}`);
    return res.json();
  };
  const publishes = (since) => j.requests().filter((r) => r.seq > since && r.method === 'POST' && r.path.endsWith('/publish/'));

  // An agent (X-PostHog-Client: mcp) edits the enabled destination: PostHog stages a draft.
  const live = await api('GET', fnPath(WEBHOOK));
  const v0 = live.version;
  const original = live.hog;
  const staged = `${original}\nprint('reviewed before it went live')`;
  const stagedFilters = { ...live.filters, filter_test_accounts: !live.filters.filter_test_accounts };
  delete stagedFilters.bytecode;
  await api('PATCH', fnPath(WEBHOOK), { hog: staged, filters: stagedFilters }, { 'x-posthog-client': 'mcp' });

  // The tree shows the draft badge.
  await j.openView();
  await j.expandTreeRow('Destinations');
  await j.waitFor(async () => /draft/.test(await j.treeRow('Orders API webhook').innerText()), 'the draft badge on "Orders API webhook"');
  await j.openFunctionCode('Orders API webhook');
  await j.waitForEditorText('fetch(');

  // Review Draft: live on the left, draft on the right, one diff per document that differs (code and filters).
  await j.runCommand('Review Draft');
  await page.locator('.tab', { hasText: 'live ↔ draft' }).first().waitFor({ state: 'visible', timeout: 20000 });
  await page.locator('.editor-group-container.active .monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 15000 });
  const draftSides = async () => (await page.locator('.editor-group-container.active .monaco-diff-editor .editor.modified').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
  await j.waitFor(async () => /reviewed before it went live/.test(await draftSides()), 'the staged line in the draft side');
  await j.waitFor(async () => /filter_test_accounts/.test(await draftSides()), 'the staged filters in the draft side');
  await j.screenshot('review-draft');

  // Publish: the preview in a modal, then the confirm with the preview's token.
  const since = j.markRequests();
  await j.clickNotificationButton('Publish Draft…');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  const text = await dialog.innerText();
  assert.match(text, /Publish the draft of "Orders API webhook"\?/);
  assert.match(text, /It replaces the live filters and code\./);
  assert.match(text, /enabled: live events run the new configuration at once/);
  await j.screenshot('publish-preview');
  await dialog.locator('.monaco-button', { hasText: /^Publish$/ }).click();
  await j.waitForToast('Published the draft of "Orders API webhook"');
  const calls = publishes(since);
  assert.equal(calls.length, 2, 'a preview, then the confirm');
  assert.equal(calls[0].body.confirm, false);
  assert.equal(calls[1].body.confirm, true);
  assert.match(String(calls[1].body.confirm_token), new RegExp(`^${WEBHOOK}:`), "the confirm carried the preview's token");
  assert.equal(standIn.state.hogFunctions.get(WEBHOOK).hog, staged);
  assert.equal(standIn.state.hogFunctions.get(WEBHOOK).filters.filter_test_accounts, stagedFilters.filter_test_accounts);
  assert.equal(standIn.state.hogFunctions.get(WEBHOOK).draft, null);
  await j.waitFor(async () => !/draft/.test(await j.treeRow('Orders API webhook').innerText()), 'the draft badge to go');

  // The revisions of the function in the active editor, in the Explorer (PostHog's Timeline).
  await page.locator('.tab', { hasText: 'Orders API webhook.hog' }).first().click();
  await page.keyboard.press('Control+Shift+E');
  const pane = j.viewPane('PostHog Revisions');
  await pane.waitFor({ state: 'visible', timeout: 20000 });
  const header = pane.locator('.pane-header').first();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  const row = (version) => pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^\\s*Version ${version}\\s*$`) }) }).first();
  await row(v0 + 1).waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await row(v0 + 1).innerText(), /live/);
  assert.match(await row(v0 + 1).innerText(), /Max Hedgehog/);
  await j.screenshot('revisions');

  // Selecting a revision: that version's code against the current one.
  await row(v0).click();
  await page
    .locator('.tab', { hasText: `version ${v0} ↔ current` })
    .first()
    .waitFor({ state: 'visible', timeout: 20000 });

  // Restore This Revision (inline): staged as the draft, then published through the preview.
  await page.locator('.tab', { hasText: 'Orders API webhook.hog' }).first().click();
  const since2 = j.markRequests();
  await row(v0).hover();
  await row(v0).locator('.action-label[aria-label^="Restore This Revision"]').click();
  await j.waitForRequest((r) => r.method === 'POST' && r.path.endsWith(`/revisions/${v0}/restore/`), 'the restore', { since: since2 });
  await j.clickNotificationButton('Publish Draft…');
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await dialog.innerText(), /It replaces the live filters and code\./);
  // The token expires before the confirm (PostHog: 15 minutes; here at once): the new preview is shown, no error.
  standIn.config.publishTokenMaxAgeSeconds = 0;
  await dialog.locator('.monaco-button', { hasText: /^Publish$/ }).click();
  await j.waitFor(async () => /The preview expired\. Publish the draft of "Orders API webhook"\?/.test(await dialog.innerText().catch(() => '')), 'the renewed preview');
  await j.screenshot('publish-preview-expired');
  standIn.config.publishTokenMaxAgeSeconds = 15 * 60;
  await dialog.locator('.monaco-button', { hasText: /^Publish$/ }).click();
  await j.waitForToast('Published the draft of "Orders API webhook"');
  const second = publishes(since2);
  assert.deepEqual(
    second.map((r) => r.body.confirm),
    [false, true, false, true],
    'preview, refused confirm (expired), preview again, confirm',
  );
  assert.equal(second[1].status, 400);
  assert.notEqual(second[3].body.confirm_token, second[1].body.confirm_token, 'the second confirm used the new token');
  assert.equal(standIn.state.hogFunctions.get(WEBHOOK).hog, original, 'the restored revision is live');
  await row(v0 + 2).waitFor({ state: 'visible', timeout: 20000 });

  // Enabling a function with an open draft: PostHog's refusal explained before any request. A live change
  // records revisions; restoring the first stages it as the draft (restore works on disabled functions).
  const d = await api('GET', fnPath(DISABLED));
  await api('PATCH', fnPath(DISABLED), { hog: `${d.hog}\n// changed` });
  await api('POST', `${fnPath(DISABLED)}revisions/${d.version}/restore/`, {});
  await j.openView();
  await j.runCommand('Refresh');
  await j.waitFor(async () => /draft/.test(await j.treeRow('Legacy CRM webhook (disabled)').innerText()), 'the draft badge on the disabled destination');
  const since3 = j.markRequests();
  await j.runCommand('Enable Hog Function');
  await j.quickPick({ select: /Legacy CRM webhook/ });
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await dialog.innerText(), /has a staged draft, so PostHog will not enable it/);
  await j.screenshot('enable-with-draft');
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(j.requests().filter((r) => r.seq > since3 && r.method === 'PATCH').length, 0, 'no PATCH sent');

  // Discard Draft… from the tree's context menu: confirmed, then the draft is gone.
  const since4 = j.markRequests();
  await j.treeRow('Legacy CRM webhook (disabled)').click({ button: 'right' });
  await page
    .locator('.context-view .action-menu-item', { hasText: /^\s*Discard Draft…\s*$/ })
    .first()
    .hover();
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await dialog.innerText(), /Discard the draft of "Legacy CRM webhook \(disabled\)"\?/);
  await dialog.locator('.monaco-button', { hasText: /^Discard Draft$/ }).click();
  await j.waitForToast('Discarded the draft of "Legacy CRM webhook (disabled)"');
  assert.deepEqual(
    j
      .requests()
      .filter((r) => r.seq > since4 && r.method !== 'GET')
      .map((r) => `${r.method} ${r.path.split('/').at(-2)}`),
    ['POST discard_draft'],
  );
  assert.equal(standIn.state.hogFunctions.get(DISABLED).draft, null);
  await j.waitFor(async () => !/draft/.test(await j.treeRow('Legacy CRM webhook (disabled)').innerText()), 'the draft badge to go');
}
