// Issue 17: a function's logs next to its code: newest first, grouped by invocation; the level filter and
// the search run on PostHog; a new entry appears within 6 s while the logs are shown (the live tail).
export const title = 'Function logs: grouped by invocation, filtered on the server, a new entry live within 6 s';

export const options = { signedIn: true };

export default async function functionLogs(j) {
  const { page, assert } = j;
  const { id } = await j.openFunctionCode('Orders API webhook');
  await j.runCommand('Show Function Logs'); // from the code's editor: that function
  const tab = page.locator('.tab', { hasText: 'Orders API webhook (logs).log' });
  await tab.waitFor({ state: 'visible', timeout: 20000 });
  await tab.click();
  const text = await j.waitForEditorText('── invocation');
  assert.match(text, /# Logs of Orders API webhook: \d+ entries, newest first/);
  assert.match(text, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (DEBUG|INFO) /);
  await j.screenshot('logs');

  // Only errors: the level goes to PostHog.
  const since = j.markRequests();
  await j.runCommand('Filter Function Logs…');
  await j.quickPick({ select: ['ERROR'] });
  await j.waitForEditorText(/levels ERROR/);
  const filtered = j.requests().filter((r) => r.seq > since && /\/logs\/$/.test(r.path));
  assert.ok(
    filtered.some((r) => r.query.level === 'ERROR'),
    'the level filter is a query parameter',
  );
  await j.runCommand('Filter Function Logs…');
  await j.quickPick({ select: ['ERROR'] }); // off again: every level
  await j.waitForEditorText(/all levels/);

  // The live tail: an entry PostHog records now shows up within 6 s, without any command.
  const message = `live tail entry ${Date.now()}`;
  await j.control('POST', `hog_functions/${id}/logs`, { entries: [{ level: 'INFO', message }] });
  const t = Date.now();
  await j.waitForEditorText(message, { timeout: 6000 });
  j.step(`the new entry appeared ${Date.now() - t} ms after PostHog recorded it`);
}
