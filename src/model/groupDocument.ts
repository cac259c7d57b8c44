/**
 * The group document: a group's properties as pretty JSON, and the plan of a save (which keys to set
 * or unset, which ones conflict). Pure. Keys are always own keys: property names come from event
 * ingestion, so "constructor", "toString" or "__proto__" are ordinary names here (A7).
 */
import { duplicateKeys, nodeValue, parseObjectDocument, type Problem } from './inputsDocument';
import { ownValue, sameJson, stringifyJson, type JsonObject } from './json';

export type PropertyOp = { kind: 'set'; key: string; value: unknown } | { kind: 'unset'; key: string };

export function serializeGroup(properties: JsonObject): string {
  return `${stringifyJson(properties, 2)}\n`;
}

export function parseGroupDocument(text: string): { properties: JsonObject | undefined; problems: Problem[] } {
  const { root, problems: invalid } = parseObjectDocument(text, 'A group document must be a JSON object of properties.');
  if (!root) return { properties: undefined, problems: invalid };
  const problems = duplicateKeys(root);
  for (const prop of root.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (k && v?.type === 'null' && typeof k.value === 'string') {
      problems.push({
        message: `"${k.value}": PostHog does not accept null values. Remove the key to delete the property.`,
        offset: k.offset,
        length: k.length,
        severity: 'error',
        key: k.value,
      });
    }
  }
  return { properties: problems.length ? undefined : (nodeValue(root, text) as JsonObject), problems };
}

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
