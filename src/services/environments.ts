import * as vscode from 'vscode';
import { ContextKeys, StorageKeys } from '../constants';
import { environmentKey, isEnvironment, normaliseHost, type Environment } from '../model/environment';
import type { KeyStore } from '../auth/keyStore';
import type { ClientPool } from './clients';
import type { Log } from '../util/log';

/**
 * The environments shown in the tree, persisted in globalState (host + project id + name; never keys).
 * With no environment chosen but POSTHOG_PERSONAL_API_KEY set, the key's current project is added on
 * first use, so `POSTHOG_PERSONAL_API_KEY=… code .` shows a populated tree without any sign-in step.
 */
export class EnvironmentRegistry implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private discovery: Promise<void> | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly keys: KeyStore,
    private readonly clients: ClientPool,
    private readonly log: Log,
  ) {}

  list(): Environment[] {
    const raw = this.state.get<unknown>(StorageKeys.environments);
    return Array.isArray(raw) ? raw.filter(isEnvironment) : [];
  }

  find(host: string, projectId: number): Environment | undefined {
    const h = normaliseHost(host);
    return this.list().find((e) => e.host === h && e.projectId === projectId);
  }

  /** Hosts known to the registry, by URI authority (host[:port]) — used to resolve document URIs. */
  hostForAuthority(authority: string): string | undefined {
    const candidates = [...this.list().map((e) => e.host), this.keys.envHost()].filter((h): h is string => !!h);
    return candidates.find((h) => {
      try {
        return new URL(h).host === authority;
      } catch {
        return false; // a malformed host never matches (and never stops a document from opening)
      }
    });
  }

  async add(envs: readonly Environment[]): Promise<void> {
    const all = this.list();
    for (const env of envs) {
      const e = { ...env, host: normaliseHost(env.host) };
      const i = all.findIndex((x) => environmentKey(x) === environmentKey(e));
      if (i >= 0) all[i] = e;
      else all.push(e);
    }
    await this.save(all);
  }

  async remove(env: Environment): Promise<void> {
    await this.save(this.list().filter((e) => environmentKey(e) !== environmentKey(env)));
  }

  async removeHost(host: string): Promise<void> {
    const h = normaliseHost(host);
    await this.save(this.list().filter((e) => e.host !== h));
  }

  /** True when there is something to show (or the env-var route will provide it). */
  hasAny(): boolean {
    return this.list().length > 0 || this.keys.envKey() !== undefined;
  }

  /** Adds the env-var key's current project when nothing is configured yet. Safe to call repeatedly. */
  ensureEnvDiscovered(): Promise<void> {
    if (this.list().length > 0) return Promise.resolve();
    const host = this.keys.envHost();
    if (!host) return Promise.resolve();
    this.discovery ??= (async () => {
      const me = await this.clients.get(host).me();
      if (!me.team) throw new Error('The personal API key from POSTHOG_PERSONAL_API_KEY has no current project.');
      this.log.info('auth', `Using POSTHOG_PERSONAL_API_KEY for ${host}: project ${me.team.id}`);
      await this.add([{ host, projectId: me.team.id, name: me.team.name ?? `Project ${me.team.id}`, organizationName: me.organization?.name }]);
    })().finally(() => {
      this.discovery = undefined;
    });
    return this.discovery;
  }

  async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.hasEnvironments, this.hasAny());
  }

  private async save(envs: Environment[]): Promise<void> {
    await this.state.update(StorageKeys.environments, envs);
    await this.updateContext();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
