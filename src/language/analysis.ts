/**
 * What the editor needs to know about a Hog program, as plain data: its findings (syntax errors, lints,
 * the compiler's problems: findings.ts) and its symbols (declarations and their uses, for the outline, go
 * to definition, references and rename: src/hog/symbols.ts). Plain data so that it can be computed in the
 * analysis worker (analysisWorker.ts) and posted to the extension host unchanged. Pure; no vscode import.
 */
import type { NameRange, ParseResult } from '../hog/parser';
import { parseProgram } from '../hog/parser';
import { analyzeSymbols, type HogSymbolKind } from '../hog/symbols';
export { symbolAt } from '../hog/symbols';
import { hogFindings } from './findings';
import type { HogFinding } from './lints';

export interface HogSymbolData {
  readonly name: string;
  readonly kind: HogSymbolKind;
  /** The name where it is declared. */
  readonly declaration: NameRange;
  /** The whole declaring statement or expression, when the parser gave it a range (the outline's range). */
  readonly extent: NameRange | undefined;
  /** For a function: its parameters as the outline shows them, `(a, b)`; '' otherwise. */
  readonly detail: string;
  /** Every use that resolves to this declaration (not the declaration itself). */
  readonly references: readonly NameRange[];
  /** Index (in the same list) of the function this symbol is declared inside, or -1. */
  readonly container: number;
  /** Declared at the top level of the program or of a function body. */
  readonly topLevel: boolean;
}

export interface HogAnalysis {
  readonly findings: readonly HogFinding[];
  readonly symbols: readonly HogSymbolData[];
  /** How long the analysis took where it ran. */
  readonly elapsedMs: number;
}

/** The findings of a parsed program (the type of its hog function decides which host functions exist). */
export function findingsOf(code: string, parsed: ParseResult, functionType: string | undefined): HogFinding[] {
  return hogFindings(code, parsed, undefined, { functionType });
}

/** The symbols of a parsed program, as plain data. */
export function symbolsOf(code: string, parsed: ParseResult): HogSymbolData[] {
  const { symbols } = analyzeSymbols(parsed.program, code);
  const index = new Map(symbols.map((s, i) => [s, i]));
  return symbols.map((s) => ({
    name: s.name,
    kind: s.kind,
    declaration: s.declaration,
    extent: s.node.range,
    detail: s.kind === 'function' && s.node.node === 'Function' ? `(${s.node.params.join(', ')})` : '',
    references: s.references,
    container: s.container ? (index.get(s.container) ?? -1) : -1,
    topLevel: s.topLevel,
  }));
}

/** Everything at once: what the analysis worker computes for a large document. */
export function analyzeHog(code: string, functionType: string | undefined): HogAnalysis {
  const started = performance.now();
  const parsed = parseProgram(code);
  const findings = findingsOf(code, parsed, functionType);
  const symbols = symbolsOf(code, parsed);
  return { findings, symbols, elapsedMs: performance.now() - started };
}
