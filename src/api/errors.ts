/**
 * The one error type of the API layer. Every failure of a request — an HTTP error status, a network
 * failure, a timeout, a cancellation, a response that does not match its schema — becomes a
 * PostHogError with a sentence a person understands. API keys never appear in it.
 */

export type PostHogErrorKind =
  /** The server answered with a non-2xx status. */
  | 'http'
  /** The connection failed or was dropped before a complete response arrived. */
  | 'network'
  /** No complete response within the configured timeout. */
  | 'timeout'
  /** The caller aborted (the user cancelled). Callers should stay silent about it. */
  | 'cancelled'
  /** The response arrived but does not have the shape we expect (or is not JSON). */
  | 'schema'
  /** The request could not be made (bad host, missing key…). */
  | 'config';

export interface PostHogErrorInit {
  kind: PostHogErrorKind;
  /** e.g. "PATCH /api/environments/1/hog_functions/abc/" — never with a key in it. */
  endpoint: string;
  status?: number;
  /** PostHog's error object: `{type, code, detail, attr}`. */
  type?: string;
  code?: string;
  detail?: string;
  /** Field path joined with `__`, e.g. `inputs__url`. */
  attr?: string | null;
  /** For `schema` errors: the path of the offending field, e.g. `results.3.updated_at`. */
  field?: string;
  /** Seconds PostHog asked us to wait (429 / 503). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class PostHogError extends Error {
  readonly kind: PostHogErrorKind;
  readonly endpoint: string;
  readonly status: number | undefined;
  readonly type: string | undefined;
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly attr: string | null | undefined;
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** How many times the request was sent (more than 1: an earlier attempt may have been applied). */
  attempts = 1;

  constructor(init: PostHogErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'PostHogError';
    this.kind = init.kind;
    this.endpoint = init.endpoint;
    this.status = init.status;
    this.type = init.type;
    this.code = init.code;
    this.detail = init.detail;
    this.attr = init.attr;
    this.field = init.field;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  get isAuth(): boolean {
    return this.kind === 'http' && this.status === 401;
  }
  get isForbidden(): boolean {
    return this.kind === 'http' && this.status === 403;
  }
  get isNotFound(): boolean {
    return this.kind === 'http' && this.status === 404;
  }
  get isConflict(): boolean {
    return this.kind === 'http' && this.status === 409;
  }
  get isValidation(): boolean {
    return this.kind === 'http' && this.status === 400;
  }
  get isCancelled(): boolean {
    return this.kind === 'cancelled';
  }
  /** Failures where trying again later may help (network, timeouts, throttling, 5xx). */
  get isTransient(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || (this.kind === 'http' && (this.status === 429 || (this.status ?? 0) >= 500));
  }
}

/** A PostHogError from any bundle (see asPostHogError). */
export function isPostHogError(e: unknown): e is PostHogError {
  return asPostHogError(e) !== undefined;
}

/** The human sentence. Uses PostHog's own `detail` text verbatim where there is one. */
function describe(init: PostHogErrorInit): string {
  const where = init.endpoint;
  switch (init.kind) {
    case 'cancelled':
      return `Cancelled: ${where}`;
    case 'timeout':
      return `PostHog did not answer in time (${where}). Check your connection or raise "posthogHog.requestTimeoutSeconds".`;
    case 'network':
      return `Could not reach PostHog (${where}): ${networkReason(init.cause)}.`;
    case 'schema':
      return `Unexpected response from PostHog (${where})${init.field ? `: field "${init.field}"` : ''}${init.detail ? ` ${init.detail}` : ''}.`;
    case 'config':
      return init.detail ?? `Cannot call PostHog (${where}).`;
    case 'http':
      return describeHttp(init);
  }
}

function describeHttp(init: PostHogErrorInit): string {
  const status = init.status ?? 0;
  const detail = init.detail?.trim();
  const field = init.attr ? ` (field "${init.attr.replace(/__/g, '.')}")` : '';
  /** `lead: detail.` with exactly one full stop, whether or not PostHog's detail ends with one. */
  const withDetail = (lead: string, d: string | undefined = detail): string => endSentence(d ? `${lead}: ${d}` : lead);
  switch (status) {
    case 401:
      return `${withDetail('PostHog rejected the personal API key')} Sign in again with a valid key.`;
    case 403:
      return withDetail('PostHog refused the request');
    case 404:
      return withDetail(`Not found in PostHog (${init.endpoint})`, detail === 'Not found.' ? undefined : detail);
    case 409:
      return `Conflict: ${detail ?? 'the resource changed on the server'}`;
    case 429: {
      const wait = init.retryAfterSeconds !== undefined ? ` Try again in ${Math.ceil(init.retryAfterSeconds)} s.` : '';
      return `PostHog rate limit reached${detail ? `: ${detail}` : '.'}${detail ? '' : wait}`;
    }
    default:
      if (status >= 500) return withDetail(`PostHog had a server error (${status}) on ${init.endpoint}`);
      return `${detail ?? `PostHog answered ${status}`}${field}`;
  }
}

function endSentence(s: string): string {
  return /[.!?…]$/.test(s) ? s : `${s}.`;
}

function networkReason(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    switch (code) {
      case 'ECONNREFUSED':
        return 'connection refused';
      case 'ENOTFOUND':
        return 'host not found';
      case 'ECONNRESET':
        return 'the connection was reset';
      case 'ETIMEDOUT':
        return 'the connection timed out';
      default:
        return cause.message || 'network error';
    }
  }
  return 'network error';
}

/**
 * The PostHogError inside `e`, if it is one. Besides `instanceof`, this recognises errors built by
 * another copy of the API module, which carry the same name, kind and status: the command handlers
 * (dist/commands.js) have their own copy, and the stores' requests run in dist/extension.js.
 */
export function asPostHogError(e: unknown): PostHogError | undefined {
  if (e instanceof PostHogError) return e;
  if (e instanceof Error && e.name === 'PostHogError' && 'kind' in e && 'status' in e && 'detail' in e) return e as PostHogError;
  return undefined;
}

/** A 409 that means "changed since base_updated_at" (other 409 codes, e.g. draft_exists, are not). */
export function isStaleUpdate(e: unknown): e is PostHogError {
  const pe = asPostHogError(e);
  return pe !== undefined && pe.isConflict && (pe.code === undefined || pe.code === 'stale_update');
}
