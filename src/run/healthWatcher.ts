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
import { NextTurnBatch } from '../util/turns';

export class HealthWatcher implements vscode.Disposable {
  /** Per environment: each function's last seen state. */
  private readonly seen = new Map<string, Map<string, number | undefined>>();
  private readonly subscriptions: { dispose(): void }[];

  constructor(store: HogFunctionStore) {
    // A new list is checked in the next turn: a refresh of 10,000 functions fills its own.
    const lists = new NextTurnBatch<Environment>((envs) => {
      for (const env of envs) {
        const state = store.listState(env);
        if (state.status === 'loaded') this.check(env, state.items);
      }
    });
    this.subscriptions = [
      store.onDidChangeList((env) => lists.add(environmentKey(env), env)),
      store.onDidChangeFunction(({ env, fn }) => {
        if (fn) this.check(env, [fn]);
      }),
      lists,
    ];
  }

  private check(env: Environment, fns: readonly HogFunctionSummary[]): void {
    const key = environmentKey(env);
    let seen = this.seen.get(key);
    if (!seen) this.seen.set(key, (seen = new Map<string, number | undefined>()));
    for (const fn of fns) {
      const state = fn.enabled ? fn.status?.state : undefined;
      const known = seen.has(fn.id);
      const previous = seen.get(fn.id);
      if (known && state === previous) continue;
      seen.set(fn.id, state);
      if (!known) continue;
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
