// Shared helpers for the integration suites (they run inside the real extension host).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { Environment } from '../../src/model/environment';

export const EXTENSION_ID = 'posthog-hog-tools.posthog-hog';

export interface RecordedRequest {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number | null;
  headers: Record<string, string | null>;
}

export function standInUrl(): string {
  const url = process.env.POSTHOG_STANDIN_URL;
  assert.ok(url, 'POSTHOG_STANDIN_URL is set by the harness');
  return url;
}

export async function api(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.activate();
}

export async function env(): Promise<Environment> {
  const { services } = await api();
  await services.registry.ensureEnvDiscovered();
  const found = services.registry.list().find((e) => e.projectId === 1);
  assert.ok(found, 'project 1 discovered through POSTHOG_PERSONAL_API_KEY');
  return found;
}

/** Calls the stand-in's control API; `path` is relative to /__standin/ (a leading "/__standin/" is accepted). */
export async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${standInUrl()}/__standin/${path.replace(/^\/__standin\//, '')}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `stand-in control ${method} ${path} answered ${res.status}: ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** The requests the stand-in received after `since` (a seq), excluding nothing. */
export async function requestsSince(since: number): Promise<RecordedRequest[]> {
  const res = (await control('GET', `requests?since=${since}`)) as RecordedRequest[] | { requests: RecordedRequest[] };
  return Array.isArray(res) ? res : res.requests;
}

/** The last request seq so far: requests after it are "this test's". */
export async function lastSeq(): Promise<number> {
  const r = (await control('GET', 'requests?since=999999999')) as { lastSeq?: number };
  return r.lastSeq ?? 0;
}

/** Resolves when `cond` holds, re-checking on every change event given (no sleeps). */
export function until<T>(events: vscode.Event<unknown>[], cond: () => T | undefined | false, what: string, timeoutMs = 15000): Promise<T> {
  return new Promise((resolve, reject) => {
    const subs: vscode.Disposable[] = [];
    const done = (): void => {
      clearTimeout(timer);
      for (const s of subs) s.dispose();
    };
    const check = (): void => {
      const v = cond();
      if (v !== undefined && v !== false) {
        done();
        resolve(v);
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    for (const e of events) subs.push(e(check));
    check();
  });
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
