/**
 * Diagnostics for Hog documents (languageId 'hog', any scheme: posthog: documents and local .hog files):
 * every syntax error our parser finds (src/hog: one per statement, in plain words, at its place) and the
 * lints of lints.ts, debounced by posthogHog.diagnostics.debounceMs, with quick fixes for the lints that
 * have one. The parser takes a few milliseconds even for a 40 KB function, so the check runs right here
 * on the extension host after the debounce; a result is published for the version it checked.
 */
import * as vscode from 'vscode';
import { LANGUAGE_ID, Settings } from '../constants';
import { hogFindings } from './findings';
import { parsedHog } from './parsed';
import type { FindingSeverity, HogFinding } from './lints';

export interface HogDiagnosticsComputed {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly diagnostics: readonly vscode.Diagnostic[];
  /** How long the parse and the lints took. */
  readonly elapsedMs: number;
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
  /** The findings behind the published diagnostics, for the quick fixes. */
  private readonly findings = new Map<string, { readonly version: number; readonly findings: readonly HogFinding[] }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private enabled = true;
  private debounceMs = DEFAULT_DEBOUNCE_MS;

  constructor(
    private readonly log: (message: string) => void,
    /** The type of the hog function whose code is at uri (which host functions it may call). */
    private readonly functionTypeFor: (uri: vscode.Uri) => string | undefined = () => undefined,
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

  /** The findings of the document's current version: cached from the last check, else computed now. */
  findingsFor(document: vscode.TextDocument): readonly HogFinding[] {
    const cached = this.findings.get(document.uri.toString());
    return cached?.version === document.version ? cached.findings : this.compute(document);
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
      this.findings.clear();
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
        try {
          this.check(document);
        } catch (err) {
          this.log(`Hog diagnostics failed for ${key}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        }
      }, delayMs),
    );
  }

  private compute(document: vscode.TextDocument): HogFinding[] {
    return hogFindings(document.getText(), parsedHog(document), undefined, { functionType: this.functionTypeFor(document.uri) });
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.computed.delete(key);
    this.findings.delete(key);
    this.collection.delete(uri);
  }

  private check(document: vscode.TextDocument): void {
    if (!this.enabled || document.isClosed) return;
    const key = document.uri.toString();
    const version = document.version;
    const started = performance.now();
    const findings = this.compute(document);
    const elapsedMs = performance.now() - started;
    const diagnostics = findings.map((f) => toDiagnostic(document, f));
    this.collection.set(document.uri, diagnostics);
    this.findings.set(key, { version, findings });
    this.computed.set(key, version);
    this.log(`checked ${key}@${version}: ${diagnostics.length} problem(s) in ${elapsedMs.toFixed(1)} ms`);
    this.emitter.fire({ uri: document.uri, version, diagnostics, elapsedMs });
  }
}

/** Quick fixes for the lints that carry one (double-quoted strings, !, &&, ||, {{ }}, =). */
export class HogQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  /** findingsFor: the findings of a document's current version (HogDiagnostics.findingsFor). */
  constructor(private readonly findingsFor: (document: vscode.TextDocument) => readonly HogFinding[]) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === SOURCE);
    if (ours.length === 0) return [];
    const actions: vscode.CodeAction[] = [];
    // Diagnostics reach this provider as copies, without our data: the fix comes from the findings.
    for (const finding of this.findingsFor(document)) {
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
