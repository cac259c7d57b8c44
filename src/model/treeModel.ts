/**
 * Pure tree-building logic (no vscode): grouping hog functions into type folders, ordering, labels
 * and descriptions. The tree layer only turns these into TreeItems.
 */
import type { Group, GroupType, HogFunctionSummary } from '../api/schemas';
import { canEnableBackfills, compareTypes, healthLabel, healthLevel, typeInfo, type HealthLevel, type TypeInfo } from './hogFunctionTypes';

export interface TypeFolder {
  info: TypeInfo;
  items: readonly HogFunctionSummary[];
}

/**
 * Names compare like a person reads them: case- and accent-insensitive, "item 2" before "item 10". Made
 * at the first sort: building a collator loads ICU's collation data, milliseconds activation need not pay.
 */
let collator: Intl.Collator | undefined;
const compareNames = (a: string, b: string): number => (collator ??= new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })).compare(a, b);

/** Folders per list: the tree asks for the same list's folders at each redraw and each changed row. */
const foldersOf = new WeakMap<readonly HogFunctionSummary[], readonly TypeFolder[]>();

/**
 * One folder per type present (unknown types included), in a fixed order; items by name. The result is
 * computed once per list (lists are replaced, never changed in place) and must not be modified.
 * `previous`: each type's items as last sorted (the folders drawn before a refresh): a folder whose
 * functions and names are unchanged keeps that order without sorting again (10,000 functions: one pass
 * instead of ~130,000 collator comparisons).
 */
export function groupByType(items: readonly HogFunctionSummary[], previous?: ReadonlyMap<string, readonly HogFunctionSummary[]>): readonly TypeFolder[] {
  const known = foldersOf.get(items);
  if (known) return known;
  const byType = new Map<string, HogFunctionSummary[]>();
  for (const fn of items) {
    const t = fn.type ?? 'destination';
    let list = byType.get(t);
    if (!list) byType.set(t, (list = []));
    list.push(fn);
  }
  const folders = [...byType.entries()]
    .sort(([a], [b]) => compareTypes(a, b))
    .map(([type, list]) => {
      const before = previous?.get(type);
      return { info: typeInfo(type), items: (before && inPreviousOrder(list, before)) ?? sortFunctions(list) };
    });
  foldersOf.set(items, folders);
  return folders;
}

/**
 * Transformations run in execution order, so keep it; everything else sorts by name (then id, for a
 * stable order). Each label is computed once, not at every comparison.
 */
function sortFunctions(list: readonly HogFunctionSummary[]): HogFunctionSummary[] {
  return list
    .map((fn) => ({ fn, order: fn.execution_order ?? Number.MAX_SAFE_INTEGER, label: functionLabel(fn) }))
    .sort((a, b) => a.order - b.order || compareNames(a.label, b.label) || compareIds(a.fn.id, b.fn.id))
    .map((entry) => entry.fn);
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `list` in the order of `previous` when both hold the same functions with the same sort keys (order,
 * label; the id never changes), which is then exactly their sorted order; undefined otherwise.
 */
function inPreviousOrder(list: readonly HogFunctionSummary[], previous: readonly HogFunctionSummary[]): HogFunctionSummary[] | undefined {
  if (list.length !== previous.length) return undefined;
  const byId = new Map(list.map((fn) => [fn.id, fn]));
  if (byId.size !== list.length) return undefined;
  const out: HogFunctionSummary[] = [];
  for (const old of previous) {
    const fn = byId.get(old.id);
    if (!fn || fn.execution_order !== old.execution_order || functionLabel(fn) !== functionLabel(old)) return undefined;
    out.push(fn);
  }
  return out;
}

export function functionLabel(fn: Pick<HogFunctionSummary, 'name' | 'id'>): string {
  const name = fn.name?.trim();
  return name ? name : `Untitled (${fn.id.slice(0, 8)})`;
}

/** "enabled · healthy", "disabled", "enabled · degraded". */
export function functionDescription(fn: HogFunctionSummary): string {
  const parts = [fn.enabled ? 'enabled' : 'disabled'];
  const health = fn.enabled ? healthLabel(fn.status?.state) : undefined;
  if (health) parts.push(health);
  // A staged draft (F15): the documents show the live config, and PostHog refuses to enable it.
  if (fn.draft_updated_at) parts.push('draft');
  return parts.join(' · ');
}

export type FunctionIconKind = 'enabled' | 'disabled' | HealthLevel;

export function functionIconKind(fn: HogFunctionSummary): FunctionIconKind {
  if (!fn.enabled) return 'disabled';
  const level = healthLevel(fn.status?.state);
  return level === 'ok' || level === 'unknown' ? 'enabled' : level;
}

/** Segmented contextValue for `when` clauses: hogFunction:<type>:<enabled|disabled>[:backfillable]. */
export function functionContextValue(fn: HogFunctionSummary): string {
  const parts = ['hogFunction', fn.type ?? 'destination', fn.enabled ? 'enabled' : 'disabled'];
  if (canEnableBackfills(fn) && !fn.batch_export_id) parts.push('backfillable');
  if (fn.draft_updated_at) parts.push('draft');
  return parts.join(':');
}

export function userLabel(u: { first_name?: string | null; email?: string | null } | null | undefined): string | undefined {
  if (!u) return undefined;
  return u.first_name?.trim() || u.email || undefined;
}

/** "companies" → "Companies" (PostHog's UI capitalises the plural name the same way). */
export function groupTypeLabel(t: GroupType): string {
  const plural = t.name_plural?.trim() || `${t.group_type}s`;
  return plural.charAt(0).toUpperCase() + plural.slice(1);
}

/** A group's label: its `name` property when present, else its key. */
export function groupLabel(g: Group): string {
  const name = g.group_properties.name;
  return typeof name === 'string' && name.trim() ? name.trim() : g.group_key;
}

export function sortGroupTypes(types: readonly GroupType[]): GroupType[] {
  return [...types].sort((a, b) => a.group_type_index - b.group_type_index);
}
