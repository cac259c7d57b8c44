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

/** A hostname of this machine (plain http is allowed only there: the local stand-in). */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Strips a trailing slash so equal hosts compare equal. */
export function normaliseHost(host: string): string {
  return host.trim().replace(/\/+$/, '');
}

/**
 * The private-API host for a `POSTHOG_HOST` value (E4). SDK docs set it to the ingestion host
 * (`https://us.i.posthog.com`), which never serves the private API: that maps to the app host. A value
 * without a scheme gets https://. Undefined when it is no URL at all.
 */
export function apiHostFromEnv(raw: string): string | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const m = /^([a-z0-9-]+)\.i\.posthog\.com$/i.exec(url.hostname);
  if (m) url.hostname = `${m[1] ?? 'us'}.posthog.com`;
  return normaliseHost(url.href);
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
