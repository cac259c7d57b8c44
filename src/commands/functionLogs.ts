/**
 * A function's logs in the editor (`GET …/hog_functions/{id}/logs/`): a read-only `.log` document per
 * function, newest first, grouped by invocation; level filter and search run on the server; older entries
 * on demand (`before=`); a live tail polls `after=` every 5 s while the document is visible, stops when it
 * is not, and waits out a 429. Shared by the four logs commands.
 */
import * as vscode from 'vscode';
import { isPostHogError } from '../api/errors';
import type { LogEntry } from '../api/schemas';
import type { Environment } from '../model/environment';
import { LOG_LEVELS, mergeEntries, renderLogs } from '../model/logsDocument';
import { RunResults } from '../run/results';
import type { Node } from '../tree/nodes';
import { errorMessage } from '../util/errorMessage';
import { orCancel } from './errorBoundary';
import { showBeside, target } from './runSupport';
import type { Services } from './services';

const PAGE = 100;
const TAIL_MS = 5000;

interface LogView {
  readonly env: Environment;
  readonly functionId: string;
  readonly name: string;
  readonly uri: vscode.Uri;
  entries: LogEntry[];
  levels: string[];
  search: string;
  more: boolean;
  problem?: string;
  /** Date.now() before which the tail does not poll (after a 429). */
  quietUntil: number;
  polling: boolean;
}

interface LogSession {
  readonly views: Map<string, LogView>;
  timer?: NodeJS.Timeout;
}
const sessions = new WeakMap<RunResults, LogSession>();

/** "Show Function Logs": opens (or refreshes) the function's logs document beside the code. */
export async function showFunctionLogs(s: Services, node: Node | undefined, arg: unknown): Promise<void> {
  const view = await viewFor(s, node, arg, true);
  await reload(s, view);
  await showBeside(s, view.uri);
  startTail(s);
}

export async function filterFunctionLogs(s: Services, node: Node | undefined, arg: unknown): Promise<void> {
  const view = await viewFor(s, node, arg, false);
  const picked = orCancel(
    await vscode.window.showQuickPick(
      LOG_LEVELS.map((level) => ({ label: level, picked: view.levels.includes(level) })),
      { title: `Levels to show in the logs of ${view.name}`, placeHolder: 'None picked: every level', canPickMany: true, ignoreFocusOut: true },
    ),
  );
  view.levels = picked.length === LOG_LEVELS.length ? [] : picked.map((p) => p.label);
  await reload(s, view);
}

export async function searchFunctionLogs(s: Services, node: Node | undefined, arg: unknown): Promise<void> {
  const view = await viewFor(s, node, arg, false);
  const text = orCancel(
    await vscode.window.showInputBox({
      title: `Search the logs of ${view.name}`,
      prompt: 'PostHog searches the messages (empty: no search)',
      value: view.search,
      ignoreFocusOut: true,
    }),
  );
  view.search = text.trim();
  await reload(s, view);
}

export async function loadOlderFunctionLogs(s: Services, node: Node | undefined, arg: unknown): Promise<void> {
  const view = await viewFor(s, node, arg, false);
  const oldest = view.entries[view.entries.length - 1];
  if (!oldest) return reload(s, view);
  const page = await fetchPage(s, view, { before: oldest.timestamp });
  view.entries = mergeEntries(view.entries, page);
  view.more = page.length >= PAGE;
  render(s, view);
}

/** The view of the logs document in the editor (or given as a URI), else of the function chosen. */
async function viewFor(s: Services, node: Node | undefined, arg: unknown, create: boolean): Promise<LogView> {
  const session = sessionOf(s);
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  const run = uri ? RunResults.parseRunUri(uri) : undefined;
  const parsed = run?.logs ? run : undefined;
  let env: Environment | undefined;
  let functionId: string | undefined;
  if (!node && uri && parsed) {
    const existing = session.views.get(uri.toString());
    if (existing) return existing;
    const host = s.registry.hostForAuthority(parsed.authority);
    env = host ? s.registry.find(host, parsed.projectId) : undefined;
    if (!env) throw new Error(`This logs document belongs to an environment that is not signed in here (${parsed.authority}, project ${parsed.projectId}).`);
    functionId = parsed.functionId;
  } else {
    if (!create) {
      const open = [...session.views.values()].find((v) => v.uri.toString() === uri?.toString());
      if (open) return open;
    }
    ({ env, functionId } = await target(s, node, arg));
  }
  const fn = s.store.summary(env, functionId) ?? (await s.store.fetch(env, functionId));
  const name = fn.name ?? fn.id;
  const logsUri = s.runs.uriFor(env, fn.id, name, 'logs', 'log');
  const key = logsUri.toString();
  let view = session.views.get(key);
  if (!view) {
    view = { env, functionId: fn.id, name, uri: logsUri, entries: [], levels: [], search: '', more: false, quietUntil: 0, polling: false };
    session.views.set(key, view);
  }
  return view;
}

async function fetchPage(s: Services, view: LogView, range: { after?: string; before?: string }): Promise<LogEntry[]> {
  try {
    const page = await s.clients.get(view.env.host).hogFunctionLogs(view.env.projectId, view.functionId, {
      limit: PAGE,
      ...range,
      level: view.levels.length > 0 ? view.levels.join(',') : undefined,
      search: view.search || undefined,
    });
    view.problem = undefined;
    return page;
  } catch (e) {
    if (isPostHogError(e) && e.retryAfterSeconds !== undefined) view.quietUntil = Date.now() + e.retryAfterSeconds * 1000;
    view.problem = `Could not read the logs at ${new Date().toLocaleTimeString()}: ${errorMessage(e)}`;
    throw e;
  }
}

async function reload(s: Services, view: LogView): Promise<void> {
  try {
    const page = await fetchPage(s, view, {});
    view.entries = mergeEntries([], page);
    view.more = page.length >= PAGE;
  } finally {
    render(s, view);
  }
}

function render(s: Services, view: LogView): void {
  s.runs.set(
    view.uri,
    renderLogs({ functionName: view.name, entries: view.entries, levels: view.levels, search: view.search, tailing: true, more: view.more, problem: view.problem }),
  );
}

/** Polls every 5 s the logs documents that are visible; nothing while none is. */
function startTail(s: Services): void {
  const session = sessionOf(s);
  if (session.timer) return;
  session.timer = setInterval(() => {
    const visible = new Set(vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()));
    for (const view of session.views.values()) {
      if (!visible.has(view.uri.toString()) || view.polling || Date.now() < view.quietUntil) continue;
      view.polling = true;
      const newest = view.entries[0]?.timestamp;
      fetchPage(s, view, newest ? { after: newest } : {})
        .then((page) => {
          const before = view.entries.length;
          view.entries = mergeEntries(view.entries, page);
          if (view.entries.length !== before) render(s, view);
        })
        .catch(() => {
          render(s, view); // the problem line says why; the entries stay
        })
        .finally(() => {
          view.polling = false;
        });
    }
  }, TAIL_MS);
  session.timer.unref();
}

function sessionOf(s: Services): LogSession {
  let session = sessions.get(s.runs);
  if (!session) {
    const created: LogSession = { views: new Map() };
    session = created;
    sessions.set(s.runs, created);
    s.runs.attach({
      dispose: () => {
        if (created.timer) clearInterval(created.timer);
      },
    });
  }
  return session;
}
