// Shared helpers for the integration suites (they run inside the real extension host).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { SaveFailure } from '../../src/fs/posthogFileSystem';
import { functionUri } from '../../src/fs/uri';
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

/** The stand-in path of one hog function of project 1. */
export const functionPath = (id: string): string => `/api/environments/1/hog_functions/${id}/`;

/** The requests with this method to one hog function of project 1. */
export const requestsTo = (rs: RecordedRequest[], method: string, id: string): RecordedRequest[] => rs.filter((r) => r.method === method && r.path === functionPath(id));

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

/** Opens a function's document as PostHog has it now (an in-memory copy from an earlier test is reverted). */
export async function openFunctionDocument(id: string, kind: 'code' | 'inputs' | 'filters'): Promise<vscode.TextEditor> {
  const e = await env();
  const { services } = await api();
  const summary = (await services.store.load(e)).find((f) => f.id === id);
  assert.ok(summary, `function ${id} is listed`);
  const doc = await vscode.workspace.openTextDocument(functionUri(e, summary, kind));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  // Earlier suites may have left this document in memory with an older version: start from PostHog's.
  await vscode.commands.executeCommand('workbench.action.files.revert');
  return editor;
}

export async function replaceAll(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  const ok = await editor.edit((b) => {
    b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  });
  assert.ok(ok);
}

/** Saves, and collects the failures the provider reported meanwhile (onDidFailSave). */
export async function saveReportingFailures(doc: vscode.TextDocument): Promise<{ saved: boolean; failures: SaveFailure[] }> {
  const { services } = await api();
  const failures: SaveFailure[] = [];
  const sub = services.fs.onDidFailSave((f) => failures.push(f));
  try {
    return { saved: await save(doc), failures };
  } finally {
    sub.dispose();
  }
}

/** Saves and reports whether VS Code considered it saved (false when writeFile threw). */
export async function save(doc: vscode.TextDocument): Promise<boolean> {
  try {
    return await doc.save();
  } catch {
    return false;
  }
}

/**
 * Turns auto save off for a suite whose tests keep editors dirty on purpose (code-server auto-saves
 * after a delay by default, and a refused automatic save racing a test's own save makes it flaky).
 * Returns the restore function for suiteTeardown. Auto save itself has its own journey.
 */
export async function autoSaveOff(): Promise<() => Promise<void>> {
  const files = vscode.workspace.getConfiguration('files');
  await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  return () => Promise.resolve(files.update('autoSave', undefined, vscode.ConfigurationTarget.Global));
}
