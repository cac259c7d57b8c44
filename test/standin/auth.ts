/**
 * Personal API key authentication, scope checks (posthog/permissions.py APIScopePermission) and
 * the per-key throttle (posthog/rate_limit.py).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, isPlainObject, permissionDenied } from './http';
import type { ApiKeyRecord, StandInState } from './types';

export type ScopeObject = 'hog_function' | 'group' | 'user' | 'project' | 'organization' | 'query';

/**
 * What a route needs from the key:
 *  - a scope (`hog_function:read`, …);
 *  - `any`: any valid key (e.g. `personal_api_keys/@current/`);
 *  - `unsupported`: the action is in no scope list, so every scoped key gets
 *    "This action does not support Personal API Key access" (legacy keys pass).
 */
export type ScopeRequirement = { object: ScopeObject; action: 'read' | 'write' } | 'any' | 'unsupported';

export const UNSUPPORTED_DETAIL = 'This action does not support Personal API Key access';

/** Key from `Authorization: Bearer …`, else the `personal_api_key` query or body parameter. */
export function extractKey(headers: IncomingHttpHeaders, params: URLSearchParams, body: unknown): string | null {
  const header = headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m?.[1]) return m[1];
  }
  const fromQuery = params.get('personal_api_key');
  if (fromQuery) return fromQuery;
  if (isPlainObject(body) && typeof body.personal_api_key === 'string') return body.personal_api_key;
  return null;
}

export function authenticate(state: StandInState, keyValue: string | null): ApiKeyRecord {
  if (keyValue === null) {
    throw new ApiError(401, {
      type: 'authentication_error',
      code: 'not_authenticated',
      detail: 'Authentication credentials were not provided.',
      attr: null,
    });
  }
  const key = state.keys.get(keyValue);
  if (!key) {
    throw new ApiError(401, {
      type: 'authentication_error',
      code: 'authentication_failed',
      detail: 'Personal API key found in request Authorization header is invalid.',
      attr: null,
    });
  }
  return key;
}

export function isLegacyKey(key: ApiKeyRecord): boolean {
  return key.scopes.length === 0;
}

function hasScope(key: ApiKeyRecord, object: ScopeObject, action: 'read' | 'write'): boolean {
  if (key.scopes.includes('*')) return true;
  if (key.scopes.includes(`${object}:write`)) return true;
  return action === 'read' && key.scopes.includes(`${object}:read`);
}

/** Throws the 403 PostHog would return; legacy (scope-less) keys pass everything. */
export function checkScopes(key: ApiKeyRecord, requirement: ScopeRequirement, target: { projectId?: number; organizationId?: string }): void {
  if (isLegacyKey(key)) return;
  if (requirement === 'unsupported') throw permissionDenied(UNSUPPORTED_DETAIL);
  if (target.projectId !== undefined && key.scoped_teams.length > 0 && !key.scoped_teams.includes(target.projectId)) {
    throw permissionDenied(`API key does not have access to the requested project: ID ${target.projectId}`);
  }
  if (target.organizationId !== undefined && key.scoped_organizations.length > 0 && !key.scoped_organizations.includes(target.organizationId)) {
    throw permissionDenied(`API key does not have access to the requested organization: ID ${target.organizationId}`);
  }
  if (requirement === 'any') return;
  if (!hasScope(key, requirement.object, requirement.action)) {
    throw permissionDenied(`API key missing required scope '${requirement.object}:${requirement.action}'`);
  }
}

/** Sliding one-minute window per key value. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  /** Records a request; throws the 429 (without Retry-After, as PostHog) when over the limit. */
  check(keyValue: string, perMinute: number | null, now = Date.now()): void {
    if (perMinute === null) return;
    const windowStart = now - 60_000;
    const recent = (this.hits.get(keyValue) ?? []).filter((t) => t > windowStart);
    if (recent.length >= perMinute) {
      this.hits.set(keyValue, recent);
      const oldest = recent[0] ?? now;
      const wait = Math.max(1, Math.ceil((oldest + 60_000 - now) / 1000));
      throw new ApiError(429, {
        type: 'throttled_error',
        code: 'throttled',
        detail: `Request was throttled. Expected available in ${wait} seconds.`,
        attr: null,
      });
    }
    recent.push(now);
    this.hits.set(keyValue, recent);
  }

  reset(): void {
    this.hits.clear();
  }
}
