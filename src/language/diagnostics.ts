/**
 * Diagnostics for Hog documents (languageId 'hog', any scheme: posthog: documents and local .hog files):
 * every syntax error our parser finds (src/hog: one per statement, in plain words, at its place) and the
 * lints of lints.ts, debounced by posthogHog.diagnostics.debounceMs, with quick fixes for the lints that
 * have one. The analysis (analyzer.ts) runs on the extension host for a typical function (1–2 ms) and in
 * a worker thread for a large one; a result is published only for the version that is still current.
 */
import * as vscode from 'vscode';
import { LANGUAGE_ID, Settings } from '../constants';
import { isAnalysisSuperseded, type AnalyzedDocument, type HogAnalyzer } from './analyzer';
import type { FindingSeverity, HogFinding } from './lints';

export interface HogDiagnosticsComputed {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly diagnostics: readonly vscode.Diagnostic[];
  /** How long the parse and the lints took. */
  readonly elapsedMs: number;
  /** Whether they ran in the analysis worker (a large document) rather than on the extension host. */
  readonly inWorker: boolean;
}

const SOURCE = 'hog';
export const DEFAULT_DEBOUNCE_MS = 150;

const SEVERITY: Record<FindingSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function rangeOf(document: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(document.positionAt(start), document.positionAt(end));
}

export function toDiagnostic(document: vscode.TextDocument, finding: HogFinding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(rangeOf(document, finding.start, finding.end), finding.message, SEVERITY[finding.severity]);
  d.source = SOURCE;
  d.code = finding.code;
  if (finding.related) {
    const { start, end, message } = finding.related;
    d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(document.uri, rangeOf(document, start, end)), message)];
  }
  return d;
}

export class HogDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('hog');
  private readonly emitter = new vscode.EventEmitter<HogDiagnosticsComputed>();
  /** Fires each time diagnostics are published for a document version (tests wait on it). */
  readonly onDidCompute = this.emitter.event;

  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Last version whose check was published, per document. */
  private readonly computed = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private enabled = true;
  private debounceMs = DEFAULT_DEBOUNCE_MS;

  constructor(
    private readonly log: (message: string) => void,
    private readonly analyzer: HogAnalyzer,
    /** What the analyzer needs of a document (with the type of its hog function). */
    private readonly analyzed: (document: vscode.TextDocument) => AnalyzedDocument,
  ) {
    this.readSettings();
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => {
        this.schedule(d, 0);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document, this.debounceMs);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.forget(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${Settings.section}.diagnostics`)) this.onSettingsChanged();
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** The version whose check was last published for uri, if any. */
  computedVersion(uri: vscode.Uri): number | undefined {
    return this.computed.get(uri.toString());
  }

  diagnosticsFor(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.collection.dispose();
    this.emitter.dispose();
  }

  // ─── internals ───────────────────────────────────────────────────────────────────────────────

  private readSettings(): void {
    const config = vscode.workspace.getConfiguration(Settings.section);
    this.enabled = config.get<boolean>(Settings.diagnosticsEnabled, true);
    const debounce = config.get<number>(Settings.diagnosticsDebounceMs, DEFAULT_DEBOUNCE_MS);
    this.debounceMs = Number.isFinite(debounce) ? Math.min(Math.max(0, debounce), 5000) : DEFAULT_DEBOUNCE_MS;
  }

  private onSettingsChanged(): void {
    const wasEnabled = this.enabled;
    this.readSettings();
    if (!this.enabled) {
      for (const t of this.timers.values()) clearTimeout(t);
      this.timers.clear();
      this.computed.clear();
      this.collection.clear();
    } else if (!wasEnabled) {
      for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    }
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!this.enabled || document.languageId !== LANGUAGE_ID) return;
    const key = document.uri.toString();
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.check(document).catch((err: unknown) => {
          if (isAnalysisSuperseded(err)) return; // the document changed: its newer version is checked next
          this.log(`Hog diagnostics failed for ${key}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        });
      }, delayMs),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.computed.delete(key);
    this.collection.delete(uri);
  }

  /** Closed, disabled or edited while its analysis ran (a large document's takes a while): nothing to publish. */
  private stillWanted(document: vscode.TextDocument, version: number): boolean {
    return this.enabled && !document.isClosed && document.version === version;
  }

  private async check(document: vscode.TextDocument): Promise<void> {
    if (!this.enabled || document.isClosed) return;
    const key = document.uri.toString();
    const version = document.version;
    const { findings, elapsedMs, inWorker } = await this.analyzer.findings(this.analyzed(document));
    if (!this.stillWanted(document, version)) return;
    const diagnostics = findings.map((f) => toDiagnostic(document, f));
    this.collection.set(document.uri, diagnostics);
    this.computed.set(key, version);
    this.log(`checked ${key}@${version}: ${diagnostics.length} problem(s) in ${elapsedMs.toFixed(1)} ms${inWorker ? ' (analysis worker)' : ''}`);
    this.emitter.fire({ uri: document.uri, version, diagnostics, elapsedMs, inWorker });
  }
}

/** Quick fixes for the lints that carry one (double-quoted strings, !, &&, ||, {{ }}, =). */
export class HogQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  /** findingsFor: the findings of a document's current version (from the analyzer, shared with the diagnostics). */
  constructor(private readonly findingsFor: (document: vscode.TextDocument) => Promise<readonly HogFinding[]>) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === SOURCE);
    if (ours.length === 0) return [];
    const version = document.version;
    const findings = await this.findingsFor(document);
    if (document.version !== version) return [];
    const actions: vscode.CodeAction[] = [];
    // Diagnostics reach this provider as copies, without our data: the fix comes from the findings.
    for (const finding of findings) {
      if (!finding.fix) continue;
      const findingRange = rangeOf(document, finding.start, finding.end);
      if (!findingRange.intersection(range)) continue;
      const diagnostic = ours.find((d) => d.code === finding.code && d.range.isEqual(findingRange));
      if (!diagnostic) continue;
      const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      for (const e of finding.fix.edits) action.edit.replace(document.uri, rangeOf(document, e.start, e.end), e.newText);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}
