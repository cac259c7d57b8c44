/**
 * What local runs leave in the editor: one read-only result document per function (`posthog-run:`,
 * updated in place on every run), the runtime errors as diagnostics on the code (cleared when the code
 * changes, since their lines move), and the re-run hooks the run command installs. Lives in the
 * extension's bundle so a result document restored after a reload has its provider; the runs themselves
 * (worker, compiler, VM) load with the first "Run Locally".
 */
import * as vscode from 'vscode';
import { Commands, RUN_SCHEME } from '../constants';
import { environmentKey, type Environment } from '../model/environment';

const PLACEHOLDER = '# Local run\n\nNo run yet in this window: use **PostHog: Run Locally…** (▶ above the code) to run the function again.\n';

/** A function's name as it can stand in a `posthog-run:` document's path (its id when nothing is left). */
export function runDocumentName(name: string, functionId: string): string {
  return name.replace(/[\\/:*?"<>|#%]+/g, ' ').trim() || functionId;
}

export class RunResults implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Runtime errors of the last run, on the code (and input problems on the inputs document). */
  readonly diagnostics = vscode.languages.createDiagnosticCollection('posthog-run');
  /** The run machinery (worker, listeners) once the first run created it; disposed with this. */
  private readonly attached: { dispose(): unknown }[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(RUN_SCHEME, this),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.diagnostics.has(e.document.uri)) this.diagnostics.delete(e.document.uri);
      }),
    ];
  }

  /**
   * The result document of a function: `posthog-run://<host>/<project>/<function id>/<name> (local run).md`
   * (`what`: "local run", or "test on PostHog").
   */
  uriFor(env: Environment, functionId: string, name: string, what = 'local run', extension = 'md'): vscode.Uri {
    const safe = runDocumentName(name, functionId);
    return vscode.Uri.from({ scheme: RUN_SCHEME, authority: new URL(env.host).host, path: `/${env.projectId}/${functionId}/${safe} (${what}).${extension}` });
  }

  /** The function a `posthog-run:` document belongs to (`/<project>/<function id>/…`), and whether it is its logs. */
  static parseRunUri(uri: vscode.Uri): { authority: string; projectId: number; functionId: string; logs: boolean } | undefined {
    const m = /^\/(\d+)\/([A-Za-z0-9_-]+)\/[^/]*$/.exec(uri.path);
    if (uri.scheme !== RUN_SCHEME || !m) return undefined;
    return { authority: uri.authority, projectId: Number(m[1]), functionId: m[2] ?? '', logs: uri.path.endsWith(' (logs).log') };
  }

  /** Whether a run result of this function is open in an editor tab. */
  isOpen(uri: vscode.Uri): boolean {
    return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()));
  }

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
  }

  /** A transformation's event before and after, for `vscode.diff` from its result document's CodeLens. */
  private readonly diffs = new Map<string, { readonly before: vscode.Uri; readonly after: vscode.Uri; readonly title: string }>();

  setEventDiff(report: vscode.Uri, before: unknown, after: unknown, title: string): void {
    const base = report.path.replace(/\.md$/, '');
    const beforeUri = report.with({ path: `${base} event before.json` });
    const afterUri = report.with({ path: `${base} event after.json` });
    this.set(beforeUri, `${JSON.stringify(before ?? null, null, 2)}\n`);
    this.set(afterUri, `${JSON.stringify(after ?? null, null, 2)}\n`);
    this.diffs.set(report.toString(), { before: beforeUri, after: afterUri, title });
  }

  clearEventDiff(report: vscode.Uri): void {
    this.diffs.delete(report.toString());
  }

  eventDiff(report: vscode.Uri): { readonly before: vscode.Uri; readonly after: vscode.Uri; readonly title: string } | undefined {
    return this.diffs.get(report.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const text = this.texts.get(uri.toString());
    if (text !== undefined) return text;
    if (RunResults.parseRunUri(uri)?.logs) {
      // A logs document restored after a reload: load it (the command reads the function from the URI).
      void vscode.commands.executeCommand(Commands.showFunctionLogs, uri);
      return '# Loading the logs…\n';
    }
    return PLACEHOLDER;
  }

  /** Keeps something the run command created (its worker, its listeners) until the extension stops. */
  attach(disposable: { dispose(): unknown }): void {
    this.attached.push(disposable);
  }

  static key(env: Environment, functionId: string): string {
    return `${environmentKey(env)}/${functionId}`;
  }

  dispose(): void {
    for (const d of this.attached.splice(0)) d.dispose();
    for (const d of this.subscriptions.splice(0)) d.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}
