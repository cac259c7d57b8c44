// Commands of issue 5 from the command palette, through their real QuickPicks and modal dialogs:
//   1. Enable Backfills on an event-sourced destination with a personal API key → PostHog's 403 is shown as a
//      warning that explains why, with "Open in PostHog" (the function's page).
//   2. Update Group Property: group type → group (server search) → property → value (common values offered,
//      null refused in place, JSON numbers typed) → old → new confirmation → update_property.
//   3. Delete Hog Function: modal confirmation → PATCH deleted:true, the tree drops it; Undo → PATCH deleted:false.
// Every flow asserts the exact requests the stand-in received and leaves screenshots in artifacts/screenshots/.

export const title = 'palette: enable backfills (403 → Open in PostHog), update a group property through its QuickPicks, delete a hog function (modal, Undo)';

export const options = { signedIn: true };

const PROJECT = 1;
const WEBHOOK_ID = '0199a7c1-0000-7000-8000-000000000101'; // "Orders API webhook": destination, events source
const SLACK_ID = '0199a7c1-0000-7000-8000-000000000102'; // "Slack: new signups"
const GROUPS = `/api/environments/${PROJECT}/groups`;

export default async function commands(j) {
  const { page, assert, standIn } = j;
  const quickInput = page.locator('.quick-input-widget');
  const dialog = page.locator('.monaco-dialog-box');
  const only = (since, pred) => j.requests().filter((r) => r.seq > since && pred(r));

  await j.openView();
  await j.waitForActivation();
  await j.expandTreeRow('Hogflix Production').catch(() => j.step('environment row already expanded'));
  await j.treeRow('Hog functions').waitFor({ state: 'visible' });

  // ── 1. Enable Backfills → 403 for personal API keys ─────────────────────────────────────────
  {
    let since = j.markRequests();
    await j.runCommand('Enable Backfills');
    await j.quickPick({ expect: 'Enable backfills for which destination?', type: 'Orders API webhook', select: 'Orders API webhook' });
    await dialog.waitFor({ state: 'visible' });
    const text = await dialog.innerText();
    assert.match(text, /Enable backfills for "Orders API webhook"\?/);
    assert.match(text, /paused, hourly, on the events model/);
    await j.screenshot('backfills-confirm');
    await j.clickNotificationButton('Enable Backfills');
    const post = await j.waitForRequest((r) => r.method === 'POST' && r.path.endsWith('/enable_backfills/'), 'POST enable_backfills', { since });
    assert.equal(post.path, `/api/environments/${PROJECT}/hog_functions/${WEBHOOK_ID}/enable_backfills/`);
    assert.equal(post.status, 403);
    const toast = await j.waitForToast('PostHog allows enabling backfills only from its web app');
    assert.match(await toast.innerText(), /not with personal API keys/);
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Open in PostHog' }).count(), 1, 'the warning offers "Open in PostHog"');
    // It is a warning, not the generic error path (which would offer "Show Log").
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Show Log' }).count(), 0);
    assert.equal(await toast.locator('.codicon-warning').count(), 1, 'shown with the warning icon');
    await j.screenshot('backfills-403-warning');
    assert.deepEqual(
      only(since, (r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} → ${r.status}`),
      [`POST /api/environments/${PROJECT}/hog_functions/${WEBHOOK_ID}/enable_backfills/ → 403`],
    );

    // "Open in PostHog" goes to the function's page. The extension logs the URL it opens; VS Code then asks
    // before opening an external link, or opens a tab (code-server sends loopback URLs through its port proxy).
    const expectedUrl = `${standIn.url}/project/${PROJECT}/functions/${WEBHOOK_ID}`;
    const popup = page
      .context()
      .waitForEvent('page', { timeout: 15000 })
      .then(
        (p) => ({ kind: 'page', page: p }),
        () => null,
      );
    await j.clickNotificationButton('Open in PostHog');
    await j.waitFor(() => j.extensionLog().includes(`opening ${expectedUrl}`), `the extension to open ${expectedUrl}`);
    const opened = await Promise.race([
      popup,
      dialog
        .filter({ hasText: 'external website' })
        .waitFor({ state: 'visible', timeout: 15000 })
        .then(
          () => ({ kind: 'dialog' }),
          () => null,
        ),
    ]);
    assert.ok(opened, 'VS Code opened the link (or asked to)');
    if (opened.kind === 'dialog') {
      await j.screenshot('backfills-open-in-posthog');
      await j.clickNotificationButton('Cancel');
      await dialog.waitFor({ state: 'hidden' });
    } else {
      const port = new URL(standIn.url).port;
      await j.waitFor(() => opened.page.url().includes(`:${port}`) || opened.page.url().includes(`/proxy/${port}`), `a tab on the stand-in's host (at ${opened.page.url()})`);
      j.step(`opened a tab at ${opened.page.url()}`);
      await opened.page.close();
      await page.bringToFront();
    }
    j.step('enable backfills: 403 explained, Open in PostHog offered');
  }

  // ── 2. Update Group Property through the QuickPicks ───────────────────────────────────────────
  {
    const acme = () => standIn.state.groups.get(PROJECT).find((g) => g.group_type_index === 0 && g.group_key === 'acme-labs');
    const oldPlan = acme().group_properties.plan;
    const newPlan = ['free', 'startup', 'scale', 'enterprise'].find((p) => p !== oldPlan);
    const oldEmployees = acme().group_properties.employees;

    // a) plan ← one of the most common values, picked from the list.
    let since = j.markRequests();
    await j.runCommand('Update Group Property');
    await j.quickPick({ expect: 'Choose a group type', select: 'Companies' });
    await j.quickPick({ expect: 'Choose a company', type: 'Acme', accept: false });
    await j.waitForRequest((r) => r.path === `${GROUPS}/` && r.query.search === 'Acme', 'the server-side group search', { since });
    await j.screenshot('group-search');
    await j.quickPick({ select: 'Acme Labs' });
    await j.quickPick({ expect: 'Update which property of Acme Labs (company)?', select: 'plan' });
    await j.waitForRequest((r) => r.path === `${GROUPS}/property_values/` && r.query.key === 'plan', 'property_values for plan', { since });
    await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: newPlan }).first().waitFor({ state: 'visible' });
    const list = await quickInput.innerText();
    assert.match(list, /most common values below/, 'the typed value says common values are offered');
    assert.match(list, new RegExp(`${newPlan}\\s*string · \\d+ groups?`), 'common values come with their counts');
    assert.equal(await quickInput.locator('.quick-input-box input').inputValue(), oldPlan, 'the value box starts with the old value');
    await j.screenshot('group-property-suggestions');
    await j.quickPick({ select: newPlan });
    await dialog.waitFor({ state: 'visible' });
    const confirmText = await dialog.innerText();
    assert.match(confirmText, /Update "plan" of Acme Labs \(company\)\?/);
    assert.ok(confirmText.includes(`Old value: "${oldPlan}"`) && confirmText.includes(`New value: "${newPlan}" (string)`), confirmText);
    await j.screenshot('group-property-confirm');
    await j.clickNotificationButton('Update');
    await j.expectNotification(`Set "plan" of Acme Labs (company) to "${newPlan}".`);
    const updates = only(since, (r) => r.method === 'POST');
    assert.deepEqual(
      updates.map((r) => ({ path: r.path, query: r.query, body: r.body, status: r.status })),
      [{ path: `${GROUPS}/update_property/`, query: { group_type_index: '0', group_key: 'acme-labs' }, body: { key: 'plan', value: newPlan }, status: 200 }],
    );
    assert.equal(acme().group_properties.plan, newPlan);

    // b) employees ← typed: null is refused in place (with the reason), then a JSON number.
    since = j.markRequests();
    await j.runCommand('Update Group Property');
    await j.quickPick({ expect: 'Choose a group type', select: 'Companies' });
    await j.quickPick({ expect: 'Choose a company', type: 'Acme', accept: false });
    await j.waitForRequest((r) => r.path === `${GROUPS}/` && r.query.search === 'Acme', 'the server-side group search', { since });
    await j.quickPick({ select: 'Acme Labs' });
    await j.quickPick({ expect: 'Update which property', select: 'employees' });
    await j.waitFor(async () => (await quickInput.innerText()).includes('Value of "employees"'), 'the value prompt');
    assert.equal(await quickInput.locator('.quick-input-box input').inputValue(), String(oldEmployees), 'a number starts as its JSON text');
    await quickInput.locator('.quick-input-box input').fill('null');
    await quickInput.locator('.quick-input-list .monaco-list-row', { hasText: 'PostHog does not accept null' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300); // give a (wrong) accept the chance to close the prompt
    assert.ok(await quickInput.isVisible(), 'null is refused: the prompt stays open');
    assert.match(await quickInput.innerText(), /Delete Group Property/);
    await j.screenshot('group-property-null-refused');
    await j.quickPick({ type: '1500' });
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), new RegExp(`Old value: ${oldEmployees}\\s+New value: 1500 \\(number\\)`));
    await j.clickNotificationButton('Update');
    await j.expectNotification('Set "employees" of Acme Labs (company) to 1500.');
    assert.deepEqual(
      only(since, (r) => r.method === 'POST').map((r) => ({ path: r.path, query: r.query, body: r.body, status: r.status })),
      [{ path: `${GROUPS}/update_property/`, query: { group_type_index: '0', group_key: 'acme-labs' }, body: { key: 'employees', value: 1500 }, status: 200 }],
    );
    assert.equal(acme().group_properties.employees, 1500);
    await j.screenshot('group-property-updated');
    j.step('update group property: string from the common values, null refused, JSON number typed');
  }

  // ── 3. Delete Hog Function: modal confirmation, then Undo ─────────────────────────────────────
  {
    await j.expandTreeRow('Destinations');
    await j.treeRow('Slack: new signups').waitFor({ state: 'visible' });
    const since = j.markRequests();
    await j.runCommand('Delete Hog Function');
    await j.quickPick({ expect: 'Delete which hog function?', type: 'Slack: new signups', select: 'Slack: new signups' });
    await dialog.waitFor({ state: 'visible' });
    const text = await dialog.innerText();
    assert.match(text, /Delete the destination "Slack: new signups"\?/);
    assert.match(text, /it stops running and disappears from lists \(it is enabled now\)/);
    assert.equal(only(since, (r) => r.method !== 'GET').length, 0, 'nothing is sent before the confirmation');
    await j.screenshot('delete-confirm');
    await j.clickNotificationButton('Delete');
    const patch = await j.waitForRequest((r) => r.method === 'PATCH', 'PATCH deleted:true', { since });
    assert.deepEqual(
      { path: patch.path, body: patch.body, status: patch.status },
      { path: `/api/environments/${PROJECT}/hog_functions/${SLACK_ID}/`, body: { deleted: true }, status: 200 },
    );
    await j.waitForToast('Deleted the destination "Slack: new signups".');
    await j.treeRow('Slack: new signups').waitFor({ state: 'detached' });
    assert.equal(standIn.state.hogFunctions.get(SLACK_ID).deleted, true);
    await j.screenshot('delete-undo-offered');

    const undoSince = j.markRequests();
    await j.clickNotificationButton('Undo');
    const restore = await j.waitForRequest((r) => r.method === 'PATCH', 'PATCH deleted:false', { since: undoSince });
    assert.deepEqual(
      { path: restore.path, body: restore.body, status: restore.status },
      { path: `/api/environments/${PROJECT}/hog_functions/${SLACK_ID}/`, body: { deleted: false }, status: 200 },
    );
    await j.expectNotification('Restored the destination "Slack: new signups".');
    await j.treeRow('Slack: new signups').waitFor({ state: 'visible' });
    assert.equal(standIn.state.hogFunctions.get(SLACK_ID).deleted, false);
    assert.deepEqual(
      only(since, (r) => r.method !== 'GET').map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)} → ${r.status}`),
      [
        `PATCH /api/environments/${PROJECT}/hog_functions/${SLACK_ID}/ {"deleted":true} → 200`,
        `PATCH /api/environments/${PROJECT}/hog_functions/${SLACK_ID}/ {"deleted":false} → 200`,
      ],
    );
    await j.screenshot('delete-undone');
    j.step('delete hog function: confirmed, removed from the tree, restored by Undo');
  }
}
