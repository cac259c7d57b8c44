/**
 * Metrics of a function, fetched when something shows them (a tooltip, the status bar), one request
 * (hourly over 48 h), cached for 60 s per function: a tree of 10,000 functions costs nothing until one is
 * looked at. No vscode import.
 */
import type { Environment } from '../model/environment';
import { summarizeMetrics, type MetricsSummary } from '../model/metrics';
import type { ClientPool } from './clients';

const TTL_MS = 60_000;

export class FunctionMetrics {
  private readonly cache = new Map<string, { readonly at: number; readonly value: Promise<MetricsSummary> }>();

  constructor(
    private readonly clients: Pick<ClientPool, 'get'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The metrics when they are cached (fetched or being fetched less than 60 s ago); never a request. */
  cached(env: Environment, functionId: string): Promise<MetricsSummary> | undefined {
    const hit = this.cache.get(metricsKey(env, functionId));
    return hit && this.now() - hit.at < TTL_MS ? hit.value : undefined;
  }

  get(env: Environment, functionId: string): Promise<MetricsSummary> {
    const key = metricsKey(env, functionId);
    const hit = this.cached(env, functionId);
    if (hit) return hit;
    const value = this.clients.get(env.host).hogFunctionMetrics(env.projectId, functionId, { after: '-48h', interval: 'hour' }).then(summarizeMetrics);
    value.catch(() => {
      if (this.cache.get(key)?.value === value) this.cache.delete(key);
    });
    this.cache.set(key, { at: this.now(), value });
    if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value ?? key);
    return value;
  }
}

const metricsKey = (env: Environment, functionId: string): string => `${env.host}|${env.projectId}|${functionId}`;
