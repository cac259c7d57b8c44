// Issue 16: run a hog function's unsaved code and inputs locally, offline, in PostHog's VM. A
// transformation edited (not saved) and run on a workspace fixture shows its change as a diff of the
// event, and re-runs when the fixture is saved; a destination's mocked fetch is listed with the secret
// header masked; typing re-runs it (posthogHog.runLocally.onType) and the runtime error is underlined on
// its line. Nothing is sent to PostHog.
export const title = 'Run Locally: a transformation diff, a mocked fetch with the secret masked, a runtime error on its line';

const FIXTURE = {
  event: {
    uuid: '0190b3a2-1c5e-7000-8000-00000000f1x7',
    event: 'user signed up',
    distinct_id: 'user-42',
    properties: { $email: 'ada@example.com', phone: '+1 555 0100', $ip: '10.1.2.3', $browser: 'Firefox' },
    elements_chain: '',
    timestamp: '2026-12-05T12:00:00.000Z',
    url: 'http://localhost/project/1/events/1',
  },
  person: { id: 'p-42', properties: { email: 'ada@example.com' }, name: 'Ada', url: 'http://localhost/person/user-42' },
  project: { id: 1, name: 'Hogflix', url: 'http://localhost/project/1' },
};

export const options = {
  signedIn: true,
  // Re-run while typing: the runtime error below appears without running the command again.
  settings: { 'posthogHog.runLocally.onType': true },
  files: { 'fixtures/signup.event.json': `${JSON.stringify(FIXTURE, null, 2)}\n` },
};

const SECRET = 'sk-journey-0123456789';

export default async function runLocally(j) {
  const { page, assert } = j;
  const since = j.markRequests();

  // ── A transformation, edited without saving, run on the fixture ────────────────────────────────
  await j.openFunctionCode('Hash PII properties', { folder: 'Transformations' });
  await j.waitForEditorText('return returnEvent');
  await j.typeInEditor('');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Home');
  await page.keyboard.type("returnEvent.properties.checked_locally := 'yes'\n");
  await j.waitForEditorText("checked_locally := 'yes'");
  const codeTab = page.locator('.tab.active.dirty');
  await codeTab.waitFor({ state: 'visible' });
  j.step('the code is edited, not saved');

  const started = Date.now();
  const sinceRun = j.markRequests();
  await j.runCommand('Run Locally…');
  await j.quickPick({ select: /signup\.event\.json/, expect: /Run Hash PII properties locally/ });
  const result = page.locator('.tab', { hasText: 'Hash PII properties (local run).md' });
  await result.waitFor({ state: 'visible', timeout: 20000 });
  j.step(`result tab visible ${Date.now() - started} ms after the command (the quick pick included)`);
  await result.click();
  const report = await j.waitForEditorText(/"checked_locally":\s*"yes"/);
  // Long lines wrap in the editor: header checks read the text without line breaks.
  const flat = (text) => text.replace(/\n/g, '');
  assert.match(flat(report), /✔ Local run of Hash PII properties: success/);
  assert.match(flat(report), /globals: fixtures\/signup\.event\.json/);
  const shown = /shown after (\d+(?:\.\d+)?) ms/.exec(flat(report));
  assert.ok(shown, 'the report says how long it took');
  j.step(`the run reports: result ready ${shown[1]} ms after the event was chosen`);
  assert.match(report, /\+\s+"checked_locally": "yes"/, 'the added property is a + line of the diff');
  assert.match(report, /-\s+"\$email": "ada@example\.com"/, 'the e-mail is a - line: it was hashed');
  assert.match(report, /-\s+"\$ip": "10\.1\.2\.3"/, 'the IP is dropped');
  await j.screenshot('transformation-diff');

  // Saving the fixture re-runs it: a property added to the fixture's event shows up in the result.
  await page.keyboard.press('Control+P');
  await j.quickPick({ type: 'signup.event.json', select: /signup\.event\.json/ });
  await page.locator('.editor-group-container.active .tab.active', { hasText: 'signup.event.json' }).waitFor({ state: 'visible' });
  await j.waitForEditorText('"user signed up"');
  await j.typeInEditor('');
  await page.keyboard.press('Control+G');
  await j.quickPick({ type: ':6' });
  await page.keyboard.press('End');
  await page.keyboard.type('\n"fixture_edit": "saved",');
  await j.save({ waitForClean: true });
  await result.click();
  await j.waitForEditorText(/"fixture_edit":\s*"saved"/);
  j.step('saving the fixture re-ran the function');

  // The code document is still unsaved: the run did not save or deploy anything.
  await page
    .locator('.tab.dirty', { hasText: /Hash PII properties/ })
    .first()
    .waitFor({ state: 'visible' });
  assert.equal(j.requests().filter((r) => r.seq > since && r.method !== 'GET').length, 0, 'a local run sends nothing to PostHog');
  assert.deepEqual(
    j.actionRequests(sinceRun).filter((r) => /hog_functions/.test(r)),
    [],
    'not even a read: the function was read when its code opened',
  );

  // ── A destination with a secret input: the mocked fetch, the header masked ─────────────────────
  await j.openFunctionCode('Warehouse relay (backfills on)');
  await j.waitForEditorText("'X-Api-Key': inputs.api_key");
  await j.runCommand('Open Inputs'); // from the code's editor: that function's inputs
  await j.waitForEditorText('"api_key"');
  await j.typeInEditor('');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(`{"endpoint": {"value": "https://loader.hogflix.example/v1/{event.event}"}, "api_key": {"value": "${SECRET}"}}`);
  await j.waitForEditorText(SECRET);
  j.step('the secret is typed into the unsaved inputs document');

  // The CodeLens above the code.
  await page
    .locator('.tab', { hasText: /Warehouse relay/ })
    .filter({ hasText: '.hog' })
    .first()
    .click();
  await page.locator('.editor-group-container.active .codelens-decoration a', { hasText: 'Run locally' }).first().click();
  await j.quickPick({ select: /Example event/ });
  const relay = page.locator('.tab', { hasText: 'Warehouse relay (backfills on) (local run).md' });
  await relay.waitFor({ state: 'visible', timeout: 20000 });
  await relay.click();
  const fetchReport = await j.waitForEditorText(/"X-Api-Key":\s*"\*\*\*REDACTED\*\*\*"/);
  assert.match(fetchReport, /## Requests \(1\)/);
  assert.match(flat(fetchReport), /### 1\. POST https:\/\/loader\.hogflix\.example\/v1\/\$pageview \(mocked\) → 200/, 'the URL comes from the unsaved, templated input');
  assert.doesNotMatch(fetchReport, new RegExp(SECRET), 'the secret is never shown');
  await j.screenshot('destination-fetch');

  // ── A runtime error underlines its line ─────────────────────────────────────────────────────────
  await page
    .locator('.tab', { hasText: /Warehouse relay/ })
    .filter({ hasText: '.hog' })
    .first()
    .click();
  await j.waitForEditorText("'X-Api-Key': inputs.api_key");
  await j.typeInEditor('');
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('let region := lookupRegion(event.properties.$ip)\n');
  await j.waitForEditorText('lookupRegion');
  // No command: with posthogHog.runLocally.onType the open result re-runs after a pause in typing.
  await relay.click();
  await j.waitForEditorText(/✖ Local run of Warehouse\s*relay \(backfills\s*on\): error/);
  const errorReport = flat(await j.editorText());
  assert.match(errorReport, /line 1, column \d+\*\*: Unsupported function call: lookupRegion/);

  await page
    .locator('.tab', { hasText: /Warehouse relay/ })
    .filter({ hasText: '.hog' })
    .first()
    .click();
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.press('Control+Shift+M'); // the Problems panel
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'Unsupported function call: lookupRegion' }).first().waitFor({ state: 'visible', timeout: 10000 });
  j.step('the runtime error is in the Problems panel, on line 1 of the code');
  await j.screenshot('runtime-error');

  // Leave PostHog untouched: revert the edited documents.
  for (const tab of ['.hog', 'inputs.json']) {
    await page.locator('.tab.dirty', { hasText: tab }).first().click();
    await j.runCommand('Revert File', { category: 'File' });
  }
  assert.equal(j.requests().filter((r) => r.seq > since && r.method !== 'GET').length, 0, 'still nothing written to PostHog');
}
