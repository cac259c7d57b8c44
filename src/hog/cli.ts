/**
 * `node dist/hog.js …` — the Hog toolchain on the command line (built by esbuild.mjs). Plain Node, no VS Code.
 *
 *   parse FILE      the AST as JSON, exactly as @posthog/hogql-parser's parseProgram returns it (same node
 *                   kinds, fields, positions; keys sorted)
 *   check FILE…     every syntax and compile error as `file:line:col: message`; exit 1 if any
 *   compile FILE    the bytecode PostHog's compiler produces, as JSON
 *   run FILE        compiles and runs in PostHog's VM; prints what `print` prints, as PostHog's `hog` runner does.
 *                   With --globals FILE.json and/or --inputs FILE.json (or --type), runs it as a hog function
 *                   the way PostHog's CDP does: inputs first, fetch mocked (--real-fetch sends it), then prints
 *                   the run's log lines and the returned value.
 *
 * `-` reads standard input. Errors go to standard error; exit 1 on errors, 2 on bad usage.
 */
import * as fs from 'node:fs';
import { exec, printHogStringOutput } from '@posthog/hogvm';
import { compileProgram } from './compiler/compiler';
import { STL_ARITY, supportedFunctions } from './compiler/stl';
import { parseProgram, type HogSyntaxError } from './parser';
import { PositionMapper } from './positions';
import { VM_EXTERNAL } from './runner/external';
import { runHogFunction } from './runner/run';
import type { RunInput } from './runner/types';
import { SYNC_COMMANDS, SYNC_USAGE, syncMain } from '../sync/cli';

const USAGE = `usage: hog parse FILE | hog check FILE… | hog compile FILE | hog run FILE [--globals FILE.json] [--inputs FILE.json] [--type TYPE] [--real-fetch]
  (FILE "-" reads standard input)
  parse    print the AST as JSON (the shape PostHog's parser returns)
  check    print syntax and compile errors as file:line:col: message; exit 1 if any
  compile  print the bytecode (what PostHog stores in a function's "bytecode") as JSON
  run      run the program in PostHog's VM and print what it prints; with --globals/--inputs/--type, run it as
           a hog function (type "destination" unless given): inputs evaluated first, fetch mocked unless
           --real-fetch, then the run's log lines and the returned value
  --type   destination (default), transformation, … — which host functions exist (fetch, postHogCapture, …)
hog functions as files (PostHog's API):
${SYNC_USAGE}`;

/**
 * JSON as PostHog's parser prints it: compact, keys sorted at every depth (std::map), and the values of
 * float literals as C's "%.17g" with ".0" added when it reads as an integer ("1.0", "0.10000000000000001").
 */
export function toPostHogJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(toPostHogJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const float = Object.getOwnPropertyDescriptor(record, 'isFloat')?.value === true;
    const entries = Object.entries(record)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${float && k === 'value' && typeof v === 'number' ? formatDouble(v) : toPostHogJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** C's printf("%.17g"), plus ".0" when the result has neither a point nor an exponent. */
export function formatDouble(x: number): string {
  if (!Number.isFinite(x)) return JSON.stringify(x);
  const [mantissa = '0', exponent = '0'] = x.toExponential(16).split('e');
  const exp = Number(exponent);
  let text: string;
  if (exp < -4 || exp >= 17) {
    const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    text = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else {
    text = x.toFixed(Math.max(0, 16 - exp));
    if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  }
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** `file:line:col: message` (1-based, UTF-16 columns as editors count them). */
export function formatError(file: string, source: string, error: Pick<HogSyntaxError, 'message' | 'start'>, positions = new PositionMapper(source)): string {
  const { line, character } = positions.lineCharacter(error.start);
  return `${file}:${line + 1}:${character + 1}: ${error.message}`;
}

function read(file: string): string {
  return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
}

interface Args {
  readonly command: string;
  readonly files: string[];
  readonly globals?: string;
  readonly inputs?: string;
  readonly type?: string;
  readonly realFetch: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const [command = '', ...rest] = argv;
  const files: string[] = [];
  const flags: Record<string, string> = {};
  let realFetch = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--real-fetch') realFetch = true;
    else if (arg === '--globals' || arg === '--inputs' || arg === '--type') {
      const value = rest[i + 1];
      if (value === undefined) return `${arg} needs a value`;
      flags[arg.slice(2)] = value;
      i++;
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else files.push(arg);
  }
  return { command, files, realFetch, ...flags };
}

export async function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (SYNC_COMMANDS.includes(argv[0] ?? '')) return syncMain(argv, out, err);
  const args = parseArgs(argv);
  const single = ['parse', 'compile', 'run'];
  if (typeof args === 'string' || !['parse', 'check', ...single].includes(args.command) || args.files.length === 0 || (single.includes(args.command) && args.files.length !== 1)) {
    if (typeof args === 'string') err(args);
    err(USAGE);
    return 2;
  }
  if (args.command === 'run') return run(args, out, err);
  let failed = false;
  for (const file of args.files) {
    const source = readOrReport(file, err);
    if (source === undefined) {
      failed = true;
      continue;
    }
    const positions = new PositionMapper(source);
    const { program, errors } = parseProgram(source);
    for (const e of errors) err(formatError(file, source, e, positions));
    if (errors.length > 0) {
      failed = true;
      continue;
    }
    if (args.command === 'parse') {
      out(toPostHogJson(program));
      continue;
    }
    const compiled = compileProgram(program, { supportedFunctions: supportedFunctions(args.type), stl: STL_ARITY });
    for (const p of compiled.problems) err(formatError(file, source, p, positions));
    if (compiled.problems.length > 0) failed = true;
    else if (args.command === 'compile') out(bytecodeJson(compiled.bytecode, compiled.floats));
  }
  return failed ? 1 : 0;
}

async function run(args: Args, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const file = args.files[0] ?? '-';
  const source = readOrReport(file, err);
  if (source === undefined) return 1;
  const asFunction = args.globals !== undefined || args.inputs !== undefined || args.type !== undefined;
  if (!asFunction) {
    const positions = new PositionMapper(source);
    const { program, errors } = parseProgram(source);
    for (const e of errors) err(formatError(file, source, e, positions));
    if (errors.length > 0) return 1;
    const compiled = compileProgram(program, { stl: STL_ARITY });
    const fatal = compiled.problems.filter((p) => p.refusedByPostHog);
    for (const p of fatal) err(formatError(file, source, p, positions));
    if (fatal.length > 0) return 1;
    // PostHog's `hog` runner: the VM with RE2 and crypto; `print` writes each value as Hog prints it.
    const result = exec(compiled.bytecode, {
      external: VM_EXTERNAL,
      functions: { print: (...values: unknown[]) => out(values.map((v) => printHogStringOutput(v)).join(' ')) },
    });
    if (result.error !== undefined) {
      err(`${file}: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
      return 1;
    }
    return 0;
  }
  let globals: Record<string, unknown> = {};
  let inputs: Record<string, RunInput> = {};
  try {
    if (args.globals !== undefined) globals = jsonObject(readOrThrow(args.globals), args.globals);
    if (args.inputs !== undefined) inputs = readInputsFile(readOrThrow(args.inputs), args.inputs);
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 1;
  }
  const result = await runHogFunction({ type: args.type ?? 'destination', code: source, inputs, globals, fetch: args.realFetch ? 'real' : 'mock' });
  const positions = new PositionMapper(source);
  for (const log of result.logs) out(`${log.level.toUpperCase().padEnd(5)} ${log.message}`);
  for (const p of result.problems) {
    if (p.input !== undefined) err(`${args.inputs ?? 'inputs'}: input "${p.input}": ${p.message}`);
    else if (p.start !== undefined) err(formatError(file, source, { message: p.message, start: p.start }, positions));
    else err(`${file}: ${p.message}`);
  }
  if (result.status === 'success') {
    out(`returned: ${JSON.stringify(result.returned)}`);
    if (result.transformation) out(`event after: ${JSON.stringify(result.transformation.after)}`);
  }
  return result.status === 'success' ? 0 : 1;
}

/** `{ "key": { "value": … } }` (the inputs document) or `{ "key": value }`. */
function readInputsFile(text: string, file: string): Record<string, RunInput> {
  const raw = jsonObject(text, file);
  const inputs: Record<string, RunInput> = {};
  for (const [key, item] of Object.entries(raw)) {
    const isItem = item !== null && typeof item === 'object' && !Array.isArray(item) && ('value' in item || 'secret' in item);
    inputs[key] = isItem ? (item as RunInput) : { value: item };
  }
  return inputs;
}

function jsonObject(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file}: expected a JSON object`);
  return value as Record<string, unknown>;
}

/** Bytecode as JSON, FLOAT operands as Python prints them (1.0, 1e-05): what PostHog's API returns. */
export function bytecodeJson(bytecode: readonly unknown[], floats: ReadonlySet<number>): string {
  return `[${bytecode.map((item, i) => (floats.has(i) && typeof item === 'number' ? pythonFloat(item) : JSON.stringify(item))).join(', ')}]`;
}

/** Python's repr of a float: the shortest round-trip digits, ".0" on integers, exponent below 1e-4 and from 1e16. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mantissa = '', exponent = '0'] = x.toExponential().split('e');
    const exp = Number(exponent);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const text = String(x);
  return text.includes('.') ? text : `${text}.0`;
}

function readOrReport(file: string, err: (s: string) => void): string | undefined {
  try {
    return read(file);
  } catch (e) {
    err(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

function readOrThrow(file: string): string {
  try {
    return read(file);
  } catch (e) {
    throw new Error(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

if (require.main === module) {
  void main(
    process.argv.slice(2),
    (s) => process.stdout.write(`${s}\n`),
    (s) => process.stderr.write(`${s}\n`),
  ).then((code) => {
    process.exitCode = code;
  });
}
