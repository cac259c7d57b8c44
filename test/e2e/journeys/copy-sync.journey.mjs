// Issue 18 (3, 4): copy a function with a secret input to another environment (the secret asked for in a
// masked box, never logged; created disabled; a second copy finds it by name), then pull an environment
// into the workspace, edit a file and push it back: exactly one PATCH carrying only the changed field.
import fs from 'node:fs';
import path from 'node:path';

export const title = 'Copy to another environment with a secret asked for; pull an environment to a folder, edit a file, push one PATCH with only that field';

export const options = { signedIn: false };

const SECRET = 'Bearer staging-secret-4711';

export default async function copySync(j) {
  const { page, assert, standIn } = j;

  // Signed in to both environments of the organization.
  const pane = await j.openView();
  await pane.locator('.welcome-view-content').getByRole('button', { name: 'Sign In' }).click();
  await j.quickPick({ expect: 'host', select: 'Self-hosted or other URL…' });
  await j.quickPick({ type: standIn.url });
  await j.quickPick({ expect: 'personal API key', type: 'phx_demo_full_access' });
  // Production comes checked (the key's current project): add Staging.
  await j.quickPick({ expect: 'environments to show', select: ['Hogflix Staging'] });
  await j.waitForToast('Signed in to');
  await j.treeRow('Hogflix Staging').waitFor({ state: 'visible' });

  // ── Copy to Environment ───────────────────────────────────────────────────────────────────────────
  await j.openFunctionCode('Orders API webhook');
  await j.waitForEditorText('fetch(');
  const since = j.markRequests();
  await j.runCommand('Copy to Environment…');
  await j.quickPick({ expect: 'Copy "Orders API webhook" to which environment?', select: 'Hogflix Staging' });
  // The secret header cannot be read from PostHog: asked for, masked.
  await j.quickPick({ expect: 'Secrets cannot be read from PostHog', type: JSON.stringify({ Authorization: SECRET }), accept: false });
  assert.equal(await page.locator('.quick-input-widget .quick-input-box input').getAttribute('type'), 'password', 'the secret box is masked');
  await page.keyboard.press('Enter');
  await j.waitForToast('Copied "Orders API webhook" to Hogflix Staging (created, disabled). Not copied: the enabled state');
  const creates = j.requests().filter((r) => r.seq > since && r.method === 'POST' && r.path === '/api/environments/2/hog_functions/');
  assert.equal(creates.length, 1, 'one create in staging');
  const copy = [...standIn.state.hogFunctions.values()].find((f) => f.team_id === 2 && f.name === 'Orders API webhook');
  assert.ok(copy, 'the copy exists in staging');
  assert.equal(copy.enabled, false, 'created disabled');
  assert.deepEqual(copy.encrypted_inputs.headers.value, { Authorization: SECRET }, 'the secret typed in is stored there');
  assert.equal(copy.hog, standIn.state.hogFunctions.get('0199a7c1-0000-7000-8000-000000000101').hog);
  assert.doesNotMatch(j.extensionLog(), /staging-secret-4711/, 'the secret never reaches the log');
  await j.dismissNotifications();

  // A second copy finds the function of the same name there: Update It (nothing differs) or Create New.
  await j.runCommand('Copy to Environment…');
  await j.quickPick({ select: 'Hogflix Staging' });
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await dialog.innerText(), /Hogflix Staging already has a destination named "Orders API webhook"/);
  await j.screenshot('copy-same-name');
  await dialog.locator('.monaco-button', { hasText: 'Update It' }).click();
  await j.waitForToast('in Hogflix Staging already matches "Orders API webhook"');

  // ── Pull an environment into the workspace ────────────────────────────────────────────────────────
  // One function's code holds a pasted personal API key (key-shaped, built here): it is not pulled, and said.
  const keyShaped = `phx_${'0'.repeat(32)}`;
  await j.control('POST', 'hog_functions/0199a7c1-0000-7000-8000-000000000105/remote_edit', { hog: `let key := '${keyShaped}'\nprint(key)` });
  const pasted = standIn.state.hogFunctions.get('0199a7c1-0000-7000-8000-000000000105').name;
  await j.runCommand('Pull to Workspace…');
  await j.quickPick({ select: 'Hogflix Production' });
  await j.quickPick({ expect: 'Pull every hog function of Hogflix Production into' });
  const pulledNote = await j.waitForToast('Pulled 12 functions of Hogflix Production into posthog/Hogflix Production');
  assert.match(await pulledNote.innerText(), new RegExp(`Not pulled: "${pasted.replace(/[()]/g, '\\$&')}" — the code or inputs hold what looks like a PostHog API key`));
  const root = path.join(j.workspace, 'posthog', 'Hogflix Production');
  assert.ok(
    !fs.readdirSync(root).some((folder) => fs.readFileSync(path.join(root, folder, 'function.json'), 'utf8').includes('0199a7c1-0000-7000-8000-000000000105')),
    'the function with the key has no folder',
  );
  assert.doesNotMatch(j.extensionLog(), new RegExp(keyShaped), 'nor does the key reach the log');
  const slack = path.join(root, 'Slack- new signups');
  assert.deepEqual(fs.readdirSync(slack).sort(), ['filters.json', 'function.hog', 'function.json', 'inputs.json']);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, 'Orders API webhook', 'inputs.json'), 'utf8')).headers, { secret: true });

  // Edit one file (as an editor, a script or a git checkout would) and push the folder from the Explorer.
  const filtersFile = path.join(slack, 'filters.json');
  const filters = JSON.parse(fs.readFileSync(filtersFile, 'utf8'));
  filters.events[0].id = 'user activated';
  fs.writeFileSync(filtersFile, `${JSON.stringify(filters, null, 2)}\n`);
  await page.keyboard.press('Control+Shift+E');
  const explorerRow = (label) =>
    page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();
  for (const folder of ['posthog', 'Hogflix Production']) {
    const row = explorerRow(folder);
    await row.waitFor({ state: 'visible', timeout: 20000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }
  const since2 = j.markRequests();
  await explorerRow('Slack- new signups').click({ button: 'right' });
  // The workbench's context menu acts on the highlighted item (a synthetic click does not always reach it).
  const item = page.locator('.context-view .action-menu-item', { hasText: /^\s*Push to PostHog\s*$/ }).first();
  await item.hover();
  await page.keyboard.press('Enter');
  await page.locator('.tab', { hasText: 'filters.json' }).first().waitFor({ state: 'visible', timeout: 20000 });
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await dialog.innerText(), /Push to "Slack: new signups" in Hogflix Production\?/);
  assert.match(await dialog.innerText(), /changes its filters/);
  await j.screenshot('push-diff');
  await dialog.locator('.monaco-button', { hasText: /^Push$/ }).click();
  // Dismissed once seen: the next push says the same (once, in CI, VS Code listed the repeat only in the
  // notification center, where an undismissed message looks like the one already seen).
  await j.expectNotification('pushed to "Slack: new signups"');
  const writes = j.requests().filter((r) => r.seq > since2 && r.method !== 'GET');
  assert.equal(writes.length, 1, 'exactly one write');
  assert.equal(writes[0].method, 'PATCH');
  assert.deepEqual(Object.keys(writes[0].body).sort(), ['base_updated_at', 'filters'], 'only the changed field');
  assert.equal(standIn.state.hogFunctions.get('0199a7c1-0000-7000-8000-000000000102').filters.events[0].id, 'user activated');
  // function.json now records the pushed version.
  const meta = JSON.parse(fs.readFileSync(path.join(slack, 'function.json'), 'utf8'));
  assert.equal(meta.pulled.updated_at, standIn.state.hogFunctions.get('0199a7c1-0000-7000-8000-000000000102').updated_at);

  // Changed in PostHog since the pull (a colleague edits the code), changed here too: a conflict, said before
  // anything is sent; Overwrite then sends the one PATCH.
  await j.control('POST', 'hog_functions/0199a7c1-0000-7000-8000-000000000102/remote_edit', { hog: "print('a colleague')" });
  fs.writeFileSync(path.join(slack, 'function.hog'), "print('mine')\n");
  const since3 = j.markRequests();
  await explorerRow('Slack- new signups').click({ button: 'right' });
  await item.hover();
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await dialog.innerText(), /"Slack: new signups" changed in PostHog since posthog\/Hogflix Production\/Slack- new signups was pulled/);
  assert.equal(j.requests().filter((r) => r.seq > since3 && r.method !== 'GET').length, 0, 'nothing sent before the choice');
  await j.screenshot('push-conflict');
  await dialog.locator('.monaco-button', { hasText: /^Overwrite$/ }).click();
  await j.expectNotification('pushed to "Slack: new signups"');
  const overwrite = j.requests().filter((r) => r.seq > since3 && r.method !== 'GET');
  assert.deepEqual(
    overwrite.map((r) => `${r.method} ${Object.keys(r.body).sort().join(',')}`),
    ['PATCH base_updated_at,hog'],
  );
  assert.equal(standIn.state.hogFunctions.get('0199a7c1-0000-7000-8000-000000000102').hog, "print('mine')");

  // A colleague saves while the push is on its way: after the check, before PostHog applies it (the stand-in
  // holds the PATCH 3 s). PostHog answers 409 and the push asks again instead of failing: the conflict the
  // store (dist/extension.js) throws is recognised by the command (dist/commands.js). Overwrite then sends
  // it against the colleague's version.
  fs.writeFileSync(path.join(slack, 'function.hog'), "print('mine, again')\n");
  standIn.addFault({ method: 'PATCH', path: '/hog_functions/0199a7c1-0000-7000-8000-000000000102/', kind: 'latency', delayMs: 3000, times: 1 });
  const since4 = j.markRequests();
  await explorerRow('Slack- new signups').click({ button: 'right' });
  await item.hover();
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await dialog.innerText(), /Push to "Slack: new signups" in Hogflix Production\?/);
  await dialog.locator('.monaco-button', { hasText: /^Push$/ }).click();
  await dialog.waitFor({ state: 'hidden', timeout: 20000 });
  await j.waitFor(() => j.requests().some((r) => r.seq > since4 && r.method === 'PATCH'), 'the push PATCH (held by the stand-in)');
  await j.control('POST', 'hog_functions/0199a7c1-0000-7000-8000-000000000102/remote_edit', { hog: "print('a colleague, meanwhile')" });
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await dialog.innerText(), /"Slack: new signups" changed in PostHog a moment ago/);
  await dialog.locator('.monaco-button', { hasText: /^Overwrite$/ }).click();
  await j.expectNotification('pushed to "Slack: new signups"');
  const patches = j.requests().filter((r) => r.seq > since4 && r.method === 'PATCH');
  assert.deepEqual(
    patches.map((r) => r.status),
    [409, 200],
    'the held PATCH refused, then the overwrite',
  );
  assert.equal(standIn.state.hogFunctions.get('0199a7c1-0000-7000-8000-000000000102').hog, "print('mine, again')");
}
