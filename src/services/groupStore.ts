import * as vscode from 'vscode';
import type { Group, GroupType } from '../api/schemas';
import { environmentKey, type Environment } from '../model/environment';
import type { ClientPool } from './clients';

export interface GroupListState {
  search: string | undefined;
  groups: Group[];
  /** Cursor for the next page; undefined when everything is loaded. */
  next: string | undefined;
  /** True until the first page arrived. */
  pristine: boolean;
  loading: Promise<void> | undefined;
  error: unknown;
}

/**
 * Group types and paged group lists per environment. Pages follow PostHog's forward-only cursor;
 * "Load more…" fetches exactly one more page. A search restarts the list with the server's `search`.
 */
export class GroupStore implements vscode.Disposable {
  private readonly types = new Map<string, Promise<GroupType[]>>();
  private readonly lists = new Map<string, GroupListState>();
  private readonly changed = new vscode.EventEmitter<{ env: Environment; groupTypeIndex: number | undefined }>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly clients: ClientPool) {}

  groupTypes(env: Environment): Promise<GroupType[]> {
    const key = environmentKey(env);
    let p = this.types.get(key);
    if (!p) {
      p = this.clients.get(env.host).groupTypes(env.projectId);
      p.catch(() => this.types.delete(key));
      this.types.set(key, p);
    }
    return p;
  }

  state(env: Environment, groupTypeIndex: number): GroupListState {
    const key = listKey(env, groupTypeIndex);
    let s = this.lists.get(key);
    if (!s) {
      s = { search: undefined, groups: [], next: undefined, pristine: true, loading: undefined, error: undefined };
      this.lists.set(key, s);
    }
    return s;
  }

  /**
   * Loads the first page if nothing is loaded yet. A first page that failed is not fetched again here
   * (every redraw would retry): `retry` or `invalidate` does that.
   */
  ensureFirstPage(env: Environment, groupTypeIndex: number): Promise<void> {
    const s = this.state(env, groupTypeIndex);
    return s.pristine && s.error === undefined ? this.loadMore(env, groupTypeIndex) : (s.loading ?? Promise.resolve());
  }

  /** After a failure: fetches the page that failed again, keeping the rows already loaded. */
  retry(env: Environment, groupTypeIndex: number): Promise<void> {
    const s = this.state(env, groupTypeIndex);
    s.error = undefined;
    return this.loadMore(env, groupTypeIndex);
  }

  /** Fetches exactly one more page (the first one when nothing is loaded). */
  loadMore(env: Environment, groupTypeIndex: number): Promise<void> {
    const s = this.state(env, groupTypeIndex);
    if (s.loading) return s.loading;
    if (!s.pristine && !s.next) return Promise.resolve();
    const search = s.search;
    s.loading = this.clients
      .get(env.host)
      .listGroups(env.projectId, groupTypeIndex, { search, cursor: s.pristine ? undefined : s.next })
      .then(
        (page) => {
          if (s.search !== search) return; // a newer search replaced this list
          // Cursor pages can overlap when groups change while paging: one row per key.
          const seen = new Set(s.groups.map((g) => g.group_key));
          for (const g of page.results) {
            if (seen.has(g.group_key)) continue;
            seen.add(g.group_key);
            s.groups.push(g);
          }
          s.next = page.next;
          s.pristine = false;
          s.error = undefined;
        },
        (e: unknown) => {
          s.error = e;
        },
      )
      .finally(() => {
        s.loading = undefined;
        this.changed.fire({ env, groupTypeIndex });
      });
    return s.loading;
  }

  setSearch(env: Environment, groupTypeIndex: number, search: string | undefined): void {
    this.lists.set(listKey(env, groupTypeIndex), { search: search?.trim() || undefined, groups: [], next: undefined, pristine: true, loading: undefined, error: undefined });
    this.changed.fire({ env, groupTypeIndex });
  }

  /** Replaces one group everywhere it is listed (after update_property / delete_property). */
  put(env: Environment, group: Group): void {
    const s = this.lists.get(listKey(env, group.group_type_index));
    if (!s) return;
    const i = s.groups.findIndex((g) => g.group_key === group.group_key);
    if (i >= 0) s.groups[i] = group;
    this.changed.fire({ env, groupTypeIndex: group.group_type_index });
  }

  invalidate(env?: Environment): void {
    for (const key of [...this.types.keys()]) if (!env || key === environmentKey(env)) this.types.delete(key);
    for (const key of [...this.lists.keys()]) {
      if (env && !key.startsWith(`${environmentKey(env)}|`)) continue;
      const s = this.lists.get(key);
      // Keep the search so a refresh re-runs it.
      this.lists.set(key, { search: s?.search, groups: [], next: undefined, pristine: true, loading: undefined, error: undefined });
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function listKey(env: Environment, groupTypeIndex: number): string {
  return `${environmentKey(env)}|${groupTypeIndex}`;
}
