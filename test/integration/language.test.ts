// Hog language support inside the real editor (issue 6): diagnostics appear at the right place soon
// after typing stops and clear when fixed; the grammar and language configuration are registered.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

  test('every broken statement gets its own diagnostic at its place; fixing one clears only it', async () => {
    const { hogDiagnosticsReady, onDidComputeHogDiagnostics } = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'hog', content: PROGRAM });
    const editor = await vscode.window.showTextDocument(doc);
    await hogDiagnosticsReady(doc.uri, doc.version);
    const timings: number[] = [];
    const listener = onDidComputeHogDiagnostics((e) => {
      if (e.uri.toString() === doc.uri.toString()) timings.push(e.elapsedMs);
    });
    try {
      // Two mistakes in two statements: a stray ":= :=" in the if condition, an unclosed call in the throw.
      const ifLine = doc
        .getText()
        .split('\n')
        .findIndex((l) => l.startsWith('if (res.status'));
      const at = doc.lineAt(ifLine).text.indexOf(')');
      const throwLine = ifLine + 1;
      const call = doc.lineAt(throwLine).text.indexOf('(');
      await editor.edit((b) => {
        b.insert(new vscode.Position(ifLine, at), ' := :=');
        b.insert(new vscode.Position(throwLine, call + 1), 'max(');
      });
      const broken = (await hogDiagnosticsReady(doc.uri, doc.version)).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(
        broken.map((d) => d.range.start.line),
        [ifLine, throwLine],
        `one error per broken statement: ${JSON.stringify(broken.map((d) => [d.range.start.line, d.message]))}`,
      );
      assert.match(broken[0]?.message ?? '', /":="/);
      assert.match(broken[1]?.message ?? '', /close the "\(" opened at 6:/);
      const related = broken[1]?.relatedInformation?.[0];
      assert.ok(related, 'the bracket left open is related information');
      assert.equal(related.message, 'the "(" opened here');
      assert.deepEqual([related.location.range.start.line, related.location.range.start.character], [throwLine, call]);

      // Fix the first: the second stays.
      await editor.edit((b) => b.delete(new vscode.Range(ifLine, at, ifLine, at + ' := :='.length)));
      const after = (await hogDiagnosticsReady(doc.uri, doc.version)).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
      assert.deepEqual(
        after.map((d) => d.range.start.line),
        [throwLine],
      );
      assert.ok(
        timings.every((ms) => ms < 50),
        `each check took ${timings.map((ms) => ms.toFixed(1)).join(', ')} ms`,
      );
    } finally {
      listener.dispose();
    }
  });

  test('outline, go to definition, find references and rename, in the real editor', async () => {
    const code = [
      'let url := inputs.url',
      'fun post(body) {',
      '  let res := fetch(url, {"method": "POST", "body": body})',
      '  return res',
      '}',
      "let result := post({'event': event.event})",
      'print(url, result)',
    ].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'hog', content: code });
    await vscode.window.showTextDocument(doc);
    const at = (line: number, text: string) => new vscode.Position(line, doc.lineAt(line).text.indexOf(text) + 1);

    const outline = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.deepEqual(
      outline.map((s) => [s.name, vscode.SymbolKind[s.kind], s.children.map((c) => c.name)]),
      [
        ['url', 'Variable', []],
        ['post', 'Function', ['res']],
        ['result', 'Variable', []],
      ],
    );

    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, at(6, 'url'));
    const def = defs[0];
    assert.ok(def && 'range' in def);
    assert.deepEqual([def.range.start.line, def.range.start.character, def.range.end.character], [0, 4, 7]);

    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, at(0, 'url'));
    assert.deepEqual(refs.map((r) => r.range.start.line).sort(), [0, 2, 6]);

    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, at(1, 'body'), 'payload');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(doc.lineAt(1).text, 'fun post(payload) {');
    // "body" in double quotes is a name in Hog (the lint says so), so it is this parameter too: renamed, the program means the same.
    assert.match(doc.lineAt(2).text, /\{"method": "POST", "payload": payload\}\)$/);
    // A name already declared would capture uses: refused.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, at(0, 'url'), 'result')),
      /"result" is already declared on line 6/,
    );
    // Globals cannot be renamed: the editor is told why.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.prepareRename', doc.uri, at(0, 'inputs'))),
      /Only variables, functions and parameters declared in this code can be renamed/,
    );
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
  test('a 45 KiB program is analysed in the worker: its lint and quick fix, a clean check after the fix, outline and definition', async () => {
    const { hogDiagnosticsReady, onDidComputeHogDiagnostics } = await api();
    const large = fs.readFileSync(path.join(__dirname, '../../../test/hog/corpus/valid/real_transform_locale_enrichment_large.hog'), 'utf8');
    const doc = await vscode.workspace.openTextDocument({ language: 'hog', content: `let greeting := "hello"\nprint(greeting)\n${large}` });
    await vscode.window.showTextDocument(doc);
    const checks: { version: number; inWorker: boolean }[] = [];
    const listener = onDidComputeHogDiagnostics((e) => {
      if (e.uri.toString() === doc.uri.toString()) checks.push({ version: e.version, inWorker: e.inWorker });
    });
    try {
      const lint = (await hogDiagnosticsReady(doc.uri, doc.version)).find((d) => d.code === 'double-quoted-string');
      assert.ok(lint, 'the double-quoted string lint');
      assert.equal(lint.range.start.line, 0);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, lint.range);
      const fix = actions.find((a) => /single quote/i.test(a.title));
      assert.ok(fix?.edit, 'a quick fix to single quotes');
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(doc.lineAt(0).text, "let greeting := 'hello'");
      const after = await hogDiagnosticsReady(doc.uri, doc.version);
      assert.deepEqual(
        after.map((d) => `${d.range.start.line}: ${d.message}`),
        [],
        'the fixed program is clean',
      );
      assert.deepEqual(checks.at(-1), { version: doc.version, inWorker: true }, 'checked in the analysis worker');

      const outline = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      const parseLocale = outline.find((s) => s.name === 'parseLocale');
      assert.equal(parseLocale?.kind, vscode.SymbolKind.Function);
      assert.equal(parseLocale.detail, '(tag)');
      assert.equal(parseLocale.selectionRange.start.line, 378);
      const use = doc.getText().indexOf('parseLocale(props');
      const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, doc.positionAt(use + 2));
      const def = defs[0];
      assert.ok(def && 'range' in def, 'a definition');
      assert.equal(def.range.start.line, 378);
    } finally {
      listener.dispose();
    }
  });

  test("PostHog's compiler, offline: what it refuses is an error, a call that fails at runtime a warning", async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'hog',
      content: `let total := 1\nlet total := 2\nprint(lookupRegion(total))\nlet arr := [1]\nprint(arr[0])\n`,
    });
    await vscode.window.showTextDocument(doc);
    const found = await until(
      [vscode.languages.onDidChangeDiagnostics],
      () => {
        const all = vscode.languages.getDiagnostics(doc.uri);
        return all.length >= 3 ? all : undefined;
      },
      'the compiler diagnostics',
    );
    const summary = found.map((d) => [d.range.start.line, d.severity, d.message]).sort((a, b) => Number(a[0]) - Number(b[0]));
    assert.deepEqual(summary, [
      [1, vscode.DiagnosticSeverity.Error, 'Variable `total` already declared in this scope (PostHog refuses to save this code).'],
      [2, vscode.DiagnosticSeverity.Warning, 'Hog function `lookupRegion` is not implemented: the run fails at this call.'],
      [4, vscode.DiagnosticSeverity.Error, 'Array access starts from 1 (PostHog refuses to save this code).'],
    ]);
  });
});
