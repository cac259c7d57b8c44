/**
 * Diagnostics for Hog documents (languageId 'hog', any scheme: posthog: documents and local .hog files):
 * the parser's syntax error (from the worker, made readable) plus the lints of lints.ts, debounced by
 * posthogHog.diagnostics.debounceMs, and quick fixes for the lints that have one.
 *
 * Nothing here blocks the extension host: the parse and the lints run in the worker (the lints fall back to
 * this thread only when the worker could not answer). A result is only published if the document is still
 * open at the version that was parsed.
 */
import * as vscode from 'vscode';
import { LANGUAGE_ID, Settings } from '../constants';
import type { HogParserClient, ParseOutcome } from './hogParserClient';
import { combineFindings, lintHog, type FindingSeverity, type HogFinding } from './lints';

export interface HogDiagnosticsComputed {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly diagnostics: readonly vscode.Diagnostic[];
  readonly outcome: ParseOutcome['kind'];
}

const SOURCE = 'hog';
/** After a timeout, a document is re-checked at most this often: each check may cost a worker restart. */
const SLOW_DOCUMENT_DEBOUNCE_MS = 3000;

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
  return d;
}

export class HogDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('hog');
  private readonly emitter = new vscode.EventEmitter<HogDiagnosticsComputed>();
  /** Fires each time diagnostics are published for a document version (tests wait on it). */
  readonly onDidCompute = this.emitter.event;

  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Last version published per document. */
  private readonly computed = new Map<string, number>();
  /** Documents whose last check timed out. */
  private readonly slow = new Set<string>();
  /** The findings behind the published diagnostics, for the quick fixes. */
  private readonly findings = new Map<string, { readonly version: number; readonly findings: readonly HogFinding[] }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private enabled = true;
  private debounceMs = 250;
  /** The last worker failure logged, so that a broken worker does not log on every keystroke. */
  private lastFailure: string | undefined;

  constructor(
    private readonly client: HogParserClient,
    private readonly log: (message: string) => void,
  ) {
    this.readSettings();
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => {
        this.schedule(d, 0);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document, this.delayFor(e.document));
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

  /** The version whose diagnostics were last published for uri, if any. */
  computedVersion(uri: vscode.Uri): number | undefined {
    return this.computed.get(uri.toString());
  }

  diagnosticsFor(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  /** The findings of the document's current version: cached from the last check, else linted now. */
  findingsFor(document: vscode.TextDocument): readonly HogFinding[] {
    const cached = this.findings.get(document.uri.toString());
    return cached?.version === document.version ? cached.findings : lintHog(document.getText());
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
    const debounce = config.get<number>(Settings.diagnosticsDebounceMs, 250);
    this.debounceMs = Number.isFinite(debounce) ? Math.min(Math.max(0, debounce), 5000) : 250;
  }

  private onSettingsChanged(): void {
    const wasEnabled = this.enabled;
    this.readSettings();
    if (!this.enabled) {
      for (const [key, t] of this.timers) {
        clearTimeout(t);
        this.client.cancel(key);
      }
      this.timers.clear();
      this.computed.clear();
      this.findings.clear();
      this.collection.clear();
    } else if (!wasEnabled) {
      for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    }
  }

  private delayFor(document: vscode.TextDocument): number {
    return this.slow.has(document.uri.toString()) ? Math.max(this.debounceMs, SLOW_DOCUMENT_DEBOUNCE_MS) : this.debounceMs;
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
    this.client.cancel(key);
    this.computed.delete(key);
    this.findings.delete(key);
    this.slow.delete(key);
    this.collection.delete(uri);
  }

  private async check(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    const version = document.version;
    const code = document.getText();
    const outcome = await this.client.parse({ key, version, code, kind: 'program', lint: true });
    if (outcome.kind === 'superseded' || outcome.kind === 'disposed') return;
    // The document moved on (or closed) while the parse ran: a newer check is scheduled or nothing is needed.
    if (!this.enabled || document.isClosed || document.version !== version) return;

    const extra: vscode.Diagnostic[] = [];
    let findings: readonly HogFinding[];
    if (outcome.kind === 'parsed') {
      findings = outcome.findings ?? combineFindings(code, outcome.errors);
      this.slow.delete(key);
    } else {
      // No answer from the worker: the lints still run, here.
      findings = lintHog(code);
      if (outcome.kind === 'timeout') {
        this.slow.add(key);
        const firstLine = document.lineAt(0).range;
        const d = new vscode.Diagnostic(
          firstLine,
          `Hog syntax check timed out after ${Math.round(outcome.timeoutMs / 1000)} s (the parser is slow on large, call-heavy code). It runs again after the next change.`,
          vscode.DiagnosticSeverity.Information,
        );
        d.source = SOURCE;
        d.code = 'check-timed-out';
        extra.push(d);
      } else if (outcome.message !== this.lastFailure) {
        this.lastFailure = outcome.message;
        this.log(`Hog syntax check unavailable: ${outcome.message}`);
      }
    }
    const diagnostics = [...findings.map((f) => toDiagnostic(document, f)), ...extra];
    this.collection.set(document.uri, diagnostics);
    this.computed.set(key, version);
    this.findings.set(key, { version, findings });
    if (outcome.kind === 'parsed') {
      this.log(`checked ${key}@${version}: ${diagnostics.length} problem(s), parse ${Math.round(outcome.parseMs)} ms, total ${Math.round(outcome.elapsedMs)} ms`);
    }
    this.emitter.fire({ uri: document.uri, version, diagnostics, outcome: outcome.kind });
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
