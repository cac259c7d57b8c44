/**
 * Function logs (`GET …/hog_functions/{id}/logs/`, posthog/api/log_entries.py). Each function
 * gets a few deterministic demo invocations the first time its logs are read; the control API
 * can append more (to test tailing with `after`).
 */
import { hashString, Prng } from './prng';
import { formatMicros, parseIsoMicros } from './time';
import type { LogEntry, StandInState, StoredHogFunction } from './types';

const INVOCATIONS = 4;

function uuidFrom(prng: Prng): string {
  const hex = (n: number): string => Array.from({ length: n }, () => prng.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-7${hex(3)}-8${hex(3)}-${hex(12)}`;
}

function demoLogs(fn: StoredHogFunction): LogEntry[] {
  const prng = new Prng(hashString(fn.id));
  const end = parseIsoMicros(fn.updated_at) ?? 0n;
  const entries: LogEntry[] = [];
  for (let i = 0; i < INVOCATIONS; i++) {
    const instance = uuidFrom(prng);
    let t = end - BigInt((INVOCATIONS - i) * 3_600) * 1_000_000n + BigInt(prng.int(0, 999_999));
    const at = (): string => {
      t += BigInt(prng.int(1_000, 90_000));
      return formatMicros(t);
    };
    const failed = fn.status.state === 2 && i % 2 === 1;
    const log = (level: LogEntry['level'], message: string): void => {
      entries.push({ log_source_id: fn.id, instance_id: instance, timestamp: at(), level, message });
    };
    log('DEBUG', `Executing function`);
    if (fn.type === 'destination' || fn.type === 'internal_destination') {
      log('DEBUG', `Suspending function due to async function call 'fetch'. Payload: 1853 bytes. Event: ${uuidFrom(prng)}`);
      log('DEBUG', 'Resuming function');
    }
    if (failed) {
      log('ERROR', `Error executing function on event ${uuidFrom(prng)}: Error('Request failed with status 503')`);
    } else {
      log(
        'INFO',
        `Function completed in ${prng.int(3, 400)}.${prng.int(10, 99)}ms. Sync: ${prng.int(0, 9)}ms. Mem: ${prng.int(200, 2000)} bytes. Ops: ${prng.int(10, 200)}. Event: 'https://us.posthog.com/project/${fn.team_id}/events/${uuidFrom(prng)}'`,
      );
    }
  }
  return entries;
}

export function logsFor(state: StandInState, fn: StoredHogFunction): LogEntry[] {
  let entries = state.logs.get(fn.id);
  if (!entries) {
    entries = demoLogs(fn);
    state.logs.set(fn.id, entries);
  }
  return entries;
}

export interface LogQuery {
  limit: number;
  after: bigint | null;
  before: bigint | null;
  levels: Set<string> | null;
  search: string | null;
  instanceId: string | null;
}

/** Parses the query; `level` may be repeated or comma separated (old and new serializers). */
export function parseLogQuery(params: URLSearchParams): LogQuery {
  const limitRaw = Number(params.get('limit') ?? '50');
  const levels = params
    .getAll('level')
    .flatMap((l) => l.split(','))
    .map((l) => l.trim().toUpperCase())
    .filter(Boolean);
  const time = (name: string): bigint | null => {
    const v = params.get(name);
    return v ? parseIsoMicros(v) : null;
  };
  return {
    limit: Number.isInteger(limitRaw) && limitRaw > 0 ? Math.min(limitRaw, 500) : 50,
    after: time('after'),
    before: time('before'),
    levels: levels.length > 0 ? new Set(levels) : null,
    search: params.get('search')?.toLowerCase() ?? null,
    instanceId: params.get('instance_id'),
  };
}

/** Newest first, like PostHog. */
export function queryLogs(entries: LogEntry[], q: LogQuery): LogEntry[] {
  const matching = entries.filter((e) => {
    const t = parseIsoMicros(e.timestamp) ?? 0n;
    if (q.after !== null && t <= q.after) return false;
    if (q.before !== null && t >= q.before) return false;
    if (q.levels && !q.levels.has(e.level)) return false;
    if (q.search !== null && !e.message.toLowerCase().includes(q.search)) return false;
    return q.instanceId === null || e.instance_id === q.instanceId;
  });
  matching.sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0));
  return matching.slice(0, q.limit);
}
