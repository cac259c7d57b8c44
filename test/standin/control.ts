/**
 * Control API under `/__standin/` (no auth; loopback only) so tests in other processes — e.g.
 * the extension running inside code-server — can inspect and steer the stand-in.
 *
 *   GET    /__standin/health
 *   GET    /__standin/requests?since=<seq>            → { requests, lastSeq }
 *   DELETE /__standin/requests
 *   GET    /__standin/faults                          → pending faults
 *   POST   /__standin/faults            body: FaultSpec (pathRegex for regexes)
 *   DELETE /__standin/faults
 *   POST   /__standin/reset             body?: { extraFunctions?, seed? }
 *   GET    /__standin/config
 *   PATCH  /__standin/config            body: partial StandInConfig
 *   POST   /__standin/keys              body: { key, scopes, scoped_teams?, scoped_organizations?, label?, user_id? }
 *   DELETE /__standin/keys/{key}
 *   POST   /__standin/hog_functions/{id}/remote_edit  body: partial stored fields
 *   POST   /__standin/hog_functions/{id}/logs         body: { entries: [{ level, message, timestamp?, instance_id? }] }
 *   GET    /__standin/state/hog_functions/{id}        → raw stored function (secrets included)
 *   GET    /__standin/state/groups/{projectId}/{index}/{key}
 *   GET    /__standin/state/notebooks
 */
import { parseFaultSpec } from './faults';
import { ApiError, isPlainObject, notFound, validationError, type JsonResponse } from './http';
import { logsFor } from './logs';
import { hashString } from './prng';
import { remoteEditHogFunction } from './store';
import type { Core } from './router';
import type { FaultSpec, RecordedRequest, StandInConfig } from './types';

export interface ControlDeps {
  core: Core;
  url: () => string;
  requests: { since(seq: number): RecordedRequest[]; clear(): void; readonly lastSeq: number };
  faults: { add(f: FaultSpec): void; clear(): void; readonly pending: FaultSpec[] };
  reset(opts: { extraFunctions?: number; seed?: 'demo' | 'empty' }): void;
}

type FieldType = 'boolean' | 'int' | 'int?' | 'string' | 'string[]' | 'int[]' | 'level';

const CONFIG_FIELDS: Record<keyof StandInConfig, FieldType> = {
  backfillsRequireSession: 'boolean',
  backfillsFeatureFlag: 'boolean',
  rateLimitPerMinute: 'int?',
  groupsPageSize: 'int',
  enforceBaseUpdatedAt: 'boolean',
  deprecationHeaders: 'boolean',
  maxEnabledTransformations: 'int',
  publishTokenMaxAgeSeconds: 'int',
};
const KEY_FIELDS: Record<string, FieldType> = {
  key: 'string',
  scopes: 'string[]',
  scoped_teams: 'int[]',
  scoped_organizations: 'string[]',
  label: 'string',
  user_id: 'int',
};
const RESET_FIELDS: Record<string, FieldType> = { extraFunctions: 'int', seed: 'string' };
const LOG_FIELDS: Record<string, FieldType> = { level: 'level', message: 'string', timestamp: 'string', instance_id: 'string' };
const LEVELS = ['DEBUG', 'LOG', 'INFO', 'WARN', 'ERROR'] as const;

function fits(type: FieldType, v: unknown): boolean {
  const int = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0;
  switch (type) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'int':
      return int(v);
    case 'int?':
      return v === null || int(v);
    case 'string':
      return typeof v === 'string';
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'int[]':
      return Array.isArray(v) && v.every(int);
    case 'level':
      return (LEVELS as readonly unknown[]).includes(v);
  }
}

/**
 * Checks a control body against a field table (unknown fields rejected, all optional unless
 * listed in `required`) and returns it typed. Hand-written instead of zod to keep startup fast.
 */
function parse(fields: Record<string, FieldType>, body: unknown, required: string[] = []): Record<string, unknown> {
  const value = body ?? {};
  if (!isPlainObject(value)) throw validationError('Expected a JSON object.', null);
  for (const [k, v] of Object.entries(value)) {
    const type = fields[k];
    if (!type) throw validationError(`Unknown field "${k}".`, k);
    if (!fits(type, v)) throw validationError(`Expected ${type}.`, k);
  }
  for (const k of required) if (value[k] === undefined) throw validationError('This field is required.', k, 'required');
  return value;
}

const ok = (body: unknown = { ok: true }, status = 200): JsonResponse => ({ status, body });

export function handleControl(deps: ControlDeps, method: string, path: string, params: URLSearchParams, body: unknown): JsonResponse {
  const { core } = deps;
  const parts = path
    .replace(/^\/__standin\/?/, '')
    .replace(/\/$/, '')
    .split('/')
    .map(decodeURIComponent);
  const [a, b] = parts;
  const route = `${method} ${a ?? ''}`;

  switch (route) {
    case 'GET health':
      return ok({ ok: true, url: deps.url(), functions: core.state.hogFunctions.size, lastSeq: deps.requests.lastSeq });
    case 'GET requests': {
      const since = Number(params.get('since') ?? '0');
      return ok({ requests: deps.requests.since(Number.isFinite(since) ? since : 0), lastSeq: deps.requests.lastSeq });
    }
    case 'DELETE requests':
      deps.requests.clear();
      return ok();
    case 'GET faults':
      return ok(deps.faults.pending.map((f) => ({ ...f, path: f.path instanceof RegExp ? f.path.source : f.path })));
    case 'POST faults': {
      const fault = parseFaultSpec(body);
      if (typeof fault === 'string') throw validationError(fault, null);
      deps.faults.add(fault);
      return ok({ ok: true }, 201);
    }
    case 'DELETE faults':
      deps.faults.clear();
      return ok();
    case 'POST reset': {
      const r = parse(RESET_FIELDS, body) as { extraFunctions?: number; seed?: string };
      if (r.seed !== undefined && r.seed !== 'demo' && r.seed !== 'empty') throw validationError('Expected "demo" or "empty".', 'seed');
      deps.reset({ extraFunctions: r.extraFunctions, seed: r.seed });
      return ok({ ok: true, functions: core.state.hogFunctions.size });
    }
    case 'GET config':
      return ok(core.config);
    case 'PATCH config': {
      const patch = parse(CONFIG_FIELDS, body) as Partial<StandInConfig>;
      Object.assign(core.config, patch);
      return ok(core.config);
    }
    case 'POST keys': {
      const k = parse(KEY_FIELDS, body, ['key', 'scopes']) as {
        key: string;
        scopes: string[];
        scoped_teams?: number[];
        scoped_organizations?: string[];
        label?: string;
        user_id?: number;
      };
      core.state.keys.set(k.key, {
        id: `0199a7c0-0000-7000-8000-${hashString(k.key).toString(16).padStart(12, '0')}`,
        label: k.label ?? `Test key ${k.key.slice(0, 12)}`,
        value: k.key,
        scopes: k.scopes,
        scoped_teams: k.scoped_teams ?? [],
        scoped_organizations: k.scoped_organizations ?? [],
        user_id: k.user_id ?? 1,
        created_at: core.clock.next(),
        last_used_at: null,
      });
      return ok({ ok: true }, 201);
    }
    case 'DELETE keys':
      if (b === undefined || !core.state.keys.delete(b)) throw notFound('Unknown key.');
      return ok();
    default:
      return handleStateRoutes(deps, method, parts, body);
  }
}

function handleStateRoutes(deps: ControlDeps, method: string, parts: string[], body: unknown): JsonResponse {
  const { core } = deps;
  const [a, b, c, d, e] = parts;
  if (a === 'hog_functions' && b !== undefined && method === 'POST') {
    const fn = core.state.hogFunctions.get(b);
    if (!fn) throw notFound();
    if (c === 'remote_edit') {
      if (!isPlainObject(body)) throw validationError('Expected a JSON object of fields.', null);
      return ok(remoteEditHogFunction(core.state, core.clock, fn, body));
    }
    if (c === 'logs') {
      const entries = logsFor(core.state, fn);
      const raw = isPlainObject(body) && Array.isArray(body.entries) ? (body.entries as unknown[]) : null;
      if (!raw) throw validationError('Expected { entries: [...] }.', 'entries');
      type Entry = { level: (typeof LEVELS)[number]; message: string; timestamp?: string; instance_id?: string };
      for (const e of raw.map((x) => parse(LOG_FIELDS, x, ['level', 'message']) as Entry)) {
        entries.push({
          log_source_id: fn.id,
          instance_id: e.instance_id ?? 'standin-manual',
          timestamp: e.timestamp ?? core.clock.next(),
          level: e.level,
          message: e.message,
        });
      }
      return ok({ ok: true, count: entries.length }, 201);
    }
  }
  if (a === 'state' && method === 'GET') {
    if (b === 'hog_functions' && c !== undefined) {
      const fn = core.state.hogFunctions.get(c);
      if (!fn) throw notFound();
      return ok(fn);
    }
    if (b === 'groups' && c !== undefined && d !== undefined && e !== undefined) {
      const g = (core.state.groups.get(Number(c)) ?? []).find((x) => x.group_type_index === Number(d) && x.group_key === e);
      if (!g) throw notFound();
      return ok(g);
    }
    if (b === 'notebooks') return ok(core.state.notebooksCreated);
  }
  throw new ApiError(404, { type: 'invalid_request', code: 'not_found', detail: 'Unknown control endpoint.', attr: null });
}
