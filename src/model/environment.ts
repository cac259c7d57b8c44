/** An environment (= PostHog project/team id) on a host. Persisted in globalState; never secret. */
export interface Environment {
  /** Normalised origin (+ optional path prefix) without trailing slash, e.g. https://us.posthog.com. */
  readonly host: string;
  readonly projectId: number;
  readonly name: string;
  readonly organizationName?: string;
}

export function environmentKey(env: { host: string; projectId: number }): string {
  return `${env.host}#${env.projectId}`;
}

/** Strips a trailing slash so equal hosts compare equal. */
export function normaliseHost(host: string): string {
  return host.trim().replace(/\/+$/, '');
}

/** Short host label for the tree: "us.posthog.com", "localhost:8010". */
export function hostLabel(host: string): string {
  try {
    const u = new URL(host);
    return u.host + (u.pathname === '/' ? '' : u.pathname.replace(/\/$/, ''));
  } catch {
    return host;
  }
}

export function isEnvironment(v: unknown): v is Environment {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.host === 'string' && typeof o.projectId === 'number' && typeof o.name === 'string';
}
