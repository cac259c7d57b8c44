/**
 * "PostHog: Run Locally…": runs a hog function's *unsaved* code and inputs on an event, offline, in
 * PostHog's VM (a worker thread: src/services/localRunner.ts), and shows the result beside the code.
 * Shared by the two run commands; re-runs on a fixture's save and (opt-in) while typing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HogFunction, InputSchemaItem } from '../api/schemas';
import { Settings, StorageKeys } from '../constants';
import { functionUri } from '../fs/uri';
import type { RunInput, RunRequest, RunResult } from '../hog/runner/types';
import type { Environment } from '../model/environment';
import { typeInfo } from '../model/hogFunctionTypes';
import { locateInputKey, parseInputsDocument } from '../model/inputsDocument';
import { exampleGlobals, filterEventName, readFixture } from '../model/runGlobals';
import { lineColumn, renderRunReport } from '../model/runReport';
import { RunResults } from '../run/results';
import { LocalRunner } from '../services/localRunner';
import type { Node } from '../tree/nodes';
import { orCancel, UserCancelled } from './errorBoundary';
import { pickFunction } from './pick';
import type { Services } from './services';

/** Where a run's globals come from: PostHog's example event for the function, or a workspace fixture. */
type GlobalsSource = { kind: 'example' } | { kind: 'fixture'; uri: string };

interface LastRun {
  readonly env: Environment;
  readonly functionId: string;
  readonly source: GlobalsSource;
}

/** The machinery created by the first run of this window (disposed with RunResults). */
interface RunSession {
  readonly runner: LocalRunner;
  readonly last: Map<string, LastRun>;
  readonly running: Map<string, Promise<void>>;
}
const sessions = new WeakMap<RunResults, RunSession>();

export interface RunOptions {
  readonly fetch: 'mock' | 'real';
  /** Re-runs keep the last globals source instead of asking. */
  readonly rerun?: LastRun;
}

export async function runLocally(s: Services, node: Node | undefined, arg: unknown, options: RunOptions): Promise<void> {
  const startedAt = new Date();
  const session = sessionOf(s);
  // The worker loads its bundle while the user picks the function and the event.
  session.runner.warm();
  const { env, functionId } = options.rerun ?? (await target(s, node, arg));
  const fn = await s.store.fetch(env, functionId);
  const info = typeInfo(fn.type);
  if (info.codeLanguage !== 'hog') {
    throw new Error(
      `${fn.name ?? 'This function'} is a ${info.singular}: its code is TypeScript that runs in the browser. Run Locally runs Hog functions (destinations, transformations, sources).`,
    );
  }
  const code = openText(functionUri(env, fn, 'code')) ?? fn.hog ?? '';
  const inputs = readInputs(env, fn);
  const key = RunResults.key(env, fn.id);
  const source = options.rerun?.source ?? (await pickGlobals(s, fn, key));
  const { globals, label } = await loadGlobals(source, fn, env);
  // "Shown after": from the moment nothing more is asked of the user (a real-request confirm aside).
  const started = performance.now();
  session.last.set(key, { env, functionId: fn.id, source });
  await s.workspaceState.update(StorageKeys.runGlobals, { ...storedSources(s), [key]: source });

  const timeoutSeconds = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.runTimeoutSeconds, 5);
  const request: RunRequest = { type: fn.type ?? 'destination', code, inputs, globals, fetch: 'mock', timeoutMs: Math.round(Math.min(60, Math.max(0.1, timeoutSeconds)) * 1000) };
  let result = await session.runner.run(request);
  let confirmMs = 0;
  if (options.fetch === 'real') {
    // The mocked run tells where the code would send requests: the user confirms those hosts.
    const hosts = [...new Set(result.fetches.map((f) => hostOf(f.url)))];
    if (hosts.length === 0) {
      void vscode.window.showInformationMessage(`${fn.name ?? 'The function'} sent no requests on this event (its mocked run made no fetch call), so nothing real was sent.`);
    } else {
      const send = `Send to ${hosts.length === 1 ? hosts[0] : `${hosts.length} hosts`}`;
      const asked = performance.now();
      const answer = await vscode.window.showWarningMessage(
        `Send real requests from ${fn.name ?? 'this function'}?`,
        { modal: true, detail: `This will send real requests to: ${hosts.join(', ')}. They run with your unsaved code and inputs, from this machine.` },
        send,
      );
      confirmMs = performance.now() - asked;
      if (answer !== send) throw new UserCancelled();
      result = await session.runner.run({ ...request, fetch: 'real' });
    }
  }
  const uri = s.runs.uriFor(env, fn.id, fn.name ?? fn.id);
  const elapsedMs = performance.now() - started - confirmMs;
  s.runs.set(uri, renderRunReport(result, { functionName: fn.name ?? fn.id, globalsSource: label, code, startedAt, elapsedMs, fetchMode: options.fetch }));
  placeProblems(s, env, fn, code, result);
  if (!s.runs.isOpen(uri)) {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
  }
  s.log.info(
    'run',
    `${fn.id}: ${result.status} in ${elapsedMs.toFixed(1)} ms (compile ${result.stats.compileMs.toFixed(1)} ms, run ${result.stats.runMs.toFixed(1)} ms, ${result.stats.ops} ops)`,
  );
}

/** The function to run: a tree node, the editor's document (or a URI from a CodeLens), else a pick. */
async function target(s: Services, node: Node | undefined, arg: unknown): Promise<{ env: Environment; functionId: string }> {
  if (node?.kind === 'function' || node?.kind === 'functionDoc') return { env: node.env, functionId: node.fn.id };
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (uri) {
    try {
      const { env, ref } = s.fs.resolve(uri);
      if (ref.kind === 'code' || ref.kind === 'inputs' || ref.kind === 'filters') return { env, functionId: ref.functionId };
    } catch {
      // not a posthog: document: pick below
    }
  }
  const picked = await pickFunction(s, undefined, {
    title: 'Run which hog function locally?',
    eligible: (fn) => typeInfo(fn.type).codeLanguage === 'hog',
    none: 'No hog functions written in Hog found.',
  });
  return { env: picked.env, functionId: picked.fn.id };
}

function openText(uri: vscode.Uri): string | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText();
}

/** The inputs as the open (maybe unsaved) inputs document has them, else as PostHog stores them. */
function readInputs(env: Environment, fn: HogFunction): Record<string, RunInput> {
  const schema: readonly InputSchemaItem[] = fn.inputs_schema ?? [];
  const text = openText(functionUri(env, fn, 'inputs'));
  let raw: Record<string, unknown> = isRecord(fn.inputs) ? fn.inputs : {};
  if (text !== undefined) {
    const parsed = parseInputsDocument(text, schema);
    const first = parsed.problems.find((p) => p.severity === 'error');
    if (!parsed.inputs || first) {
      const at = first ? ` (line ${lineColumn(text, first.offset).line}: ${first.message})` : '';
      throw new Error(`The inputs document has errors${at}. Fix them, then run again.`);
    }
    raw = parsed.inputs;
  }
  const secret = new Set(schema.filter((i) => i.secret === true).map((i) => i.key));
  const out: Record<string, RunInput> = {};
  for (const [key, item] of Object.entries(raw)) {
    if (!isRecord(item)) continue;
    const isSecret = secret.has(key) || item.secret === true;
    const templating = typeof item.templating === 'string' ? item.templating : null;
    out[key] = 'value' in item ? { value: item.value, templating, secret: isSecret } : { templating, secret: isSecret };
  }
  return out;
}

function storedSources(s: Services): Record<string, GlobalsSource> {
  const v = s.workspaceState.get<unknown>(StorageKeys.runGlobals);
  return isRecord(v) ? (v as Record<string, GlobalsSource>) : {};
}

interface SourceItem extends vscode.QuickPickItem {
  readonly source?: GlobalsSource;
}

async function pickGlobals(s: Services, fn: HogFunction, key: string): Promise<GlobalsSource> {
  const fixtures = await vscode.workspace.findFiles('**/*.event.json', '**/node_modules/**', 200);
  fixtures.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
  const last = storedSources(s)[key];
  const example: SourceItem = {
    label: '$(sparkle) Example event',
    description: `${filterEventName(fn.filters)}, from the function's filters`,
    detail: "PostHog's example globals: an event, a person, the project",
    source: { kind: 'example' },
  };
  const items: SourceItem[] = [];
  const lastFixture = last?.kind === 'fixture' ? fixtures.find((f) => f.toString() === last.uri) : undefined;
  if (last?.kind === 'example') items.push({ ...example, description: `${example.description ?? ''} · last used` });
  else if (lastFixture) {
    items.push({ label: `$(history) ${vscode.workspace.asRelativePath(lastFixture)}`, description: 'last used', source: { kind: 'fixture', uri: lastFixture.toString() } });
  }
  if (last?.kind !== 'example') items.push(example);
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

async function loadGlobals(source: GlobalsSource, fn: HogFunction, env: Environment): Promise<{ globals: Record<string, unknown>; label: string }> {
  if (source.kind === 'example') return { globals: exampleGlobals(fn, env), label: `example event (${filterEventName(fn.filters)})` };
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

/** Runtime errors on the code's line; input problems on the input's key (if the inputs document is open). */
function placeProblems(s: Services, env: Environment, fn: HogFunction, code: string, result: RunResult): void {
  const codeUri = functionUri(env, fn, 'code');
  const inputsUri = functionUri(env, fn, 'inputs');
  const codeDoc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === codeUri.toString());
  const inputsText = openText(inputsUri);
  const onCode: vscode.Diagnostic[] = [];
  const onInputs: vscode.Diagnostic[] = [];
  for (const p of result.problems) {
    if (p.start !== undefined && codeDoc?.getText() === code) {
      const range = new vscode.Range(codeDoc.positionAt(p.start), codeDoc.positionAt(Math.max(p.end ?? p.start, p.start + 1)));
      onCode.push(diagnostic(range, p.message));
    } else if (p.input !== undefined && inputsText !== undefined) {
      const at = locateInputKey(inputsText, p.input.split('.')[0] ?? p.input);
      if (!at) continue;
      const inputsDoc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === inputsUri.toString());
      if (inputsDoc) onInputs.push(diagnostic(new vscode.Range(inputsDoc.positionAt(at.offset), inputsDoc.positionAt(at.offset + at.length)), p.message));
    }
  }
  s.runs.diagnostics.set(codeUri, onCode);
  s.runs.diagnostics.set(inputsUri, onInputs);
}

function diagnostic(range: vscode.Range, message: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
  d.source = 'PostHog local run';
  return d;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The first run creates the worker and the re-run listeners (a fixture saved; typing, when enabled). */
function sessionOf(s: Services): RunSession {
  const existing = sessions.get(s.runs);
  if (existing) return existing;
  const runner = new LocalRunner(s.extensionPath, (m) => {
    s.log.info('run', m);
  });
  const session: RunSession = { runner, last: new Map(), running: new Map() };
  sessions.set(s.runs, session);
  const timers = new Map<string, NodeJS.Timeout>();
  const rerun = (key: string, last: LastRun, delayMs: number): void => {
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        // One run per function at a time: a re-run asked meanwhile waits for it.
        const previous = session.running.get(key) ?? Promise.resolve();
        const next = previous
          .then(() => runLocally(s, undefined, undefined, { fetch: 'mock', rerun: last }))
          .catch((e: unknown) => {
            s.log.warn('run', `re-run of ${last.functionId} failed: ${e instanceof Error ? e.message : String(e)}`);
          });
        session.running.set(key, next);
      }, delayMs),
    );
  };
  const isShown = (last: LastRun, fnName: string): boolean => s.runs.isOpen(s.runs.uriFor(last.env, last.functionId, fnName));
  s.runs.attach(runner);
  s.runs.attach(
    vscode.workspace.onDidSaveTextDocument((doc) => {
      for (const [key, last] of session.last) {
        if (last.source.kind === 'fixture' && last.source.uri === doc.uri.toString()) rerun(key, last, 0);
      }
    }),
  );
  s.runs.attach(
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0 || !vscode.workspace.getConfiguration(Settings.section).get<boolean>(Settings.runOnType, false)) return;
      let ref;
      try {
        ref = s.fs.resolve(e.document.uri).ref;
      } catch {
        return;
      }
      if (ref.kind !== 'code' && ref.kind !== 'inputs') return;
      for (const [key, last] of session.last) {
        if (last.functionId !== ref.functionId || last.env.projectId !== ref.projectId) continue;
        const name = s.store.summary(last.env, last.functionId)?.name ?? last.functionId;
        if (isShown(last, name)) rerun(key, last, 600);
      }
    }),
  );
  s.runs.attach({
    dispose: () => {
      for (const t of timers.values()) clearTimeout(t);
    },
  });
  return session;
}
