/**
 * Groups API (ee/clickhouse/views/groups.py): `groups_types/` (projects route only) and
 * `groups/…` on both prefixes. The list uses forward-only keyset pagination with an opaque
 * base64 cursor `{c: created_at µs, k: group_key}`; bad cursors restart at the first page.
 */
import { absoluteUrl, isPlainObject, notFound, validationError, type JsonResponse } from './http';
import type { ApiContext, Route } from './router';
import { serializeGroup } from './serializers';
import { parseIsoMicros } from './time';
import type { GroupRecord } from './types';

const PROJECTS = String.raw`^/api/projects/(?<projectId>\d+)`;
const BOTH = String.raw`^/api/(?:environments|projects)/(?<projectId>\d+)`;
const READ = { object: 'group', action: 'read' } as const;
const WRITE = { object: 'group', action: 'write' } as const;

function groupsOf(ctx: ApiContext): GroupRecord[] {
  const groups = ctx.core.state.groups.get(ctx.projectId ?? -1);
  if (!groups) {
    const fresh: GroupRecord[] = [];
    ctx.core.state.groups.set(ctx.projectId ?? -1, fresh);
    return fresh;
  }
  return groups;
}

function requiredParam(ctx: ApiContext, name: string): string {
  const v = ctx.params.get(name);
  if (v === null || v === '') throw validationError('This field is required.', name, 'required');
  return v;
}

function groupTypeIndex(ctx: ApiContext): number {
  const v = requiredParam(ctx, 'group_type_index');
  if (!/^-?\d+$/.test(v.trim())) throw validationError('A valid integer is required.', 'group_type_index', 'invalid');
  return Number(v);
}

function findGroup(ctx: ApiContext, index: number, key: string): GroupRecord {
  const g = groupsOf(ctx).find((x) => x.group_type_index === index && x.group_key === key);
  if (!g) throw notFound();
  return g;
}

interface Cursor {
  c: bigint;
  k: string;
}

function encodeCursor(g: GroupRecord): string {
  const c = Number(parseIsoMicros(g.created_at) ?? 0n);
  return Buffer.from(JSON.stringify({ c, k: g.group_key })).toString('base64');
}

function decodeCursor(text: string | null): Cursor | null {
  if (!text) return null;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as unknown;
    if (isPlainObject(parsed) && typeof parsed.c === 'number' && typeof parsed.k === 'string') {
      return { c: BigInt(Math.trunc(parsed.c)), k: parsed.k };
    }
  } catch {
    // Old-format or garbage cursors silently restart at page 1, like PostHog.
  }
  return null;
}

/** created_at DESC, group_key DESC: the keyset order. */
function compareGroups(a: { us: bigint; g: GroupRecord }, b: { us: bigint; g: GroupRecord }): number {
  if (a.us !== b.us) return a.us > b.us ? -1 : 1;
  return a.g.group_key > b.g.group_key ? -1 : a.g.group_key < b.g.group_key ? 1 : 0;
}

function list(ctx: ApiContext): JsonResponse {
  const index = groupTypeIndex(ctx);
  const search = ctx.params.get('search')?.toLowerCase() ?? '';
  const keyFilter = ctx.params.get('group_key')?.toLowerCase() ?? '';
  const cursor = decodeCursor(ctx.params.get('cursor'));
  const pageSize = Math.max(1, ctx.core.config.groupsPageSize);
  const rows = groupsOf(ctx)
    .filter((g) => {
      if (g.group_type_index !== index) return false;
      if (keyFilter && !g.group_key.toLowerCase().includes(keyFilter)) return false;
      if (!search) return true;
      const name = g.group_properties.name;
      return g.group_key.toLowerCase().includes(search) || (typeof name === 'string' && name.toLowerCase().includes(search));
    })
    .map((g) => ({ us: parseIsoMicros(g.created_at) ?? 0n, g }))
    .sort(compareGroups)
    .filter(({ us, g }) => !cursor || us < cursor.c || (us === cursor.c && g.group_key < cursor.k));
  const page = rows.slice(0, pageSize).map((r) => r.g);
  const last = page[page.length - 1];
  const next = rows.length > pageSize && last ? absoluteUrl(ctx.host, ctx.path, ctx.params, { cursor: encodeCursor(last) }) : null;
  return { status: 200, body: { next, previous: null, results: page.map((g) => serializeGroup(g, { stored: true })) } };
}

function find(ctx: ApiContext): JsonResponse {
  const index = groupTypeIndex(ctx);
  const key = requiredParam(ctx, 'group_key');
  const g = findGroup(ctx, index, key);
  if (ctx.params.get('skip_create_notebook') !== 'true') {
    ctx.core.state.notebooksCreated.push({ team_id: ctx.projectId ?? -1, group_type_index: index, group_key: key });
  }
  return { status: 200, body: { ...serializeGroup(g, { stored: true }), notebook: null } };
}

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function propertyValues(ctx: ApiContext): JsonResponse {
  const index = groupTypeIndex(ctx);
  const key = requiredParam(ctx, 'key');
  const needle = ctx.params.get('value')?.toLowerCase() ?? '';
  const counts = new Map<string, number>();
  for (const g of groupsOf(ctx)) {
    if (g.group_type_index !== index || !(key in g.group_properties)) continue;
    const name = display(g.group_properties[key]);
    if (needle && !name.toLowerCase().includes(needle)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const results = [...counts.entries()]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1))
    .slice(0, 20);
  return { status: 200, body: { results, refreshing: false } };
}

function related(ctx: ApiContext): JsonResponse {
  const index = groupTypeIndex(ctx);
  const id = requiredParam(ctx, 'id');
  const links = ctx.core.state.groupLinks.get(ctx.projectId ?? -1) ?? [];
  const results: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const { a, b } of links) {
    const other = a.group_type_index === index && a.group_key === id ? b : b.group_type_index === index && b.group_key === id ? a : null;
    if (!other || seen.has(`${other.group_type_index}:${other.group_key}`)) continue;
    seen.add(`${other.group_type_index}:${other.group_key}`);
    const g = groupsOf(ctx).find((x) => x.group_type_index === other.group_type_index && x.group_key === other.group_key);
    if (!g) continue;
    results.push({
      type: 'group',
      group_type_index: g.group_type_index,
      id: g.group_key,
      created_at: g.created_at,
      properties: g.group_properties,
      matched_recordings: [],
      value_at_data_point: null,
    });
  }
  return { status: 200, body: results };
}

function bodyObject(ctx: ApiContext): Record<string, unknown> {
  const body = ctx.body();
  return isPlainObject(body) ? body : {};
}

function updateProperty(ctx: ApiContext): JsonResponse {
  const index = groupTypeIndex(ctx);
  const groupKey = requiredParam(ctx, 'group_key');
  const body = bodyObject(ctx);
  if (body.key === undefined || body.key === null || body.key === '') throw validationError('This field is required.', 'key', 'required');
  if (typeof body.key !== 'string') throw validationError('Not a valid string.', 'key');
  if (body.value === undefined || body.value === null) throw validationError('This field is required.', 'value', 'required');
  const g = findGroup(ctx, index, groupKey);
  g.group_properties = { ...g.group_properties, [body.key]: body.value };
  return { status: 200, body: serializeGroup(g) };
}

function deleteProperty(ctx: ApiContext): JsonResponse {
  const index = groupTypeIndex(ctx);
  const groupKey = requiredParam(ctx, 'group_key');
  const name = bodyObject(ctx).$unset;
  if (name === undefined || name === null) throw validationError('This field is required.', '$unset', 'required');
  if (typeof name !== 'string') throw validationError('Not a valid string.', '$unset');
  const g = findGroup(ctx, index, groupKey);
  if (!(name in g.group_properties)) throw validationError(`Property "${name}" does not exist on this group.`, '$unset');
  const { [name]: _removed, ...rest } = g.group_properties;
  g.group_properties = rest;
  return { status: 200, body: serializeGroup(g) };
}

function create(ctx: ApiContext): JsonResponse {
  const body = bodyObject(ctx);
  const index = body.group_type_index;
  if (index === undefined) throw validationError('This field is required.', 'group_type_index', 'required');
  if (!Number.isInteger(index)) throw validationError('A valid integer is required.', 'group_type_index');
  if (typeof body.group_key !== 'string' || body.group_key === '') throw validationError('This field is required.', 'group_key', 'required');
  const properties = body.group_properties ?? {};
  if (!isPlainObject(properties)) throw validationError('Expected a dictionary of items.', 'group_properties', 'not_a_dict');
  const groups = groupsOf(ctx);
  if (groups.some((g) => g.group_type_index === index && g.group_key === body.group_key)) {
    throw validationError('A group with this key already exists', null);
  }
  const g: GroupRecord = { group_type_index: index as number, group_key: body.group_key, group_properties: properties, created_at: ctx.core.clock.next() };
  groups.push(g);
  return { status: 201, body: serializeGroup(g) };
}

export const groupRoutes: Route[] = [
  {
    pattern: new RegExp(`${PROJECTS}/groups_types/$`),
    methods: { GET: { scope: READ, handle: (ctx) => ({ status: 200, body: ctx.core.state.groupTypes.get(ctx.projectId ?? -1) ?? [] }) } },
  },
  { pattern: new RegExp(`${BOTH}/groups/$`), methods: { GET: { scope: READ, handle: list }, POST: { scope: WRITE, handle: create } } },
  { pattern: new RegExp(`${BOTH}/groups/find/$`), methods: { GET: { scope: READ, handle: find } } },
  { pattern: new RegExp(`${BOTH}/groups/property_values/$`), methods: { GET: { scope: READ, handle: propertyValues } } },
  { pattern: new RegExp(`${BOTH}/groups/related/$`), methods: { GET: { scope: READ, handle: related } } },
  { pattern: new RegExp(`${BOTH}/groups/update_property/$`), methods: { POST: { scope: WRITE, handle: updateProperty } } },
  { pattern: new RegExp(`${BOTH}/groups/delete_property/$`), methods: { POST: { scope: WRITE, handle: deleteProperty } } },
];
