// Issue 12 ("Prove it"): faults injected while saving in the real editor. Each one ends with a clear
// message and the edit still in the editor (dirty); once the fault is gone the same edit saves. A
// malformed list answer shows an error node whose Retry recovers. Counts: faults injected, edits lost.
export const title = 'save through 429s, gateway errors, resets and timeouts without losing an edit';

const FILE = 'Slack- new signups.hog';

export const options = {
  signedIn: true,
  // Short timeout and one retry, so each fault surfaces in seconds.
  settings: { 'posthogHog.requestTimeoutSeconds': 2, 'posthogHog.maxRetries': 1 },
  // Every provoked failure is reported by VS Code as "Failed to save …" (notification and console).
  expectErrors: [new RegExp(`Not saved to PostHog \\(${FILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`)],
};

const HTML = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

export default async function faults(j) {
  const { page, assert } = j;

  const { row: fnRow, fnPath, id } = await j.openFunctionCode(/Slack/);

  const scenarios = [
    {
      name: '429 with Retry-After',
      fault: {
        kind: 'status',
        status: 429,
        headers: { 'Retry-After': '1' },
        body: { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled. Expected available in 1 second.', attr: null },
      },
      message: /rate limit/i,
    },
    {
      name: '429 without Retry-After',
      fault: { kind: 'status', status: 429, body: { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled.', attr: null } },
      message: /rate limit/i,
    },
    { name: '502 with an HTML body', fault: { kind: 'malformed', status: 502, headers: { 'content-type': 'text/html' }, body: HTML }, message: /502/ },
    {
      name: '503 with an HTML body',
      fault: { kind: 'malformed', status: 503, headers: { 'content-type': 'text/html' }, body: HTML.replaceAll('502 Bad Gateway', '503 Service Unavailable') },
      message: /503/,
    },
    { name: 'connection reset', fault: { kind: 'reset' }, message: /reach|network|connect|reset/i },
    { name: 'timeout', fault: { kind: 'latency', delayMs: 4000 }, message: /did not answer|timed out|timeout/i },
  ];

  let injected = 0;
  let lost = 0;
  for (const [i, s] of scenarios.entries()) {
    const line = `print('edit ${i + 1}: through ${s.name}')`;
    await j.typeInEditor(`\n${line}`, { at: 'end' });
    await j.control('POST', 'faults', { method: 'PATCH', path: id, times: -1, ...s.fault });
    injected++;
    const before = j.markRequests();
    await j.save();
    const toast = await j.waitForToast(`Not saved to PostHog (${FILE})`, { timeout: 30000 });
    const text = await toast.innerText();
    assert.match(text, s.message, `${s.name}: the message says what happened (${text})`);
    assert.ok(!/<html|<body|<center/i.test(text), `${s.name}: no HTML in the message`);
    await page.locator('.part.editor .tab.active.dirty').waitFor();
    if (!(await j.editorText()).includes(line)) lost++;
    const attempts = j.requests().filter((r) => r.seq > before && r.method === 'PATCH' && r.path === fnPath).length;
    j.step(`${s.name}: refused with a clear message after ${attempts} attempt(s); edit kept (dirty)`);
    await j.screenshot(`fault-${i + 1}`);

    // The fault is gone: the same edit saves. (A timed-out PATCH may have reached PostHog after all:
    // the save then finds its own text there and sends nothing more.)
    await j.control('DELETE', 'faults');
    await j.dismissNotifications();
    await j.save({ waitForClean: true, timeout: 30000 });
    const stored = await j.control('GET', `state/hog_functions/${id}`);
    assert.ok(stored.hog.includes(line), `${s.name}: the edit reached PostHog`);
    j.step(`${s.name}: saved once the fault was gone`);
  }

  // A malformed list: the tree shows an error node with Retry; Retry after the fault recovers.
  await j.control('POST', 'faults', { method: 'GET', pathRegex: '/hog_functions/\\?', kind: 'malformed', times: -1 });
  injected++;
  await j.runCommand('Refresh');
  const errorRow = j
    .viewPane()
    .locator('.monaco-list-row', { hasText: /not valid JSON|Unexpected response/i })
    .first();
  await errorRow.waitFor({ state: 'visible', timeout: 30000 });
  await j.screenshot('fault-list-malformed');
  await j.control('DELETE', 'faults');
  await errorRow.click(); // an error node's click is its Retry
  await j.expandTreeRow('Destinations');
  await fnRow.waitFor({ state: 'visible', timeout: 30000 });
  j.step('malformed list: error node, Retry recovered the tree');

  assert.equal(lost, 0, 'edits lost');
  j.step(`faults injected: ${injected}; edits lost: ${lost}`);
}
