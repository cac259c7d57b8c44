// Issue 15: in a function's Hog code, the Outline lists its functions and variables, F12 jumps to where a
// variable is declared, and F2 renames a parameter everywhere it is used — all from our own parser.
export const title = 'Hog outline, go to definition and rename in the real editor';

export const options = { signedIn: true };

const PROGRAM = ['let url := inputs.url', 'fun post(body) {', "  return fetch(url, {'body': body})", '}', 'print(post(event))'].join('\n');

export default async function hogNavigation(j) {
  const { page, assert } = j;
  await j.openView();
  await j.expandTreeRow('Destinations');
  await j.treeRow('Orders API webhook').click();
  await j.waitForEditorText('fetch(');
  await j.typeInEditor('');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(PROGRAM);
  await j.waitForEditorText('print(post(event))');

  /** Moves the cursor with Go to Line/Column ("line:column", 1-based), from the editor. */
  const goTo = async (where) => {
    await j.typeInEditor('');
    await page.keyboard.press('Control+G');
    await j.quickPick({ type: `:${where}` });
  };
  const cursor = page.locator('.part.statusbar .statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first();
  const cursorAt = async (text) => {
    await cursor.filter({ hasText: text }).waitFor({ state: 'visible', timeout: 10000 });
    j.step(`cursor at ${text}`);
  };

  // Outline: the function and the top-level variable.
  await j.runCommand('Focus on Outline View', { category: 'Explorer' });
  const outline = page.locator('.outline-pane .monaco-list-row, [id="outline"] .monaco-list-row');
  for (const name of ['url', 'post']) await outline.filter({ hasText: name }).first().waitFor({ state: 'visible', timeout: 15000 });
  await j.screenshot('outline');

  // Go to definition: from `url` inside fetch(…) on line 3 to its declaration on line 1.
  await goTo('3:17');
  await cursorAt('Ln 3, Col 17');
  await page.keyboard.press('F12');
  await cursorAt('Ln 1, Col 5');
  j.step('F12 jumped to the declaration of url');

  // Rename the parameter: F2, type the new name, Enter.
  await goTo('2:11');
  await page.keyboard.press('F2');
  const box = page.locator('.rename-box input, .rename-input').first();
  await box.waitFor({ state: 'visible' });
  await box.fill('payload');
  await page.keyboard.press('Enter');
  const text = await j.waitForEditorText('fun post(payload)');
  assert.match(text, /'body': payload\}\)/, 'every use renamed');
  assert.doesNotMatch(text, /\bbody\)/, 'no use left behind');
  await j.screenshot('renamed');

  // Renaming a global is refused with the reason.
  await goTo('1:13');
  await page.keyboard.press('F2');
  const refusal = page.locator('.monaco-editor .monaco-editor-overlaymessage, .monaco-editor .message').filter({ hasText: /Only variables, functions and parameters/ });
  await refusal.first().waitFor({ state: 'visible', timeout: 10000 });
  j.step('renaming inputs is refused with the reason');
  await page.keyboard.press('Escape');

  // Leave PostHog untouched: revert the document.
  await j.runCommand('Revert File', { category: 'File' });
  await j.waitForEditorText('fetch(');
}
