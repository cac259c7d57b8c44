#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failing stage:
//   1. lint            npx eslint --max-warnings 0 . && npx prettier --check .
//   2. typecheck+unit  npx tsc -p . && node --test out/test/unit/
//   3. grammar         node scripts/test-grammar.mjs   (skipped, with a message, if the script is missing)
//   4. e2e             node scripts/test-e2e.mjs       (real VS Code: integration tests + UI journeys)
// Output is streamed. The last line is `N passed, N failed`, summing what each stage reports
// (node:test's `# pass N` / `# fail N`; the other runners' `<name>: N passed, N failed`). A stage that
// reports no counts (lint, a bare tsc) counts as one check. Exit code 1 on any failure.
//
// TEST_SKIP=lint,e2e skips stages by name (lint, unit, grammar, e2e, package).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SKIP = new Set(
  (process.env.TEST_SKIP || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const NPX = 'npx';

const STAGES = [
  {
    name: 'lint',
    steps: [
      [NPX, ['eslint', '--max-warnings', '0', '.']],
      [NPX, ['prettier', '--check', '.']],
    ],
  },
  {
    name: 'unit',
    label: 'typecheck+unit',
    steps: [
      [NPX, ['tsc', '-p', '.']],
      [process.execPath, ['--test', 'out/test/unit/']],
    ],
  },
  { name: 'grammar', steps: [[process.execPath, ['scripts/test-grammar.mjs']]], requires: 'scripts/test-grammar.mjs' },
  { name: 'e2e', steps: [[process.execPath, ['scripts/test-e2e.mjs']]] },
  // The packaged .vsix: contents, install into code-server, activation.
  { name: 'package', steps: [[process.execPath, ['scripts/package-check.mjs']]] },
];

const T0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
let child = null;
let interrupted = null;
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = code;
    // Forwarded (a child that also got a terminal Ctrl+C directly ignores the repeat).
    child?.kill(signal);
  });
}

/** Counts parsed from a stage's output, line by line. */
class Counter {
  tapPass = null;
  tapFail = null;
  named = null; // last `<name>: N passed, N failed`
  buf = '';
  feed(chunk) {
    this.buf += chunk;
    const lines = this.buf.split('\n');
    this.buf = lines.pop();
    for (const raw of lines) this.line(raw);
  }
  line(raw) {
    // eslint-disable-next-line no-control-regex
    const l = raw.replace(/\x1b\[[0-9;]*m/g, '').trim();
    let m;
    if ((m = l.match(/^(?:#|ℹ)\s*pass (\d+)$/))) this.tapPass = (this.tapPass ?? 0) + Number(m[1]);
    else if ((m = l.match(/^(?:#|ℹ)\s*fail (\d+)$/))) this.tapFail = (this.tapFail ?? 0) + Number(m[1]);
    else if ((m = l.match(/^([\w .+/-]+): (\d+) passed, (\d+) failed\b/))) this.named = { passed: Number(m[2]), failed: Number(m[3]) };
  }
  end() {
    if (this.buf) this.line(this.buf);
    this.buf = '';
  }
  /** { passed, failed } or null if nothing was reported. */
  counts() {
    let passed = 0;
    let failed = 0;
    let any = false;
    if (this.tapPass !== null || this.tapFail !== null) {
      passed += this.tapPass ?? 0;
      failed += this.tapFail ?? 0;
      any = true;
    }
    if (this.named) {
      passed += this.named.passed;
      failed += this.named.failed;
      any = true;
    }
    return any ? { passed, failed } : null;
  }
}

function runStep(cmd, args, counter) {
  return new Promise((resolve) => {
    child = spawn(cmd, args, { cwd: ROOT, stdio: ['inherit', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } });
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      counter.feed(d.toString());
    });
    child.stderr.on('data', (d) => {
      process.stderr.write(d);
      counter.feed(d.toString());
    });
    child.on('error', (e) => {
      console.error(`${cmd}: ${e.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      child = null;
      counter.end();
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

const summary = [];
let passed = 0;
let failed = 0;
let ok = true;
for (const [i, stage] of STAGES.entries()) {
  const label = stage.label || stage.name;
  const header = `==> [${i + 1}/${STAGES.length}] ${label}`;
  if (SKIP.has(stage.name)) {
    console.log(`${header}: skipped (TEST_SKIP)`);
    summary.push(`${label.padEnd(16)} skipped (TEST_SKIP)`);
    continue;
  }
  if (stage.requires && !fs.existsSync(path.join(ROOT, stage.requires))) {
    console.log(`${header}: skipped — ${stage.requires} does not exist yet`);
    summary.push(`${label.padEnd(16)} skipped (${stage.requires} missing)`);
    continue;
  }
  const t = Date.now();
  const counter = new Counter();
  let code = 0;
  for (const [cmd, args] of stage.steps) {
    console.log(`${header}: ${path.basename(cmd) === path.basename(process.execPath) ? 'node' : cmd} ${args.join(' ')}`);
    code = await runStep(cmd, args, counter);
    if (code !== 0 || interrupted) break;
  }
  let counts = counter.counts();
  if (!counts) counts = code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  else if (code !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 }; // crashed / build error without a count
  passed += counts.passed;
  failed += counts.failed;
  const status = code === 0 ? 'ok' : `FAILED (exit ${code})`;
  summary.push(`${label.padEnd(16)} ${status.padEnd(16)} ${`${counts.passed} passed, ${counts.failed} failed`.padEnd(22)} ${secs(Date.now() - t)}`);
  if (code !== 0 || interrupted) {
    ok = false;
    const rest = STAGES.slice(i + 1).map((s) => s.label || s.name);
    if (rest.length) summary.push(`(not run: ${rest.join(', ')})`);
    break;
  }
}

console.log('');
console.log('──── npm test summary ────');
for (const l of summary) console.log(l);
console.log(`total ${secs(Date.now() - T0)}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(interrupted ?? (ok && failed === 0 ? 0 : 1));
