/**
 * A function's recent metrics in words: the last 24 h against the 24 h before, and the last hour, from
 * one hourly `metrics` series over 48 h (PostHog's names: succeeded, failed, filtered,
 * disabled_temporarily, …). Pure.
 */
import type { Metrics } from '../api/schemas';

export interface MetricsSummary {
  readonly last24h: Readonly<Record<string, number>>;
  readonly previous24h: Readonly<Record<string, number>>;
  readonly lastHour: Readonly<Record<string, number>>;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** From hourly buckets, oldest first: the last 24 buckets, the 24 before them, the last one. */
export function summarizeMetrics(m: Metrics): MetricsSummary {
  const last24h: Record<string, number> = {};
  const previous24h: Record<string, number> = {};
  const lastHour: Record<string, number> = {};
  for (const s of m.series) {
    last24h[s.name] = sum(s.values.slice(-24));
    previous24h[s.name] = sum(s.values.slice(-48, -24));
    lastHour[s.name] = s.values.at(-1) ?? 0;
  }
  return { last24h, previous24h, lastHour };
}

const ORDER = ['succeeded', 'failed', 'filtered'];

/** "succeeded 1,204 (+12 %) · failed 3 (was 0) · filtered 50 (−8 %)": the names PostHog reports, the usual three first. */
export function describeMetrics(m: MetricsSummary): string {
  const names = [...new Set([...ORDER, ...Object.keys(m.last24h)])].filter((n) => n in m.last24h && (ORDER.includes(n) || (m.last24h[n] ?? 0) > 0 || (m.previous24h[n] ?? 0) > 0));
  return names
    .map((name) => {
      const now = m.last24h[name] ?? 0;
      const before = m.previous24h[name] ?? 0;
      let change = '';
      if (before === 0 && now > 0) change = ' (was 0)';
      else if (before > 0 && now !== before) {
        const pct = Math.round(((now - before) / before) * 100);
        change = pct === 0 ? '' : ` (${pct > 0 ? '+' : '−'}${Math.abs(pct)} %)`;
      }
      return `${name.replace(/_/g, ' ')} ${now.toLocaleString('en-US')}${change}`;
    })
    .join(' · ');
}
