/**
 * Pure tree-building logic (no vscode): grouping hog functions into type folders, ordering, labels
 * and descriptions. The tree layer only turns these into TreeItems.
 */
import type { Group, GroupType, HogFunctionSummary } from '../api/schemas';
import { canEnableBackfills, compareTypes, healthLabel, healthLevel, typeInfo, type HealthLevel, type TypeInfo } from './hogFunctionTypes';

export interface TypeFolder {
  info: TypeInfo;
  items: HogFunctionSummary[];
}

/** One folder per type present (unknown types included), in a fixed order; items by name. */
export function groupByType(items: readonly HogFunctionSummary[]): TypeFolder[] {
  const byType = new Map<string, HogFunctionSummary[]>();
  for (const fn of items) {
    const t = fn.type ?? 'destination';
    let list = byType.get(t);
    if (!list) byType.set(t, (list = []));
    list.push(fn);
  }
  return [...byType.entries()].sort(([a], [b]) => compareTypes(a, b)).map(([type, list]) => ({ info: typeInfo(type), items: list.sort(compareFunctions) }));
}

/** Transformations run in execution order, so keep it; everything else sorts by name. */
export function compareFunctions(a: HogFunctionSummary, b: HogFunctionSummary): number {
  const oa = a.execution_order ?? Number.MAX_SAFE_INTEGER;
  const ob = b.execution_order ?? Number.MAX_SAFE_INTEGER;
  if (oa !== ob) return oa - ob;
  return functionLabel(a).localeCompare(functionLabel(b), undefined, { sensitivity: 'base', numeric: true }) || a.id.localeCompare(b.id);
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
