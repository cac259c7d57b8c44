/**
 * What a run needs from the editor, shared by "Run Locally" and "Test on PostHog": the function (a tree
 * node, the editor's document, a CodeLens URI, else a pick), its unsaved code, inputs and filters, and the
 * globals (PostHog's example event for it, a `*.event.json` fixture, or the last used).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HogFunction, InputSchemaItem } from '../api/schemas';
import { StorageKeys } from '../constants';
import { functionUri } from '../fs/uri';
import type { RunInput } from '../hog/runner/types';
import type { Environment } from '../model/environment';
import { parseFiltersDocument } from '../model/filtersDocument';
import { typeInfo } from '../model/hogFunctionTypes';
import { parseInputsDocument } from '../model/inputsDocument';
import { isJsonObject } from '../model/json';
import { exampleGlobals, filterEventName, globalsFromEventRow, readFixture, recentEventQuery } from '../model/runGlobals';
import { lineColumn } from '../model/runReport';
import type { Node } from '../tree/nodes';
import { orCancel, UserCancelled } from './errorBoundary';
import { functionFor } from './changeSupport';
import type { Services } from './services';

/** Where a run's globals come from: PostHog's example event for the function, or a workspace fixture. */
export type GlobalsSource = { kind: 'example' } | { kind: 'recent' } | { kind: 'fixture'; uri: string };

/** The function to run: a tree node, the editor's document (or a URI from a CodeLens), else a pick among those in Hog. */
export async function target(s: Services, node: Node | undefined, arg: unknown): Promise<{ env: Environment; functionId: string }> {
  const { env, functionId } = await functionFor(s, node, arg, {
    title: 'Run which hog function locally?',
    eligible: (fn) => typeInfo(fn.type).codeLanguage === 'hog',
    none: 'No hog functions written in Hog found.',
  });
  return { env, functionId };
}

export function openText(uri: vscode.Uri): string | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText();
}

/**
 * The inputs as the open (maybe unsaved) inputs document has them, else as PostHog stores them: the
 * document's shape (`{key: {value, templating?}}`, secret inputs PostHog keeps as `{"secret": true}`).
 */
export function unsavedInputs(env: Environment, fn: HogFunction): Record<string, unknown> {
  const text = openText(functionUri(env, fn, 'inputs'));
  if (text === undefined) return isJsonObject(fn.inputs) ? fn.inputs : {};
  const parsed = parseInputsDocument(text, fn.inputs_schema ?? []);
  const first = parsed.problems.find((p) => p.severity === 'error');
  if (!parsed.inputs || first) {
    const at = first ? ` (line ${lineColumn(text, first.offset).line}: ${first.message})` : '';
    throw new Error(`The inputs document has errors${at}. Fix them, then run again.`);
  }
  return parsed.inputs;
}

/** The filters as the open filters document has them, else as stored. */
export function unsavedFilters(env: Environment, fn: HogFunction): Record<string, unknown> | null {
  const text = openText(functionUri(env, fn, 'filters'));
  if (text === undefined) return isJsonObject(fn.filters) ? fn.filters : null;
  const parsed = parseFiltersDocument(text);
  if (!parsed.filters) throw new Error(`The filters document has errors (${parsed.problems[0]?.message ?? 'invalid JSON'}). Fix them, then run again.`);
  return parsed.filters;
}

/** Inputs for the local runner: value, templating, and whether the schema (or the marker) says secret. */
export function runInputs(raw: Record<string, unknown>, schema: readonly InputSchemaItem[]): Record<string, RunInput> {
  const secret = new Set(schema.filter((i) => i.secret === true).map((i) => i.key));
  const out: Record<string, RunInput> = {};
  for (const [key, item] of Object.entries(raw)) {
    if (!isJsonObject(item)) continue;
    const isSecret = secret.has(key) || item.secret === true;
    const templating = typeof item.templating === 'string' ? item.templating : null;
    out[key] = 'value' in item ? { value: item.value, templating, secret: isSecret } : { templating, secret: isSecret };
  }
  return out;
}

export function storedSources(s: Services): Record<string, GlobalsSource> {
  const v = s.workspaceState.get<unknown>(StorageKeys.runGlobals);
  return isJsonObject(v) ? (v as Record<string, GlobalsSource>) : {};
}

interface SourceItem extends vscode.QuickPickItem {
  readonly source?: GlobalsSource;
}

export async function pickGlobals(s: Services, fn: HogFunction, key: string): Promise<GlobalsSource> {
  const fixtures = await vscode.workspace.findFiles('**/*.event.json', '**/node_modules/**', 200);
  fixtures.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
  const last = storedSources(s)[key];
  const example: SourceItem = {
    label: '$(sparkle) Example event',
    description: `${filterEventName(fn.filters)}, from the function's filters`,
    detail: "PostHog's example globals: an event, a person, the project",
    source: { kind: 'example' },
  };
  const recent: SourceItem = {
    label: '$(history) Most recent real event',
    description: `matching the function's filters, last 30 days`,
    detail: 'Read from PostHog (needs the query:read scope)',
    source: { kind: 'recent' },
  };
  const items: SourceItem[] = [];
  const lastFixture = last?.kind === 'fixture' ? fixtures.find((f) => f.toString() === last.uri) : undefined;
  if (last?.kind === 'example') items.push({ ...example, description: `${example.description ?? ''} · last used` });
  else if (lastFixture) {
    items.push({ label: `$(history) ${vscode.workspace.asRelativePath(lastFixture)}`, description: 'last used', source: { kind: 'fixture', uri: lastFixture.toString() } });
  }
  if (last?.kind === 'recent') items.push({ ...recent, description: `${recent.description ?? ''} · last used` });
  if (last?.kind !== 'example') items.push(example);
  if (last?.kind !== 'recent') items.push(recent);
  if (fixtures.length > 0) items.push({ label: 'Fixtures (*.event.json)', kind: vscode.QuickPickItemKind.Separator });
  for (const f of fixtures) {
    if (f === lastFixture) continue;
    items.push({ label: `$(json) ${path.basename(f.path)}`, description: vscode.workspace.asRelativePath(f), source: { kind: 'fixture', uri: f.toString() } });
  }
  const picked = orCancel(
    await vscode.window.showQuickPick(items, {
      title: `Run ${fn.name ?? 'the function'} locally on…`,
      placeHolder: fixtures.length === 0 ? 'The example event, or add a *.event.json fixture to the workspace' : 'An example event or a fixture file',
      matchOnDescription: true,
      ignoreFocusOut: true,
    }),
  );
  return picked.source ?? { kind: 'example' };
}

export async function loadGlobals(s: Services, source: GlobalsSource, fn: HogFunction, env: Environment): Promise<{ globals: Record<string, unknown>; label: string }> {
  if (source.kind === 'example') return { globals: exampleGlobals(fn, env), label: `example event (${filterEventName(fn.filters)})` };
  if (source.kind === 'recent') {
    // As PostHog's web app: the last 7 days, then 30; none → its example event, saying so.
    const client = s.clients.get(env.host);
    for (const after of ['-7d', '-30d']) {
      const rows = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Finding the most recent matching event…' }, () =>
        client.eventsQuery(env.projectId, recentEventQuery(fn.filters, after)),
      );
      const globals = rows[0] ? globalsFromEventRow(rows[0], fn, env) : undefined;
      if (globals) {
        const event = globals.event as { event: string; timestamp: string };
        return { globals, label: `most recent matching event (${event.event} at ${event.timestamp})` };
      }
    }
    void vscode.window.showInformationMessage("No events match this function's filters in the last 30 days: running on PostHog's example event instead.");
    return { globals: exampleGlobals(fn, env), label: `example event (${filterEventName(fn.filters)}; no real event matched in 30 days)` };
  }
  const uri = vscode.Uri.parse(source.uri);
  const label = vscode.workspace.asRelativePath(uri);
  const open = openText(uri);
  let text: string;
  if (open !== undefined) text = open;
  else {
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      throw new Error(`The fixture ${label} cannot be read any more. Run again and pick another one.`);
    }
  }
  return { globals: readFixture(text, label), label };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Opens a result or logs document beside the code, unless a tab already shows it (it updates in place). */
export async function showBeside(s: Services, uri: vscode.Uri): Promise<void> {
  if (s.runs.isOpen(uri)) return;
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
}

/**
 * After a mocked run, whether to send its requests for real: a modal naming the hosts it called. false when
 * it called none (said); UserCancelled on Cancel. `byPostHog`: PostHog sends them, not this machine.
 */
export async function confirmRealRequests(functionName: string | null | undefined, urls: readonly string[], byPostHog: boolean): Promise<boolean> {
  const hosts = [...new Set(urls.map(hostOf))];
  if (hosts.length === 0) {
    void vscode.window.showInformationMessage(
      byPostHog
        ? `${functionName ?? 'The function'} made no request in PostHog's mocked run on this event, so no real request was sent.`
        : `${functionName ?? 'The function'} sent no requests on this event (its mocked run made no fetch call), so nothing real was sent.`,
    );
    return false;
  }
  const send = `Send to ${hosts.length === 1 ? hosts[0] : `${hosts.length} hosts`}`;
  const answer = await vscode.window.showWarningMessage(
    byPostHog ? `Let PostHog send real requests from ${functionName ?? 'this function'}?` : `Send real requests from ${functionName ?? 'this function'}?`,
    {
      modal: true,
      detail: byPostHog
        ? `PostHog will send real requests to: ${hosts.join(', ')}, with your unsaved code and inputs.`
        : `This will send real requests to: ${hosts.join(', ')}. They run with your unsaved code and inputs, from this machine.`,
    },
    send,
  );
  if (answer !== send) throw new UserCancelled();
  return true;
}
