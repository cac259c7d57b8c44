/**
 * `node dist/hog.js parse FILE…` — the Hog toolchain on the command line (built by esbuild.mjs).
 *
 *   parse FILE   prints the AST as JSON, exactly as @posthog/hogql-parser's parseProgram returns it
 *                (same node kinds, fields, positions; keys sorted); on syntax errors prints
 *                `file:line:col: message` lines to stderr and exits 1.
 *   check FILE…  only the syntax errors, for any number of files (exit 1 if any).
 *
 * `-` reads standard input. Plain Node, no VS Code.
 */
import * as fs from 'node:fs';
import { parseProgram, type HogSyntaxError } from './parser';
import { PositionMapper } from './positions';

const USAGE = `usage: hog parse FILE | hog check FILE…   (FILE "-" reads standard input)
  parse  print the AST as JSON (the shape PostHog's parser returns); syntax errors → stderr, exit 1
  check  print only the syntax errors as file:line:col: message; exit 1 if any`;

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
export function formatError(file: string, source: string, error: HogSyntaxError, positions = new PositionMapper(source)): string {
  const { line, character } = positions.lineCharacter(error.start);
  return `${file}:${line + 1}:${character + 1}: ${error.message}`;
}

function read(file: string): string {
  return fs.readFileSync(file === '-' ? 0 : file, 'utf8');
}

export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const [command, ...files] = argv;
  if ((command !== 'parse' && command !== 'check') || files.length === 0 || (command === 'parse' && files.length !== 1)) {
    err(USAGE);
    return 2;
  }
  let failed = false;
  for (const file of files) {
    let source: string;
    try {
      source = read(file);
    } catch (e) {
      err(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
      failed = true;
      continue;
    }
    const { program, errors } = parseProgram(source);
    const positions = new PositionMapper(source);
    for (const e of errors) err(formatError(file, source, e, positions));
    if (errors.length) failed = true;
    else if (command === 'parse') out(toPostHogJson(program));
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(
    process.argv.slice(2),
    (s) => process.stdout.write(`${s}\n`),
    (s) => process.stderr.write(`${s}\n`),
  );
}
