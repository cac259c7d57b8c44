import * as vscode from 'vscode';
import type { HogFunctionListFilter } from '../api/client';
import type { HogFunction, HogFunctionSummary } from '../api/schemas';
import { environmentKey, type Environment } from '../model/environment';
import type { ClientPool } from './clients';
import { compareTimestamps } from '../model/timestamps';

export interface FunctionFilter {
  search?: string;
  types?: readonly string[];
  enabled?: boolean;
}

export type ListState =
  | { status: 'idle' }
  | { status: 'loading'; loaded: number; total: number | undefined }
  | { status: 'loaded'; items: readonly HogFunctionSummary[] }
  | { status: 'error'; error: unknown };

export interface FunctionChange {
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
  /** Newest `updated_at` seen per function, from lists, reads and writes. */
  private readonly updatedAt = new Map<string, string>();
  private filterValue: FunctionFilter = {};

  private readonly listChanged = new vscode.EventEmitter<Environment>();
  readonly onDidChangeList = this.listChanged.event;
  private readonly functionChanged = new vscode.EventEmitter<FunctionChange>();
  readonly onDidChangeFunction = this.functionChanged.event;
  private readonly filterChanged = new vscode.EventEmitter<FunctionFilter>();
  readonly onDidChangeFilter = this.filterChanged.event;

  constructor(private readonly clients: ClientPool) {}

  get filter(): FunctionFilter {
    return this.filterValue;
  }

  setFilter(filter: FunctionFilter): void {
    this.filterValue = filter;
    this.lists.clear();
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
    const p = this.clients
      .get(env.host)
      .listHogFunctions(env.projectId, filter, undefined, (loaded, total) => {
        this.lists.set(key, { status: 'loading', loaded, total });
      })
      .then(
        (items) => {
          this.lists.set(key, { status: 'loaded', items });
          for (const item of items) this.noteUpdatedAt(env, item);
          this.listChanged.fire(env);
          return items;
        },
        (error: unknown) => {
          this.lists.set(key, { status: 'error', error });
          this.listChanged.fire(env);
          throw error;
        },
      )
      .finally(() => this.loads.delete(key));
    this.loads.set(key, p);
    return p;
  }

  /** Drops cached lists so the next `load` fetches again (full functions stay for stat/readFile). */
  invalidate(env?: Environment): void {
    if (env) this.lists.delete(environmentKey(env));
    else this.lists.clear();
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

  cachedFull(env: Environment, id: string): HogFunction | undefined {
    return this.full.get(fnKey(env, id));
  }

  summary(env: Environment, id: string): HogFunctionSummary | undefined {
    const state = this.listState(env);
    return (state.status === 'loaded' ? state.items.find((f) => f.id === id) : undefined) ?? this.cachedFull(env, id);
  }

  /** The newest `updated_at` known for a function (what `stat` reports as mtime). */
  knownUpdatedAt(env: Environment, id: string): string | undefined {
    return this.updatedAt.get(fnKey(env, id));
  }

  /** Records a function returned by GET/PATCH/POST and tells listeners when it changed. */
  put(env: Environment, fn: HogFunction): void {
    const k = fnKey(env, fn.id);
    const cached = this.full.get(k);
    // Never let an older response overwrite a newer one (responses can arrive out of order).
    if (cached && compareTimestamps(cached.updated_at, fn.updated_at) > 0) return;
    this.full.set(k, fn);
    const state = this.lists.get(environmentKey(env));
    if (state?.status === 'loaded') {
      const i = state.items.findIndex((f) => f.id === fn.id);
      const items = [...state.items];
      const added = i < 0 && matchesFilter(fn, this.filterValue);
      if (i >= 0) items[i] = fn;
      else if (added) items.push(fn);
      this.lists.set(environmentKey(env), { status: 'loaded', items });
      // The tree shows the list: a replaced or added function (saved, renamed, created, restored) redraws it.
      if (i >= 0 || added) this.listChanged.fire(env);
    }
    this.noteUpdatedAt(env, fn);
  }

  /** Forgets a (soft-)deleted function. */
  remove(env: Environment, id: string): void {
    const k = fnKey(env, id);
    const previousUpdatedAt = this.updatedAt.get(k);
    this.full.delete(k);
    this.updatedAt.delete(k);
    const state = this.lists.get(environmentKey(env));
    if (state?.status === 'loaded') this.lists.set(environmentKey(env), { status: 'loaded', items: state.items.filter((f) => f.id !== id) });
    this.functionChanged.fire({ env, id, fn: undefined, previousUpdatedAt });
    this.listChanged.fire(env);
  }

  private noteUpdatedAt(env: Environment, fn: HogFunctionSummary): void {
    const k = fnKey(env, fn.id);
    const previous = this.updatedAt.get(k);
    if (previous !== undefined && compareTimestamps(previous, fn.updated_at) >= 0) return;
    this.updatedAt.set(k, fn.updated_at);
    // A newer version than the cached full one makes that cache stale.
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

function matchesFilter(fn: HogFunctionSummary, f: FunctionFilter): boolean {
  if (f.enabled !== undefined && fn.enabled !== f.enabled) return false;
  if (f.types?.length && !f.types.includes(fn.type ?? 'destination')) return false;
  if (f.search) {
    const s = f.search.toLowerCase();
    if (!(fn.name ?? '').toLowerCase().includes(s) && !(fn.description ?? '').toLowerCase().includes(s)) return false;
  }
  return true;
}
