/**
 * Tells the user once when a refresh sees an enabled function turn degraded or disabled by PostHog
 * (PostHog itself never does), with Show Logs. The first sight of a function only records its state.
 */
import * as vscode from 'vscode';
import type { HogFunctionSummary } from '../api/schemas';
import { Commands } from '../constants';
import { functionUri } from '../fs/uri';
import { environmentKey, type Environment } from '../model/environment';
import { healthLabel, healthLevel } from '../model/hogFunctionTypes';
import { functionLabel } from '../model/treeModel';
import type { HogFunctionStore } from '../services/hogFunctionStore';

export class HealthWatcher implements vscode.Disposable {
  private readonly seen = new Map<string, number | undefined>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(store: HogFunctionStore) {
    this.subscriptions = [
      store.onDidChangeList((env) => {
        const state = store.listState(env);
        if (state.status === 'loaded') this.check(env, state.items);
      }),
      store.onDidChangeFunction(({ env, fn }) => {
        if (fn) this.check(env, [fn]);
      }),
    ];
  }

  private check(env: Environment, fns: readonly HogFunctionSummary[]): void {
    for (const fn of fns) {
      const key = `${environmentKey(env)}/${fn.id}`;
      const state = fn.enabled ? fn.status?.state : undefined;
      const known = this.seen.has(key);
      const previous = this.seen.get(key);
      this.seen.set(key, state);
      if (!known || state === previous) continue;
      const level = healthLevel(state);
      if (level !== 'warning' && level !== 'error') continue;
      const label = healthLabel(state) ?? 'unhealthy';
      const show = 'Show Logs';
      void vscode.window.showWarningMessage(`"${functionLabel(fn)}" is now ${label} in PostHog (${env.name}): its runs are failing or being held back.`, show).then((picked) => {
        if (picked === show) void vscode.commands.executeCommand(Commands.showFunctionLogs, functionUri(env, fn, 'code'));
      });
    }
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
