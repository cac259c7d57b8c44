/**
 * Hovering the first line of a function's code shows its health and metrics (last 24 h against the 24 h
 * before, the last hour's failures), with a link to its logs. Metrics are fetched then, cached a minute.
 */
import * as vscode from 'vscode';
import { Commands, LANGUAGE_ID, SCHEME } from '../constants';
import type { PostHogFileSystem } from '../fs/posthogFileSystem';
import { functionUri } from '../fs/uri';
import { healthLabel } from '../model/hogFunctionTypes';
import { describeMetrics } from '../model/metrics';
import { functionLabel } from '../model/treeModel';
import type { FunctionMetrics } from '../services/functionMetrics';
import type { HogFunctionStore } from '../services/hogFunctionStore';
import { errorMessage } from '../util/errorMessage';

export class FunctionHover implements vscode.HoverProvider {
  static readonly selector: vscode.DocumentSelector = { scheme: SCHEME, language: LANGUAGE_ID };

  constructor(
    private readonly fs: PostHogFileSystem,
    private readonly store: HogFunctionStore,
    private readonly metrics: FunctionMetrics,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (position.line !== 0) return undefined;
    let target;
    try {
      target = this.fs.resolve(document.uri);
    } catch {
      return undefined;
    }
    const { env, ref } = target;
    if (ref.kind !== 'code') return undefined;
    const fn = this.store.summary(env, ref.functionId);
    if (!fn) return undefined;
    const md = new vscode.MarkdownString();
    md.isTrusted = { enabledCommands: [Commands.showFunctionLogs] };
    const state = fn.enabled ? `enabled · ${healthLabel(fn.status?.state) ?? 'health unknown'}` : 'disabled';
    md.appendMarkdown(`**${functionLabel(fn).replace(/[\\`*_[\]<>]/g, '\\$&')}** in PostHog: ${state}\n\n`);
    try {
      const m = await this.metrics.get(env, fn.id);
      md.appendMarkdown(`Last 24 h: ${describeMetrics(m)}  \nLast hour: ${(m.lastHour.failed ?? 0).toLocaleString('en-US')} failed\n\n`);
    } catch (e) {
      md.appendMarkdown(`Metrics unavailable: ${errorMessage(e)}\n\n`);
    }
    if (token.isCancellationRequested) return undefined;
    const args = encodeURIComponent(JSON.stringify([functionUri(env, fn, 'code')]));
    md.appendMarkdown(`[Show logs](command:${Commands.showFunctionLogs}?${args})`);
    return new vscode.Hover(md, document.lineAt(0).range);
  }
}
