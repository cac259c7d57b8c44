/**
 * Outline, go to definition, find references and rename for Hog documents, from our parser's AST and
 * its scope analysis (src/hog/symbols.ts). One parse per document version, shared with the diagnostics
 * (parsed.ts).
 */
import * as vscode from 'vscode';
import type { Expr, Statement } from '../hog/ast';
import { nameProblem, type NameRange } from '../hog/parser';
import type { HogSymbol } from '../hog/symbols';
import { hogSymbolsOf as symbolsOf } from './parsed';

const range = (document: vscode.TextDocument, r: NameRange): vscode.Range => new vscode.Range(document.positionAt(r[0]), document.positionAt(r[1]));

function nodeRange(document: vscode.TextDocument, node: Statement | Expr, fallback: NameRange): vscode.Range {
  return range(document, node.range ?? fallback);
}

/** Functions (with what they declare at their top level) and the program's top-level variables. */
export class HogDocumentSymbols implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const { symbols } = symbolsOf(document);
    const out: vscode.DocumentSymbol[] = [];
    const byFunction = new Map<HogSymbol, vscode.DocumentSymbol>();
    for (const s of symbols) {
      if (!s.topLevel) continue;
      const kind = s.kind === 'function' ? vscode.SymbolKind.Function : vscode.SymbolKind.Variable;
      const detail = s.kind === 'function' && s.node.node === 'Function' ? `(${s.node.params.join(', ')})` : '';
      const full = nodeRange(document, s.node, s.declaration);
      const selection = range(document, s.declaration);
      const item = new vscode.DocumentSymbol(s.name, detail, kind, full.contains(selection) ? full : selection, selection);
      if (s.kind === 'function') byFunction.set(s, item);
      const parent = s.container ? byFunction.get(s.container) : undefined;
      if (parent) parent.children.push(item);
      else if (!s.container) out.push(item);
    }
    return out;
  }
}

export class HogDefinitions implements vscode.DefinitionProvider, vscode.ReferenceProvider {
  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const symbol = symbolsOf(document).at(document.offsetAt(position));
    return symbol ? new vscode.Location(document.uri, range(document, symbol.declaration)) : undefined;
  }

  provideReferences(document: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): vscode.Location[] {
    const symbol = symbolsOf(document).at(document.offsetAt(position));
    if (!symbol) return [];
    const ranges = context.includeDeclaration ? [symbol.declaration, ...symbol.references] : symbol.references;
    return ranges.map((r) => new vscode.Location(document.uri, range(document, r)));
  }
}

export class HogRename implements vscode.RenameProvider {
  prepareRename(document: vscode.TextDocument, position: vscode.Position): vscode.Range {
    const offset = document.offsetAt(position);
    const symbol = symbolsOf(document).at(offset);
    if (!symbol) throw new Error('Only variables, functions and parameters declared in this code can be renamed (not globals such as event or inputs, nor library functions).');
    const r = [symbol.declaration, ...symbol.references].find((x) => x[0] <= offset && offset <= x[1]) ?? symbol.declaration;
    return range(document, r);
  }

  provideRenameEdits(document: vscode.TextDocument, position: vscode.Position, newName: string): vscode.WorkspaceEdit {
    const symbol = symbolsOf(document).at(document.offsetAt(position));
    if (!symbol) throw new Error('Nothing to rename here.');
    const problem = nameProblem(newName);
    if (problem === 'not-a-name') throw new Error(`"${newName}" is not a Hog name: use letters, digits, _ and $, not starting with a digit.`);
    if (problem === 'reserved') throw new Error(`"${newName}" is a reserved word in Hog.`);
    // Another declaration of the new name could capture or hide a use: refuse rather than change meaning.
    const clash = symbolsOf(document).symbols.find((s) => s !== symbol && s.name === newName);
    if (clash) {
      const line = document.positionAt(clash.declaration[0]).line + 1;
      throw new Error(`"${newName}" is already declared on line ${line}: renaming could change which declaration the code uses.`);
    }
    const edit = new vscode.WorkspaceEdit();
    for (const r of [symbol.declaration, ...symbol.references]) edit.replace(document.uri, range(document, r), newName);
    return edit;
  }
}
