// Smoke: the extension loads in a real VS Code, shows its activity-bar container and view, activates,
// and a palette command works (PostHog: Show Log → the "PostHog" output channel in the Output panel).
export const title = 'extension activates, PostHog view container + view appear, "PostHog: Show Log" opens its output channel';

export const options = { signedIn: true };

export default async function smoke(j) {
  const { page, assert } = j;

  // Activity bar: an item labelled "PostHog" whose icon is the contributed media/posthog.svg.
  const activityItem = page.locator('.part.activitybar .action-item a[aria-label^="PostHog"]').first();
  await activityItem.waitFor({ state: 'visible' });
  const icon = await activityItem.evaluate((el) => {
    const s = window.getComputedStyle(el);
    return { mask: s.webkitMaskImage || s.maskImage || '', classes: el.className };
  });
  assert.match(icon.mask, /posthog\.svg/, `activity-bar item uses media/posthog.svg (mask: ${icon.mask}, classes: ${icon.classes})`);
  j.step('activity-bar item "PostHog" with its icon is present');

  // The container opens and shows the "Hog Functions & Groups" view.
  const pane = await j.openView();
  const sideBarTitle = await page.locator('.part.sidebar .composite.title h2').first().textContent();
  assert.match(sideBarTitle ?? '', /PostHog/, `side bar title names the container (got ${sideBarTitle})`);
  const paneTitle = await pane.locator('.pane-header h3.title').textContent();
  assert.equal(paneTitle?.trim(), 'Hog Functions & Groups');
  await pane.locator('.pane-body').waitFor({ state: 'visible' });
  j.step(`side bar shows "${sideBarTitle?.trim()}"`);

  // Opening the view activates the extension (onView activation) — confirmed by the extension host log.
  await j.waitForActivation();
  await j.screenshot('view');

  // A command from the palette: PostHog: Show Log → Output panel with the "PostHog" channel selected.
  await j.runCommand('Show Log');
  const panel = page.locator('.part.panel');
  await panel.locator('.composite-bar .action-item.checked a[aria-label^="Output"]').waitFor({ state: 'visible' });
  const channel = await j.waitFor(async () => {
    const value = await panel
      .locator('select.monaco-select-box')
      .first()
      .inputValue()
      .catch(() => '');
    return value === 'PostHog' && value;
  }, 'the Output panel to show the "PostHog" channel');
  assert.equal(channel, 'PostHog');
  // The channel is the extension's log: it has at least one rendered line.
  await j
    .waitFor(async () => ((await panel.locator('.monaco-editor .view-lines').first().textContent()) ?? '').trim().length > 0, 'the PostHog output channel to have content', {
      timeout: 15000,
    })
    .catch(() => j.step('note: the PostHog output channel is empty'));
  j.step('Output panel shows the "PostHog" channel');
  await j.screenshot('output');
}
