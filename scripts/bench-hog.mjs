// Benchmarks Hog diagnostics outside VS Code, side by side in one run: our parser (src/hog, compiled to
// out/ — run `npx tsc -p .` first) with the lints, i.e. everything diagnostics.ts does for a document
// version, against PostHog's WASM parser (@posthog/hogql-parser, what the extension used before):
//   (a) a typical ~2 KB function (scripts/typicalHog.mjs) and (b) the corpus's 40 KB program:
//       first check (cold) and the median of warm checks (after 30 unmeasured ones, for both parsers);
//   (c) an edit typed into every statement line of the typical function (an unclosed call): our check's
//       time per keystroke-version, and whether the error is reported in that statement.
// Prints one JSON object.
//
//   node scripts/bench-hog.mjs [--runs N] [--warmup N]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { typicalFunction } from './typicalHog.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 30);
/** Checks before measuring "warm": the editor re-checks on every pause in typing, so JIT-compiled code is what users meet after the first few. */
const WARMUP = arg('--warmup', 30);

const findingsPath = path.join(root, 'out', 'src', 'language', 'findings.js');
if (!fs.existsSync(findingsPath)) {
  console.error('bench-hog: out/src/language/findings.js is missing; run `npx tsc -p .` first');
  process.exit(1);
}
const { hogFindings } = require(findingsPath);
const { parseProgram } = require(path.join(root, 'out', 'src', 'hog', 'parser.js'));
const createHogQLParser = require('@posthog/hogql-parser');

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: round(at(0.5)), p90: round(at(0.9)), min: round(s[0]), max: round(s[s.length - 1]), runs: s.length };
};
const round = (x) => Math.round(x * 100) / 100;
const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

/** Cold (first in this process for this text) and warm timings of `fn(code)` (after WARMUP runs). */
function measure(fn, code) {
  const cold = time(() => fn(code));
  for (let i = 0; i < WARMUP; i++) fn(code);
  const warm = [];
  for (let i = 0; i < RUNS; i++) warm.push(time(() => fn(code)));
  return { coldMs: round(cold), warm: stats(warm) };
}

const typical = typicalFunction();
const large = fs.readFileSync(path.join(root, 'test', 'hog', 'corpus', 'valid', 'real_transform_locale_enrichment_large.hog'), 'utf8');

const wasm = await (async () => {
  const t = performance.now();
  const parser = await createHogQLParser.default();
  return { parser, initMs: round(performance.now() - t) };
})();

const result = {
  runs: RUNS,
  warmup: WARMUP,
  ours: {
    what: 'parse (src/hog) + lints, as diagnostics.ts runs them on the extension host',
    typical: { bytes: Buffer.byteLength(typical), ...measure(hogFindings, typical) },
    large: { bytes: Buffer.byteLength(large), ...measure(hogFindings, large) },
    parseOnlyLarge: measure((c) => parseProgram(c), large),
  },
  wasm: {
    what: "PostHog's parser (@posthog/hogql-parser 1.3.87, WASM), parse only",
    initMs: wasm.initMs,
    typical: { bytes: Buffer.byteLength(typical), ...measure((c) => wasm.parser.parseProgram(c), typical) },
    large: { bytes: Buffer.byteLength(large), ...measure((c) => wasm.parser.parseProgram(c), large) },
  },
};

// (c) An unclosed call typed at the end of each statement line: one check per version, as after a debounce.
const lines = typical.split('\n');
const perEdit = [];
let reportedInPlace = 0;
let edits = 0;
for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  if (!/\)\s*$/.test(line) || line.trim().startsWith('//')) continue;
  const broken = [...lines.slice(0, i), `${line.replace(/\)\s*$/, '')}(`, ...lines.slice(i + 1)].join('\n');
  const started = performance.now();
  const findings = hogFindings(broken);
  perEdit.push(performance.now() - started);
  edits++;
  const lineStart = lines.slice(0, i).join('\n').length + (i > 0 ? 1 : 0);
  const errors = findings.filter((f) => f.severity === 'error');
  // Reported in place: an error on that line (the unclosed bracket) or pointing back to it by line number.
  if (errors.some((f) => (f.start >= lineStart && f.start <= lineStart + line.length + 1) || f.message.includes(`opened at ${i + 1}:`))) reportedInPlace++;
}
result.ours.typedErrors = { edits, reportedInPlace, checkMs: stats(perEdit) };

// (d) Issue 16: compile the typical function to PostHog's bytecode (parse + compile, what `hog compile`
//     and a local run do), and run it as a destination on an event with fetch mocked (inputs compiled and
//     evaluated first, then the code in @posthog/hogvm) — in this thread, as the runner's worker does.
const { compileProgram } = require(path.join(root, 'out', 'src', 'hog', 'compiler', 'compiler.js'));
const { STL_ARITY } = require(path.join(root, 'out', 'src', 'hog', 'compiler', 'stl.js'));
const { runHogFunction } = require(path.join(root, 'out', 'src', 'hog', 'runner', 'run.js'));
const compile = (c) => compileProgram(parseProgram(c).program, { stl: STL_ARITY });
const globals = JSON.parse(fs.readFileSync(path.join(root, 'test', 'hog', 'functions', 'pageview.event.json'), 'utf8'));
const runRequest = {
  type: 'destination',
  code: typical,
  inputs: {
    url: { value: 'https://hooks.example.com/{project.id}' },
    token: { value: 'secret-token', secret: true },
    headers: { value: { Authorization: 'Bearer {inputs.token}', 'X-Source': 'posthog {event.event}' } },
    method: { value: 'POST' },
    debug: { value: true },
    allowed_events: { value: [] },
    tags: { value: 'Web,Signup' },
  },
  globals,
  fetch: 'mock',
};
const first = await runHogFunction(runRequest);
if (first.status !== 'success') throw new Error(`the typical function failed to run: ${JSON.stringify(first.problems)}`);
const runTimes = [];
for (let i = 0; i < WARMUP; i++) await runHogFunction(runRequest);
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  await runHogFunction(runRequest);
  runTimes.push(performance.now() - t);
}
result.compiler = {
  what: "parse + compile to PostHog's bytecode (src/hog/compiler)",
  typical: { bytes: Buffer.byteLength(typical), bytecodeItems: compile(typical).bytecode.length, ...measure(compile, typical) },
  large: { bytes: Buffer.byteLength(large), ...measure(compile, large) },
  runTypical: {
    what: 'runHogFunction: compile code and inputs, evaluate inputs, run with fetch mocked',
    fetches: first.fetches.length,
    ops: first.stats.ops,
    warm: stats(runTimes),
  },
};

console.log(JSON.stringify(result));
