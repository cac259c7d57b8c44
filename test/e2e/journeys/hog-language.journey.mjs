// Issue 6: a syntax error typed into a Hog document shows a diagnostic at the right place soon after
// typing stops, and fixing it clears it. The screenshot shows a realistic function highlighted.
export const title = 'Hog highlighting and live diagnostics in the real editor';

export const options = { signedIn: true };

export default async function hogLanguage(j) {
  const { page, assert } = j;
  await j.openView();
  await j.expandTreeRow('Destinations');
  await j.treeRow('Orders API webhook').click();
  await j.waitForEditorText('fetch(');
  const editor = page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
  await j.screenshot('highlighted');

  // Type an unclosed call at the end; time until the squiggle is drawn.
  await j.typeInEditor('\nprint(inputs.url', { at: 'end' });
  const typedAt = Date.now();
  const squiggle = editor.locator('.squiggly-error').first();
  await squiggle.waitFor({ state: 'attached', timeout: 15000 });
  const ms = Date.now() - typedAt;
  j.step(`diagnostic drawn ${ms} ms after the last keystroke`);
  j.timings.diagnosticMs = ms;

  // The diagnostic is on the last line, where the error is.
  const problems = page.locator('.markers-panel .monaco-list-row');
  await page.keyboard.press('Control+Shift+M');
  await problems.first().waitFor({ state: 'visible' });
  const text = await problems
    .filter({ hasText: /Ln \d+/ })
    .first()
    .innerText();
  const lines = (await j.editorText()).split('\n').length;
  const ln = Number(/Ln (\d+)/.exec(text)?.[1]);
  assert.ok(ln >= lines - 1, `diagnostic at line ${ln}, the error is on line ${lines}: ${text}`);
  await j.screenshot('diagnostic');

  // Fix it: the diagnostic goes away.
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(')');
  await squiggle.waitFor({ state: 'detached', timeout: 15000 });
  j.step('fixed: the diagnostic cleared');
  await page.keyboard.press('Control+Z');
  await page.keyboard.press('Control+Z');
}
