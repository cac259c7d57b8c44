/**
 * Loads the Hog language features (dist/language.js: lints, completion, hover, the parser client and
 * its STL tables) when the first Hog document opens, not at activation: most activations are the tree
 * or a command, and the chunk is a third of the extension's code. Only types come from './index' here,
 * so the bundle of the extension does not contain it.
 */
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../constants';
import { exportsFunctions, loadChunk } from '../util/chunk';
import { errorMessage } from '../util/errorMessage';
import type * as LanguageModule from './index';
import type { HogDiagnosticsComputed, HogLanguageDeps } from './index';

type Language = typeof LanguageModule;

export class LazyHogLanguage implements vscode.Disposable {
  private language: Language | undefined;
  private failed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly computed = new vscode.EventEmitter<HogDiagnosticsComputed>();
  /** Every publication of Hog diagnostics (fires once the features are loaded). */
  readonly onDidComputeHogDiagnostics = this.computed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: HogLanguageDeps,
    private readonly load: () => Language = () => loadChunk(context.extensionPath, 'language', isLanguage),
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (d.languageId === LANGUAGE_ID) this.ensureOrSay();
      }),
    );
    if (vscode.workspace.textDocuments.some((d) => d.languageId === LANGUAGE_ID)) this.ensureOrSay();
  }

  /** Loads the features for an opened Hog document; a broken install is said once, not thrown at VS Code. */
  private ensureOrSay(): void {
    try {
      this.ensure();
    } catch (e) {
      if (this.failed) return;
      this.failed = true;
      const message = `Hog language features are unavailable: ${errorMessage(e)} Reinstall the extension.`;
      this.deps.log(message);
      void vscode.window.showErrorMessage(message);
    }
  }

  /** Resolves with the diagnostics of uri once computed for `version` (loads the features if needed). */
  hogDiagnosticsReady = (uri: vscode.Uri, version?: number, timeoutMs?: number): Promise<readonly vscode.Diagnostic[]> =>
    this.ensure().hogDiagnosticsReady(uri, version, timeoutMs);

  private ensure(): Language {
    if (this.language) return this.language;
    const started = performance.now();
    const language = this.load();
    this.language = language;
    this.disposables.push(
      language.registerHogLanguage(this.context, this.deps),
      language.onDidComputeHogDiagnostics((e) => {
        this.computed.fire(e);
      }),
    );
    this.deps.log(`language features loaded in ${(performance.now() - started).toFixed(1)} ms`);
    return language;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    this.computed.dispose();
  }
}

function isLanguage(m: unknown): m is Language {
  return exportsFunctions(m, ['registerHogLanguage', 'hogDiagnosticsReady', 'onDidComputeHogDiagnostics']);
}
