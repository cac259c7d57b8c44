import * as vscode from 'vscode';
import type { HogFunctionCreate, HogFunctionListFilter, HogFunctionPatch, PostHogClient } from '../api/client';
import { asPostHogError, isStaleUpdate } from '../api/errors';
import type { HogFunction, HogFunctionSummary, InvocationResult } from '../api/schemas';
import { environmentKey, type Environment } from '../model/environment';
import { matchesFilter, type FunctionFilter } from '../model/functionFilter';
import { normalisedInputs } from '../model/storedInputs';
import { canonicalJson, sameJson, setOwn, withoutKey } from '../model/json';
import { functionLabel } from '../model/treeModel';
import { WriteConflictError } from '../model/writeErrors';
import type { ClientPool } from './clients';
import { compareTimestamps } from '../model/timestamps';
import type { Log } from '../util/log';
import { errorMessage } from '../util/errorMessage';

export type { FunctionFilter } from '../model/functionFilter';

export type ListState =
  | { status: 'idle' }
  | { status: 'loading'; loaded: number; total: number | undefined }
  | { status: 'loaded'; items: readonly HogFunctionSummary[] }
  | { status: 'error'; error: unknown };

/**
 * A change to some fields of a function, made against the version `base` (its `updated_at`, exactly as
 * received; undefined when unknown). Every content write goes through `update`, which applies the one
 * conflict policy: PATCH with `base_updated_at`; on a newer remote version, re-read it and decide
 * by content — already applied (nothing to send), untouched by the other change (send again against
 * the new version), or a real conflict (WriteConflictError with the remote state).
 */
export interface FunctionChange {
  readonly patch: Omit<HogFunctionPatch, 'base_updated_at'>;
  readonly base: string | undefined;
  /** True when the remote still holds, for the changed fields, what the change was made against. */
  unchangedSinceBase(remote: HogFunction): boolean;
  /** True when the remote already holds the change. */
  alreadyApplied(remote: HogFunction): boolean;
  /** The conflict in the user's words (default: "The function changed in PostHog since you opened it."). */
  conflictMessage?(remote: HogFunction): string;
  /** For the log: "save code", "rename", … */
  readonly what: string;
}

export const CHANGED_REMOTELY = 'The function changed in PostHog since you opened it.';

export interface FunctionChangeEvent {
  env: Environment;
  id: string;
  /** The new state; undefined when the function was deleted. */
  fn: HogFunctionSummary | undefined;
  previousUpdatedAt: string | undefined;
}

/**
 * The shared cache of hog functions, per environment: the list behind the tree (one pass of
 * limit/offset pages feeds all type folders) and full functions behind the documents. The tree and
 * the file system both listen to it, so a save updates the tree and a refresh updates open documents.
 */
export class HogFunctionStore implements vscode.Disposable {
  private readonly lists = new Map<string, ListState>();
  private readonly loads = new Map<string, Promise<readonly HogFunctionSummary[]>>();
  private readonly full = new Map<string, HogFunction>();
  private readonly fetches = new Map<string, Promise<HogFunction>>();
  /**
   * Newest `updated_at` seen per function, from lists, reads and writes: by environment key, then id (a
   * refresh of 10,000 functions builds no key string per function).
   */
  private readonly updatedAt = new Map<string, Map<string, string>>();
  private filterValue: FunctionFilter = {};

  private readonly listChanged = new vscode.EventEmitter<Environment>();
  readonly onDidChangeList = this.listChanged.event;
  private readonly functionChanged = new vscode.EventEmitter<FunctionChangeEvent>();
  readonly onDidChangeFunction = this.functionChanged.event;
  private readonly filterChanged = new vscode.EventEmitter<FunctionFilter>();
  readonly onDidChangeFilter = this.filterChanged.event;

  /** Hosts whose functions come without `version`: servers older than conditional writes (A5). */
  private readonly legacyHosts = new Set<string>();

  constructor(
    private readonly clients: ClientPool,
    private readonly log?: Log,
  ) {}

  get filter(): FunctionFilter {
    return this.filterValue;
  }

  setFilter(filter: FunctionFilter): void {
    this.filterValue = filter;
    this.lists.clear();
    // A load started under the old filter must not be taken for the new one's (F1).
    this.loads.clear();
    this.filterChanged.fire(filter);
  }

  listState(env: Environment): ListState {
    return this.lists.get(environmentKey(env)) ?? { status: 'idle' };
  }

  /** Loads (or returns the in-flight load of) the environment's list under the current filter. */
  load(env: Environment, force = false): Promise<readonly HogFunctionSummary[]> {
    const key = environmentKey(env);
    const current = this.lists.get(key);
    if (!force && current?.status === 'loaded') return Promise.resolve(current.items);
    const inFlight = this.loads.get(key);
    if (inFlight) return inFlight;
    const filter: HogFunctionListFilter = { search: this.filterValue.search, types: this.filterValue.types, enabled: this.filterValue.enabled };
    this.lists.set(key, { status: 'loading', loaded: 0, total: undefined });
    // The key's scopes decide whether documents open read-only: asked once per host, alongside the
    // first list, so opening a function costs only its own GET.
    void this.clients.keyScopes(env.host).catch(() => undefined);
    const started = Date.now();
    let pages = 0;
    const p: Promise<readonly HogFunctionSummary[]> = this.clients
      .get(env.host)
      .listHogFunctions(env.projectId, filter, undefined, (loaded, total) => {
        pages++;
        if (this.loads.get(key) === p) this.lists.set(key, { status: 'loading', loaded, total });
      })
      .then(
        (items) => {
          if (this.loads.get(key) !== p) return items; // superseded by a new filter or a refresh
          this.lists.set(key, { status: 'loaded', items });
          const seen = this.updatedAtOf(key);
          for (const item of items) this.noteUpdatedAt(env, item, seen);
          this.log?.info('store', `listed ${items.length} hog functions of ${env.name} in ${Date.now() - started} ms (${pages} page${pages === 1 ? '' : 's'})`);
          this.listChanged.fire(env);
          return items;
        },
        (error: unknown) => {
          if (this.loads.get(key) === p) {
            this.lists.set(key, { status: 'error', error });
            this.listChanged.fire(env);
          }
          throw error;
        },
      )
      .finally(() => {
        if (this.loads.get(key) === p) this.loads.delete(key);
      });
    this.loads.set(key, p);
    return p;
  }

  /** Drops cached lists so the next `load` fetches again (full functions stay for stat/readFile). */
  invalidate(env?: Environment): void {
    if (env) {
      this.lists.delete(environmentKey(env));
      this.loads.delete(environmentKey(env));
    } else {
      this.lists.clear();
      this.loads.clear();
    }
  }

  /**
   * GET one function (full serializer) and remember it. Concurrent callers share one request: VS Code
   * often stats a document twice while opening it.
   */
  fetch(env: Environment, id: string, signal?: AbortSignal): Promise<HogFunction> {
    const k = fnKey(env, id);
    const inFlight = this.fetches.get(k);
    if (inFlight) return inFlight;
    const p = this.clients
      .get(env.host)
      .getHogFunction(env.projectId, id, signal)
      .then((fn) => {
        this.put(env, fn);
        return fn;
      })
      .finally(() => this.fetches.delete(k));
    this.fetches.set(k, p);
    return p;
  }

  /** A GET that starts now: never an in-flight one that began before a write it must see (F3). */
  private async fetchFresh(env: Environment, id: string): Promise<HogFunction> {
    const fn = await this.clients.get(env.host).getHogFunction(env.projectId, id);
    this.put(env, fn);
    return fn;
  }

  cachedFull(env: Environment, id: string): HogFunction | undefined {
    return this.full.get(fnKey(env, id));
  }

  summary(env: Environment, id: string): HogFunctionSummary | undefined {
    const state = this.listState(env);
    return (state.status === 'loaded' ? state.items.find((f) => f.id === id) : undefined) ?? this.cachedFull(env, id);
  }

  /** The newest `updated_at` known for a function (what `stat` reports as mtime). */
  knownUpdatedAt(env: Environment, id: string): string | undefined {
    return this.updatedAt.get(environmentKey(env))?.get(id);
  }

  /** Records a function returned by GET/PATCH/POST and tells listeners when it changed. */
  put(env: Environment, fn: HogFunction): void {
    const k = fnKey(env, fn.id);
    const cached = this.full.get(k);
    // Never let an older response overwrite a newer one (responses can arrive out of order).
    if (cached && compareTimestamps(cached.updated_at, fn.updated_at) > 0) return;
    if (fn.version === undefined) this.legacyHosts.add(env.host);
    else this.legacyHosts.delete(env.host);
    this.full.set(k, fn);
    const state = this.lists.get(environmentKey(env));
    if (state?.status === 'loaded') {
      const i = state.items.findIndex((f) => f.id === fn.id);
      const items = [...state.items];
      const added = i < 0 && matchesFilter(fn, this.filterValue);
      // The version the list already shows (a document opened, a reload restoring editors) changes
      // nothing the tree draws: no event. Redrawing would make VS Code drop and re-ask the rows below
      // the list while it may be expanding them ("No tree item with id …").
      const listed = i >= 0 ? state.items[i] : undefined;
      const fields: Record<string, unknown> = { ...fn };
      const sameVersion = listed !== undefined && Object.entries(listed).every(([k, v]) => sameJson(v, fields[k]));
      if (i >= 0) items[i] = fn;
      else if (added) items.push(fn);
      this.lists.set(environmentKey(env), { status: 'loaded', items });
      // The tree shows the list: a replaced or added function (saved, renamed, created, restored) redraws it.
      if ((i >= 0 && !sameVersion) || added) this.listChanged.fire(env);
    }
    this.noteUpdatedAt(env, fn);
  }

  /** Forgets a (soft-)deleted function. */
  remove(env: Environment, id: string): void {
    const envKey = environmentKey(env);
    const seen = this.updatedAt.get(envKey);
    const previousUpdatedAt = seen?.get(id);
    this.full.delete(fnKey(env, id));
    seen?.delete(id);
    const state = this.lists.get(envKey);
    if (state?.status === 'loaded') this.lists.set(envKey, { status: 'loaded', items: state.items.filter((f) => f.id !== id) });
    this.functionChanged.fire({ env, id, fn: undefined, previousUpdatedAt });
    this.listChanged.fire(env);
  }

  // ── writes: the only place that changes hog functions in PostHog ─────────────────────────────

  /** A conditional change of some fields (see FunctionChange). Resolves to the saved function. */
  async update(env: Environment, id: string, change: FunctionChange): Promise<HogFunction> {
    const client = this.clients.get(env.host);
    const known = this.knownUpdatedAt(env, id);
    let saved: HogFunction;
    if (change.base === undefined || (known !== undefined && compareTimestamps(known, change.base) > 0)) {
      // Unknown base, or a newer version already seen (a server that ignores base_updated_at would
      // let the PATCH overwrite it): decide on the current remote state.
      saved = await this.resolve(env, id, change);
    } else if (this.legacyHosts.has(env.host)) {
      // Older servers ignore base_updated_at (A5): compare with a fresh read first.
      const remote = await this.fetchFresh(env, id);
      saved = compareTimestamps(remote.updated_at, change.base) > 0 ? await this.decide(env, id, change, remote) : await client.updateHogFunction(env.projectId, id, change.patch);
    } else {
      try {
        saved = await client.updateHogFunction(env.projectId, id, { ...change.patch, base_updated_at: change.base });
      } catch (e) {
        if (!isStaleUpdate(e)) throw e;
        saved = await this.resolve(env, id, change);
      }
    }
    this.log?.info('store', `${change.what}: ${id} (${env.name}) saved; updated_at ${saved.updated_at}`);
    this.put(env, saved);
    return saved;
  }

  private async resolve(env: Environment, id: string, change: FunctionChange): Promise<HogFunction> {
    return this.decide(env, id, change, await this.fetchFresh(env, id));
  }

  private async decide(env: Environment, id: string, change: FunctionChange, remote: HogFunction): Promise<HogFunction> {
    // Already there (e.g. restored from a backup of text PostHog has): no redundant production write (F18).
    if (change.alreadyApplied(remote)) return remote;
    const conflict = (): WriteConflictError<HogFunction> => new WriteConflictError(change.conflictMessage?.(remote) ?? CHANGED_REMOTELY, remote);
    if (change.base === undefined || !change.unchangedSinceBase(remote)) throw conflict();
    try {
      return await this.clients.get(env.host).updateHogFunction(env.projectId, id, { ...change.patch, base_updated_at: remote.updated_at });
    } catch (again) {
      // Changed once more in between: now it is the user's call.
      if (isStaleUpdate(again)) throw conflict();
      throw again;
    }
  }

  rename(env: Environment, fn: HogFunctionSummary, name: string): Promise<HogFunction> {
    return this.update(env, fn.id, {
      what: `rename to "${name}"`,
      patch: { name },
      base: this.knownUpdatedAt(env, fn.id) ?? fn.updated_at,
      unchangedSinceBase: (remote) => (remote.name ?? '') === (fn.name ?? ''),
      alreadyApplied: (remote) => remote.name === name,
      conflictMessage: (remote) => `"${functionLabel(fn)}" was renamed in PostHog to "${functionLabel(remote)}" meanwhile; not renamed. Try again if you still want "${name}".`,
    });
  }

  setEnabled(env: Environment, fn: HogFunctionSummary, enabled: boolean): Promise<HogFunction> {
    if (enabled && fn.draft_updated_at) {
      // PostHog answers 400 on `enabled` while a draft is open (F15): say why before asking.
      return Promise.reject(
        new Error(`"${functionLabel(fn)}" has a staged draft, and PostHog enables a function only when no draft is open: review, publish or discard the draft first.`),
      );
    }
    return this.update(env, fn.id, {
      what: enabled ? 'enable' : 'disable',
      patch: { enabled },
      base: this.knownUpdatedAt(env, fn.id) ?? fn.updated_at,
      unchangedSinceBase: () => true,
      alreadyApplied: (remote) => remote.enabled === enabled,
    });
  }

  /**
   * A test run on PostHog of the function's (unsaved) `configuration` on `globals`. Nothing is stored but
   * the run's log lines, so no change event fires.
   */
  test(env: Environment, id: string, body: Parameters<PostHogClient['testHogFunction']>[2], signal?: AbortSignal): Promise<InvocationResult> {
    return this.clients.get(env.host).testHogFunction(env.projectId, id, body, signal);
  }

  /**
   * Replaces one secret input. Every other input goes back as PostHog returned it (other secrets as
   * `{"secret": true}`, which keeps them); if another input changed meanwhile, that is a conflict.
   */
  setSecret(env: Environment, fn: HogFunction, key: string, value: unknown): Promise<HogFunction> {
    const others = (f: HogFunction): string => canonicalJson(withoutKey(normalisedInputs(f), key));
    const inputs = normalisedInputs(fn);
    setOwn(inputs, key, { value });
    return this.update(env, fn.id, {
      what: `set secret input ${key}`,
      patch: { inputs },
      base: fn.updated_at,
      unchangedSinceBase: (remote) => others(remote) === others(fn),
      alreadyApplied: () => false,
      conflictMessage: () =>
        `Other inputs of "${functionLabel(fn)}" changed in PostHog meanwhile; the secret was not saved. Open the inputs to see them, then set the secret again.`,
    });
  }

  /** Soft delete (PATCH `deleted: true`). A 404 means it is gone already — what was asked (C4). */
  async softDelete(env: Environment, id: string): Promise<void> {
    try {
      await this.clients.get(env.host).softDeleteHogFunction(env.projectId, id);
    } catch (e) {
      if (!asPostHogError(e)?.isNotFound) throw e;
      this.log?.warn('store', `delete ${id} (${env.name}): PostHog no longer has it (deleted already)`);
    }
    this.log?.info('store', `soft-deleted ${id} (${env.name})`);
    this.remove(env, id);
  }

  async restore(env: Environment, id: string): Promise<HogFunction> {
    const restored = await this.clients.get(env.host).restoreHogFunction(env.projectId, id);
    this.log?.info('store', `restored ${id} (${env.name})`);
    this.put(env, restored);
    return restored;
  }

  async create(env: Environment, body: HogFunctionCreate): Promise<HogFunction> {
    const fn = await this.clients.get(env.host).createHogFunction(env.projectId, body);
    this.log?.info('store', `created ${fn.type ?? body.type} ${fn.id} in ${env.name}`);
    this.put(env, fn);
    return fn;
  }

  /**
   * POST `enable_backfills`. "Already enabled" after our own retried request is the success it was
   * (C4): the batch export id then comes from a fresh read.
   */
  async enableBackfills(env: Environment, id: string): Promise<{ batchExportId: string; fn: HogFunction | undefined }> {
    let batchExportId: string | undefined;
    try {
      batchExportId = (await this.clients.get(env.host).enableBackfills(env.projectId, id)).batch_export_id;
    } catch (e) {
      const pe = asPostHogError(e);
      if (!(pe?.isValidation && /already enabled/i.test(pe.detail ?? '') && pe.attempts > 1)) throw e;
    }
    let fn: HogFunction | undefined;
    try {
      fn = await this.fetchFresh(env, id);
    } catch (e) {
      // Backfills are on; only the tree's badge may lag until the next refresh.
      this.log?.warn('store', `could not re-read ${id} after enable_backfills: ${errorMessage(e)}`);
    }
    batchExportId ??= fn?.batch_export_id ?? undefined;
    if (!batchExportId) throw new Error('PostHog says backfills are already enabled for this function.');
    this.log?.info('store', `backfills enabled for ${id} (${env.name}): batch export ${batchExportId}`);
    return { batchExportId, fn };
  }

  private updatedAtOf(envKey: string): Map<string, string> {
    let seen = this.updatedAt.get(envKey);
    if (!seen) this.updatedAt.set(envKey, (seen = new Map<string, string>()));
    return seen;
  }

  /** `seen`: the environment's map (a refresh of 10,000 functions looks it up once). */
  private noteUpdatedAt(env: Environment, fn: HogFunctionSummary, seen = this.updatedAtOf(environmentKey(env))): void {
    const previous = seen.get(fn.id);
    // The same text (most functions at a refresh) needs no parsing of the two timestamps.
    if (previous !== undefined && (previous === fn.updated_at || compareTimestamps(previous, fn.updated_at) >= 0)) return;
    seen.set(fn.id, fn.updated_at);
    // A newer version than the cached full one makes that cache stale.
    const k = fnKey(env, fn.id);
    const cached = this.full.get(k);
    if (cached && cached.updated_at !== fn.updated_at) this.full.delete(k);
    if (previous !== undefined) this.functionChanged.fire({ env, id: fn.id, fn, previousUpdatedAt: previous });
  }

  dispose(): void {
    this.listChanged.dispose();
    this.functionChanged.dispose();
    this.filterChanged.dispose();
  }
}

function fnKey(env: Environment, id: string): string {
  return `${environmentKey(env)}/${id}`;
}
