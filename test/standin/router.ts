/**
 * Routing of `/api/…` requests in PostHog's order: URL resolution (unknown → 404), then
 * authentication (401), permission (403: unsupported action, project scoping, scopes), project
 * existence (404), throttling (429), method dispatch (405 for legacy keys), handler.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { authenticate, checkScopes, extractKey, type RateLimiter, type ScopeRequirement } from './auth';
import { methodNotAllowed, notFound, type JsonResponse } from './http';
import type { ListIndex } from './store';
import type { MicroClock } from './time';
import type { ApiKeyRecord, StandInConfig, StandInState } from './types';

/** Shared mutable server internals; `state` is replaced on reset, so always read it from here. */
export interface Core {
  state: StandInState;
  config: StandInConfig;
  clock: MicroClock;
  listIndex: ListIndex;
  rateLimiter: RateLimiter;
}

export interface ApiContext {
  core: Core;
  method: string;
  /** Path without query, always ending with `/`. */
  path: string;
  params: URLSearchParams;
  host: string;
  headers: IncomingHttpHeaders;
  /** Route parameters (named groups of the pattern). */
  route: Record<string, string>;
  /** The project of `/api/(projects|environments)/{projectId}/…` routes, if any. */
  projectId: number | null;
  key: ApiKeyRecord;
  /** The parsed JSON body; throws the 400 parse_error for malformed JSON (lazily, like DRF). */
  body(): unknown;
}

export interface MethodHandler {
  scope: ScopeRequirement | ((core: Core) => ScopeRequirement);
  handle(ctx: ApiContext): JsonResponse | Promise<JsonResponse>;
}

export interface Route {
  /** Anchored; named groups become `ctx.route`, `projectId` and `orgId` drive scoping. */
  pattern: RegExp;
  methods: Partial<Record<'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', MethodHandler>>;
}

export interface IncomingApiRequest {
  method: string;
  path: string;
  params: URLSearchParams;
  host: string;
  headers: IncomingHttpHeaders;
  /** Body parse result: the value, or the error to raise when a handler reads it. */
  body: { ok: true; value: unknown } | { ok: false; error: Error };
}

export function normalizePath(path: string): string {
  return path.endsWith('/') ? path : `${path}/`;
}

function findRoute(routes: readonly Route[], path: string): { route: Route; groups: Record<string, string> } | null {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m) return { route, groups: { ...m.groups } };
  }
  return null;
}

/** Resolves the key up front so the request log can show its label even for failed requests. */
export function keyOf(core: Core, req: IncomingApiRequest): { value: string | null; record: ApiKeyRecord | undefined } {
  const value = extractKey(req.headers, req.params, req.body.ok ? req.body.value : undefined);
  return { value, record: value === null ? undefined : core.state.keys.get(value) };
}

export async function dispatchApi(core: Core, routes: readonly Route[], req: IncomingApiRequest): Promise<JsonResponse> {
  const path = normalizePath(req.path);
  const found = findRoute(routes, path);
  if (!found) throw notFound();
  const keyValue = keyOf(core, req).value;
  const key = authenticate(core.state, keyValue);
  key.last_used_at = core.clock.next();

  const projectId = found.groups.projectId === undefined ? null : Number(found.groups.projectId);
  const handler = found.route.methods[req.method as keyof Route['methods']];
  const target = { projectId: projectId ?? undefined, organizationId: found.groups.orgId };
  // An unmapped method is an action in no scope list: 403 for scoped keys, 405 for legacy ones.
  const scope = handler ? (typeof handler.scope === 'function' ? handler.scope(core) : handler.scope) : 'unsupported';
  checkScopes(key, scope, target);
  if (projectId !== null && !core.state.projects.has(projectId)) throw notFound();
  if (found.groups.orgId !== undefined && found.groups.orgId !== core.state.organization.id) throw notFound();
  core.rateLimiter.check(key.value, core.config.rateLimitPerMinute);
  // Only legacy keys get this far without a handler (scoped keys got the 403 above).
  if (!handler) throw methodNotAllowed(req.method);
  const body = req.body;
  return handler.handle({
    core,
    method: req.method,
    path,
    params: req.params,
    host: req.host,
    headers: req.headers,
    route: found.groups,
    projectId,
    key,
    body: () => {
      if (!body.ok) throw body.error;
      return body.value;
    },
  });
}
