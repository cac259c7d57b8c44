/**
 * A tiny fetch wrapper for tests that talk to the stand-in over real HTTP (Node 20 global fetch).
 * Not an API client: it exposes the raw status, headers and body so tests can assert exact shapes.
 */

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined for an empty / non-JSON body. */
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  /** Serialised as JSON unless it is already a string. */
  body?: unknown;
  /** Personal API key; null sends no Authorization header. */
  key?: string | null;
  headers?: Record<string, string>;
}

export async function request(baseUrl: string, path: string, opts: RequestOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method: opts.method ?? 'GET', headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Binds a base URL and a default key. */
export function clientFor(baseUrl: string, key: string | null) {
  const call = (method: string, path: string, body?: unknown, extra: Omit<RequestOptions, 'method' | 'body'> = {}) => request(baseUrl, path, { key, ...extra, method, body });
  return {
    get: (path: string, extra?: Omit<RequestOptions, 'method' | 'body'>) => call('GET', path, undefined, extra),
    post: (path: string, body?: unknown, extra?: Omit<RequestOptions, 'method' | 'body'>) => call('POST', path, body, extra),
    patch: (path: string, body?: unknown, extra?: Omit<RequestOptions, 'method' | 'body'>) => call('PATCH', path, body, extra),
    put: (path: string, body?: unknown, extra?: Omit<RequestOptions, 'method' | 'body'>) => call('PUT', path, body, extra),
    delete: (path: string, extra?: Omit<RequestOptions, 'method' | 'body'>) => call('DELETE', path, undefined, extra),
  };
}

/** Narrows a parsed JSON value to an object for property access in assertions. */
export function obj(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`Expected a JSON object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

export function arr(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error(`Expected a JSON array, got ${JSON.stringify(value)}`);
  return value as unknown[];
}

export function str(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`Expected a string, got ${JSON.stringify(value)}`);
  return value;
}
