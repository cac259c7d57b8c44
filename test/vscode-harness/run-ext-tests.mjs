#!/usr/bin/env node
// Runs VS Code extension integration tests (`--extensionTestsPath` semantics) inside code-server's Node
// extension host and exits with the tests' exit code.
//
// It accepts the flags @vscode/test-electron passes to a VS Code executable, so it is a drop-in
// "VS Code executable":
//   runTests({ vscodeExecutablePath: '<abs>/test/vscode-harness/run-ext-tests.mjs', ... })   (@vscode/test-electron)
//   useInstallation: { fromPath: '<abs>/test/vscode-harness/run-ext-tests.mjs' }              (@vscode/test-cli)
//   node test/vscode-harness/run-ext-tests.mjs --extensionDevelopmentPath=$PWD --extensionTestsPath=$PWD/out/test/integration/index.js [folder]
//
// Environment (all optional):
//   HARNESS_SETTINGS_JSON  JSON object written as user settings (over the harness defaults)
//   HARNESS_EXT_ENV_JSON   JSON object of extra environment variables for the extension host
//                          (everything else in this process's environment is inherited as well)
//   HARNESS_TIMEOUT_MS     overall deadline (default 300000)
//   HARNESS_SCREENSHOT     path of a PNG taken when the tests finish
//   HARNESS_LOG_DIR        directory that receives code-server.log, console.log and the exthost log
//   HARNESS_VERBOSE=1      echo all page-console lines (workbench noise included)
//   HARNESS_KEEP=1 / E2E_KEEP=1  keep the run directory (/tmp/phh-it-*)
//   HARNESS_HEADED=1       headed Chromium when DISPLAY is set
import fs from 'node:fs';
import path from 'node:path';
import { startCodeServer, launchBrowser, workbenchUrl, collectConsole, makeRunDir, removeRunDir, findExtHostLogs, tailFile } from './harness.mjs';

const log = (msg) => console.error(`[run-ext-tests] ${msg}`);
const VALUE_FLAGS = new Set(['--user-data-dir', '--extensions-dir', '--locale', '--profile', '--log', '--crash-reporter-directory']);

const devPaths = [];
const ignored = [];
let testsPath, folder;
let screenshot = process.env.HARNESS_SCREENSHOT;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
  const value = () => inline ?? argv[++i];
  if (flag === '--extensionDevelopmentPath') devPaths.push(path.resolve(value()));
  else if (flag === '--extensionTestsPath') testsPath = path.resolve(value());
  else if (flag === '--screenshot') screenshot = value();
  else if (VALUE_FLAGS.has(flag))
    ignored.push(`${flag}=${value()}`); // desktop-only: the harness uses its own run directory
  else if (a.startsWith('-'))
    ignored.push(a); // electron/desktop-only switches (--no-sandbox, --disable-updates, ...)
  else folder = path.resolve(a);
}
if (!testsPath || !devPaths.length) {
  console.error('usage: run-ext-tests.mjs --extensionDevelopmentPath=<dir> --extensionTestsPath=<runner.js> [workspace folder | .code-workspace]');
  process.exit(2);
}
if (process.env.HARNESS_VERBOSE && ignored.length) log(`ignoring desktop flags: ${ignored.join(' ')}`);

function parseJsonEnv(name) {
  const raw = process.env[name];
  if (!raw) return {};
  try {
    const v = JSON.parse(raw);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {
    /* reported below */
  }
  console.error(`${name} must be a JSON object`);
  process.exit(2);
}
const settings = parseJsonEnv('HARNESS_SETTINGS_JSON');
const extEnv = Object.fromEntries(Object.entries(parseJsonEnv('HARNESS_EXT_ENV_JSON')).map(([k, v]) => [k, String(v)]));

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const runDir = makeRunDir('phh-it-');
let code = 1;
let cs, ctx, consoleLog;
try {
  cs = await startCodeServer({ runDir, folder, env: extEnv, settings });
  log(`code-server up at ${cs.url} after ${secs()} (run dir ${runDir})`);
  ctx = await launchBrowser(path.join(runDir, 'chrome'), { home: path.join(runDir, 'home') });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  let finish;
  const exited = new Promise((resolve) => (finish = resolve));
  // VS Code calls window.codeAutomationExit(code) when the extensionTestsPath runner settles.
  await page.exposeFunction('codeAutomationExit', (c) => finish(typeof c === 'number' ? c : 1));
  consoleLog = collectConsole(page, path.join(runDir, 'console.log'), {
    // The extension host's console.log reaches the page as an INFO log line: print those bare (test output).
    echo: (level, text) => (level === 'INFO' || level === 'exthost' ? console.log(text) : console.log(`[${level}] ${text}`)),
  });
  page.on('crash', () => finish('crash'));
  await page.goto(workbenchUrl(cs.url, { folder, extensionDevelopmentPath: devPaths, extensionTestsPath: testsPath }));
  page.waitForSelector('.monaco-workbench', { timeout: 60000 }).then(
    () => log(`workbench rendered after ${secs()}`),
    () => {},
  );
  const timeoutMs = Number(process.env.HARNESS_TIMEOUT_MS || 300000);
  let timer;
  const result = await Promise.race([
    exited,
    new Promise((r) => {
      timer = setTimeout(() => r('timeout'), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (screenshot) await page.screenshot({ path: screenshot }).catch((e) => log(`screenshot failed: ${e.message}`));
  if (result === 'timeout') log(`timed out after ${timeoutMs} ms waiting for the tests to finish`);
  else if (result === 'crash') log('the workbench page crashed');
  code = typeof result === 'number' ? result : 1;
  log(`tests finished with exit code ${code} after ${secs()}`);
} catch (e) {
  log(`error: ${e.stack || e}`);
  code = 1;
} finally {
  await ctx?.close().catch(() => {});
  await cs?.stop();
  await consoleLog?.close();
  const logDir = process.env.HARNESS_LOG_DIR;
  if (logDir) {
    fs.mkdirSync(logDir, { recursive: true });
    const copy = (from, name) => {
      try {
        fs.copyFileSync(from, path.join(logDir, name));
      } catch {
        /* not written */
      }
    };
    copy(path.join(runDir, 'code-server.log'), 'integration-code-server.log');
    copy(path.join(runDir, 'console.log'), 'integration-console.log');
    findExtHostLogs(runDir).forEach((f, i) => copy(f, `integration-exthost${i ? i + 1 : ''}.log`));
  }
  if (code !== 0) {
    const csTail = tailFile(path.join(runDir, 'code-server.log'), 25);
    if (csTail) console.error(`--- last lines of code-server.log ---\n${csTail}`);
  }
  const removed = removeRunDir(runDir);
  log(`exit ${code} after ${secs()}${removed ? '' : ` (kept ${runDir})`}`);
}
process.exit(code);
