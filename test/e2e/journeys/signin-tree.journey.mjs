// Issue 3: sign in through the UI (host pick, masked key, environment pick), then browse the tree:
// every seeded type folder, group types, "Load more…" paging of groups, and a function search.
export const title = 'sign in through the UI, browse hog functions by type and page groups';

export const options = { signedIn: false };

export default async function signInTree(j) {
  const { page, assert, standIn } = j;
  const pane = await j.openView();

  // Signed out: the welcome view offers Sign In.
  const welcome = pane.locator('.welcome-view-content');
  await welcome.getByRole('button', { name: 'Sign In' }).waitFor({ state: 'visible' });
  await j.screenshot('welcome');
  await welcome.getByRole('button', { name: 'Sign In' }).click();

  await j.quickPick({ expect: 'host', select: 'Self-hosted or other URL…' });
  await j.quickPick({ expect: 'URL of your PostHog instance', type: 'http://posthog.example.com', accept: false });
  // Plain http to a non-loopback host is refused with the reason.
  await j.waitFor(async () => /unencrypted/.test(await page.locator('.quick-input-widget').innerText()), 'the plain-http refusal');
  await j.quickPick({ type: standIn.url });
  await j.quickPick({ expect: 'personal API key', type: 'phc_project_key', accept: false });
  await j.waitFor(async () => /project API key/.test(await page.locator('.quick-input-widget').innerText()), 'the phc_ hint');
  const type = await page.locator('.quick-input-widget .quick-input-box input').getAttribute('type');
  assert.equal(type, 'password', 'the key input is masked');
  await j.quickPick({ type: 'phx_demo_full_access' });
  // Nothing checked (the pre-checked environment unchecked) + Enter: refused in the picker, which stays open.
  await j.quickPick({ expect: 'environments to show', select: ['Hogflix Production'], accept: false });
  await page.keyboard.press('Enter');
  await j.waitFor(
    async () => (await page.locator('.quick-input-widget .quick-input-box input').getAttribute('placeholder'))?.startsWith('Pick at least one environment'),
    'the refusal of an empty choice',
  );
  await j.screenshot('signin-none-chosen');
  assert.equal(j.requests().filter((r) => r.path.includes('/hog_functions/')).length, 0, 'not signed in with nothing');
  await j.quickPick({ select: ['Hogflix Production', 'Hogflix Staging'] });
  await j.waitForToast('Signed in to');
  await j.waitForRequest((r) => r.path === '/api/personal_api_keys/@current/', 'key validation');

  // Both environments side by side.
  await j.treeRow('Hogflix Production').waitFor({ state: 'visible' });
  await j.treeRow('Hogflix Staging').waitFor({ state: 'visible' });

  // Hog functions → one folder per type (unknown types included).
  for (const folder of ['Destinations', 'Transformations', 'Site destinations', 'Site apps', 'Sources', 'Internal destinations', 'Email campaigns']) {
    await j.treeRow(folder).first().waitFor({ state: 'visible' });
  }
  await j.expandTreeRow('Destinations');
  await j.treeRow('Orders API webhook').waitFor({ state: 'visible' });
  await j.treeRow('Ads conversions').waitFor({ state: 'visible' });
  await j.screenshot('tree');

  // Groups: group types by plural name; companies page with "Load more…".
  await j.expandTreeRow('Groups');
  await j.expandTreeRow('Companies');
  const loadMore = j.treeRow('Load more…');
  await j.expandTreeRow('Destinations'); // already expanded: no-op; keeps the layout predictable
  // The tree is virtualised: scroll until the 101st row ("Load more…") is rendered.
  await pane.locator('.monaco-list').first().hover();
  await j.waitFor(
    async () => {
      if (await loadMore.isVisible()) return true;
      await page.mouse.wheel(0, 600);
      return false;
    },
    '"Load more…" to scroll into view',
    { timeout: 30000 },
  );
  const since = j.markRequests();
  await loadMore.click();
  await j.waitForRequest((r) => r.path.endsWith('/groups/') && r.query.cursor, 'the next page of groups (cursor)', { since });
  await j.screenshot('groups');

  // Filter functions from the view title.
  await j.runCommand('Filter Hog Functions');
  await j.quickPick({ expect: 'search', type: 'slack' });
  await j.quickPick({ expect: 'state and types' });
  await j.waitForRequest((r) => r.path.endsWith('/hog_functions/') && r.query.search === 'slack', 'a server-side search');
  await page
    .locator('.part.sidebar .pane-header .description, .part.sidebar .title-description', { hasText: /Filter/ })
    .first()
    .waitFor({ state: 'attached' })
    .catch(() => undefined);
  await j.screenshot('filtered');
}
