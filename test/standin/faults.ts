/**
 * Fault injection: a FIFO queue of faults; the first one matching a request (method and URL)
 * handles it and is consumed (`times` defaults to 1; -1 or Infinity = until cleared).
 */
import type { FaultKind, FaultSpec } from './types';

const KINDS: readonly FaultKind[] = ['status', 'latency', 'drop', 'malformed', 'reset'];

/**
 * Parses a fault sent over HTTP (`POST /__standin/faults`). Returns an error message instead of
 * throwing so the caller can answer 400. Hand-written rather than zod: zod costs ~0.2 s of
 * startup and the shape is small.
 */
export function parseFaultSpec(input: unknown): FaultSpec | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'Expected a JSON object.';
  const o = input as Record<string, unknown>;
  if (typeof o.kind !== 'string' || !(KINDS as readonly string[]).includes(o.kind)) return `kind must be one of ${KINDS.join(', ')}`;
  const spec: FaultSpec = { kind: o.kind as FaultKind };
  for (const k of ['method', 'path', 'pathRegex'] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'string') return `${k} must be a string`;
    spec[k] = o[k];
  }
  if (spec.pathRegex !== undefined) {
    try {
      new RegExp(spec.pathRegex);
    } catch {
      return 'pathRegex is not a valid regular expression';
    }
  }
  for (const k of ['times', 'status', 'delayMs'] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'number') return `${k} must be a number`;
    spec[k] = o[k];
  }
  if (o.afterApply !== undefined) {
    if (typeof o.afterApply !== 'boolean') return 'afterApply must be a boolean';
    spec.afterApply = o.afterApply;
  }
  if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)) {
    return 'status must be an HTTP status code';
  }
  if (o.headers !== undefined) {
    const h = o.headers;
    if (typeof h !== 'object' || h === null || Object.values(h).some((v) => typeof v !== 'string')) {
      return 'headers must be an object of strings';
    }
    spec.headers = h as Record<string, string>;
  }
  if ('body' in o) spec.body = o.body;
  return spec;
}

interface ActiveFault {
  spec: FaultSpec;
  matcher: (url: string) => boolean;
  remaining: number;
}

/** Default bodies in PostHog's error shape for the usual injected statuses. */
export function defaultFaultBody(status: number): unknown {
  if (status === 429) {
    return { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled. Expected available in 1 seconds.', attr: null };
  }
  const details: Record<number, string> = {
    500: 'A server error occurred.',
    502: 'Bad gateway.',
    503: 'Service temporarily unavailable, try again later.',
    504: 'Gateway timeout.',
  };
  return { type: 'server_error', code: 'error', detail: details[status] ?? `Injected status ${status}.`, attr: null };
}

export class FaultQueue {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    let matcher: (url: string) => boolean = () => true;
    if (spec.path instanceof RegExp) {
      const re = spec.path;
      matcher = (url) => re.test(url);
    } else if (spec.pathRegex !== undefined) {
      const re = new RegExp(spec.pathRegex);
      matcher = (url) => re.test(url);
    } else if (typeof spec.path === 'string') {
      const needle = spec.path;
      matcher = (url) => url.includes(needle);
    }
    const times = spec.times ?? 1;
    this.faults.push({ spec, matcher, remaining: times < 0 ? Infinity : times });
  }

  clear(): void {
    this.faults = [];
  }

  get pending(): FaultSpec[] {
    return this.faults.map((f) => f.spec);
  }

  /** Takes (consumes one use of) the first fault matching this request. */
  take(method: string, url: string): FaultSpec | null {
    const index = this.faults.findIndex((f) => (f.spec.method === undefined || f.spec.method.toUpperCase() === method) && f.matcher(url));
    const fault = this.faults[index];
    if (!fault) return null;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault.spec;
  }
}

export type { FaultKind };
