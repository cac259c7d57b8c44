/**
 * HTTP plumbing shared by the route modules: PostHog's error shape, JSON responses, request
 * bodies, query strings and DRF-style absolute pagination links.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ErrorType = 'validation_error' | 'authentication_error' | 'invalid_request' | 'throttled_error' | 'server_error';

/** The single error object drf-exceptions-hog returns. */
export interface PostHogError {
  type: ErrorType;
  code: string;
  detail: string;
  attr: string | null;
}

/** Thrown by handlers; the server turns it into a response. `body` overrides the PostHog shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: PostHogError,
    readonly body?: unknown,
  ) {
    super(error.detail);
  }
}

export function validationError(detail: string, attr: string | null, code = 'invalid_input'): ApiError {
  return new ApiError(400, { type: 'validation_error', code, detail, attr });
}

export function notFound(detail = 'Not found.'): ApiError {
  return new ApiError(404, { type: 'invalid_request', code: 'not_found', detail, attr: null });
}

export function permissionDenied(detail: string): ApiError {
  return new ApiError(403, { type: 'authentication_error', code: 'permission_denied', detail, attr: null });
}

export function methodNotAllowed(method: string): ApiError {
  return new ApiError(405, {
    type: 'invalid_request',
    code: 'method_not_allowed',
    detail: `Method "${method}" not allowed.`,
    attr: null,
  });
}

/** An ad-hoc body (e.g. enable_backfills' `{"error": …}`) instead of the usual error object. */
export function adHocError(status: number, body: unknown): ApiError {
  return new ApiError(status, { type: 'validation_error', code: 'invalid_input', detail: 'ad hoc', attr: null }, body);
}

export interface JsonResponse {
  status: number;
  /** undefined = empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

export function sendJson(res: ServerResponse, response: JsonResponse, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extraHeaders, ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  headers['content-type'] ??= 'application/json';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(response.status, headers);
  res.end(text);
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** Reads the whole body as text (null when empty). Rejects with a 413 ApiError when huge. */
export async function readBodyText(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError(413, {
        type: 'invalid_request',
        code: 'request_too_large',
        detail: 'Request body too large.',
        attr: null,
      });
    }
    chunks.push(chunk);
  }
  if (size === 0) return null;
  return Buffer.concat(chunks).toString('utf8');
}

/** Parsed body: `undefined` when empty, otherwise JSON, or a ParseError as DRF reports it. */
export function parseJsonBody(text: string | null): { ok: true; value: unknown } | { ok: false; error: ApiError } {
  if (text === null || text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      error: new ApiError(400, {
        type: 'invalid_request',
        code: 'parse_error',
        detail: `JSON parse error - ${message}`,
        attr: null,
      }),
    };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python's type names, for DRF's "Expected a list of items but got type "dict"." messages. */
export function pyTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'object':
      return 'dict';
    default:
      return typeof value;
  }
}

/** A value as it appears in DRF messages like `"x" is not a valid choice.` */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  // Values come from parsed JSON, so only `undefined` lacks a JSON text.
  return value === undefined ? 'None' : JSON.stringify(value);
}

export function queryToRecord(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) out[k] = v;
  return out;
}

/**
 * Django's `replace_query_param`: sets (or removes) one parameter and re-encodes the query with
 * the keys sorted, which is what DRF's `next`/`previous` links look like.
 */
export function absoluteUrl(host: string, path: string, params: URLSearchParams, changes: Record<string, string | null>): string {
  const entries = new Map<string, string[]>();
  for (const [k, v] of params) entries.set(k, [...(entries.get(k) ?? []), v]);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) entries.delete(k);
    else entries.set(k, [v]);
  }
  const query = new URLSearchParams();
  for (const k of [...entries.keys()].sort()) for (const v of entries.get(k) ?? []) query.append(k, v);
  const qs = query.toString();
  return `http://${host}${path}${qs ? `?${qs}` : ''}`;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

function nonNegativeInt(text: string | null, fallback: number, positive: boolean): number {
  if (text === null || !/^\d+$/.test(text.trim())) return fallback;
  const n = Number(text);
  return positive && n === 0 ? fallback : n;
}

/**
 * DRF LimitOffsetPagination: invalid `limit`/`offset` fall back to the defaults; `next` and
 * `previous` are absolute URLs built from the request's Host header.
 */
export function paginate<T, R>(items: readonly T[], req: { host: string; path: string; params: URLSearchParams }, serialize: (item: T) => R, defaultLimit = 100): Page<R> {
  const limit = nonNegativeInt(req.params.get('limit'), defaultLimit, true);
  const offset = nonNegativeInt(req.params.get('offset'), 0, false);
  const count = items.length;
  const next = offset + limit < count ? absoluteUrl(req.host, req.path, req.params, { limit: String(limit), offset: String(offset + limit) }) : null;
  let previous: string | null = null;
  if (offset > 0) {
    previous =
      offset - limit <= 0
        ? absoluteUrl(req.host, req.path, req.params, { limit: String(limit), offset: null })
        : absoluteUrl(req.host, req.path, req.params, { limit: String(limit), offset: String(offset - limit) });
  }
  return { count, next, previous, results: items.slice(offset, offset + limit).map(serialize) };
}
