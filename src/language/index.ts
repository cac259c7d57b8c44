/**
 * The Hog language features: diagnostics (our parser, src/hog, + lints, with quick fixes), completion,
 * hover, outline, go to definition, find references and rename, for every document whose language is 'hog' (posthog: documents and local .hog files alike).
 * Highlighting and editing behaviour are declarative (syntaxes/, language-configuration.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../constants';
import { HogAnalyzer, isAnalysisSuperseded, type AnalyzedDocument } from './analyzer';
import { HogCompletionProvider, type InputsSchemaProvider } from './completion';
import { HogDiagnostics, HogQuickFixes, type HogDiagnosticsComputed } from './diagnostics';
import { HogHoverProvider } from './hover';
import { HogDefinitions, HogDocumentSymbols, HogRename, type SymbolsOf } from './navigation';

export type { InputSchemaEntry } from './hogDocs';
export type { InputsSchemaProvider } from './completion';
export type { HogDiagnosticsComputed } from './diagnostics';

export interface HogLanguageDeps {
  readonly log: (message: string) => void;
  /** inputs_schema of the function whose code is at uri, for `inputs.` completion and hover. */
  readonly inputsSchemaFor?: InputsSchemaProvider;
  /** The type of the hog function whose code is at uri (destination, transformation, …), if known. */
  readonly functionTypeFor?: (uri: vscode.Uri) => string | undefined;
}

const SELECTOR: vscode.DocumentSelector = { language: LANGUAGE_ID };

/** The live diagnostics of the registered language support (one per activation). */
let active: HogDiagnostics | undefined;
const computedEmitter = new vscode.EventEmitter<HogDiagnosticsComputed>();

/** Fires whenever Hog diagnostics are published for a document version. */
export const onDidComputeHogDiagnostics: vscode.Event<HogDiagnosticsComputed> = computedEmitter.event;

/** Undefined when the document changed while its analysis ran (a newer one is on its way). */
const unlessSuperseded = (e: unknown): undefined => {
  if (isAnalysisSuperseded(e)) return undefined;
  throw e;
};

export function registerHogLanguage(context: vscode.ExtensionContext, deps: HogLanguageDeps): vscode.Disposable {
  const analyzer = new HogAnalyzer({ log: deps.log, spawnWorker: () => startAnalysisWorker(context.extensionPath) });
  // Asked at every request (VS Code asks for the outline after each edit): the text and the function's
  // type are read only when the version has no analysis yet.
  const analyzed = (document: vscode.TextDocument): AnalyzedDocument => ({
    key: document.uri.toString(),
    version: document.version,
    getText: () => document.getText(),
    get functionType() {
      return deps.functionTypeFor?.(document.uri);
    },
  });
  const symbolsOf: SymbolsOf = (document) => analyzer.symbols(analyzed(document)).catch(unlessSuperseded);
  const findingsOf = (document: vscode.TextDocument) =>
    analyzer
      .findings(analyzed(document))
      .catch(unlessSuperseded)
      .then((r) => r?.findings ?? []);
  const diagnostics = new HogDiagnostics(deps.log, analyzer, analyzed);
  const definitions = new HogDefinitions(symbolsOf);
  active = diagnostics;

  return vscode.Disposable.from(
    diagnostics.onDidCompute((e) => {
      computedEmitter.fire(e);
    }),
    diagnostics,
    analyzer,
    vscode.languages.registerCodeActionsProvider(SELECTOR, new HogQuickFixes(findingsOf), HogQuickFixes.metadata),
    vscode.languages.registerCompletionItemProvider(SELECTOR, new HogCompletionProvider(deps.inputsSchemaFor, deps.log), '.'),
    vscode.languages.registerHoverProvider(SELECTOR, new HogHoverProvider(deps.inputsSchemaFor, deps.log)),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, new HogDocumentSymbols(symbolsOf)),
    vscode.languages.registerDefinitionProvider(SELECTOR, definitions),
    vscode.languages.registerReferenceProvider(SELECTOR, definitions),
    vscode.languages.registerRenameProvider(SELECTOR, new HogRename(symbolsOf)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      analyzer.forget(d.uri.toString());
    }),
    {
      dispose: () => {
        if (active === diagnostics) active = undefined;
      },
    },
  );
}

/**
 * Test hook: resolves with the diagnostics of uri once they have been computed for `version` (default: the
 * open document's current version) or a later one. Rejects after timeoutMs, so a test fails instead of hanging.
 */
export function hogDiagnosticsReady(uri: vscode.Uri, version?: number, timeoutMs = 30_000): Promise<readonly vscode.Diagnostic[]> {
  const key = uri.toString();
  const wanted = version ?? vscode.workspace.textDocuments.find((d) => d.uri.toString() === key)?.version ?? 0;
  const done = (): readonly vscode.Diagnostic[] | undefined => {
    const computed = active?.computedVersion(uri);
    return computed !== undefined && computed >= wanted ? active?.diagnosticsFor(uri) : undefined;
  };
  const now = done();
  if (now) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`Hog diagnostics for ${key}@${wanted} not computed within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = onDidComputeHogDiagnostics(() => {
      const ready = done();
      if (!ready) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(ready);
    });
  });
}

/** The analysis worker (dist/hogAnalysis.js), started at the first large Hog document. */
function startAnalysisWorker(extensionPath: string): Worker {
  const file = path.join(extensionPath, 'dist', 'hogAnalysis.js');
  if (!fs.existsSync(file)) throw new Error('dist/hogAnalysis.js is missing from this installation');
  return new Worker(file);
}
