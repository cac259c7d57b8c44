/**
 * The status bar item of the function whose document is in the active editor: enabled, health
 * (PostHog's `status.state`) and the failures of the last hour (metrics, asked once the function has
 * stayed in the active editor for a second, cached a minute); a click opens its logs. Also the hover of
 * a function's first line: health, the last 24 h against the 24 h before, the last hour, a link to the
 * logs.
 */
import * as vscode from 'vscode';
import { Commands, LANGUAGE_ID, SCHEME } from '../constants';
import type { PostHogFileSystem } from '../fs/posthogFileSystem';
import { functionUri } from '../fs/uri';
import { healthLabel, healthLevel } from '../model/hogFunctionTypes';
import { describeMetrics } from '../model/metrics';
import { functionLabel } from '../model/treeModel';
import { errorMessage } from '../util/errorMessage';
import type { Environment } from '../model/environment';
import type { EnvironmentRegistry } from '../services/environments';
import type { FunctionMetrics } from '../services/functionMetrics';
import type { HogFunctionStore } from '../services/hogFunctionStore';
import { RunResults } from './results';

/**
 * How long a function's document stays active before the status item asks for its metrics: opening a
 * function costs only its GET, and flipping through functions (Ctrl+Tab, Go to File) asks for none.
 */
const METRICS_DWELL_MS = 1000;

export class FunctionStatus implements vscode.Disposable, vscode.HoverProvider {
  static readonly hoverSelector: vscode.DocumentSelector = { scheme: SCHEME, language: LANGUAGE_ID };

  private readonly item = vscode.window.createStatusBarItem('posthogHog.functionStatus', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];
  private generation = 0;
  private metricsTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fs: PostHogFileSystem,
    private readonly registry: EnvironmentRegistry,
    private readonly store: HogFunctionStore,
    private readonly metrics: FunctionMetrics,
  ) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      store.onDidChangeFunction(() => this.update()),
      store.onDidChangeList(() => this.update()),
    ];
    this.update();
  }

  private update(): void {
    const generation = ++this.generation;
    clearTimeout(this.metricsTimer);
    const target = this.functionOf(vscode.window.activeTextEditor?.document.uri);
    const fn = target && this.store.summary(target.env, target.functionId);
    if (!target || !fn) {
      this.item.hide();
      return;
    }
    const { env } = target;
    const level = fn.enabled ? healthLevel(fn.status?.state) : 'unknown';
    const health = fn.enabled ? (healthLabel(fn.status?.state) ?? 'enabled') : 'disabled';
    const icon = !fn.enabled ? '$(circle-slash)' : level === 'error' ? '$(error)' : level === 'warning' ? '$(warning)' : '$(pulse)';
    const base = `${icon} ${fn.enabled ? `enabled · ${health}` : 'disabled'}`;
    this.item.text = base;
    this.item.backgroundColor =
      level === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : level === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = `${fn.name ?? fn.id} in PostHog: ${health}. Click to show its logs.`;
    this.item.command = { command: Commands.showFunctionLogs, title: 'Show Function Logs', arguments: [functionUri(env, fn, 'code')] };
    this.item.show();
    if (!fn.enabled) return;
    const showFailures = (metrics: ReturnType<FunctionMetrics['get']>): void => {
      metrics.then(
        (m) => {
          if (generation !== this.generation) return;
          const failed = m.lastHour.failed ?? 0;
          this.item.text = `${base} · ${failed.toLocaleString('en-US')} failed in the last hour`;
        },
        () => undefined, // the status stays without the count; the tooltip's metrics row says why
      );
    };
    const known = this.metrics.cached(env, fn.id);
    if (known) showFailures(known);
    else {
      this.metricsTimer = setTimeout(() => {
        if (generation === this.generation) showFailures(this.metrics.get(env, fn.id));
      }, METRICS_DWELL_MS);
    }
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const target = position.line === 0 ? this.functionOf(document.uri) : undefined;
    const fn = target && this.store.summary(target.env, target.functionId);
    if (!target || !fn) return undefined;
    const md = new vscode.MarkdownString();
    md.isTrusted = { enabledCommands: [Commands.showFunctionLogs] };
    const state = fn.enabled ? `enabled · ${healthLabel(fn.status?.state) ?? 'health unknown'}` : 'disabled';
    md.appendMarkdown(`**${functionLabel(fn).replace(/[\\`*_[\]<>]/g, '\\$&')}** in PostHog: ${state}\n\n`);
    try {
      const m = await this.metrics.get(target.env, fn.id);
      md.appendMarkdown(`Last 24 h: ${describeMetrics(m)}  \nLast hour: ${(m.lastHour.failed ?? 0).toLocaleString('en-US')} failed\n\n`);
    } catch (e) {
      md.appendMarkdown(`Metrics unavailable: ${errorMessage(e)}\n\n`);
    }
    if (token.isCancellationRequested) return undefined;
    md.appendMarkdown(`[Show logs](command:${Commands.showFunctionLogs}?${encodeURIComponent(JSON.stringify([functionUri(target.env, fn, 'code')]))})`);
    return new vscode.Hover(md, document.lineAt(0).range);
  }

  /** The function a document belongs to: its code, inputs or filters, or its run results and logs. */
  private functionOf(uri: vscode.Uri | undefined): { env: Environment; functionId: string } | undefined {
    const run = uri && RunResults.parseRunUri(uri);
    if (run) {
      const host = this.registry.hostForAuthority(run.authority);
      const env = host ? this.registry.find(host, run.projectId) : undefined;
      return env ? { env, functionId: run.functionId } : undefined;
    }
    if (uri?.scheme !== SCHEME) return undefined;
    try {
      const { env, ref } = this.fs.resolve(uri);
      return ref.kind === 'code' || ref.kind === 'inputs' || ref.kind === 'filters' ? { env, functionId: ref.functionId } : undefined;
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.metricsTimer);
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.item.dispose();
  }
}
