// Hog language support inside the real editor (issue 6): diagnostics appear at the right place soon
// after typing stops and clear when fixed; the grammar and language configuration are registered.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, until } from './helpers';

const PROGRAM = `let res := fetch(inputs.url, {
  'method': 'POST',
  'body': {'event': event.event, 'distinct_id': event.distinct_id}
})
if (res.status >= 400) {
  throw Error(f'Webhook failed: {res.status}')
}
`;

suite('Hog language', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a syntax error gets a diagnostic at its position; fixing it clears it', async () => {
    const { hogDiagnosticsReady } = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'hog', content: PROGRAM });
    const editor = await vscode.window.showTextDocument(doc);
    const clean = await hogDiagnosticsReady(doc.uri, doc.version);
    assert.deepEqual(
      clean.map((d) => d.message),
      [],
    );

    // Break line 6: an unclosed call.
    const line = 5;
    const at = doc.lineAt(line).text.indexOf("f'");
    await editor.edit((b) => b.replace(new vscode.Range(line, at - 1, line, at), '(('));
    const started = Date.now();
    const broken = await hogDiagnosticsReady(doc.uri, doc.version);
    const ms = Date.now() - started;
    console.log(`    hog diagnostics after an edit: ${ms} ms`);
    assert.ok(broken.length > 0, 'a diagnostic for the syntax error');
    const first = broken[0];
    assert.ok(first);
    assert.equal(first.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(first.range.start.line >= line, `reported at line ${first.range.start.line + 1}, the error is on line ${line + 1} or later`);

    await editor.edit((b) => b.replace(new vscode.Range(line, at - 1, line, at + 1), '('));
    const fixed = await hogDiagnosticsReady(doc.uri, doc.version);
    assert.deepEqual(
      fixed.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => d.message),
      [],
    );
  });

  test('an error typed into one statement is shown by the quick check first, then confirmed by the full parse', async () => {
    const { hogDiagnosticsReady, onDidComputeHogDiagnostics } = await api();
    // Nested calls make the full parse slow (tens of ms each), so the quick answer cannot lose the race: they
    // come first, because the parser stops at the first error and the edits below are after them.
    const slowToParse = Array.from({ length: 8 }, (_, i) => `let v${i} := lower(upper(trim(toString(concat(${i}, 'x')))))`).join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'hog', content: `${slowToParse}\n${PROGRAM}` });
    const editor = await vscode.window.showTextDocument(doc);
    await hogDiagnosticsReady(doc.uri, doc.version); // the first full check gives the base for quick checks
    // Comment lines until a quick answer has been seen: the quick worker's cold start is not what this test is about.
    const state = { warmed: false };
    const warm = onDidComputeHogDiagnostics((e) => {
      if (e.provisional && e.uri.toString() === doc.uri.toString()) state.warmed = true;
    });
    try {
      for (let i = 0; i < 10 && !state.warmed; i++) {
        await editor.edit((b) => b.insert(new vscode.Position(doc.lineCount - 1, 0), `// warm-up ${i}\n`));
        await hogDiagnosticsReady(doc.uri, doc.version);
      }
    } finally {
      warm.dispose();
    }
    assert.ok(state.warmed, 'a quick answer within 10 edits');

    const published: { version: number; provisional: boolean; errors: vscode.Diagnostic[] }[] = [];
    const listener = onDidComputeHogDiagnostics((e) => {
      if (e.uri.toString() === doc.uri.toString()) {
        published.push({ version: e.version, provisional: e.provisional, errors: e.diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error) });
      }
    });
    try {
      // A stray assignment after `res.status >= 400` on line 5: self-contained, so only that statement is re-parsed.
      const line = doc
        .getText()
        .split('\n')
        .findIndex((l) => l.startsWith('if (res.status'));
      const at = doc.lineAt(line).text.indexOf(')');
      await editor.edit((b) => b.insert(new vscode.Position(line, at), ' := :='));
      const version = doc.version;
      const full = await hogDiagnosticsReady(doc.uri, version);
      const forVersion = published.filter((p) => p.version === version);
      assert.deepEqual(
        forVersion.map((p) => p.provisional),
        [true, false],
        `a quick answer, then the full one: ${JSON.stringify(forVersion.map((p) => ({ provisional: p.provisional, errors: p.errors.length })))}`,
      );
      const [quick, confirmed] = forVersion;
      assert.ok(quick && confirmed);
      assert.equal(quick.errors.length, 1, 'the quick check found the error');
      assert.deepEqual(quick.errors[0]?.range, confirmed.errors[0]?.range, 'at the same place as the full parse');
      assert.equal(quick.errors[0]?.range.start.line, line);
      assert.deepEqual(
        full.map((d) => d.message),
        confirmed.errors.map((d) => d.message),
      );

      // The fix is diffed against the last error-free version: quick again, and clean.
      await editor.edit((b) => b.delete(new vscode.Range(line, at, line, at + ' := :='.length)));
      const fixedVersion = doc.version;
      await hogDiagnosticsReady(doc.uri, fixedVersion);
      const fixes = published.filter((p) => p.version === fixedVersion);
      assert.deepEqual(
        fixes.map((p) => [p.provisional, p.errors.length]),
        [
          [true, 0],
          [false, 0],
        ],
      );

      // An unclosed call: the quick check reports the bracket without parsing; the full parse keeps it.
      const call = doc.lineAt(line).text.indexOf('(');
      await editor.edit((b) => b.insert(new vscode.Position(line, call + 1), 'max('));
      const unclosedVersion = doc.version;
      const final = await hogDiagnosticsReady(doc.uri, unclosedVersion);
      const unclosed = published.filter((p) => p.version === unclosedVersion);
      assert.deepEqual(
        unclosed.map((p) => p.provisional),
        [true, false],
      );
      const bracket = new vscode.Range(line, call + 4, line, call + 5);
      assert.deepEqual(
        unclosed[0]?.errors.map((d) => [d.code, d.range.isEqual(bracket)]),
        [['unbalanced-bracket', true]],
      );
      assert.ok(
        final.some((d) => d.code === 'unbalanced-bracket' && d.range.isEqual(bracket)),
        'still pointing at the bracket',
      );
    } finally {
      listener.dispose();
    }
  });

  test('lints: double-quoted "strings" are identifiers', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'hog', content: `let greeting := "hello"\nprint(greeting)\n` });
    await vscode.window.showTextDocument(doc);
    // Untitled documents reuse URIs, so wait for this document's lint itself rather than "computed".
    const lint = await until(
      [vscode.languages.onDidChangeDiagnostics],
      () => vscode.languages.getDiagnostics(doc.uri).find((d) => /identifier|single quote/i.test(d.message)),
      'the double-quoted string lint',
    );
    assert.equal(lint.range.start.line, 0);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, lint.range);
    assert.ok(
      actions.some((a) => /single quote/i.test(a.title)),
      'a quick fix to single quotes',
    );
  });
});
