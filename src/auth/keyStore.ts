import * as vscode from 'vscode';
import { EnvVars, Settings, StorageKeys } from '../constants';
import { apiHostFromEnv, normaliseHost } from '../model/environment';

/**
 * Personal API keys, one per host, in SecretStorage. Nothing secret goes to settings or logs.
 * When no key is stored for a host, the editor's POSTHOG_PERSONAL_API_KEY applies to the host named by
 * POSTHOG_HOST (or the `posthogHog.defaultHost` setting) — PostHog's own docs use these names.
 */
export class KeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the host whose key changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /**
   * Stored keys by secret name, read once: every request asks for its host's key, and each SecretStorage
   * read is a round trip to the workbench (in code-server, to the browser). Dropped when it changes.
   */
  private readonly cache = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      this.cache.delete(e.key);
      if (e.key.startsWith(StorageKeys.secretPrefix)) this.changed.fire(e.key.slice(StorageKeys.secretPrefix.length));
    });
  }

  async get(host: string): Promise<string | undefined> {
    const h = normaliseHost(host);
    const stored = await this.stored(h);
    if (stored) return stored;
    const envKey = this.envKey();
    return envKey && this.envHost() === h ? envKey : undefined;
  }

  async hasStored(host: string): Promise<boolean> {
    return (await this.stored(normaliseHost(host))) !== undefined;
  }

  async set(host: string, key: string): Promise<void> {
    const name = StorageKeys.secretPrefix + normaliseHost(host);
    this.cache.delete(name);
    try {
      await this.secrets.store(name, key);
    } finally {
      this.cache.delete(name);
    }
  }

  async delete(host: string): Promise<void> {
    const name = StorageKeys.secretPrefix + normaliseHost(host);
    this.cache.delete(name);
    try {
      await this.secrets.delete(name);
    } finally {
      this.cache.delete(name);
    }
  }

  private stored(h: string): Promise<string | undefined> {
    const name = StorageKeys.secretPrefix + h;
    let p = this.cache.get(name);
    if (!p) {
      p = Promise.resolve(this.secrets.get(name));
      const read = p;
      this.cache.set(name, read);
      // A failed read is not remembered: the next request asks again.
      read.catch(() => {
        if (this.cache.get(name) === read) this.cache.delete(name);
      });
    }
    return p;
  }

  /** The key from the environment variable, if any. */
  envKey(): string | undefined {
    const k = this.env[EnvVars.apiKey]?.trim();
    return k ? k : undefined;
  }

  /** The host the environment-variable key belongs to. */
  envHost(): string | undefined {
    if (!this.envKey()) return undefined;
    const rawEnv = this.env[EnvVars.host]?.trim();
    const fromEnv = rawEnv ? apiHostFromEnv(rawEnv) : undefined;
    const fromSetting = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.defaultHost);
    return normaliseHost(fromEnv || fromSetting || 'https://us.posthog.com');
  }

  dispose(): void {
    this.cache.clear();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
