/** The filters document: `filters` as pretty JSON without server-computed fields. Pure. */
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { duplicateKeys, humanParseError, nodeValue, type Problem } from './inputsDocument';
import { canonicalJson, isJsonObject, parseJson, setOwn, stringifyJson } from './json';

const SERVER_DERIVED = new Set(['bytecode', 'bytecode_error', 'transpiled']);

export function serializeFilters(filters: Record<string, unknown> | null | undefined): string {
  return `${stringifyJson(withoutDerived(filters ?? {}), 2)}\n`;
}

export function parseFiltersDocument(text: string): { filters: Record<string, unknown> | undefined; problems: Problem[] } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const e = errors[0];
  if (e || !root) {
    return { filters: undefined, problems: [{ message: `Invalid JSON: ${e ? humanParseError(printParseErrorCode(e.error)) : 'empty document'}.`, offset: e?.offset ?? 0, length: Math.max(1, e?.length ?? 1), severity: 'error' }] };
  }
  if (root.type !== 'object') {
    return { filters: undefined, problems: [{ message: 'Filters must be a JSON object.', offset: root.offset, length: root.length, severity: 'error' }] };
  }
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
