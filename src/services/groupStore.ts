import * as vscode from 'vscode';
import { asPostHogError } from '../api/errors';
import type { Group, GroupType } from '../api/schemas';
import { environmentKey, type Environment } from '../model/environment';
import { planGroupSave, type PropertyOp } from '../model/groupSave';
import { ownValue, sameJson, type JsonObject } from '../model/json';
import { groupLabel } from '../model/treeModel';
import { PartialWriteError, WriteConflictError } from '../model/writeErrors';
import type { Log } from '../util/log';
import type { ClientPool } from './clients';
import { errorMessage } from '../util/errorMessage';

export type GroupRef = Pick<Group, 'group_type_index' | 'group_key'>;

/** A group's new state, from any write or read; open documents of the group follow it. */
export interface GroupChange {
  env: Environment;
  group: Group;
}

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
  private readonly groupChanged = new vscode.EventEmitter<GroupChange>();
  readonly onDidChangeGroup = this.groupChanged.event;

  constructor(
    private readonly clients: ClientPool,
    private readonly log?: Log,
  ) {}

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

  /** Records a group's new state: replaces it everywhere it is listed and tells its open documents. */
  put(env: Environment, group: Group): void {
    this.groupChanged.fire({ env, group });
    const s = this.lists.get(listKey(env, group.group_type_index));
    if (!s) return;
    const i = s.groups.findIndex((g) => g.group_key === group.group_key);
    if (i >= 0) s.groups[i] = group;
    this.changed.fire({ env, groupTypeIndex: group.group_type_index });
  }

  /** GET one group (a read; it does not tell listeners, the caller decides what the read means). */
  find(env: Environment, ref: GroupRef): Promise<Group> {
    return this.clients.get(env.host).findGroup(env.projectId, ref.group_type_index, ref.group_key);
  }

  // ── writes: the only place that changes groups in PostHog ───────────────────────────────────

  /** POST `update_property`. Null (and undefined) are refused before anything is sent. */
  async updateProperty(env: Environment, ref: GroupRef, key: string, value: unknown): Promise<Group> {
    if (key.trim() === '') throw new Error('A property key cannot be empty.');
    if (value === null || value === undefined) throw new Error(NULL_REFUSED);
    let group: Group;
    try {
      group = await this.clients.get(env.host).updateGroupProperty(env.projectId, ref.group_type_index, ref.group_key, key, value);
    } catch (e) {
      group = await this.confirmApplied(env, ref, e, (g) => sameJson(ownValue(g.group_properties, key), value));
    }
    this.log?.info('store', `group ${ref.group_type_index}: set a property`);
    this.put(env, group);
    return group;
  }

  /** POST `delete_property`. */
  async deleteProperty(env: Environment, ref: GroupRef, key: string): Promise<Group> {
    let group: Group;
    try {
      group = await this.clients.get(env.host).deleteGroupProperty(env.projectId, ref.group_type_index, ref.group_key, key);
    } catch (e) {
      group = await this.confirmApplied(env, ref, e, (g) => !Object.hasOwn(g.group_properties, key));
    }
    this.log?.info('store', `group ${ref.group_type_index}: deleted a property`);
    this.put(env, group);
    return group;
  }

  /**
   * A property write that failed in a way that may still have been applied: PostHog saves the group and
   * then fails to capture `$groupidentify` (E6), or our retried request finds its first attempt's work
   * done (C4). Read the group: if it holds the change, that is the success it was; else the failure.
   */
  private async confirmApplied(env: Environment, ref: GroupRef, e: unknown, applied: (g: Group) => boolean): Promise<Group> {
    const pe = asPostHogError(e);
    const mayBeApplied = pe !== undefined && (/group property update event/i.test(pe.detail ?? '') || (pe.isValidation && pe.attempts > 1));
    if (!mayBeApplied) throw e;
    let remote: Group;
    try {
      remote = await this.find(env, ref);
    } catch {
      throw e;
    }
    if (!applied(remote)) throw e;
    this.log?.warn('store', `group ${ref.group_type_index}: PostHog answered ${pe.status ?? pe.kind} but saved the change`);
    return remote;
  }

  /**
   * Saves a group document: the requests `planGroupSave` finds (one per changed key), applied in order.
   * Throws WriteConflictError (with the remote group and the keys) when someone else changed a key the
   * user changed — or, without a base, any key that differs; PartialWriteError when a request failed
   * after others were applied.
   */
  async saveProperties(env: Environment, ref: GroupRef, base: JsonObject | undefined, wanted: JsonObject, force: boolean): Promise<{ group: Group; ops: readonly PropertyOp[] }> {
    const remote = await this.find(env, ref);
    const plan = planGroupSave(base, remote.group_properties, wanted, force);
    if (plan.conflicts.length) {
      const keys = plan.conflicts.map((k) => `"${k}"`).join(', ');
      const message =
        base === undefined
          ? `${keys} differ${plan.conflicts.length === 1 ? 's' : ''} from PostHog, and the version you edited is not known.`
          : `${keys} changed in PostHog since you opened it.`;
      throw new WriteConflictError(message, remote, plan.conflicts);
    }
    const applied: PropertyOp[] = [];
    let group = remote;
    for (const op of plan.ops) {
      try {
        group = op.kind === 'set' ? await this.updateProperty(env, ref, op.key, op.value) : await this.deleteProperty(env, ref, op.key);
      } catch (e) {
        if (applied.length === 0) throw e;
        const describe = (o: PropertyOp, done: boolean): string => `${o.kind === 'set' ? 'set' : done ? 'removed' : 'remove'} ${o.key}`;
        const notApplied = plan.ops.slice(applied.length);
        const reason = errorMessage(e);
        throw new PartialWriteError(
          `Saved only part of ${groupLabel({ ...ref, group_properties: wanted, created_at: null })}: applied ${applied.map((o) => describe(o, true)).join(', ')}; not applied ${notApplied.map((o) => describe(o, false)).join(', ')} — ${reason}`,
          applied,
          notApplied,
          group,
          { cause: e },
        );
      }
      applied.push(op);
    }
    if (plan.ops.length === 0) this.put(env, remote);
    return { group, ops: plan.ops };
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
    this.groupChanged.dispose();
  }
}

export const NULL_REFUSED = 'PostHog does not accept null as a property value. To remove the property, use "PostHog: Delete Group Property…".';

function listKey(env: Environment, groupTypeIndex: number): string {
  return `${environmentKey(env)}|${groupTypeIndex}`;
}
