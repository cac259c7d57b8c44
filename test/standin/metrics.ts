/**
 * `GET …/hog_functions/{id}/metrics/` and `…/metrics/totals/` (posthog/api/app_metrics2.py): counts per
 * interval bucket, every bucket filled, deterministic per function and bucket. A degraded function fails
 * a third of its runs; a disabled one has none. Params: after (relative `-7d`, `-24h`, or ISO; default
 * -7d), before (default now), interval hour|day|week (default day), breakdown_by name|kind (default kind),
 * name / kind (comma lists).
 */
import { adHocError, type JsonResponse } from './http';
import { hashString, Prng } from './prng';
import type { StoredHogFunction } from './types';

const NAMES: Record<string, 'success' | 'failure' | 'other'> = {
  succeeded: 'success',
  failed: 'failure',
  filtered: 'other',
  disabled_temporarily: 'failure',
  dropped: 'other',
};
const INTERVAL_MS = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 } as const;

function parseTime(text: string | null, now: number, fallback: number): number {
  if (text === null || text === '') return fallback;
  const rel = /^-(\d+)([hdwm])$/.exec(text);
  if (rel) {
    const n = Number(rel[1]);
    const unit = { h: 3_600_000, d: 86_400_000, w: 604_800_000, m: 2_592_000_000 }[rel[2] as 'h' | 'd' | 'w' | 'm'];
    return now - n * unit;
  }
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw adHocError(400, { after: ['Invalid date'] });
  return t;
}

function series(fn: StoredHogFunction, params: URLSearchParams, now: number): { labels: string[]; byName: Map<string, number[]> } {
  const interval = params.get('interval') ?? 'day';
  if (interval !== 'hour' && interval !== 'day' && interval !== 'week') throw adHocError(400, { interval: [`"${interval}" is not a valid choice.`] });
  const step = INTERVAL_MS[interval];
  const after = parseTime(params.get('after'), now, now - 7 * 86_400_000);
  const before = parseTime(params.get('before'), now, now);
  const first = Math.floor(after / step) * step;
  const labels: string[] = [];
  for (let t = first; t < before; t += step) labels.push(new Date(t).toISOString());
  const byName = new Map<string, number[]>();
  const degraded = fn.status.state === 2;
  for (const name of Object.keys(NAMES)) {
    byName.set(
      name,
      labels.map((label) => {
        if (!fn.enabled) return 0;
        const prng = new Prng(hashString(`${fn.id}/${name}/${label}/${step}`));
        const base = Math.max(1, Math.round(step / 3_600_000)) * 10;
        if (name === 'succeeded') return prng.int(base, base * 3);
        if (name === 'failed') return degraded ? prng.int(base, base * 2) : prng.int(0, 1);
        if (name === 'filtered') return prng.int(0, base);
        return 0;
      }),
    );
  }
  return { labels, byName };
}

function grouped(fn: StoredHogFunction, params: URLSearchParams, now: number): { labels: string[]; groups: Map<string, number[]> } {
  const { labels, byName } = series(fn, params, now);
  const kind = params.get('breakdown_by') !== 'name';
  const names = params.get('name')?.split(',').filter(Boolean);
  const kinds = params.get('kind')?.split(',').filter(Boolean);
  const groups = new Map<string, number[]>();
  for (const [name, values] of byName) {
    const k = NAMES[name] ?? 'other';
    if (names && !names.includes(name)) continue;
    if (kinds && !kinds.includes(k)) continue;
    const key = kind ? k : name;
    const sum = groups.get(key) ?? labels.map(() => 0);
    groups.set(
      key,
      sum.map((v, i) => v + (values[i] ?? 0)),
    );
  }
  return { labels, groups };
}

export function metrics(fn: StoredHogFunction, params: URLSearchParams, now = Date.now()): JsonResponse {
  const { labels, groups } = grouped(fn, params, now);
  return { status: 200, body: { labels, series: [...groups].map(([name, values]) => ({ name, values })) } };
}

export function metricsTotals(fn: StoredHogFunction, params: URLSearchParams, now = Date.now()): JsonResponse {
  const { groups } = grouped(fn, params, now);
  return { status: 200, body: { totals: Object.fromEntries([...groups].map(([name, values]) => [name, values.reduce((a, b) => a + b, 0)])) } };
}
