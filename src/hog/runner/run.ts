/**
 * Runs a hog function locally the way PostHog's CDP does (nodejs/src/cdp: hog-inputs.service,
 * hog-executor.service, the test-invocation mocks): compile the code and every input template, evaluate
 * the inputs in their order against the globals (each input sees the ones before it), then run the code
 * in PostHog's own VM (`@posthog/hogvm`) with `inputs`, PostHog's `print`, `postHogCapture` and `fetch`.
 *
 * Plain Node, no vscode: the extension runs it in a worker thread, the CLI in its own process.
 */
import { convertHogToJS, exec, type ExecOptions, type ExecResult, type VMState } from '@posthog/hogvm';
import { parseProgram } from '../parser';
import { compileProgram, type CompileOptions, type CompileResult } from '../compiler/compiler';
import { compileInputValue, inputOrder, type CompiledValue } from '../compiler/inputs';
import { STL_ARITY, supportedFunctions } from '../compiler/stl';
import { VM_EXTERNAL } from './external';
import { secretValues } from './secrets';
import { REDACTED, type FetchCall, type LogLevel, type RunInput, type RunLog, type RunProblem, type RunRequest, type RunResult } from './types';

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_ASYNC_STEPS = 100;
/** PostHog keeps this many print lines per run, then says so once. */
const MAX_PRINTS = 24;
const MAX_LOG_CHARS = 10_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Compiles the code of a hog function of `type` (the functions PostHog allows for that type). */
export function compileFunction(code: string, type: string): CompileResult & { syntaxErrors: RunProblem[] } {
  const parsed = parseProgram(code);
  const syntaxErrors = parsed.errors.map((e): RunProblem => ({ message: e.message, start: e.start, end: e.end, fatal: true }));
  const options: CompileOptions = { supportedFunctions: supportedFunctions(type), stl: STL_ARITY };
  return { ...compileProgram(parsed.program, options), syntaxErrors };
}

export async function runHogFunction(request: RunRequest): Promise<RunResult> {
  const started = performance.now();
  const logs: RunLog[] = [];
  const problems: RunProblem[] = [];
  const fetches: FetchCall[] = [];
  const captures: unknown[] = [];
  const sensitive = secretValues(request.inputs, (key, input) => secretPlaceholder(key, input) ?? input.value);
  const log = (level: LogLevel, message: string): void => {
    logs.push({ level, timestamp: new Date().toISOString(), message: redact(truncate(message), sensitive) });
  };
  const stats = { compileMs: 0, inputsMs: 0, runMs: 0, ops: 0, memoryBytes: 0, bytecodeLength: 0 };
  const fail = (): RunResult => ({ status: 'error', problems, logs, fetches, captures, inputs: {}, returned: null, stats: { ...stats } });

  // 1. Compile the code and the inputs (PostHog does both on save; a failure there is a refused save).
  const compiled = compileFunction(request.code, request.type);
  problems.push(...compiled.syntaxErrors);
  if (compiled.syntaxErrors.length === 0) {
    // What PostHog refuses to save stops the run; an unknown function or a wrong argument count is
    // PostHog's runtime failure, so the run goes ahead and fails where the server's would.
    for (const p of compiled.problems) if (p.refusedByPostHog) problems.push({ message: p.message, start: p.start, end: p.end, fatal: true });
  }
  const compiledInputs = new Map<string, { value: unknown; bytecode?: CompiledValue }>();
  const dependencies = new Map<string, ReadonlySet<string>>();
  for (const [key, input] of Object.entries(request.inputs)) {
    const value = secretPlaceholder(key, input) ?? input.value;
    // PostHog compiles truthy values with hog templating only; liquid and falsy values stay as they are.
    const templating = input.templating ?? 'hog';
    if (!value || templating !== 'hog' || typeof value === 'number') {
      if (templating === 'liquid' && value) log('warn', `Input "${key}" uses Liquid templating, which runs only on PostHog: its text is used as it is.`);
      compiledInputs.set(key, { value });
      continue;
    }
    const result = compileInputValue(value, { stl: STL_ARITY, functionType: request.type });
    for (const p of result.problems) {
      if (!p.refusedByPostHog) continue;
      const where = [key, ...p.path].join('.');
      problems.push({ message: `Invalid template: ${p.message}`, input: where, fatal: true });
    }
    compiledInputs.set(key, { value, bytecode: result.bytecode });
    dependencies.set(key, result.dependencies);
  }
  let order: Map<string, number>;
  try {
    order = inputOrder([...compiledInputs.keys()], dependencies);
  } catch (e) {
    problems.push({ message: errorText(e), fatal: true });
    order = new Map();
  }
  stats.compileMs = performance.now() - started;
  stats.bytecodeLength = compiled.bytecode.length;
  if (problems.some((p) => p.fatal)) return fail();

  // 2. Inputs, in order, each seeing the globals and the inputs evaluated before it. Transformations
  //    see only the project and the event (PostHog builds nothing else for them).
  const transformation = request.type === 'transformation';
  const baseGlobals: Record<string, unknown> = transformation ? { project: request.globals.project ?? null, event: request.globals.event ?? null } : { ...request.globals };
  const inputsStarted = performance.now();
  const inputs: Record<string, unknown> = {};
  const inputGlobals = { ...baseGlobals, inputs };
  const ordered = [...compiledInputs.entries()].sort(([a], [b]) => (order.get(a) ?? -1) - (order.get(b) ?? -1));
  for (const [key, input] of ordered) {
    try {
      inputs[key] = input.bytecode === undefined ? input.value : evaluateInput(input.bytecode, inputGlobals, key);
    } catch (e) {
      problems.push({ message: errorText(e), input: key, fatal: true });
      log('error', `Error building inputs: ${errorText(e)}`);
      stats.inputsMs = performance.now() - inputsStarted;
      return fail();
    }
  }
  stats.inputsMs = performance.now() - inputsStarted;

  // 3. The function.
  const globals = { ...baseGlobals, inputs };
  let prints = 0;
  const eventId = stringAt(request.globals, 'event', 'uuid') || 'Unknown event';
  const functions: Record<string, (...args: unknown[]) => unknown> = {
    print: (...args: unknown[]) => {
      prints += 1;
      if (prints === MAX_PRINTS + 1) log('warn', `Function exceeded maximum log entries. No more logs will be collected. Event: ${eventId}`);
      if (prints > MAX_PRINTS) return null;
      log('info', args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(', '));
      return null;
    },
  };
  if (transformation) functions.cleanNullValues = (value: unknown) => cleanNullValues(value);
  else {
    functions.postHogCapture = (event: unknown) => {
      capture(event, request.globals, captures);
      return null;
    };
  }
  const asyncFunctions: NonNullable<ExecOptions['asyncFunctions']> = {};
  if (!transformation && request.fetch === 'mock') {
    functions.fetch = (url: unknown, options: unknown) => {
      const call = `fetch('${String(url)}', ${JSON.stringify(options ?? null, null, 2)})`;
      log('info', `Async function 'fetch' was mocked with arguments:`);
      if (request.revealMockedCalls === true) logs.push({ level: 'info', timestamp: new Date().toISOString(), message: truncate(call) });
      else log('info', call);
      const response = { status: 200, body: {} };
      fetches.push({ ...describeFetch(url, options, sensitive), mocked: true, response });
      return response;
    };
  } else if (!transformation) {
    // Real requests: the VM suspends on fetch; the loop below sends it and resumes with the answer.
    asyncFunctions.fetch = () => Promise.resolve(null);
  }
  const options: ExecOptions = {
    globals,
    functions,
    asyncFunctions,
    timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxAsyncSteps: request.maxAsyncSteps ?? DEFAULT_MAX_ASYNC_STEPS,
    external: VM_EXTERNAL,
  };
  const runStarted = performance.now();
  let outcome: ExecResult = exec(compiled.bytecode, options);
  while (!outcome.finished && !outcome.error && outcome.asyncFunctionName === 'fetch' && outcome.state) {
    const args: unknown[] = outcome.asyncFunctionArgs ?? [];
    const [url, fetchOptions] = args;
    const response = await realFetch(url, fetchOptions, log);
    fetches.push({ ...describeFetch(url, fetchOptions, sensitive), mocked: false, response: redactJson(response, sensitive) });
    outcome.state.stack.push(response);
    outcome = exec(outcome.state, options);
  }
  stats.runMs = performance.now() - runStarted;
  stats.ops = outcome.state?.ops ?? 0;
  stats.memoryBytes = outcome.state?.maxMemUsed ?? 0;

  if (outcome.error !== undefined || !outcome.finished) {
    const error: unknown = outcome.error ?? new Error(`Function was not finished but also had no async function to execute.`);
    const at = outcome.state ? sourceOf(outcome.state, compiled.sourceMap) : undefined;
    problems.push({ message: runtimeMessage(error), ...at, fatal: true });
    log('error', `Error executing function on event ${eventId}: ${vmErrorString(error)}`);
    return { status: 'error', problems, logs, fetches, captures, inputs: redactJson(inputs, sensitive), returned: null, stats: { ...stats } };
  }
  const returned = toJson(convertHogToJS(outcome.result));
  const total = performance.now() - started;
  const fmt = (v: number): string => Number(v.toPrecision(2)).toString();
  log(
    'debug',
    [
      `Function completed in ${fmt(total)}ms.`,
      `Sync: ${fmt(outcome.state?.syncDuration ?? stats.runMs)}ms.`,
      `Mem: ${fmt(stats.memoryBytes / 1024)}kb.`,
      `Ops: ${stats.ops}.`,
      `Event: '${stringAt(request.globals, 'event', 'url')}'`,
    ].join(' '),
  );
  let transformed: RunResult['transformation'];
  if (transformation) {
    const after = transformEvent(request.globals.event, returned);
    if (typeof after === 'string') problems.push({ message: after, fatal: true });
    else transformed = { before: request.globals.event ?? null, after: redactJson(after, sensitive) };
  }
  return {
    status: problems.some((p) => p.fatal) ? 'error' : 'success',
    problems,
    logs,
    fetches,
    captures,
    inputs: redactJson(inputs, sensitive),
    returned: redactJson(returned, sensitive),
    ...(transformed ? { transformation: transformed } : {}),
    stats: { ...stats },
  };
}

/** PostHog's formatHogInput: bytecode runs (5 s, no functions), dicts and lists keep their shape. */
function evaluateInput(bytecode: CompiledValue, globals: Record<string, unknown>, key: string): unknown {
  if (Array.isArray(bytecode) && (bytecode[0] === '_H' || bytecode[0] === '_h')) {
    const result = exec(bytecode, { globals, timeout: DEFAULT_TIMEOUT_MS, maxAsyncSteps: 0, external: VM_EXTERNAL });
    if (result.error !== undefined) throw new Error(`${runtimeMessage(result.error)} (input field: ${key})`);
    if (!result.finished) throw new Error(`Could not execute bytecode for input field: ${key}`);
    return toJson(convertHogToJS(result.result));
  }
  if (Array.isArray(bytecode)) return (bytecode as CompiledValue[]).map((item) => evaluateInput(item, globals, key));
  if (bytecode !== null && typeof bytecode === 'object') {
    return Object.fromEntries(Object.entries(bytecode).map(([k, v]) => [k, evaluateInput(v, globals, `${key}.${k}`)]));
  }
  return bytecode;
}

/** A secret input whose value PostHog keeps (`{"secret": true}`): a recognisable stand-in, masked like a secret. */
function secretPlaceholder(key: string, input: RunInput): string | undefined {
  return input.secret === true && input.value === undefined ? `<secret ${key}>` : undefined;
}

function redact(text: string, sensitive: readonly string[]): string {
  let out = text;
  for (const s of sensitive) out = out.split(s).join(REDACTED);
  return out;
}

function redactJson<T>(value: T, sensitive: readonly string[]): T {
  if (sensitive.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v, sensitive);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item)]));
    return v;
  };
  return walk(value) as T;
}

function truncate(text: string): string {
  return text.length > MAX_LOG_CHARS ? `${text.slice(0, MAX_LOG_CHARS)}... (truncated)` : text;
}

/** The request as PostHog's fetch handler reads it: method POST unless given, body text or JSON, headers as strings. */
function describeFetch(url: unknown, options: unknown, sensitive: readonly string[]): Omit<FetchCall, 'mocked' | 'response'> {
  const opts = options !== null && typeof options === 'object' ? (options as Record<string, unknown>) : {};
  const method = typeof opts.method === 'string' && opts.method ? opts.method : 'POST';
  const rawHeaders = opts.headers !== null && typeof opts.headers === 'object' ? (opts.headers as Record<string, unknown>) : { 'Content-Type': 'application/json' };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawHeaders)) if (typeof v === 'string') headers[k] = redact(v, sensitive);
  return { url: redact(String(url), sensitive), method, headers, body: redactJson(toJson(opts.body ?? null), sensitive) };
}

async function realFetch(url: unknown, options: unknown, log: (level: LogLevel, message: string) => void): Promise<{ status: number; body: unknown }> {
  const opts = options !== null && typeof options === 'object' ? (options as Record<string, unknown>) : {};
  const method = typeof opts.method === 'string' && opts.method ? opts.method : 'POST';
  const headers: Record<string, string> = {};
  const rawHeaders = opts.headers !== null && typeof opts.headers === 'object' ? (opts.headers as Record<string, unknown>) : { 'Content-Type': 'application/json' };
  for (const [k, v] of Object.entries(rawHeaders)) if (typeof v === 'string') headers[k] = v;
  const body = opts.body === undefined || opts.body === null ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  try {
    const response = await fetch(String(url), { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the code gets the text
    }
    if (response.status >= 400) log('warn', `HTTP fetch failed with status code ${response.status}.`);
    return { status: response.status, body: parsed };
  } catch (e) {
    log('warn', `HTTP fetch failed with status code (none). Error: ${errorText(e)}.`);
    return { status: 500, body: null };
  }
}

function capture(event: unknown, globals: Readonly<Record<string, unknown>>, captures: unknown[]): void {
  if (event === null || typeof event !== 'object') throw new Error("[HogFunction] - postHogCapture call missing 'event' property");
  const e = event as Record<string, unknown>;
  if (!e.event) throw new Error("[HogFunction] - postHogCapture call missing 'event' property");
  const own = typeof e.distinct_id === 'string' || typeof e.distinct_id === 'number' ? String(e.distinct_id) : '';
  const distinctId = own || stringAt(globals, 'event', 'distinct_id') || stringAt(globals, 'person', 'id');
  if (!distinctId) throw new Error("[HogFunction] - postHogCapture call missing 'distinct_id' property");
  if (captures.length > 0) throw new Error('postHogCapture was called more than once. Only one call is allowed per function');
  captures.push({ ...e, distinct_id: distinctId });
}

/**
 * PostHog's transformation result: falsy drops the event (null); `properties` replaces the event's;
 * `event` and `distinct_id` apply when they are strings. A string: why PostHog would mark it failed.
 */
function transformEvent(before: unknown, returned: unknown): Record<string, unknown> | null | string {
  if (!returned) return null;
  const INVALID = 'Invalid transformation result - missing or invalid properties';
  if (typeof returned !== 'object' || Array.isArray(returned)) return INVALID;
  const r = returned as Record<string, unknown>;
  if (r.properties === null || typeof r.properties !== 'object' || Array.isArray(r.properties)) return INVALID;
  if ('event' in r && typeof r.event !== 'string') return 'Invalid transformation result - event must be a string';
  if ('distinct_id' in r && typeof r.distinct_id !== 'string') return 'Invalid transformation result - distinct_id must be a string';
  const event = { ...(before !== null && typeof before === 'object' ? (before as Record<string, unknown>) : {}) };
  event.properties = r.properties;
  if (typeof r.event === 'string') event.event = r.event;
  if (typeof r.distinct_id === 'string') event.distinct_id = r.distinct_id;
  return event;
}

function cleanNullValues(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(cleanNullValues).filter((v) => v !== null);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const cleaned = cleanNullValues(v);
      if (cleaned !== null) out[k] = cleaned;
    }
    return out;
  }
  return value;
}

/** The source range of the operation the VM stopped at: the innermost frame running the program's own code. */
function sourceOf(state: VMState, sourceMap: CompileResult['sourceMap']): { start: number; end: number } | undefined {
  const frames = state.callStack.filter((f) => f.chunk === 'root');
  const ip = frames[frames.length - 1]?.ip;
  if (ip === undefined) return undefined;
  let found: readonly [number, number, number] | undefined;
  for (const entry of sourceMap) {
    if (entry[0] > ip) break;
    found = entry;
  }
  return found ? { start: found[1], end: found[2] } : undefined;
}

/** The error's message, plus a hint for the host functions that exist only on PostHog's servers. */
function runtimeMessage(error: unknown): string {
  const message = errorText(error);
  const missing = /^Unsupported function call: (\w+)/.exec(message)?.[1];
  if (missing && SERVER_ONLY[missing]) return `${message} — ${SERVER_ONLY[missing]}`;
  return message;
}

const SERVER_ONLY: Readonly<Record<string, string>> = {
  geoipLookup: "it needs PostHog's GeoIP database: test this transformation on PostHog.",
  isKnownBotUserAgent: "it needs PostHog's bot lists: test this transformation on PostHog.",
  isKnownBotIp: "it needs PostHog's bot lists: test this transformation on PostHog.",
  fetch: 'transformations cannot call fetch.',
};

/** How PostHog's executor prints an error in its log line: `HogVMException: …`, or `Error('boom')` for a Hog throw. */
function vmErrorString(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'UncaughtHogVMException') return String(error);
    return `${error.name === 'Error' ? 'Error' : error.name}: ${error.message}`;
  }
  return String(error);
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'UncaughtHogVMException') return String(error);
    return error.message;
  }
  return String(error);
}

function stringAt(record: Readonly<Record<string, unknown>>, key: string, field: string): string {
  const inner = record[key];
  if (inner === null || typeof inner !== 'object') return '';
  const value = (inner as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : '';
}

/** VM values as JSON (dates and errors to their text): the result crosses a thread and becomes a document. */
function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), toJson(v)]));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return typeof value === 'bigint' ? value.toString() : null;
}
