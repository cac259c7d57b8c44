/**
 * The plan of a group save: which properties to set or unset, which ones conflict. Pure, and apart from
 * the group document's parser (groupDocument.ts): the group store plans saves in the extension's own
 * bundle, the document text is handled in the documents bundle. Keys are always own keys (A7).
 */
import { ownValue, sameJson, type JsonObject } from './json';

export type PropertyOp = { kind: 'set'; key: string; value: unknown } | { kind: 'unset'; key: string };

/** What turns `before` into `after`: set for new or changed keys, unset for removed ones. */
export function diffProperties(before: JsonObject, after: JsonObject): PropertyOp[] {
  const ops: PropertyOp[] = [];
  for (const [k, v] of Object.entries(after)) if (!Object.hasOwn(before, k) || !sameJson(before[k], v)) ops.push({ kind: 'set', key: k, value: v });
  for (const k of Object.keys(before)) if (!Object.hasOwn(after, k)) ops.push({ kind: 'unset', key: k });
  return ops;
}

export type GroupSavePlan = { ops: PropertyOp[]; conflicts: [] } | { ops: []; conflicts: string[] };

/**
 * The requests a save needs. Only the user's own edits (wanted vs base) are sent, and only where the
 * remote does not already hold them. A key someone else changed since the base is a conflict. Without a
 * base (A3) nothing tells the user's edits apart from others' changes: unless the remote already equals
 * the document, every differing key is a conflict — never a silent delete of keys the user did not see.
 * `force` (Overwrite): PostHog becomes equal to the document.
 */
export function planGroupSave(base: JsonObject | undefined, remote: JsonObject, wanted: JsonObject, force: boolean): GroupSavePlan {
  const valueOf = (o: JsonObject, key: string): unknown => ownValue(o, key);
  const target = (op: PropertyOp): unknown => (op.kind === 'set' ? op.value : undefined);
  if (force) return { ops: diffProperties(remote, wanted), conflicts: [] };
  if (base === undefined) {
    const differing = diffProperties(remote, wanted);
    return differing.length ? { ops: [], conflicts: differing.map((op) => op.key) } : { ops: [], conflicts: [] };
  }
  const mine = diffProperties(base, wanted);
  const conflicts = mine.filter((op) => !sameJson(valueOf(remote, op.key), valueOf(base, op.key)) && !sameJson(valueOf(remote, op.key), target(op)));
  if (conflicts.length) return { ops: [], conflicts: conflicts.map((op) => op.key) };
  return { ops: mine.filter((op) => !sameJson(valueOf(remote, op.key), target(op))), conflicts: [] };
}
