// Issue 17: test a function on PostHog with unsaved edits. A transformation's result is the changed
// event as a diff, and exactly one `invocations` POST carried the unsaved code; a destination's mocked
// fetch (on the most recent real event matching its filters) is listed with its URL and the stored secret
// header masked; real requests are asked for first.
export const title = 'Test on PostHog: the unsaved edit tested, the event diff, the mocked request with its secret masked, real requests asked first';

export const options = { signedIn: true };

const SECRET = 'demo_orders_api_token'; // the stand-in's stored Authorization of "Orders API webhook"

export default async function testOnPostHog(j) {
  const { page, assert } = j;
  const flat = (text) => text.replace(/\n/g, '');
  const invocations = (since) => j.requests().filter((r) => r.seq > since && r.method === 'POST' && /\/invocations\/$/.test(r.path));

  // ── A transformation with an unsaved edit ────────────────────────────────────────────────────────
  await j.openFunctionCode('Hash PII properties', { folder: 'Transformations' });
  await j.waitForEditorText('return returnEvent');
  await j.typeInEditor('');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Home');
  await page.keyboard.type("returnEvent.properties.tested_on_posthog := 'yes'\n");
  await j.waitForEditorText("tested_on_posthog := 'yes'");
  const since = j.markRequests();
  await j.runCommand('Test Function on PostHog…');
  await j.quickPick({ select: /Example event/ });
  const result = page.locator('.tab', { hasText: 'Hash PII properties (test on PostHog).md' });
  await result.waitFor({ state: 'visible', timeout: 20000 });
  await result.click();
  const report = await j.waitForEditorText(/"tested_on_posthog":\s*"yes"/);
  assert.match(flat(report), /✔ Test of Hash PII properties on PostHog: success/);
  assert.match(report, /\+\s+"tested_on_posthog": "yes"/, 'the added property is a + line of the diff');
  const posts = invocations(since);
  assert.equal(posts.length, 1, 'exactly one invocations POST');
  assert.match(JSON.stringify(posts[0].body), /tested_on_posthog := 'yes'/, 'it carried the unsaved code');
  assert.equal(j.requests().filter((r) => r.seq > since && ['PATCH', 'PUT'].includes(r.method)).length, 0, 'nothing saved');
  await j.screenshot('transformation');
  // …and side by side in VS Code's diff editor, from the result's CodeLens.
  await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Compare the event side by side' }).first().click();
  await page.locator('.tab', { hasText: 'event before ↔ after' }).first().waitFor({ state: 'visible', timeout: 15000 });
  await page.locator('.editor-group-container.active .monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 15000 });
  j.step('the event diff opened side by side');

  // ── A destination with a stored secret header ───────────────────────────────────────────────────
  await j.openFunctionCode('Orders API webhook');
  await j.waitForEditorText('fetch(');
  const since2 = j.markRequests();
  await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Test on PostHog' }).first().click();
  // The globals: the most recent real event matching its filters (an EventsQuery, query:read).
  await j.quickPick({ select: /Most recent real event/ });
  const orders = page.locator('.tab', { hasText: 'Orders API webhook (test on PostHog).md' });
  await orders.waitFor({ state: 'visible', timeout: 20000 });
  await orders.click();
  const fetchReport = await j.waitForEditorText(/"Authorization":\s*"\*\*\*REDACTED\*\*\*"/);
  assert.match(flat(fetchReport), /### 1\. POST https:\/\/orders\.hogflix\.example\/hooks\/posthog/);
  assert.match(flat(fetchReport), /globals: most recent matching event \(order_(completed|refunded) at /);
  assert.equal(j.requests().filter((r) => r.seq > since2 && r.path.endsWith('/query/')).length, 1, 'one EventsQuery');
  assert.doesNotMatch(fetchReport, new RegExp(SECRET), 'the stored secret PostHog logged is never shown');
  assert.equal(invocations(since2).length, 1);
  await j.screenshot('destination');

  // ── Real requests are asked for first; Cancel sends nothing more ─────────────────────────────────
  await page.locator('.tab', { hasText: 'Orders API webhook.hog' }).first().click();
  const since3 = j.markRequests();
  await j.runCommand('Test Function on PostHog, Sending Real Requests…');
  await j.quickPick({ select: /Example event/ });
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await dialog.innerText(), /PostHog will send real requests to: orders\.hogflix\.example/);
  await j.screenshot('real-requests-confirm');
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(invocations(since3).length, 1, 'only the mocked run: nothing real was sent');

  await page.locator('.tab.dirty', { hasText: 'Hash PII properties.hog' }).first().click();
  await j.runCommand('Revert File', { category: 'File' });
}
