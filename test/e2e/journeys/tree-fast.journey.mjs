// Issue 11: the tree under fast use. Every folder is expanded as fast as the harness can click, while
// the first lists are still arriving; "Load more…" is followed through 260 organizations (3 pages,
// exactly 2 cursor requests) to the oldest; Refresh is pressed while a page is loading and the folder
// fills again. The journey library fails the journey on any workbench error (e.g. VS Code's
// "Element with id … is already registered").
export const title = 'tree: expand everything at once, page 260 groups to the oldest, refresh while a page loads, no tree errors';

export const options = { signedIn: true, extraGroups: 260 };

const GROUPS = '/api/environments/1/groups/';

export default async function treeFast(j) {
  const { page, assert, standIn } = j;
  const pane = await j.openView();
  const orgRequests = (since = 0) => j.requests().filter((r) => r.seq > since && r.path === GROUPS && r.query.group_type_index === '3');

  /** Expands each row as soon as it shows, without waiting for its children to load. */
  const expandFast = async (labels) => {
    for (const label of labels) await j.expandTreeRow(label);
  };

  /** Scrolls the (virtualised) tree to its end: Organizations is the last folder. */
  const toBottom = async () => {
    await pane.locator('.monaco-list').first().hover();
    await page.mouse.wheel(0, 100000);
  };
  const loadMore = j.treeRow('Load more…');

  /** Clicks "Load more…" until `label` shows at the end of the tree; returns the number of clicks. */
  const loadUntil = async (label) => {
    let clicks = 0;
    for (;;) {
      let found = '';
      await j.waitFor(async () => {
        await toBottom();
        if (await j.treeRow(label).isVisible()) found = 'target';
        else if (await loadMore.isVisible()) found = 'more';
        return found;
      }, `"${label}" or "Load more…" at the end of the tree`);
      if (found === 'target') {
        assert.equal(await loadMore.count(), 0, 'no "Load more…" once the oldest shows');
        return clicks;
      }
      const since = j.markRequests();
      await loadMore.click();
      clicks++;
      await j.waitForRequest((r) => r.path === GROUPS && r.query.group_type_index === '3' && r.query.cursor, `page ${clicks + 1} (cursor)`, { since });
      // The page's last row shows at the end of the tree (100 a page, org-1 newest).
      const lastOfPage = `Organization ${String(Math.min(260, 100 * (clicks + 1))).padStart(3, '0')}`;
      await j.waitFor(
        async () => {
          await toBottom();
          return j.treeRow(lastOfPage).isVisible();
        },
        `"${lastOfPage}" after page ${clicks + 1}`,
      );
    }
  };

  // ── Expand every folder right away (the list requests are still in flight) ────────────────────
  await j.treeRow('Hog functions').waitFor({ state: 'visible' });
  await expandFast(['Destinations', 'Transformations', 'Sources', 'Site apps', 'Groups']);
  // Bottom-up, so that the rows still to click stay above the 100 rows each one brings in.
  await expandFast(['Organizations', 'Projects', 'Teams', 'Companies']);
  await j.treeRow('Gringotts Systems').waitFor({ state: 'visible' }); // the companies arrived
  await j.screenshot('expanded');
  // Collapse the other group types so that Organizations is the end of the tree.
  for (const label of ['Companies', 'Teams', 'Projects']) {
    await j.treeRow(label).locator('.monaco-tl-twistie').click();
    await j.waitFor(async () => (await j.treeRow(label).getAttribute('aria-expanded')) === 'false', `"${label}" collapsed`);
  }
  await j.treeRow('Organization 001').waitFor({ state: 'visible' });

  // ── Load more… to the oldest of 260: 3 pages, exactly 2 cursor requests ───────────────────────
  const beforePaging = j.markRequests();
  assert.equal(orgRequests().length, 1, 'the first page of organizations: one request');
  const clicks = await loadUntil('Organization 260');
  assert.equal(clicks, 2);
  const cursorRequests = orgRequests(beforePaging);
  assert.deepEqual(
    cursorRequests.map((r) => Boolean(r.query.cursor)),
    [true, true],
    'exactly 2 requests, both with a cursor',
  );
  assert.equal(orgRequests().length, 3, '3 pages in all');
  await j.screenshot('oldest-organization');

  // ── Refresh while a page is loading ───────────────────────────────────────────────────────────
  // Back to page 1 first: Refresh (caches dropped, the expanded folder loads its first page again).
  let since = j.markRequests();
  await j.runCommand('Refresh');
  await j.waitForRequest((r) => r.path === GROUPS && r.query.group_type_index === '3' && !r.query.cursor, 'the first page again', { since });
  await j.waitFor(async () => {
    await toBottom();
    return loadMore.isVisible();
  }, 'Load more… after the refresh');
  // The next page is slow; Refresh lands while it is in flight.
  standIn.addFault({ method: 'GET', path: 'cursor=', kind: 'latency', delayMs: 2500, times: 1 });
  since = j.markRequests();
  await loadMore.click();
  await j.runCommand('Refresh');
  await j.waitForRequest((r) => r.path === GROUPS && r.query.group_type_index === '3' && r.query.cursor, 'the slow page', { since, timeout: 20000 });
  await j.waitForRequest((r) => r.path === GROUPS && r.query.group_type_index === '3' && !r.query.cursor, 'the first page after the refresh', { since });
  // The folder shows its rows again — never empty — and paging works from the start.
  await j.waitFor(async () => {
    await toBottom();
    return (await j.treeRow('Organization 100').isVisible()) && loadMore.isVisible();
  }, 'the first page and Load more… after the refresh mid-page');
  await j.screenshot('after-refresh-mid-page');

  // ── Expand again and page to the end once more ────────────────────────────────────────────────
  await page.mouse.wheel(0, -100000);
  await j.treeRow('Organizations').locator('.monaco-tl-twistie').click();
  await j.waitFor(async () => (await j.treeRow('Organizations').getAttribute('aria-expanded')) === 'false', 'Organizations collapsed');
  await expandFast(['Organizations']);
  await j.treeRow('Organization 001').waitFor({ state: 'visible' });
  assert.equal(await loadUntil('Organization 260'), 2);
  const names = await pane.locator('.monaco-list-row .label-name').allInnerTexts();
  assert.equal(names.filter((n) => n.trim() === 'Organization 260').length, 1, 'the oldest shows once');
}
