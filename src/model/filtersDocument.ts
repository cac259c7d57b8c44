/** The filters document: `filters` as pretty JSON without server-computed fields. Pure. */
import { duplicateKeys, nodeValue, parseObjectDocument, type Problem } from './inputsDocument';
import { canonicalJson, isJsonObject, parseJson, setOwn, stringifyJson } from './json';

const SERVER_DERIVED = new Set(['bytecode', 'bytecode_error', 'transpiled']);

export function serializeFilters(filters: Record<string, unknown> | null | undefined): string {
  return `${stringifyJson(withoutDerived(filters ?? {}), 2)}\n`;
}

export function parseFiltersDocument(text: string): { filters: Record<string, unknown> | undefined; problems: Problem[] } {
  const { root, problems: invalid } = parseObjectDocument(text, 'Filters must be a JSON object.');
  if (!root) return { filters: undefined, problems: invalid };
  const parsed = nodeValue(root, text) as Record<string, unknown>;
  const problems: Problem[] = duplicateKeys(root);
  const source = parsed.source;
  if (source !== undefined && typeof source !== 'string') {
    problems.push({ message: '"source" must be a string such as "events" or "person-updates".', offset: root.offset, length: 1, severity: 'error' });
  }
  return { filters: problems.length ? undefined : parsed, problems };
}

/**
 * Filters as a comparable text. PostHog stores them normalised: `source` defaults to "events", keys in
 * jsonb order, server-computed fields added. Two texts PostHog would store alike compare equal.
 */
export function canonicalFilters(text: string): string {
  try {
    const value = parseJson(text);
    if (!isJsonObject(value)) return text;
    const out = withoutDerived(value);
    if (!Object.hasOwn(out, 'source')) setOwn(out, 'source', 'events');
    return canonicalJson(out);
  } catch {
    return text;
  }
}

function withoutDerived(filters: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(filters)) if (!SERVER_DERIVED.has(k)) setOwn(out, k, v);
  return out;
}
