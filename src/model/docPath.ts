/**
 * The path grammar of `posthog:` documents, as pure functions (no vscode import) so it is unit-tested
 * in plain Node. The URI authority names the PostHog host (see fs/uri.ts); the path carries the ids:
 *
 *   /<projectId>/hog_functions/<functionId>/<name>.hog    code (".ts" for site apps/destinations)
 *   /<projectId>/hog_functions/<functionId>/inputs.json   inputs
 *   /<projectId>/hog_functions/<functionId>/filters.json  filters
 *   /<projectId>/groups/<groupTypeIndex>/<groupKey>.json  a group's properties
 *
 * Only ids are authoritative; the readable name segment may be stale after a rename and is ignored
 * when parsing, so editors restored after a reload fetch the right function.
 */

export type DocRef =
  | { kind: 'root' }
  | { kind: 'project'; projectId: number }
  | { kind: 'functions'; projectId: number }
  | { kind: 'function'; projectId: number; functionId: string }
  | { kind: 'code'; projectId: number; functionId: string }
  | { kind: 'inputs'; projectId: number; functionId: string }
  | { kind: 'filters'; projectId: number; functionId: string }
  | { kind: 'groups'; projectId: number }
  | { kind: 'groupType'; projectId: number; groupTypeIndex: number }
  | { kind: 'group'; projectId: number; groupTypeIndex: number; groupKey: string };

/** Every document of a hog function, in the order a function's folder lists them. */
export const FUNCTION_DOC_KINDS = ['code', 'inputs', 'filters'] as const;

export type FunctionDocKind = (typeof FUNCTION_DOC_KINDS)[number];

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** Parses a URI path (already percent-decoded by vscode.Uri, except our own %-escapes in keys). */
export function parseDocPath(path: string): DocRef | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length === 0) return { kind: 'root' };
  const projectId = parseIntStrict(parts[0]);
  if (projectId === undefined) return undefined;
  if (parts.length === 1) return { kind: 'project', projectId };
  const [, section, a, b, ...rest] = parts;
  if (rest.length > 0) return undefined;
  if (section === 'hog_functions') {
    if (a === undefined) return { kind: 'functions', projectId };
    if (!ID_RE.test(a)) return undefined;
    if (b === undefined) return { kind: 'function', projectId, functionId: a };
    if (b === 'inputs.json') return { kind: 'inputs', projectId, functionId: a };
    if (b === 'filters.json') return { kind: 'filters', projectId, functionId: a };
    if (/\.(hog|ts)$/.test(b)) return { kind: 'code', projectId, functionId: a };
    return undefined;
  }
  if (section === 'groups') {
    if (a === undefined) return { kind: 'groups', projectId };
    const groupTypeIndex = parseIntStrict(a);
    if (groupTypeIndex === undefined) return undefined;
    if (b === undefined) return { kind: 'groupType', projectId, groupTypeIndex };
    if (!b.endsWith('.json')) return undefined;
    const encoded = b.slice(0, -'.json'.length);
    const groupKey = safeDecode(encoded);
    return groupKey === undefined || groupKey === '' ? undefined : { kind: 'group', projectId, groupTypeIndex, groupKey };
  }
  return undefined;
}

export function codeFileName(name: string | null | undefined, language: 'hog' | 'typescript'): string {
  return `${fileSafe(name ?? '') || 'code'}.${language === 'typescript' ? 'ts' : 'hog'}`;
}

export function functionDocPath(projectId: number, functionId: string, kind: FunctionDocKind, fileName?: string): string {
  const leaf = kind === 'inputs' ? 'inputs.json' : kind === 'filters' ? 'filters.json' : (fileName ?? 'code.hog');
  return `/${projectId}/hog_functions/${functionId}/${leaf}`;
}

export function groupDocPath(projectId: number, groupTypeIndex: number, groupKey: string): string {
  return `/${projectId}/groups/${groupTypeIndex}/${encodeKey(groupKey)}.json`;
}

/** A readable file name: no path separators or control characters, bounded length. */
export function fileSafe(name: string): string {
  return (
    name
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '-')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^\.+/, '')
      .slice(0, 80)
      .trim()
  );
}

/** Group keys are arbitrary strings: escape what cannot stand in one path segment. */
function encodeKey(key: string): string {
  return key.replace(/[%/\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function parseIntStrict(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d{1,12}$/.test(s)) return undefined;
  return Number(s);
}
