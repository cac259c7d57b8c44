// Issue 4: "Set Secret Value…" replaces one secret input from a masked box; the value goes only into
// the PATCH (never into a document or the log) and the other inputs are sent back as they were.
export const title = 'replace a secret input from a masked input box';

export const options = { signedIn: true };

export default async function secret(j) {
  const { page, assert } = j;
  await j.openView();
  await j.runCommand('Set Secret Value');
  await j.quickPick({ expect: 'Set a secret input', select: 'Orders API webhook' });
  await page.locator('.quick-input-widget .quick-input-box input[type="password"]').waitFor({ state: 'visible' });
  const since = j.markRequests();
  await j.quickPick({ expect: 'New value', type: '{"Authorization": "Bearer rotated_by_the_journey"}' });
  const patch = await j.waitForRequest((r) => r.method === 'PATCH' && r.status === 200, 'the PATCH with the new secret', { since });
  assert.deepEqual(patch.body.inputs.headers, { value: { Authorization: 'Bearer rotated_by_the_journey' } });
  assert.ok(patch.body.base_updated_at, 'sent with base_updated_at');
  for (const [key, input] of Object.entries(patch.body.inputs)) {
    assert.equal(input.bytecode, undefined, `${key}: no server-derived fields sent back`);
  }
  await j.waitForToast('updated');
  const id = patch.path.split('/').at(-2);
  const stored = await j.control('GET', `state/hog_functions/${id}`);
  const value = stored.encrypted_inputs?.headers?.value ?? stored.inputs?.headers?.value;
  assert.deepEqual(value, { Authorization: 'Bearer rotated_by_the_journey' });
  await j.screenshot('secret-updated');

  // The inputs document still shows only the marker.
  await j.expandTreeRow('Destinations');
  await j.expandTreeRow('Orders API webhook');
  await j
    .viewPane()
    .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^Inputs$/ }) })
    .first()
    .click();
  const text = await j.waitForEditorText('"secret": true');
  assert.ok(!text.includes('rotated_by_the_journey'), 'the secret is not shown in the document');
}
