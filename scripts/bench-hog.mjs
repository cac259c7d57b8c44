// Benchmarks the Hog language support outside VS Code, with the compiled client (out/, run `npx tsc -p .` first)
// and the real WASM parser in its worker:
//   (a) request → diagnostics for a typical 2 KB function: worker parse (cold start, then warm edits) plus the
//       lints that run on the main thread, i.e. everything diagnostics.ts does before publishing;
//   (a') the quick check diagnostics.ts publishes first: planChunk on the main thread against the last
//       error-free version, then the changed statements parsed in a second worker (+ lints of the whole text),
//       for an error typed into every statement line of the typical function and for its fix; and the same
//       for an edit in the middle of the 40 KB program while that worker is cold and the full parse runs;
//   (b) the worst event-loop delay on the main thread (perf_hooks.monitorEventLoopDelay) while a 40 KB program
//       is parsed through the client: this is what the extension host would feel;
//   (c) the size of dist/extension.js against dist/hogParserWorker.js (as last built; --build rebuilds them with
//       --production and runs the benchmark on the bundled worker).
// Prints one JSON object.
//
//   node scripts/bench-hog.mjs [--runs N] [--timeout MS] [--build]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { typicalFunction } from './typicalHog.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 7);
const LARGE_TIMEOUT_MS = arg('--timeout', 180_000);

if (process.argv.includes('--build')) {
  const r = spawnSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const clientPath = path.join(root, 'out', 'src', 'language', 'hogParserClient.js');
const languageOut = (m) => path.join(root, 'out', 'src', 'language', `${m}.js`);
if (!fs.existsSync(clientPath)) {
  console.error('bench-hog: out/src/language/hogParserClient.js is missing; run `npx tsc -p .` first');
  process.exit(1);
}
const { HogParserClient } = require(clientPath);
const { combineFindings } = require(languageOut('parserMessages'));
const { scanHog } = require(languageOut('scanner'));
const { planQuickCheck } = require(path.join(root, 'out', 'src', 'language', 'incremental.js'));
const DEFAULT_DEBOUNCE_MS = 150; // src/language/diagnostics.ts DEFAULT_DEBOUNCE_MS

// With --build, the bundle that ships; otherwise the tsc output of the same code (dist/ may be stale).
const workerPath = process.argv.includes('--build') ? path.join(root, 'dist', 'hogParserWorker.js') : path.join(root, 'out', 'src', 'language', 'parserWorker.js');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const ms = (x) => Math.round(x * 10) / 10;

/** What diagnostics.ts does for one document version: parse and lint in the worker (lint: true). */
async function requestToDiagnostics(client, key, version, code, timeoutMs) {
  const started = performance.now();
  const outcome = await client.parse({ key, version, code, timeoutMs, lint: true });
  if (outcome.kind === 'parsed' && !outcome.findings) throw new Error('the worker did not lint');
  return { outcome, totalMs: performance.now() - started };
}

/** CPU time of the lints alone, as they would cost on the main thread (the fallback when the worker fails). */
function lintCpuMs(code) {
  const before = process.cpuUsage();
  combineFindings(code, [], scanHog(code));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * The quick check of diagnostics.ts for `code` after `base`: plan on this thread, then in the quick worker
 * parse the region (or, for brackets that do not add up, only lint).
 */
async function quickCheck(quick, key, version, base, code) {
  const started = performance.now();
  const plan = planQuickCheck(base, code);
  const planMs = performance.now() - started;
  if (!plan) return { planned: false, planMs };
  const job = plan.kind === 'parse' ? { range: plan.chunk } : { skipParse: true };
  const outcome = await quick.parse({ key, version, code, lint: true, timeoutMs: 3000, ...job });
  if (outcome.kind !== 'parsed' || !outcome.findings) throw new Error(`quick parse: ${JSON.stringify(outcome)}`);
  const errors = plan.kind === 'parse' ? outcome.errors.length : 1;
  const chunkChars = plan.kind === 'parse' ? plan.chunk.end - plan.chunk.start : 0;
  return { planned: true, kind: plan.kind, planMs, chunkChars, errors, totalMs: performance.now() - started };
}

const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: ms(median(s)), p90: ms(s[Math.min(s.length - 1, Math.floor(s.length * 0.9))]), max: ms(s[s.length - 1]), runs: s.length };
};

const client = new HogParserClient({ workerPath, timeoutMs: LARGE_TIMEOUT_MS });
const quick = new HogParserClient({ workerPath, timeoutMs: LARGE_TIMEOUT_MS });
const result = {
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', loadavg: os.loadavg().map(ms) },
  worker: path.relative(root, workerPath),
};

// (a) typical 2 KB function
{
  const code = typicalFunction();
  const cold = await requestToDiagnostics(client, 'typical.hog', 0, code);
  if (cold.outcome.kind !== 'parsed') throw new Error(`cold parse: ${JSON.stringify(cold.outcome)}`);
  const warm = [];
  for (let i = 1; i <= RUNS; i++) {
    // Each run is a new version with a small edit, as when typing.
    warm.push(await requestToDiagnostics(client, 'typical.hog', i, `${code}print(${i})\n`));
  }
  result.typical2KB = {
    bytes: code.length,
    coldRequestToDiagnosticsMs: ms(cold.totalMs),
    warmRequestToDiagnosticsMs: {
      median: ms(median(warm.map((w) => w.totalMs))),
      min: ms(Math.min(...warm.map((w) => w.totalMs))),
      max: ms(Math.max(...warm.map((w) => w.totalMs))),
      runs: RUNS,
    },
    warmParseMsMedian: ms(median(warm.map((w) => (w.outcome.kind === 'parsed' ? w.outcome.parseMs : NaN)))),
    lintCpuMs: ms(lintCpuMs(code)),
  };

  // (a') quick checks: the base is the error-free version with its outline, as after the first full check.
  const parsed = await client.parse({ key: 'typical.hog', version: 100, code, lint: true, outline: true });
  if (parsed.kind !== 'parsed' || !parsed.outline) throw new Error('no outline for the typical function');
  const base = { text: code, outline: parsed.outline };
  await quickCheck(quick, 'warmup.hog', 0, base, code.replace('return null\n}', 'return nul\n}')); // starts the quick worker
  const lines = code.split('\n');
  const errorRuns = [];
  const fixRuns = [];
  let notPlanned = 0;
  let missed = 0;
  let version = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!/[a-z]/.test(line) || line.startsWith('//')) continue; // braces, blank lines, comments
    // Two typos per statement line, each followed by its fix: `let :=` typed before the code (an error in
    // every statement of this function: a stray operator alone might not be, `*` is an expression in HogQL)
    // and an unclosed call at the end.
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    for (const typo of [`${indent}let := ${line.slice(indent.length)}`, `${line} max(`]) {
      const broken = [...lines.slice(0, i), typo, ...lines.slice(i + 1)].join('\n');
      const typed = await quickCheck(quick, 'typical.hog', version++, base, broken);
      const fixed = await quickCheck(quick, 'typical.hog', version++, base, code);
      for (const [run, into] of [
        [typed, errorRuns],
        [fixed, fixRuns],
      ]) {
        if (!run.planned) notPlanned++;
        else into.push(run);
      }
      if (typed.planned && typed.errors === 0) missed++;
    }
  }
  const all = [...errorRuns, ...fixRuns];
  result.typical2KBQuick = {
    edits: errorRuns.length + fixRuns.length + notPlanned,
    fellBackToFullParse: notPlanned,
    unbalancedBrackets: all.filter((r) => r.kind === 'unbalanced').length,
    errorsNotFound: missed,
    regionCharsForTypedErrors: summary(errorRuns.filter((r) => r.kind === 'parse').map((r) => r.chunkChars)),
    planMs: summary(all.map((r) => r.planMs)),
    requestToDiagnosticsMs: summary(all.map((r) => r.totalMs)),
    typingStopsToDiagnosticsMs: summary(all.map((r) => r.totalMs + DEFAULT_DEBOUNCE_MS)),
    debounceMs: DEFAULT_DEBOUNCE_MS,
  };
}

// (b) 40 KB program: event-loop delay on this thread while the worker parses. The same histogram over an idle
// period of 3 s is the baseline: on a loaded machine it is not zero either.
{
  const idle = monitorEventLoopDelay({ resolution: 10 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  idle.disable();

  let code = '';
  for (let i = 0; code.length < 40_000; i++) code += typicalFunction(`_${i}`);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const run = await requestToDiagnostics(client, 'large.hog', 1, code, LARGE_TIMEOUT_MS);
  histogram.disable();

  // An edit in the middle of the large program while its full parse runs, as in the editor: the quick
  // worker is restarted first, so its cold start is included.
  const baseRun = await client.parse({ key: 'large.hog', version: 2, code, lint: true, outline: true, timeoutMs: LARGE_TIMEOUT_MS });
  if (baseRun.kind !== 'parsed' || !baseRun.outline) throw new Error('no outline for the large program');
  const middle = code.indexOf('headers_', code.length >> 1);
  const edited = `${code.slice(0, middle)}let := ${code.slice(middle)}`;
  quick.dispose();
  const coldQuick = new HogParserClient({ workerPath, timeoutMs: LARGE_TIMEOUT_MS });
  const fullRun = client.parse({ key: 'large.hog', version: 3, code: edited, lint: true, timeoutMs: LARGE_TIMEOUT_MS });
  const quickCold = await quickCheck(coldQuick, 'large.hog', 3, { text: code, outline: baseRun.outline }, edited);
  const quickWarm = await quickCheck(coldQuick, 'large.hog', 4, { text: code, outline: baseRun.outline }, `${code.slice(0, middle)}x${code.slice(middle)}`);
  const full = await fullRun;
  coldQuick.dispose();
  result.large40KB = {
    bytes: code.length,
    outcome: run.outcome.kind,
    requestToDiagnosticsMs: ms(run.totalMs),
    parseMs: run.outcome.kind === 'parsed' ? ms(run.outcome.parseMs) : null,
    lintCpuMs: ms(Math.min(lintCpuMs(code), lintCpuMs(code), lintCpuMs(code))),
    eventLoopDelayMs: { max: ms(histogram.max / 1e6), p99: ms(histogram.percentile(99) / 1e6), mean: ms(histogram.mean / 1e6) },
    idleBaselineEventLoopDelayMs: { max: ms(idle.max / 1e6), p99: ms(idle.percentile(99) / 1e6), mean: ms(idle.mean / 1e6) },
    quickCheckDuringFullParse: {
      planned: quickCold.planned,
      chunkChars: quickCold.chunkChars,
      coldWorkerRequestToDiagnosticsMs: ms(quickCold.totalMs),
      warmRequestToDiagnosticsMs: ms(quickWarm.totalMs),
      errorsFound: quickCold.errors,
      fullParseMs: full.kind === 'parsed' ? ms(full.parseMs) : full.kind,
    },
  };
}
client.dispose();

// (c) bundle sizes
const size = (f) => (fs.existsSync(path.join(root, f)) ? fs.statSync(path.join(root, f)).size : null);
result.bundles = { 'dist/extension.js': size('dist/extension.js'), 'dist/hogParserWorker.js': size('dist/hogParserWorker.js') };
result.clientStats = client.stats;
result.quickClientStats = quick.stats;

console.log(JSON.stringify(result, null, 2));
