/**
 * One parse per Hog document version, shared by everything that needs it: diagnostics after the debounce,
 * and the outline, go to definition, references and rename (VS Code asks for the outline on every edit).
 */
import type * as vscode from 'vscode';
import { parseProgram, type ParseResult } from '../hog/parser';
import { analyzeSymbols, type HogSymbols } from '../hog/symbols';

interface Parsed {
  readonly version: number;
  readonly text: string;
  readonly result: ParseResult;
  symbols?: HogSymbols;
}

const cache = new Map<string, Parsed>();

function parsed(document: vscode.TextDocument): Parsed {
  const key = document.uri.toString();
  const hit = cache.get(key);
  if (hit?.version === document.version) return hit;
  const text = document.getText();
  const entry: Parsed = { version: document.version, text, result: parseProgram(text) };
  cache.set(key, entry);
  return entry;
}

/** The parse of the document's current version (its text is `document.getText()`). */
export function parsedHog(document: vscode.TextDocument): ParseResult {
  return parsed(document).result;
}

/** The declarations and uses of the document's current version. */
export function hogSymbolsOf(document: vscode.TextDocument): HogSymbols {
  const entry = parsed(document);
  entry.symbols ??= analyzeSymbols(entry.result.program, entry.text);
  return entry.symbols;
}

/** Forgets a closed document. */
export function forgetParsedHog(uri: vscode.Uri): void {
  cache.delete(uri.toString());
}
