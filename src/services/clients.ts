import * as vscode from 'vscode';
import { PostHogClient } from '../api/client';
import { Settings } from '../constants';
import { hasScope } from '../model/scopes';
import type { KeyStore } from '../auth/keyStore';
import type { Log } from '../util/log';
import { normaliseHost } from '../model/environment';

const FAILED_SCOPES_TTL_MS = 60_000;

/**
 * One PostHogClient per host, sharing settings (timeout, retries) and the key store. Also remembers
 * each host's key scopes (from `personal_api_keys/@current`) so documents can be read-only when the
 * key cannot write.
 */
export class ClientPool implements vscode.Disposable {
  private readonly clients = new Map<string, PostHogClient>();
  private readonly scopes = new Map<string, Promise<readonly string[] | null>>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly keys: KeyStore,
    private readonly log: Log,
    readonly userAgent: string,
  ) {
    this.subscription = keys.onDidChange((host) => {
      this.scopes.delete(normaliseHost(host));
    });
  }

  get(host: string): PostHogClient {
    const h = normaliseHost(host);
    let client = this.clients.get(h);
    if (!client) {
      const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);
      client = new PostHogClient({
        host: h,
        apiKey: () => this.keys.get(h),
        timeoutMs: () => 1000 * (config().get<number>(Settings.requestTimeoutSeconds) ?? 30),
        maxRetries: () => config().get<number>(Settings.maxRetries) ?? 3,
        userAgent: this.userAgent,
        log: (line) => {
          this.log.trace('http', line);
        },
      });
      this.clients.set(h, client);
    }
    return client;
  }

  /** The key's scopes (null = legacy key without scopes, allowed everything). Cached per host. */
  keyScopes(host: string): Promise<readonly string[] | null> {
    const h = normaliseHost(host);
    let p = this.scopes.get(h);
    if (!p) {
      p = this.get(h)
        .currentKey()
        .then((k) => k.scopes ?? null)
        .catch((e: unknown) => {
          // Remember the failure for a while: every stat asks, and a key that cannot read its own
          // scopes would otherwise send a failing request per stat (F4). A new key clears it at once.
          setTimeout(() => {
            if (this.scopes.get(h) === p) this.scopes.delete(h);
          }, FAILED_SCOPES_TTL_MS).unref();
          throw e;
        });
      this.scopes.set(h, p);
    }
    return p;
  }

  /** Whether the key may write `object` (e.g. "hog_function"). Unknown (lookup failed) counts as yes: the server decides. */
  async canWrite(host: string, object: string): Promise<boolean> {
    try {
      return hasScope(await this.keyScopes(host), `${object}:write`);
    } catch {
      return true;
    }
  }

  forget(host: string): void {
    this.scopes.delete(normaliseHost(host));
  }

  dispose(): void {
    this.subscription.dispose();
    this.clients.clear();
  }
}
