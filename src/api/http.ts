/**
 * The HTTP layer: one place that builds URLs, authenticates, times out, cancels, retries with backoff,
 * maps failures to PostHogError and parses every response with a zod schema.
 *
 * Retry policy (bounded by `maxRetries`):
 * - 429 for every method: PostHog throttles before doing any work, so repeating is safe.
 * - 502/503/504 for GET/PATCH/PUT/DELETE (idempotent); for POST only a 503 from PostHog itself (its
 *   JSON error body), since a 502/504 POST — or a 503 from a proxy that forwarded it — may already
 *   have been applied (creating a function twice is worse than an error).
 * - connection failures for GET, and for PATCH carrying `base_updated_at` (a repeat of an applied one
 *   is a 409 the stores resolve by content).
 * Callers see on the error how many attempts were made (`attempts`), to read "already done" answers
 * to a repeated write as the success they are.
 * The wait honours `Retry-After` (seconds or HTTP date), else PostHog's "Expected available in N
 * seconds", else exponential backoff with jitter. A wait longer than `maxRetryDelayMs` is not
 * attempted: the error tells the user when to try again instead.
 */
import type { Agent } from 'node:http';
import type { RequestInit, Response } from 'node-fetch';
import type * as z from 'zod/mini';
import { parseJson, stringifyJson } from '../model/json';
import { isLoopback } from '../model/environment';
import { inOwnTurn } from '../util/turns';
import { PostHogError } from './errors';
import { AdHocErrorBodySchema, ErrorBodySchema } from './schemas';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null;

export interface HttpClientOptions {
  /** Origin of the PostHog instance, e.g. https://us.posthog.com (a path prefix is allowed for self-hosting). */
  host: string;
  /** Returns the personal API key; asked before every request so a new sign-in takes effect at once. */
  apiKey: () => Promise<string | undefined> | string | undefined;
  /** Per-attempt timeout, read on every request so settings changes apply immediately. */
  timeoutMs?: () => number;
  maxRetries?: () => number;
  /** Upper bound of one retry wait (default 30 s). */
  maxRetryDelayMs?: number;
  /** Base of the exponential backoff (default 500 ms). */
  baseRetryDelayMs?: number;
  userAgent: string;
  /** Receives one line per request: method, path, status, duration. Never headers or bodies. */
  log?: (line: string) => void;
}

export interface RequestSpec<S extends z.ZodMiniType> {
  method: HttpMethod;
  /** A path below the host ("/api/…"), or an absolute `next` URL returned by PostHog. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  schema: S;
  signal?: AbortSignal;
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** A response from this size on (a list page of ~50 functions or more) is parsed in turns of its own. */
const LARGE_RESPONSE_CHARS = 64 * 1024;
/**
 * node-fetch, loaded at the first request rather than at activation. In the extension's bundles it is
 * its own file (dist/nodeFetch.js, see esbuild.mjs), shared by every chunk that sends requests.
 */
let fetchModule: typeof import('node-fetch') | undefined;
function nodeFetch(): typeof import('node-fetch').default {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  fetchModule ??= require('node-fetch') as typeof import('node-fetch');
  return fetchModule.default;
}

/**
 * One keep-alive agent per protocol, shared by every client. Created at the first request: loading
 * Node's https module (tls, crypto) costs activation time that a tree or a document open may never need.
 */
const agents: { http?: Agent; https?: Agent } = {};
function agentFor(protocol: string): Agent {
  if (protocol === 'http:') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (agents.http ??= new (require('node:http') as typeof import('node:http')).Agent({ keepAlive: true, maxSockets: 8 }));
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (agents.https ??= new (require('node:https') as typeof import('node:https')).Agent({ keepAlive: true, maxSockets: 8 }));
}

export class HttpClient {
  readonly origin: URL;

  constructor(private readonly opts: HttpClientOptions) {
    this.origin = parseHost(opts.host);
  }

  /** The instance's base URL without a trailing slash, e.g. for deep links into the web app. */
  get baseUrl(): string {
    return this.origin.href.replace(/\/$/, '');
  }

  async request<S extends z.ZodMiniType>(spec: RequestSpec<S>): Promise<z.infer<S>> {
    const url = this.resolve(spec.path, spec.query);
    const endpoint = `${spec.method} ${url.pathname}`;
    const key = await this.opts.apiKey();
    if (!key) {
      throw new PostHogError({ kind: 'config', endpoint, detail: `No personal API key for ${this.origin.host}. Run "PostHog: Sign In".` });
    }
    const maxRetries = Math.min(MAX_RETRIES, Math.max(0, this.opts.maxRetries?.() ?? 3));
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(spec, url, endpoint, key);
      if (outcome.ok) return this.parse(spec.schema, outcome.text, endpoint, outcome.status, outcome.text.length >= LARGE_RESPONSE_CHARS);
      const err = outcome.error;
      err.attempts = attempt + 1;
      if (attempt >= maxRetries || !isRetryable(spec, err)) throw err;
      const delay = retryDelayMs(err, attempt, this.opts.baseRetryDelayMs ?? 500);
      if (delay > (this.opts.maxRetryDelayMs ?? 30_000)) throw err;
      this.opts.log?.(`retrying ${endpoint} in ${Math.round(delay)} ms (attempt ${attempt + 2} of ${maxRetries + 1})`);
      await sleep(delay, spec.signal, endpoint);
    }
  }

  /** Builds the request URL. `next` links are followed only on our own origin, so the key never leaves it. */
  resolve(path: string, query?: Record<string, QueryValue>): URL {
    let url: URL;
    if (/^https?:\/\//i.test(path)) {
      const given = new URL(path);
      // PostHog builds `next` from the request's Host; behind a proxy it may name another scheme or
      // host. Keep only path + query and send them to the host the user signed in to. Set them on a
      // copy of our origin: resolving "//other.host/…" as a relative URL would switch hosts.
      url = new URL(this.origin.href);
      // Behind a prefix-stripping proxy Django builds `next` without the prefix (C3): put it back.
      const prefix = this.origin.pathname.replace(/\/$/, '');
      url.pathname = prefix && !given.pathname.startsWith(`${prefix}/`) ? prefix + given.pathname : given.pathname;
      url.search = given.search;
    } else {
      const base = this.origin.pathname.replace(/\/$/, '');
      const [pathname = '', search = ''] = path.split('?', 2);
      url = new URL(this.origin.href);
      url.pathname = base + (pathname.startsWith('/') ? pathname : `/${pathname}`);
      url.search = search;
    }
    if (url.origin !== this.origin.origin) {
      throw new PostHogError({ kind: 'config', endpoint: url.pathname, detail: 'Refusing to send the API key to another host.' });
    }
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    }
    return url;
  }

  private async attempt(
    spec: RequestSpec<z.ZodMiniType>,
    url: URL,
    endpoint: string,
    key: string,
  ): Promise<{ ok: true; text: string; status: number } | { ok: false; error: PostHogError }> {
    if (spec.signal?.aborted) return { ok: false, error: new PostHogError({ kind: 'cancelled', endpoint }) };
    const controller = new AbortController();
    const timeoutMs = this.opts.timeoutMs?.() ?? 30_000;
    // An object, not a boolean, so type narrowing does not assume the callback never ran.
    const timeout = { fired: false };
    const timer = setTimeout(() => {
      timeout.fired = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => {
      controller.abort();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${key}`,
      Accept: 'application/json',
      'User-Agent': this.opts.userAgent,
    };
    const init: RequestInit = {
      method: spec.method,
      headers,
      // node-fetch 2 types its signal loosely; Node's AbortSignal is what it checks for at run time.
      signal: controller.signal,
      agent: agentFor(url.protocol),
      redirect: 'manual',
    };
    if (spec.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = stringifyJson(spec.body);
    }
    try {
      let res: Response;
      let text: string;
      try {
        res = await nodeFetch()(url.href, init);
        text = await res.text();
      } catch (e) {
        if (spec.signal?.aborted) return { ok: false, error: new PostHogError({ kind: 'cancelled', endpoint }) };
        if (timeout.fired) return { ok: false, error: new PostHogError({ kind: 'timeout', endpoint, cause: e }) };
        return { ok: false, error: new PostHogError({ kind: 'network', endpoint, cause: e }) };
      }
      this.opts.log?.(`${endpoint} → ${res.status} (${Date.now() - started} ms)`);
      if (res.status >= 200 && res.status < 300) return { ok: true, text, status: res.status };
      return { ok: false, error: httpError(res, text, endpoint) };
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** `large`: parsing and validating each take a turn of the event loop of their own (util/turns.ts). */
  private async parse<S extends z.ZodMiniType>(schema: S, text: string, endpoint: string, status: number, large: boolean): Promise<z.infer<S>> {
    const step = <T>(fn: () => T): T | Promise<T> => (large ? inOwnTurn(fn) : fn());
    let json: unknown = null;
    if (text.trim() !== '' || status !== 204) {
      try {
        json = await step(() => parseJson(text));
      } catch {
        throw new PostHogError({ kind: 'schema', endpoint, status, detail: 'is not valid JSON' });
      }
    }
    const result = await step(() => schema.safeParse(json));
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join('.') ?? '';
    throw new PostHogError({ kind: 'schema', endpoint, status, field: field || '(root)', detail: issue ? `— ${describeIssue(issue, json)}` : undefined });
  }
}

/**
 * A schema issue in words. zod/mini carries no message catalogue (that is most of zod's size), so
 * the common case is said here from the issue and the value found at its path.
 */
export function describeIssue(issue: { code: string; path: readonly PropertyKey[]; message: string; expected?: unknown }, json: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message.toLowerCase();
  let value: unknown = json;
  for (const key of issue.path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  const received = value === null ? 'null' : Array.isArray(value) ? 'array' : value === undefined ? 'nothing' : typeof value;
  return `expected ${String(issue.expected)}, received ${received}`;
}

/** Normalises and checks the host: https always, plain http only for loopback (the local stand-in). */
export function parseHost(host: string): URL {
  let url: URL;
  try {
    url = new URL(host.trim());
  } catch {
    throw new PostHogError({ kind: 'config', endpoint: host, detail: `"${host}" is not a valid URL. Use e.g. https://us.posthog.com.` });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PostHogError({ kind: 'config', endpoint: host, detail: `"${host}" must start with https://.` });
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new PostHogError({
      kind: 'config',
      endpoint: host,
      detail: `Refusing plain http for ${url.host}: your personal API key would travel unencrypted. Use https:// (plain http is only allowed for localhost).`,
    });
  }
  if (url.username || url.password) {
    throw new PostHogError({ kind: 'config', endpoint: url.host, detail: 'The host URL must not contain credentials.' });
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function httpError(res: Response, text: string, endpoint: string): PostHogError {
  if (res.status >= 300 && res.status < 400) return redirectError(res.status, res.headers.get('location'), endpoint);
  const body = parseErrorBody(text);
  return new PostHogError({
    kind: 'http',
    endpoint,
    status: res.status,
    ...body,
    retryAfterSeconds: retryAfterSeconds(res.headers.get('retry-after'), body.detail),
  });
}

/**
 * A redirect is never followed (the key would go along), but it is explained (E3): http→https, an old
 * or alias domain, or a sign-in proxy in front of PostHog.
 */
export function redirectError(status: number, location: string | null, endpoint: string): PostHogError {
  let to: URL | undefined;
  try {
    to = location ? new URL(location, 'https://placeholder.invalid') : undefined;
  } catch {
    to = undefined;
  }
  const target = to && to.hostname !== 'placeholder.invalid' ? `${to.protocol}//${to.host}` : undefined;
  const detail = target
    ? `PostHog redirects ${endpoint} to ${target} (${status}). The extension does not follow redirects with your key: sign in with ${target} as the host if that is your PostHog.`
    : `PostHog answered ${endpoint} with a redirect (${status}). The extension does not follow redirects with your key: check the host (https://, no sign-in proxy in front of the API).`;
  return new PostHogError({ kind: 'http', endpoint, status, detail });
}

/** Reads PostHog's error bodies: the standard object, `{"error": …}`, and raw DRF serializer errors. */
export function parseErrorBody(text: string): { type?: string; code?: string; detail?: string; attr?: string | null } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    // HTML error pages from proxies are not worth showing; short plain text is.
    return trimmed && trimmed.length < 300 && !trimmed.startsWith('<') ? { detail: trimmed } : {};
  }
  const adHoc = AdHocErrorBodySchema().safeParse(json);
  if (adHoc.success) return { detail: adHoc.data.error };
  const std = ErrorBodySchema().safeParse(json);
  if (std.success && (std.data.detail !== undefined || std.data.code !== undefined)) {
    const { type, code, detail, attr } = std.data;
    // update_property's capture failure swaps code and detail: {"code": "<sentence>", "detail": "capture_error"}.
    if (code && detail && /\s/.test(code) && /^[a-z_]+$/.test(detail)) return { type, code: detail, detail: code, attr: attr ?? null };
    return { type, code, detail, attr: attr ?? null };
  }
  const first = firstFieldError(json, []);
  return first ? { type: 'validation_error', code: 'invalid_input', detail: first.message, attr: first.path.join('__') || null } : {};
}

/** Raw serializer errors: `{"configuration": {"hog": ["Hog code has errors."]}}` → hog message, path configuration__hog. */
function firstFieldError(value: unknown, path: string[]): { path: string[]; message: string } | undefined {
  if (typeof value === 'string') return { path, message: value };
  if (Array.isArray(value)) {
    for (const v of value as unknown[]) {
      const found = firstFieldError(v, path);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = firstFieldError(v, k === 'non_field_errors' ? path : [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

/** `Retry-After` (delta seconds or HTTP date), else "Expected available in N seconds" in PostHog's detail. */
export function retryAfterSeconds(header: string | null, detail: string | undefined, now: number = Date.now()): number | undefined {
  if (header) {
    const trimmed = header.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, (date - now) / 1000);
  }
  const m = detail ? /available in (\d+(?:\.\d+)?) seconds?/i.exec(detail) : null;
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

function isRetryable(spec: Pick<RequestSpec<z.ZodMiniType>, 'method' | 'body'>, err: PostHogError): boolean {
  if (err.kind === 'network') return spec.method === 'GET' || (spec.method === 'PATCH' && isConditional(spec.body));
  if (err.kind !== 'http' || !RETRYABLE_STATUSES.has(err.status ?? 0)) return false;
  if (err.status === 429) return true;
  if (spec.method !== 'POST') return true;
  // PostHog's own 503 (DatabaseUnavailable) comes with its JSON error body; a proxy's does not.
  return err.status === 503 && err.type !== undefined;
}

function isConditional(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { base_updated_at?: unknown }).base_updated_at === 'string';
}

/** However high the setting, a request is never sent more often than this. */
const MAX_RETRIES = 10;
/** The shortest wait between two attempts, whatever Retry-After says (F7). */
const MIN_RETRY_DELAY_MS = 250;

/** The wait before retry number `attempt + 1`, in ms. */
export function retryDelayMs(err: PostHogError, attempt: number, baseMs: number, random: () => number = Math.random): number {
  if (err.retryAfterSeconds !== undefined) return Math.max(MIN_RETRY_DELAY_MS, err.retryAfterSeconds * 1000) * (1 + random() * 0.1);
  const exp = baseMs * 2 ** attempt;
  return Math.min(exp, 8_000) * (0.75 + random() * 0.5);
}

function sleep(ms: number, signal: AbortSignal | undefined, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PostHogError({ kind: 'cancelled', endpoint }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new PostHogError({ kind: 'cancelled', endpoint }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
