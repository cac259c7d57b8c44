// Issue 17: a function's logs next to its code: newest first, grouped by invocation; the level filter and
// the search run on PostHog; a new entry appears within 6 s while the logs are shown (the live tail).
// Health next to the code: the status bar shows the function's state and last hour's failures (metrics
// fetched only then, once the function stayed active a second); a function turning degraded is told once, with Show Logs.
export const title = 'Function logs and health: grouped by invocation, filtered on the server, live within 6 s; status bar; degraded told once';

export const options = { signedIn: true };

export default async function functionLogs(j) {
  const { page, assert } = j;
  const metricsRequests = () => j.requests().filter((r) => /\/metrics\/$/.test(r.path));
  await j.openView();
  await j.expandTreeRow('Destinations');
  assert.equal(metricsRequests().length, 0, 'a tree costs no metrics request until something shows them');
  const { id } = await j.openFunctionCode('Orders API webhook');
  const status = page.locator('.part.statusbar .statusbar-item', { hasText: /enabled · healthy · \d+ failed in the last hour/ });
  await status.first().waitFor({ state: 'visible', timeout: 15000 });
  assert.equal(metricsRequests().length, 1, 'one metrics request, for the function shown');
  // Opening costs only the GET: the status item asks for metrics once the function stayed active 1 s.
  const get = j.requests().find((r) => r.method === 'GET' && r.path.endsWith(`/hog_functions/${id}/`));
  const dwell = Date.parse(metricsRequests()[0].time) - Date.parse(get.time);
  assert.ok(dwell >= 950, `metrics asked ${dwell} ms after the function's GET (expected after the 1 s dwell)`);
  j.step(`status bar: ${(await status.first().innerText()).trim()}`);
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

  // PostHog degrades the function: the next refresh tells it once, with Show Logs; the next one does not.
  await j.control('POST', `hog_functions/${id}/remote_edit`, { status: { state: 2, tokens: 3 } });
  await j.runCommand('Refresh');
  await j.waitForToast('"Orders API webhook" is now degraded in PostHog');
  await page
    .locator('.part.statusbar .statusbar-item', { hasText: /enabled · degraded/ })
    .first()
    .waitFor({ state: 'visible', timeout: 15000 });
  await j.runCommand('Refresh');
  await j.treeRow('Orders API webhook').waitFor({ state: 'visible' });
  const told = j.notifications().filter((n) => n.message.includes('is now degraded'));
  assert.equal(told.length, 1, 'told once');
}
