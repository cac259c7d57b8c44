/**
 * Local PostHog stand-in: a real HTTP server (node:http) on loopback that mirrors PostHog's
 * private REST API for hog functions and groups (see /work/shared/docs/posthog-api.md), with
 * fault injection, a request log and a control API for tests in other processes.
 *
 *   const standIn = await startStandIn({ seed: 'demo' });
 *   await fetch(`${standIn.url}/api/environments/1/hog_functions/`, {
 *     headers: { Authorization: `Bearer ${DEMO_KEYS.fullAccess}` },
 *   });
 *   await standIn.close();
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { RateLimiter } from './auth';
import { handleControl } from './control';
import { createSeedState } from './data';
import { defaultFaultBody, FaultQueue } from './faults';
import { ApiError, parseJsonBody, queryToRecord, readBodyText, sendJson, type JsonResponse } from './http';
import { RequestLog } from './requestLog';
import { dispatchApi, keyOf, type Core, type Route } from './router';
import { accountRoutes } from './routesAccount';
import { groupRoutes } from './routesGroups';
import { hogFunctionRoutes } from './routesHogFunctions';
import { queryRoutes } from './routesQuery';
import { ListIndex } from './store';
import { MicroClock } from './time';
import type { FaultSpec, RecordedRequest, StandInConfig, StandInState } from './types';

export type { FaultSpec, RecordedRequest, StandInConfig, StandInState } from './types';

export interface StandInOptions {
  /** 0 = a random free port (default). */
  port?: number;
  host?: string;
  seed?: 'demo' | 'empty';
  /** Adds N generated destinations to project 1 (load tests). */
  extraFunctions?: number;
  /** Adds a group type "organizations" with N groups to project 1 (paging tests). */
  extraGroups?: number;
  groupsPageSize?: number;
  /** Initial behaviour flags (also restored by `reset()`). */
  config?: Partial<StandInConfig>;
  /** No per-request console line (default true; the CLI turns it off). */
  quiet?: boolean;
}

export interface StandIn {
  /** e.g. `http://127.0.0.1:54321` */
  readonly url: string;
  readonly port: number;
  /** Recorded requests (oldest first, bounded); excludes `/__standin/` calls. */
  readonly requests: RecordedRequest[];
  requestsSince(seq: number): RecordedRequest[];
  clearRequests(): void;
  /** Resolves with the first finished (answered or dropped) request matching `predicate`, past or future. */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  addFault(fault: FaultSpec): void;
  clearFaults(): void;
  /**
   * Re-seeds the data as at start (or with the given overrides, for this reset only), restores the
   * initial config, clears faults and throttling counters. The request log is kept.
   */
  reset(opts?: { extraFunctions?: number; seed?: 'demo' | 'empty' }): void;
  /** Call after editing `state.hogFunctions` directly, so the cached list order is rebuilt. */
  touch(): void;
  /** Mutable behaviour flags. */
  readonly config: StandInConfig;
  /** The live in-memory data (replaced by `reset()`, so read it through this getter). */
  readonly state: StandInState;
  close(): Promise<void>;
}

export function defaultConfig(opts: StandInOptions = {}): StandInConfig {
  return {
    backfillsRequireSession: true,
    backfillsFeatureFlag: true,
    rateLimitPerMinute: null,
    groupsPageSize: opts.groupsPageSize ?? 100,
    enforceBaseUpdatedAt: true,
    deprecationHeaders: true,
    maxEnabledTransformations: 20,
    publishTokenMaxAgeSeconds: 15 * 60,
    ...opts.config,
  };
}

const ROUTES: readonly Route[] = [...accountRoutes, ...hogFunctionRoutes, ...groupRoutes, ...queryRoutes];
const DEPRECATION_HEADERS = { Deprecation: 'true', Sunset: 'Thu, 31 Dec 2026 23:59:59 GMT' };

/** The log keeps request bodies, but never a key sent as `personal_api_key` in the body. */
function redactBody(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && 'personal_api_key' in value) {
    return { ...value, personal_api_key: '[redacted]' };
  }
  return value ?? null;
}

function errorResponse(e: unknown): JsonResponse {
  if (e instanceof ApiError) return { status: e.status, body: e.body ?? e.error };
  const detail = e instanceof Error ? e.message : String(e);
  return { status: 500, body: { type: 'server_error', code: 'error', detail: `Stand-in error: ${detail}`, attr: null } };
}

export async function startStandIn(opts: StandInOptions = {}): Promise<StandIn> {
  const host = opts.host ?? '127.0.0.1';
  const quiet = opts.quiet ?? true;
  const seedOpts = { seed: opts.seed ?? 'demo', extraFunctions: opts.extraFunctions ?? 0, extraGroups: opts.extraGroups ?? 0 };
  const config = defaultConfig(opts);
  const core: Core = {
    state: createSeedState(seedOpts),
    config,
    clock: new MicroClock(),
    listIndex: new ListIndex(),
    rateLimiter: new RateLimiter(),
  };
  const log = new RequestLog();
  const faults = new FaultQueue();
  const events = new EventEmitter();
  const finished = new WeakSet<RecordedRequest>();
  const sockets = new Set<Socket>();
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let port = opts.port ?? 0;
  let url = '';

  // Not sticky: every reset starts from the start options unless this call overrides them.
  const reset = (r: { extraFunctions?: number; seed?: 'demo' | 'empty' } = {}): void => {
    core.state = createSeedState({ seed: r.seed ?? seedOpts.seed, extraFunctions: r.extraFunctions ?? seedOpts.extraFunctions, extraGroups: seedOpts.extraGroups });
    Object.assign(config, defaultConfig(opts));
    faults.clear();
    core.rateLimiter.reset();
  };

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      timers.add(entry);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsedUrl = new URL(req.url ?? '/', 'http://stand-in');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = parsedUrl.pathname;
    const params = parsedUrl.searchParams;
    let text: string | null = null;
    try {
      text = await readBodyText(req);
    } catch (e) {
      sendJson(res, errorResponse(e));
      return;
    }
    const body = parseJsonBody(text);

    if (path === '/__standin' || path.startsWith('/__standin/')) {
      let response: JsonResponse;
      try {
        if (!body.ok) throw body.error;
        response = handleControl({ core, url: () => url, requests: log, faults, reset }, method, path, params, body.value);
      } catch (e) {
        response = errorResponse(e);
      }
      sendJson(res, response);
      return;
    }

    const apiReq = { method, path, params, host: req.headers.host ?? `${host}:${String(port)}`, headers: req.headers, body };
    const key = keyOf(core, apiReq);
    const entry = log.record({
      method,
      path,
      query: queryToRecord(params),
      body: body.ok ? redactBody(body.value) : text,
      headers: req.headers,
      hasAuth: key.value !== null,
      authKeyLabel: key.record?.label ?? null,
    });
    const started = Date.now();
    const finish = (status: number | null): void => {
      entry.status = status;
      finished.add(entry);
      if (!quiet) console.log(`${method} ${path}${parsedUrl.search} → ${status ?? 'dropped'} (${Date.now() - started} ms)`);
      events.emit('recorded', entry);
    };

    const fault = faults.take(method, `${path}${parsedUrl.search}`);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'drop' || fault?.kind === 'reset') {
      if (fault.delayMs) await delay(fault.delayMs);
      if (fault.kind === 'reset') req.socket.resetAndDestroy();
      else req.socket.destroy();
      finish(null);
      return;
    }
    if (fault?.kind === 'malformed') {
      res.writeHead(fault.status ?? 200, { 'content-type': 'application/json', ...fault.headers });
      res.end(typeof fault.body === 'string' ? fault.body : '{"results": [');
      finish(fault.status ?? 200);
      return;
    }
    if (fault?.kind === 'status' && fault.afterApply) {
      try {
        await dispatchApi(core, ROUTES, apiReq);
      } catch {
        // Applied or not, the client only sees the fault.
      }
    }
    if (fault?.kind === 'status') {
      if (fault.delayMs) await delay(fault.delayMs);
      const status = fault.status ?? 503;
      sendJson(res, { status, body: fault.body === undefined ? defaultFaultBody(status) : fault.body, headers: fault.headers });
      finish(status);
      return;
    }
    if (fault?.kind === 'latency' && !fault.afterApply) await delay(fault.delayMs ?? 1000);

    let response: JsonResponse;
    try {
      response = await dispatchApi(core, ROUTES, apiReq);
    } catch (e) {
      response = errorResponse(e);
    }
    if (fault?.kind === 'latency' && fault.afterApply) await delay(fault.delayMs ?? 1000);
    const extra = config.deprecationHeaders && path.startsWith('/api/environments/') ? DEPRECATION_HEADERS : {};
    sendJson(res, response, extra);
    finish(response.status);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, errorResponse(e));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : port;
  url = `http://${host}:${String(port)}`;

  return {
    url,
    port,
    get requests() {
      return log.all;
    },
    requestsSince: (seq) => log.since(seq),
    clearRequests: () => {
      log.clear();
    },
    waitForRequest(predicate, timeoutMs = 10_000) {
      const done = log.all.find((r) => finished.has(r) && predicate(r));
      if (done) return Promise.resolve(done);
      return new Promise<RecordedRequest>((resolve, reject) => {
        const onRecorded = (r: RecordedRequest): void => {
          if (!predicate(r)) return;
          clearTimeout(timer);
          events.off('recorded', onRecorded);
          resolve(r);
        };
        const timer = setTimeout(() => {
          events.off('recorded', onRecorded);
          reject(new Error(`No matching request within ${timeoutMs} ms`));
        }, timeoutMs);
        events.on('recorded', onRecorded);
      });
    },
    addFault: (f) => {
      faults.add(f);
    },
    clearFaults: () => {
      faults.clear();
    },
    reset,
    touch: () => {
      core.state.revision++;
    },
    config,
    get state() {
      return core.state;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) {
          clearTimeout(t.timer);
          t.resolve();
        }
        timers.clear();
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      }),
  };
}
