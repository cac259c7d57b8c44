/**
 * Diagnostics for Hog documents (languageId 'hog', any scheme: posthog: documents and local .hog files):
 * the parser's syntax error (from the worker, made readable) plus the lints of lints.ts, debounced by
 * posthogHog.diagnostics.debounceMs, and quick fixes for the lints that have one.
 *
 * Two answers per change. The quick one parses only the statements that changed since the last version
 * without syntax errors (incremental.ts) in a worker of its own, so it takes milliseconds even in a large
 * document, or, when the changed statements' brackets do not add up, reports that without parsing; the
 * full parse follows in the main worker and its answer replaces the quick one (and gives the outline for
 * the next quick answer). Without a usable base, only the full parse runs.
 *
 * Nothing here blocks the extension host: the parses and the lints run in the workers (the lints fall back to
 * this thread only when the worker could not answer). A result is only published if the document is still
 * open at the version that was parsed, and a quick answer never replaces the full one of the same version.
 */
import * as vscode from 'vscode';
import { LANGUAGE_ID, Settings } from '../constants';
import type { HogParserClient, ParseOutcome } from './hogParserClient';
import { planQuickCheck, type ParseBase, type QuickPlan } from './incremental';
import { lintHog, type FindingSeverity, type HogFinding } from './lints';
import { combineFindings } from './parserMessages';

export interface HogDiagnosticsComputed {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly diagnostics: readonly vscode.Diagnostic[];
  readonly outcome: ParseOutcome['kind'];
  /** A quick answer from the changed statements only; the full parse's answer for this version follows. */
  readonly provisional: boolean;
}

export interface HogParserClients {
  /** Parses whole documents (and returns their outline). */
  readonly full: HogParserClient;
  /** Parses the changed statements only; without it, every check waits for the full parse. */
  readonly quick?: HogParserClient;
}

const SOURCE = 'hog';
/** After a timeout, a document is re-checked at most this often: each check may cost a worker restart. */
const SLOW_DOCUMENT_DEBOUNCE_MS = 3000;
/** A quick parse covers a few statements: if it takes longer than this, the full parse will do. */
const QUICK_PARSE_TIMEOUT_MS = 3000;
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
  return d;
}

export class HogDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('hog');
  private readonly emitter = new vscode.EventEmitter<HogDiagnosticsComputed>();
  /** Fires each time diagnostics are published for a document version (tests wait on it). */
  readonly onDidCompute = this.emitter.event;

  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Last version whose full check was published, per document. */
  private readonly computed = new Map<string, number>();
  /** Per document, the last version that parsed without errors, with its outline: what quick checks diff against. */
  private readonly bases = new Map<string, ParseBase>();
  /** Documents whose last check timed out. */
  private readonly slow = new Set<string>();
  /** The findings behind the published diagnostics, for the quick fixes. */
  private readonly findings = new Map<string, { readonly version: number; readonly findings: readonly HogFinding[] }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private enabled = true;
  private debounceMs = DEFAULT_DEBOUNCE_MS;
  /** The last worker failure logged, so that a broken worker does not log on every keystroke. */
  private lastFailure: string | undefined;

  private readonly client: HogParserClient;
  private readonly quick: HogParserClient | undefined;

  constructor(
    clients: HogParserClients,
    private readonly log: (message: string) => void,
  ) {
    this.client = clients.full;
    this.quick = clients.quick;
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

  /** The version whose full check was last published for uri, if any (quick answers do not count). */
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
    const debounce = config.get<number>(Settings.diagnosticsDebounceMs, DEFAULT_DEBOUNCE_MS);
    this.debounceMs = Number.isFinite(debounce) ? Math.min(Math.max(0, debounce), 5000) : DEFAULT_DEBOUNCE_MS;
  }

  private onSettingsChanged(): void {
    const wasEnabled = this.enabled;
    this.readSettings();
    if (!this.enabled) {
      for (const [key, t] of this.timers) {
        clearTimeout(t);
        this.client.cancel(key);
        this.quick?.cancel(key);
      }
      this.timers.clear();
      this.computed.clear();
      this.bases.clear();
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
    this.quick?.cancel(key);
    this.computed.delete(key);
    this.bases.delete(key);
    this.findings.delete(key);
    this.slow.delete(key);
    this.collection.delete(uri);
  }

  private async check(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    const version = document.version;
    const code = document.getText();
    const base = this.bases.get(key);
    const plan = this.quick && base ? planQuickCheck(base, code) : undefined;
    if (plan) {
      this.quickCheck(document, version, code, plan).catch((err: unknown) => {
        this.log(`quick Hog check failed for ${key}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      });
    }
    const outcome = await this.client.parse({ key, version, code, kind: 'program', lint: true, outline: true });
    if (outcome.kind === 'superseded' || outcome.kind === 'disposed') return;
    // The document moved on (or closed) while the parse ran: a newer check is scheduled or nothing is needed.
    if (!this.enabled || document.isClosed || document.version !== version) return;

    const extra: vscode.Diagnostic[] = [];
    let findings: readonly HogFinding[];
    if (outcome.kind === 'parsed') {
      findings = outcome.findings ?? combineFindings(code, outcome.errors);
      // The parser notices a missing bracket where it gives up, often lines later: keep pointing at the bracket.
      if (plan?.kind === 'unbalanced' && outcome.errors.length > 0 && !findings.some((f) => f.start === plan.finding.start && f.severity === 'error')) {
        findings = [...findings, plan.finding].sort((x, y) => x.start - y.start);
      }
      this.slow.delete(key);
      if (outcome.errors.length === 0 && outcome.outline) {
        this.bases.set(key, { text: code, outline: outcome.outline });
        // The next edit can be checked quickly: have that worker ready for it.
        this.quick?.prestart();
      }
    } else {
      // No answer from the full parse: keep the quick answer's findings for this version if there is one,
      // else the lints still run, here.
      const quick = this.findings.get(key);
      findings = quick?.version === version ? quick.findings : lintHog(code);
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
    this.computed.set(key, version);
    const diagnostics = this.publish(document, version, findings, extra);
    if (outcome.kind === 'parsed') {
      this.log(`checked ${key}@${version}: ${diagnostics.length} problem(s), parse ${Math.round(outcome.parseMs)} ms, total ${Math.round(outcome.elapsedMs)} ms`);
    }
    this.emitter.fire({ uri: document.uri, version, diagnostics, outcome: outcome.kind, provisional: false });
  }

  /**
   * Parses only the changed statements (or, for brackets that do not add up, only lints) and publishes the
   * result, unless the full answer for this version came first.
   */
  private async quickCheck(document: vscode.TextDocument, version: number, code: string, plan: QuickPlan): Promise<void> {
    if (!this.quick) return;
    const key = document.uri.toString();
    const job = plan.kind === 'parse' ? { range: plan.chunk } : { skipParse: true };
    const outcome = await this.quick.parse({ key, version, code, kind: 'program', lint: true, timeoutMs: QUICK_PARSE_TIMEOUT_MS, ...job });
    if (outcome.kind !== 'parsed' || !outcome.findings) return; // the full parse answers anyway
    if (!this.enabled || document.isClosed || document.version !== version || this.computed.get(key) === version) return;
    const findings = plan.kind === 'parse' ? outcome.findings : [...outcome.findings, plan.finding].sort((a, b) => a.start - b.start);
    const diagnostics = this.publish(document, version, findings, []);
    const what = plan.kind === 'parse' ? `${plan.chunk.end - plan.chunk.start} of ${code.length} chars` : 'unbalanced brackets';
    this.log(`quick check ${key}@${version}: ${diagnostics.length} problem(s), ${what}, parse ${Math.round(outcome.parseMs)} ms, total ${Math.round(outcome.elapsedMs)} ms`);
    this.emitter.fire({ uri: document.uri, version, diagnostics, outcome: outcome.kind, provisional: true });
  }

  private publish(document: vscode.TextDocument, version: number, findings: readonly HogFinding[], extra: readonly vscode.Diagnostic[]): vscode.Diagnostic[] {
    const diagnostics = [...findings.map((f) => toDiagnostic(document, f)), ...extra];
    this.collection.set(document.uri, diagnostics);
    this.findings.set(document.uri.toString(), { version, findings });
    return diagnostics;
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
