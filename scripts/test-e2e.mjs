#!/usr/bin/env node
// `npm run test:e2e`: the extension in a real VS Code (code-server 4.100.3 + Debian Chromium, see
// test/vscode-harness/ and test/README.md).
//   1. harness set-up (test/vscode-harness/setup.sh; a no-op when already installed)
//   2. build: `node esbuild.mjs` (dist/extension.js) and `npx tsc -p .` (out/: tests + stand-in)
//   3. integration: mocha suites out/test/integration/**/*.test.js inside the extension host, through
//      @vscode/test-electron runTests() with test/vscode-harness/run-ext-tests.mjs as the "VS Code executable",
//      against an in-process PostHog stand-in
//   4. journeys: test/e2e/journeys/*.journey.mjs, one child process each (fresh stand-in + code-server + Chromium)
//   5. summary: per suite, then `e2e: N passed, N failed`; exit 1 on any failure
//
// Environment:
//   E2E_SUITES=integration,journeys   which parts to run (default both)
//   E2E_GREP=<regex>                  only journeys whose file name or title matches
//   INTEGRATION_GREP=<regex>          mocha grep for the integration suites
//   E2E_SKIP_BUILD=1                  don't run esbuild/tsc (you built already)
//   E2E_KEEP=1                        keep run directories (/tmp/phh-*) for inspection
//   HARNESS_VERBOSE=1                 echo the workbench console and npm output
//   HARNESS_HEADED=1                  headed Chromium (needs DISPLAY)
//   HARNESS_DESKTOP=1                 integration tests in a desktop VS Code that @vscode/test-electron downloads
//                                     (needs internet + a display/xvfb); journeys still use the harness
//   E2E_EXTENSION_PATH / E2E_STANDIN_MODULE  test another extension folder / stand-in build (harness self-tests)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HARNESS = path.join(ROOT, 'test/vscode-harness');
const RUNNER = path.join(HARNESS, 'run-ext-tests.mjs');
const JOURNEY_LIB = path.join(ROOT, 'test/e2e/lib/journey.mjs');
const JOURNEYS_DIR = path.join(ROOT, 'test/e2e/journeys');
const ARTIFACTS = path.resolve(process.env.E2E_ARTIFACTS || path.join(ROOT, 'artifacts'));
const EXTENSION_PATH = path.resolve(process.env.E2E_EXTENSION_PATH || ROOT);
const STANDIN_MODULE = path.resolve(process.env.E2E_STANDIN_MODULE || path.join(ROOT, 'out/test/standin/server.js'));
const DESKTOP = process.env.HARNESS_DESKTOP === '1';
const SUITES = new Set(
  (process.env.E2E_SUITES || 'integration,journeys')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const DEMO_KEY = 'phx_demo_full_access';

const T0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const say = (msg) => console.log(`[test-e2e ${secs(Date.now() - T0)}] ${msg}`);
/** @type {{ suite: string, passed: number, failed: number, ms: number, note?: string }[]} */
const results = [];
let interrupted = null;

/** PIDs of our direct children (journey runners, and the run-ext-tests.mjs that test-electron spawned). */
function childPids() {
  const pids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) pids.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return pids;
}

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = { signal, code };
    say(`${signal}: stopping`);
    // Forward to our children (they clean up their own process groups and ignore a repeated signal,
    // e.g. when a terminal Ctrl+C reached them directly as well).
    for (const pid of childPids()) {
      try {
        process.kill(pid, signal);
      } catch {
        /* exited meanwhile */
      }
    }
  });
}

function finish() {
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log('');
  console.log('──── e2e summary ────');
  for (const r of results) {
    console.log(`${r.suite.padEnd(34)} ${`${r.passed} passed, ${r.failed} failed`.padEnd(22)} ${secs(r.ms).padStart(7)}${r.note ? `  ${r.note}` : ''}`);
  }
  console.log(`total ${secs(Date.now() - T0)}; artifacts in ${path.relative(process.cwd(), ARTIFACTS) || '.'}/`);
  if (interrupted) console.log(`interrupted by ${interrupted.signal}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(interrupted ? interrupted.code : failed > 0 || passed === 0 ? 1 : 0);
}

function fatal(suite, message) {
  console.error(`\n${message}`);
  results.push({ suite, passed: 0, failed: 1, ms: Date.now() - T0, note: message.split('\n')[0] });
  finish();
}

/** Runs a command with inherited stdio; resolves with its exit code (signals count as failure). */
function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
    child.on('error', (e) => {
      console.error(`${cmd}: ${e.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

// ------------------------------------------------------------------------------------------------ 1. harness
const needHarness = SUITES.has('journeys') || (SUITES.has('integration') && !DESKTOP);
if (needHarness) {
  const t = Date.now();
  const setup = spawnSync('bash', [path.join(HARNESS, 'setup.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) {
    console.error('\ntest/vscode-harness/setup.sh failed (its last lines above say why and what to run).');
    process.exit(1);
  }
  say(`harness ready (${secs(Date.now() - t)})`);
}

// ------------------------------------------------------------------------------------------------ 2. build
if (process.env.E2E_SKIP_BUILD !== '1') {
  let t = Date.now();
  if ((await run(process.execPath, ['esbuild.mjs'])) !== 0) fatal('build', 'build failed: node esbuild.mjs');
  say(`built dist/ (${secs(Date.now() - t)})`);
  t = Date.now();
  if ((await run('npx', ['tsc', '-p', '.'])) !== 0) fatal('build', 'build failed: npx tsc -p .');
  say(`compiled out/ (${secs(Date.now() - t)})`);
}
if (interrupted) finish();

// ------------------------------------------------------------------------------------------------ 3. integration
if (SUITES.has('integration')) {
  const suite = DESKTOP ? 'integration (desktop VS Code)' : 'integration (extension host)';
  const t = Date.now();
  const testsPath = path.join(ROOT, 'out/test/integration/index.js');
  const tmp = fs.mkdtempSync(path.join(process.env.HARNESS_TMP || '/tmp', 'phh-ws-'));
  const resultsFile = path.join(tmp, 'integration-results.json');
  const workspace = path.join(tmp, 'ws');
  fs.mkdirSync(workspace);
  let standIn;
  let note;
  try {
    if (!fs.existsSync(testsPath)) throw new Error(`${path.relative(ROOT, testsPath)} is missing (npx tsc -p . did not produce it)`);
    if (!fs.existsSync(STANDIN_MODULE)) throw new Error(`PostHog stand-in not built: ${STANDIN_MODULE}`);
    const { startStandIn } = require(STANDIN_MODULE);
    standIn = await startStandIn({ seed: 'demo' });
    say(`integration: stand-in at ${standIn.url}; running out/test/integration in ${DESKTOP ? 'a downloaded desktop VS Code' : 'code-server'}`);
    const { runTests } = require(path.join(ROOT, 'node_modules/@vscode/test-electron'));
    const extensionTestsEnv = {
      POSTHOG_HOST: standIn.url,
      POSTHOG_PERSONAL_API_KEY: DEMO_KEY,
      POSTHOG_STANDIN_URL: standIn.url,
      INTEGRATION_RESULTS_FILE: resultsFile,
      HARNESS_LOG_DIR: path.join(ARTIFACTS, 'logs'),
      ...(process.env.INTEGRATION_GREP ? { INTEGRATION_GREP: process.env.INTEGRATION_GREP } : {}),
    };
    await runTests({
      ...(DESKTOP ? {} : { vscodeExecutablePath: RUNNER }),
      extensionDevelopmentPath: EXTENSION_PATH,
      extensionTestsPath: testsPath,
      launchArgs: [workspace, ...(DESKTOP ? ['--disable-extensions'] : [])],
      extensionTestsEnv,
    });
  } catch (e) {
    note = e.message;
  } finally {
    await standIn?.close().catch(() => {});
  }
  let summary = null;
  try {
    summary = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    /* the runner never got to the end */
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  if (summary) {
    results.push({ suite, passed: summary.passed, failed: summary.failed, ms: Date.now() - t, note: summary.failed ? note : undefined });
  } else {
    results.push({ suite, passed: 0, failed: 1, ms: Date.now() - t, note: `did not run to completion: ${note ?? 'no results'}` });
  }
  say(`integration finished in ${secs(Date.now() - t)}`);
}
if (interrupted) finish();

// ------------------------------------------------------------------------------------------------ 4. journeys
if (SUITES.has('journeys')) {
  let files = fs.existsSync(JOURNEYS_DIR)
    ? fs
        .readdirSync(JOURNEYS_DIR)
        .filter((f) => f.endsWith('.journey.mjs'))
        .sort()
    : [];
  if (process.env.E2E_GREP) {
    const re = new RegExp(process.env.E2E_GREP, 'i');
    files = files.filter((f) => {
      if (re.test(f)) return true;
      const m = fs.readFileSync(path.join(JOURNEYS_DIR, f), 'utf8').match(/export const title\s*=\s*(['"`])(.*?)\1/);
      return Boolean(m && re.test(m[2]));
    });
    say(`E2E_GREP=${process.env.E2E_GREP}: ${files.length} journey(s)`);
  }
  if (!files.length) say('no journeys to run');
  for (const f of files) {
    if (interrupted) break;
    const name = f.replace(/\.journey\.mjs$/, '');
    const resultFile = path.join(ARTIFACTS, `.journey-${name}.json`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.rmSync(resultFile, { force: true });
    const t = Date.now();
    console.log('');
    say(`journey ${name}`);
    const code = await run(process.execPath, [JOURNEY_LIB, path.join(JOURNEYS_DIR, f)], {
      env: { ...process.env, E2E_RESULT_FILE: resultFile, E2E_EXTENSION_PATH: EXTENSION_PATH, E2E_STANDIN_MODULE: STANDIN_MODULE, E2E_ARTIFACTS: ARTIFACTS },
    });
    let timings = '';
    let error;
    try {
      const [r] = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
      timings = Object.entries(r.timings)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k.replace(/Ms$/, '')} ${secs(v)}`)
        .join(', ');
      error = r.error?.split('\n')[0];
      fs.rmSync(resultFile, { force: true });
    } catch {
      /* crashed before writing */
    }
    const ok = code === 0;
    results.push({ suite: `journey ${name}`, passed: ok ? 1 : 0, failed: ok ? 0 : 1, ms: Date.now() - t, note: ok ? timings && `(${timings})` : error || `exit code ${code}` });
  }
}

finish();
