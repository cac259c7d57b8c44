/**
 * "PostHog: Test Function on PostHog…": sends the function's *unsaved* code, inputs and filters as the
 * `configuration` of a test run (`POST …/hog_functions/{id}/invocations/`, mocked async functions unless
 * the user confirmed real requests), and shows PostHog's answer beside the code. PostHog's refusals that
 * name a field land as diagnostics on that document, as a refused save's do.
 */
import * as vscode from 'vscode';
import { isPostHogError } from '../api/errors';
import type { HogFunction } from '../api/schemas';
import { StorageKeys } from '../constants';
import { serverProblems } from '../fs/saveFailure';
import { secretValues } from '../hog/runner/secrets';
import { functionUri } from '../fs/uri';
import type { Environment } from '../model/environment';
import type { FunctionDocKind } from '../model/docPath';
import { typeInfo } from '../model/hogFunctionTypes';
import { maskText, mockedRequests, renderTestReport } from '../model/testReport';
import { RunResults } from '../run/results';
import type { Node } from '../tree/nodes';
import { confirmRealRequests, loadGlobals, openText, pickGlobals, runInputs, showBeside, storedSources, target, unsavedFilters, unsavedInputs } from './runSupport';
import type { Services } from './services';

/** The types PostHog's test API runs (others answer "Invalid function type"). */
const TESTABLE = new Set(['destination', 'internal_destination', 'transformation']);

export async function testOnPostHog(s: Services, node: Node | undefined, arg: unknown, options: { readonly real: boolean }): Promise<void> {
  const { env, functionId } = await target(s, node, arg);
  const fn = s.store.cachedFull(env, functionId) ?? (await s.store.fetch(env, functionId));
  const type = fn.type ?? 'destination';
  if (!TESTABLE.has(type)) {
    throw new Error(`PostHog tests destinations and transformations; ${fn.name ?? 'this function'} is a ${typeInfo(type).singular}. Use "Run Locally" to run its Hog offline.`);
  }
  const code = openText(functionUri(env, fn, 'code')) ?? fn.hog ?? '';
  const rawInputs = unsavedInputs(env, fn);
  const filters = unsavedFilters(env, fn);
  // The secrets typed into the unsaved inputs (PostHog's stored ones never reach the editor).
  const secrets = secretValues(runInputs(rawInputs, fn.inputs_schema ?? []));
  const key = RunResults.key(env, fn.id);
  const source = await pickGlobals(s, fn, key);
  const { globals, label } = await loadGlobals(s, source, fn, env);
  await s.workspaceState.update(StorageKeys.runGlobals, { ...storedSources(s), [key]: source });

  const configuration: Record<string, unknown> = { type, name: fn.name, hog: code, inputs_schema: fn.inputs_schema ?? [], inputs: rawInputs };
  if (filters) configuration.filters = filters;
  const startedAt = new Date();
  const send = async (mock: boolean): Promise<{ res: Awaited<ReturnType<Services['store']['test']>>; ms: number }> => {
    const t = performance.now();
    try {
      const res = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Testing ${fn.name ?? 'the function'} on PostHog…` }, () =>
        s.store.test(env, fn.id, { configuration, globals, mockAsyncFunctions: mock }),
      );
      return { res, ms: performance.now() - t };
    } catch (e) {
      placeRefusal(s, env, fn, e);
      // The CDP's own refusals reach us as a bare {"status": "error"}: say what PostHog could not do.
      if (isPostHogError(e) && e.isValidation && e.attr === 'status') {
        throw new Error(
          `PostHog could not run the test of ${fn.name ?? 'this function'} (it answered ${e.status ?? 400} without a reason). Check that the event has an "event" object, then try again.`,
        );
      }
      throw e;
    }
  };
  clearRefusals(s, env, fn);
  let { res, ms } = await send(true);
  if (
    options.real &&
    (await confirmRealRequests(
      fn.name,
      mockedRequests(res.logs).map((r) => r.url),
      true,
    ))
  ) {
    ({ res, ms } = await send(false));
  }
  const uri = s.runs.uriFor(env, fn.id, fn.name ?? fn.id, 'test on PostHog');
  s.runs.set(
    uri,
    renderTestReport(res, {
      functionName: fn.name ?? fn.id,
      globalsSource: label,
      inputEvent: globals.event ?? null,
      transformation: type === 'transformation',
      mocked: !options.real,
      startedAt,
      elapsedMs: ms,
      secrets,
    }),
  );
  if (type === 'transformation' && res.status === 'success' && res.result !== null && res.result !== undefined) {
    s.runs.setEventDiff(uri, maskJson(globals.event ?? null, secrets), maskJson(res.result, secrets), `${fn.name ?? fn.id}: event before ↔ after (test on PostHog)`);
  } else s.runs.clearEventDiff(uri);
  await showBeside(s, uri);
  s.log.info('test', `${fn.id}: ${res.status} in ${ms.toFixed(0)} ms (${res.logs.length} log lines, ${res.errors.length} errors)`);
}

/** Where PostHog's refusal of the configuration belongs: `configuration__hog` → the code, `…__inputs__url` → that input. */
function placeRefusal(s: Services, env: Environment, fn: HogFunction, e: unknown): void {
  if (!isPostHogError(e) || !e.isValidation || !e.attr?.startsWith('configuration__')) return;
  const attr = e.attr.slice('configuration__'.length);
  const kind: FunctionDocKind = attr === 'hog' ? 'code' : attr.startsWith('inputs') ? 'inputs' : 'filters';
  const uri = functionUri(env, fn, kind);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc) return;
  const diagnostics = serverProblems(e.detail ?? e.message, attr, kind, doc.getText()).map((p) => {
    const d = new vscode.Diagnostic(
      new vscode.Range(doc.positionAt(p.offset), doc.positionAt(p.offset + p.length)),
      `PostHog refused the test: ${p.message}`,
      vscode.DiagnosticSeverity.Error,
    );
    d.source = 'PostHog test';
    return d;
  });
  s.runs.diagnostics.set(uri, diagnostics);
}

function clearRefusals(s: Services, env: Environment, fn: HogFunction): void {
  for (const kind of ['code', 'inputs', 'filters'] as const) {
    const uri = functionUri(env, fn, kind);
    if (s.runs.diagnostics.get(uri)?.some((d) => d.source === 'PostHog test')) s.runs.diagnostics.delete(uri);
  }
}

/** A value with the typed secrets and credential fields masked (for the side-by-side event). */
function maskJson(value: unknown, secrets: readonly string[]): unknown {
  return JSON.parse(maskText(JSON.stringify(value ?? null), secrets)) as unknown;
}
