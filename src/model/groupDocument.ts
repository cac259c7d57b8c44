/**
 * The group document: a group's properties as pretty JSON (the plan of its save is groupSave.ts). Pure.
 * Keys are always own keys: property names come from event ingestion, so "constructor", "toString" or
 * "__proto__" are ordinary names here (A7).
 */
import { duplicateKeys, nodeValue, parseObjectDocument, type Problem } from './inputsDocument';
import { stringifyJson, type JsonObject } from './json';

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
