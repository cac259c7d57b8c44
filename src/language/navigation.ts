/**
 * Outline, go to definition, find references and rename for Hog documents, from our parser's scope
 * analysis (src/hog/symbols.ts), one per document version, shared with the diagnostics (analyzer.ts: on
 * the extension host for a typical function, in the analysis worker for a large one).
 */
import * as vscode from 'vscode';
import { nameProblem, type NameRange } from '../hog/parser';
import { symbolAt, type HogSymbolData } from './analysis';

/** The symbols of a document's current version; undefined when it changed while they were computed. */
export type SymbolsOf = (document: vscode.TextDocument) => Promise<readonly HogSymbolData[] | undefined>;

const range = (document: vscode.TextDocument, r: NameRange): vscode.Range => new vscode.Range(document.positionAt(r[0]), document.positionAt(r[1]));

/** Functions (with what they declare at their top level) and the program's top-level variables. */
export class HogDocumentSymbols implements vscode.DocumentSymbolProvider {
  constructor(private readonly symbolsOf: SymbolsOf) {}

  async provideDocumentSymbols(document: vscode.TextDocument): Promise<vscode.DocumentSymbol[]> {
    const symbols = (await this.symbolsOf(document)) ?? [];
    const out: vscode.DocumentSymbol[] = [];
    const functions = new Map<number, vscode.DocumentSymbol>();
    symbols.forEach((s, i) => {
      if (!s.topLevel) return;
      const kind = s.kind === 'function' ? vscode.SymbolKind.Function : vscode.SymbolKind.Variable;
      const full = range(document, s.extent ?? s.declaration);
      const selection = range(document, s.declaration);
      const item = new vscode.DocumentSymbol(s.name, s.detail, kind, full.contains(selection) ? full : selection, selection);
      if (s.kind === 'function') functions.set(i, item);
      const parent = functions.get(s.container);
      if (parent) parent.children.push(item);
      else if (s.container < 0) out.push(item);
    });
    return out;
  }
}

export class HogDefinitions implements vscode.DefinitionProvider, vscode.ReferenceProvider {
  constructor(private readonly symbolsOf: SymbolsOf) {}

  async provideDefinition(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Location | undefined> {
    const symbol = symbolAt((await this.symbolsOf(document)) ?? [], document.offsetAt(position));
    return symbol ? new vscode.Location(document.uri, range(document, symbol.declaration)) : undefined;
  }

  async provideReferences(document: vscode.TextDocument, position: vscode.Position, context: vscode.ReferenceContext): Promise<vscode.Location[]> {
    const symbol = symbolAt((await this.symbolsOf(document)) ?? [], document.offsetAt(position));
    if (!symbol) return [];
    const ranges = context.includeDeclaration ? [symbol.declaration, ...symbol.references] : symbol.references;
    return ranges.map((r) => new vscode.Location(document.uri, range(document, r)));
  }
}

export class HogRename implements vscode.RenameProvider {
  constructor(private readonly symbolsOf: SymbolsOf) {}

  async prepareRename(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Range> {
    const offset = document.offsetAt(position);
    const symbol = symbolAt(await this.current(document), offset);
    if (!symbol) throw new Error('Only variables, functions and parameters declared in this code can be renamed (not globals such as event or inputs, nor library functions).');
    const r = [symbol.declaration, ...symbol.references].find((x) => x[0] <= offset && offset <= x[1]) ?? symbol.declaration;
    return range(document, r);
  }

  async provideRenameEdits(document: vscode.TextDocument, position: vscode.Position, newName: string): Promise<vscode.WorkspaceEdit> {
    const symbols = await this.current(document);
    const symbol = symbolAt(symbols, document.offsetAt(position));
    if (!symbol) throw new Error('Nothing to rename here.');
    const problem = nameProblem(newName);
    if (problem === 'not-a-name') throw new Error(`"${newName}" is not a Hog name: use letters, digits, _ and $, not starting with a digit.`);
    if (problem === 'reserved') throw new Error(`"${newName}" is a reserved word in Hog.`);
    // Another declaration of the new name could capture or hide a use: refuse rather than change meaning.
    const clash = symbols.find((s) => s !== symbol && s.name === newName);
    if (clash) {
      const line = document.positionAt(clash.declaration[0]).line + 1;
      throw new Error(`"${newName}" is already declared on line ${line}: renaming could change which declaration the code uses.`);
    }
    const edit = new vscode.WorkspaceEdit();
    for (const r of [symbol.declaration, ...symbol.references]) edit.replace(document.uri, range(document, r), newName);
    return edit;
  }

  /** The symbols of the current version: a rename must never apply ranges of an older one. */
  private async current(document: vscode.TextDocument): Promise<readonly HogSymbolData[]> {
    const symbols = await this.symbolsOf(document);
    if (!symbols) throw new Error('The document changed: try the rename again.');
    return symbols;
  }
}
