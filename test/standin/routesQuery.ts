/**
 * `POST /api/{environments|projects}/{id}/query/` for the one query the extension sends: an EventsQuery
 * for the most recent event matching a hog function's filters (posthog/hogql_queries/events_query_runner.py).
 * A small deterministic events table per project; `fixedProperties` filters of type `hogql` of the forms
 * `event = '<name>'`, `true`, `false`, and `event`-type property filters with `exact`; `after` relative
 * (`-7d`) or ISO. `*` → the event dict (properties parsed), `person` → `{uuid, created_at, properties,
 * distinct_id}`. Anything else: 400, as PostHog says for a query it cannot run.
 */
import { adHocError, type JsonResponse } from './http';
import { hashString, Prng } from './prng';
import type { ApiContext, Route } from './router';

const EVENT_NAMES = ['$pageview', 'order_completed', 'user signed up', '$identify', 'purchase', '$autocapture'];

interface StoredEvent {
  uuid: string;
  event: string;
  properties: Record<string, unknown>;
  timestamp: string;
  distinct_id: string;
  elements_chain: string;
}

function eventsOf(projectId: number, now: number): StoredEvent[] {
  const prng = new Prng(hashString(`events/${projectId}`));
  const out: StoredEvent[] = [];
  for (let i = 0; i < 40; i++) {
    const event = EVENT_NAMES[i % EVENT_NAMES.length] ?? '$pageview';
    const hex = (n: number): string => Array.from({ length: n }, () => prng.int(0, 15).toString(16)).join('');
    out.push({
      uuid: `${hex(8)}-${hex(4)}-7${hex(3)}-8${hex(3)}-${hex(12)}`,
      event,
      properties: { $current_url: `https://hogflix.example/${event.replace(/\W+/g, '-')}`, $browser: prng.pick(['Chrome', 'Firefox', 'Safari']), order_id: `ord_${hex(6)}` },
      // One event every 10 hours going back: the newest 10 h ago, the oldest ~16 days ago.
      timestamp: new Date(now - (i + 1) * 10 * 3_600_000).toISOString(),
      distinct_id: `user-${prng.int(1, 9)}`,
      elements_chain: '',
    });
  }
  return out;
}

type Filter = { type?: unknown; key?: unknown; value?: unknown; operator?: unknown; values?: unknown };

function matches(e: StoredEvent, filter: Filter): boolean {
  if (Array.isArray(filter.values)) {
    const parts = filter.values as Filter[];
    return filter.type === 'OR' ? parts.some((p) => matches(e, p)) : parts.every((p) => matches(e, p));
  }
  if (filter.type === 'hogql' && typeof filter.key === 'string') {
    const key = filter.key.trim();
    if (key === 'true') return true;
    if (key === 'false') return false;
    const m = /^event\s*=\s*'((?:[^'\\]|\\.)*)'$/.exec(key);
    if (m) return e.event === (m[1] ?? '').replace(/\\(.)/g, '$1');
    throw adHocError(400, { type: 'validation_error', code: 'invalid_input', detail: `The stand-in cannot run the HogQL filter ${key}`, attr: null });
  }
  if ((filter.type === 'event' || filter.type === undefined) && typeof filter.key === 'string') {
    const want = Array.isArray(filter.value) ? (filter.value as unknown[]) : [filter.value];
    return filter.operator !== undefined && filter.operator !== 'exact' ? true : want.includes(e.properties[filter.key]);
  }
  return true;
}

function query(ctx: ApiContext): JsonResponse {
  const body = ctx.body() as { query?: Record<string, unknown> } | null;
  const q = body?.query;
  if (q?.kind !== 'EventsQuery') throw adHocError(400, { type: 'validation_error', code: 'invalid_input', detail: 'The stand-in answers EventsQuery only.', attr: null });
  const now = Date.now();
  const afterText = typeof q.after === 'string' ? q.after : '-24h';
  const rel = /^-(\d+)([hd])$/.exec(afterText);
  const after = rel ? now - Number(rel[1]) * (rel[2] === 'h' ? 3_600_000 : 86_400_000) : Date.parse(afterText);
  const filters = Array.isArray(q.fixedProperties) ? (q.fixedProperties as Filter[]) : [];
  const limit = typeof q.limit === 'number' ? q.limit : 100;
  const rows = eventsOf(ctx.projectId ?? 0, now)
    .filter((e) => Date.parse(e.timestamp) >= after && filters.every((f) => matches(e, f)))
    .slice(0, limit)
    .map((e) => [
      { ...e, team_id: ctx.projectId, created_at: e.timestamp, person_mode: 'full' },
      {
        uuid: `0190ffff-0000-7000-8000-${String(hashString(e.distinct_id)).padStart(12, '0').slice(0, 12)}`,
        created_at: '2026-01-01T00:00:00Z',
        properties: { email: `${e.distinct_id}@hogflix.example` },
        distinct_id: e.distinct_id,
      },
    ]);
  return { status: 200, body: { results: rows, columns: ['*', 'person'], types: ['Tuple', 'Tuple'], hasMore: false, limit, offset: 0 } };
}

export const queryRoutes: Route[] = [
  {
    pattern: /^\/api\/(?:environments|projects)\/(?<projectId>\d+)\/query\/$/,
    methods: { POST: { scope: { object: 'query', action: 'read' }, handle: query } },
  },
];
