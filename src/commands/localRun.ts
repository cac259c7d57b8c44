/**
 * "PostHog: Run Locally…": runs a hog function's *unsaved* code and inputs on an event, offline, in
 * PostHog's VM (a worker thread: src/services/localRunner.ts), and shows the result beside the code.
 * Shared by the two run commands; re-runs on a fixture's save and (opt-in) while typing.
 */
import * as vscode from 'vscode';
import type { HogFunction } from '../api/schemas';
import { Settings, StorageKeys } from '../constants';
import { functionUri } from '../fs/uri';
import type { RunRequest, RunResult } from '../hog/runner/types';
import type { Environment } from '../model/environment';
import { typeInfo } from '../model/hogFunctionTypes';
import { locateInputKey } from '../model/inputsDocument';
import { renderRunReport } from '../model/runReport';
import { RunResults } from '../run/results';
import { LocalRunner } from '../services/localRunner';
import type { Node } from '../tree/nodes';
import { confirmRealRequests, loadGlobals, openText, pickGlobals, runInputs, showBeside, storedSources, target, unsavedInputs, type GlobalsSource } from './runSupport';
import type { Services } from './services';

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
  // The function as last read (its open documents read it): a local run needs no request.
  const fn = s.store.cachedFull(env, functionId) ?? (await s.store.fetch(env, functionId));
  const info = typeInfo(fn.type);
  if (info.codeLanguage !== 'hog') {
    throw new Error(
      `${fn.name ?? 'This function'} is a ${info.singular}: its code is TypeScript that runs in the browser. Run Locally runs Hog functions (destinations, transformations, sources).`,
    );
  }
  const code = openText(functionUri(env, fn, 'code')) ?? fn.hog ?? '';
  const inputs = runInputs(unsavedInputs(env, fn), fn.inputs_schema ?? []);
  const key = RunResults.key(env, fn.id);
  const source = options.rerun?.source ?? (await pickGlobals(s, fn, key));
  const { globals, label } = await loadGlobals(s, source, fn, env);
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
    const asked = performance.now();
    const confirmed = await confirmRealRequests(
      fn.name,
      result.fetches.map((f) => f.url),
      false,
    );
    confirmMs = performance.now() - asked;
    if (confirmed) result = await session.runner.run({ ...request, fetch: 'real' });
  }
  const uri = s.runs.uriFor(env, fn.id, fn.name ?? fn.id);
  const elapsedMs = performance.now() - started - confirmMs;
  s.runs.set(uri, renderRunReport(result, { functionName: fn.name ?? fn.id, globalsSource: label, code, startedAt, elapsedMs, fetchMode: options.fetch }));
  placeProblems(s, env, fn, code, result);
  if (result.transformation && result.transformation.after !== null) {
    s.runs.setEventDiff(uri, result.transformation.before, result.transformation.after, `${fn.name ?? fn.id}: event before ↔ after (local run)`);
  } else s.runs.clearEventDiff(uri);
  await showBeside(s, uri);
  s.log.info(
    'run',
    `${fn.id}: ${result.status} in ${elapsedMs.toFixed(1)} ms (compile ${result.stats.compileMs.toFixed(1)} ms, run ${result.stats.runMs.toFixed(1)} ms, ${result.stats.ops} ops)`,
  );
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
