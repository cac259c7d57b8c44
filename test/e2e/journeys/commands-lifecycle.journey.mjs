// The rest of issue 5's commands from the command palette, against the stand-in:
//   New Hog Function (template + required input, created disabled, code opens) → Enable (modal) → Rename
//   (the open code tab follows) → Disable (modal) → Enable Backfills with a key PostHog accepts (success
//   message names the batch export) → Delete Group Property (modal) → Show Related (opens a related group).
// Every step asserts the exact requests the stand-in received; screenshots go to artifacts/screenshots/.
export const title = 'palette: new hog function from a template, enable, rename (tab follows), disable, enable backfills (success), delete a group property, show related';

export const options = { signedIn: true };

const PROJECT = 1;
const FUNCTIONS = `/api/environments/${PROJECT}/hog_functions/`;
const GROUPS = `/api/environments/${PROJECT}/groups`;

export default async function lifecycle(j) {
  const { page, assert, standIn } = j;
  const dialog = page.locator('.monaco-dialog-box');
  const writes = (since) => j.requests().filter((r) => r.seq > since && r.method !== 'GET');
  const activeTab = page.locator('.part.editor .editor-group-container.active .tab.active');
  const quickInput = page.locator('.quick-input-widget');
  const shows = (text) => j.waitFor(async () => (await quickInput.isVisible()) && (await quickInput.innerText()).includes(text), `the quick input to show "${text}"`);
  const acme = () => standIn.state.groups.get(PROJECT).find((g) => g.group_type_index === 0 && g.group_key === 'acme-labs');

  await j.openView();
  await j.waitForActivation();
  await j.treeRow('Hog functions').waitFor({ state: 'visible' });

  // ── New Hog Function: destination from the HTTP Webhook template ──────────────────────────────
  let since = j.markRequests();
  await j.runCommand('New Hog Function');
  await j.quickPick({ expect: 'New hog function: which type?', select: 'Destination' });
  await shows('New destination: start from');
  await quickInput.locator('.monaco-list-row', { hasText: 'HTTP Webhook' }).first().waitFor({ state: 'visible' });
  await j.screenshot('new-function-templates');
  await j.quickPick({ select: 'HTTP Webhook' });
  await j.quickPick({ expect: 'Name of the new destination', type: 'Journey webhook' });
  await j.quickPick({ expect: 'Webhook URL (required input 1/1)', type: 'https://example.com/journey-hook' });
  const post = await j.waitForRequest((r) => r.method === 'POST' && r.path === FUNCTIONS, 'POST hog_functions', { since });
  assert.equal(post.status, 201);
  assert.deepEqual(post.body, {
    type: 'destination',
    name: 'Journey webhook',
    template_id: 'template-webhook',
    enabled: false,
    inputs: {
      url: { value: 'https://example.com/journey-hook' },
      method: { value: 'POST' },
      body: { value: { event: '{event}', person: '{person}' } },
      headers: { value: { 'Content-Type': 'application/json' } },
      debug: { value: false },
    },
  });
  const created = [...standIn.state.hogFunctions.values()].find((f) => f.name === 'Journey webhook');
  assert.ok(created, 'the stand-in stored the new function');
  assert.equal(created.enabled, false);
  await activeTab.filter({ hasText: 'Journey webhook.hog' }).waitFor({ state: 'visible' });
  await j.waitForEditorText('fetch(');
  await j.expectNotification('Created destination "Journey webhook" (disabled)');
  await j.expandTreeRow('Destinations');
  await j.treeRow('Journey webhook').waitFor({ state: 'visible' });
  await j.screenshot('new-function-created');

  // ── Enable (modal) ────────────────────────────────────────────────────────────────────────────
  since = j.markRequests();
  const beforeEnable = standIn.state.hogFunctions.get(created.id).updated_at;
  await j.runCommand('Enable Hog Function');
  await j.quickPick({ expect: 'Enable which hog function?', type: 'Journey webhook', select: 'Journey webhook' });
  await dialog.waitFor({ state: 'visible' });
  assert.match(await dialog.innerText(), /Enable the destination "Journey webhook"\?[\s\S]*starts receiving live events/);
  await j.screenshot('enable-confirm');
  await j.clickNotificationButton('Enable');
  await j.expectNotification('Enabled the destination "Journey webhook".');
  assert.deepEqual(
    writes(since).map((r) => ({ method: r.method, path: r.path, body: r.body, status: r.status })),
    [
      // Every write is conditional on the newest version known (one conflict policy).
      { method: 'PATCH', path: `${FUNCTIONS}${created.id}/`, body: { enabled: true, base_updated_at: beforeEnable }, status: 200 },
    ],
  );
  await j.waitFor(async () => (await j.treeRow('Journey webhook').innerText()).includes('enabled'), 'the tree row to say enabled');

  // ── Rename: the open code tab follows ─────────────────────────────────────────────────────────
  since = j.markRequests();
  const knownUpdatedAt = standIn.state.hogFunctions.get(created.id).updated_at;
  await j.runCommand('Rename Hog Function');
  await j.quickPick({ expect: 'Rename which hog function?', type: 'Journey webhook', select: 'Journey webhook' });
  await j.quickPick({ expect: 'Rename "Journey webhook"', type: 'Journey webhook v2' });
  await j.expectNotification('Renamed "Journey webhook" to "Journey webhook v2".');
  assert.deepEqual(
    writes(since).map((r) => ({ method: r.method, path: r.path, body: r.body, status: r.status })),
    [{ method: 'PATCH', path: `${FUNCTIONS}${created.id}/`, body: { name: 'Journey webhook v2', base_updated_at: knownUpdatedAt }, status: 200 }],
  );
  await activeTab.filter({ hasText: 'Journey webhook v2.hog' }).waitFor({ state: 'visible' });
  assert.equal(await page.locator('.part.editor .tab', { hasText: /^Journey webhook\.hog/ }).count(), 0, 'the tab with the old name is gone');
  await j.treeRow('Journey webhook v2').waitFor({ state: 'visible' });
  await j.screenshot('rename-tab-follows');

  // ── Disable (modal) ───────────────────────────────────────────────────────────────────────────
  since = j.markRequests();
  const beforeDisable = standIn.state.hogFunctions.get(created.id).updated_at;
  await j.runCommand('Disable Hog Function');
  await j.quickPick({ expect: 'Disable which hog function?', type: 'Journey webhook v2', select: 'Journey webhook v2' });
  await dialog.waitFor({ state: 'visible' });
  assert.match(await dialog.innerText(), /Deliveries stop/);
  await j.clickNotificationButton('Disable');
  await j.expectNotification('Disabled the destination "Journey webhook v2".');
  assert.deepEqual(
    writes(since).map((r) => ({ method: r.method, path: r.path, body: r.body, status: r.status })),
    [{ method: 'PATCH', path: `${FUNCTIONS}${created.id}/`, body: { enabled: false, base_updated_at: beforeDisable }, status: 200 }],
  );

  // ── Enable Backfills, with a key PostHog accepts for it ───────────────────────────────────────
  standIn.config.backfillsRequireSession = false;
  since = j.markRequests();
  await j.runCommand('Enable Backfills');
  await j.quickPick({ expect: 'Enable backfills for which destination?', type: 'Journey webhook v2', select: 'Journey webhook v2' });
  await dialog.waitFor({ state: 'visible' });
  await j.clickNotificationButton('Enable Backfills');
  const backfill = await j.waitForRequest((r) => r.method === 'POST' && r.path.endsWith('/enable_backfills/'), 'POST enable_backfills', { since });
  assert.equal(backfill.status, 200);
  const batchExportId = standIn.state.hogFunctions.get(created.id).batch_export_id;
  assert.ok(batchExportId);
  const toast = await j.waitForToast(`Backfills enabled for "Journey webhook v2": PostHog created batch export ${batchExportId} (paused).`);
  assert.equal(await toast.locator('.monaco-button', { hasText: 'Open in PostHog' }).count(), 1);
  await j.waitForRequest((r) => r.method === 'GET' && r.path === `${FUNCTIONS}${created.id}/`, 'the re-fetch of the function', { since: backfill.seq });
  await j.screenshot('backfills-enabled');
  assert.deepEqual(
    writes(since).map((r) => `${r.method} ${r.path} → ${r.status}`),
    [`POST ${FUNCTIONS}${created.id}/enable_backfills/ → 200`],
  );

  // ── Delete Group Property (modal) ─────────────────────────────────────────────────────────────
  const country = acme().group_properties.country;
  assert.ok(country, 'acme-labs has a country');
  since = j.markRequests();
  await j.runCommand('Delete Group Property');
  await j.quickPick({ expect: 'Choose a group type', select: 'Companies' });
  await j.quickPick({ expect: 'Choose a company', type: 'Acme', accept: false });
  await j.waitForRequest((r) => r.path === `${GROUPS}/` && r.query.search === 'Acme', 'the server-side group search', { since });
  await j.quickPick({ select: 'Acme Labs' });
  await j.quickPick({ expect: 'Delete which property of Acme Labs (company)?', type: 'country', select: 'country' });
  await dialog.waitFor({ state: 'visible' });
  assert.match(await dialog.innerText(), new RegExp(`Delete property "country" of Acme Labs \\(company\\)\\?[\\s\\S]*Current value: "${country}"`));
  await j.screenshot('delete-property-confirm');
  await j.clickNotificationButton('Delete Property');
  await j.expectNotification('Deleted property "country" of Acme Labs (company).');
  assert.deepEqual(
    writes(since).map((r) => ({ path: r.path, query: r.query, body: r.body, status: r.status })),
    [{ path: `${GROUPS}/delete_property/`, query: { group_type_index: '0', group_key: 'acme-labs' }, body: { $unset: 'country' }, status: 200 }],
  );
  assert.equal('country' in acme().group_properties, false);

  // ── Show Related: opens the chosen related group ──────────────────────────────────────────────
  since = j.markRequests();
  await j.runCommand('Show Related');
  await j.quickPick({ expect: 'Choose a group type', select: 'Companies' });
  await j.quickPick({ expect: 'Choose a company', type: 'Acme', accept: false });
  await j.waitForRequest((r) => r.path === `${GROUPS}/` && r.query.search === 'Acme', 'the server-side group search', { since });
  await j.quickPick({ select: 'Acme Labs' });
  await shows('Related to Acme Labs (company)');
  const related = await j.waitForRequest((r) => r.path === `${GROUPS}/related/`, 'GET related', { since });
  assert.deepEqual(related.query, { group_type_index: '0', id: 'acme-labs' });
  await quickInput.locator('.monaco-list-row', { hasText: 'Acme Labs Engineering' }).first().waitFor({ state: 'visible' });
  await j.screenshot('show-related');
  await j.quickPick({ select: 'Acme Labs Engineering' });
  await activeTab.filter({ hasText: 'team-001.json' }).waitFor({ state: 'visible' });
  await j.waitForEditorText('"function": "Engineering"');
  assert.deepEqual(writes(since), [], 'showing related groups changes nothing');
  await j.screenshot('related-group-opened');
}
