// Real-VS-Code harness: code-server 4.100.3 (VS Code 1.100.3 server + web workbench) opened in Debian
// Chromium through playwright-core. The extension under test runs in the server's Node extension host.
//
// Used by run-ext-tests.mjs (headless integration tests) and test/e2e/lib/journey.mjs (UI journeys).
// Every process started here lives in its own process group and is killed with the group, also on
// SIGINT/SIGTERM/SIGHUP of the Node process that imported this module.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';

export const HARNESS_DIR = path.dirname(fileURLToPath(import.meta.url));
/** Node that runs code-server (and therefore the extension host). */
export const CS_NODE = process.env.CS_NODE || process.execPath;
export const CS_ENTRY = process.env.CS_ENTRY || path.join(HARNESS_DIR, 'node_modules/code-server/out/node/entry.js');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const VERBOSE = Boolean(process.env.HARNESS_VERBOSE);

/**
 * Settings every harness window starts with (the caller's settings win). They remove start-up noise
 * (welcome page, tips, telemetry, update and gallery checks) and make typing into Monaco deterministic
 * (no auto-closing brackets/quotes, no auto-indent, no suggestions accepted by Enter).
 */
export const DEFAULT_SETTINGS = Object.freeze({
  'workbench.startupEditor': 'none',
  // VS Code for the Web defaults to auto save after a delay: tests decide exactly when a document is saved.
  'files.autoSave': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoClosingOvertype': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.wordBasedSuggestions': 'off',
  'editor.parameterHints.enabled': false,
  'editor.minimap.enabled': false,
});

/** Page-console lines that are always present in this offline setup and say nothing about the test. */
export const CONSOLE_NOISE =
  /connection token|Creating a socket|Service Worker|service worker controller|builtin extensions cache|ChatSessionStore|same-origin iframe|allow-same-origin|copilot-instructions|Failed to load resource|open-vsx\.org|marketplace|ENOTFOUND|\[perf\]|webviewPreload|Long running operations|Ignoring the error while validating workspace folder|Extension Host Profiling|An iframe which has both/i;

// ------------------------------------------------------------------------------------------------ temp dirs

/**
 * Root for run directories. Kept short on purpose: VS Code creates UNIX sockets under TMPDIR and
 * socket paths are limited to ~107 bytes.
 */
export function tmpRoot() {
  const root = process.env.HARNESS_TMP || '/tmp';
  if (root.length > 40) console.warn(`[harness] HARNESS_TMP=${root} is long; UNIX socket paths (limit ~107 bytes) may overflow`);
  return root;
}

/** Creates a fresh, short run directory such as /tmp/phh-Ab12Cd. */
export function makeRunDir(prefix = 'phh-') {
  fs.mkdirSync(tmpRoot(), { recursive: true });
  return fs.mkdtempSync(path.join(tmpRoot(), prefix));
}

/** Removes a run directory unless E2E_KEEP/HARNESS_KEEP is set; returns true if it was removed. */
export function removeRunDir(runDir) {
  if (process.env.E2E_KEEP || process.env.HARNESS_KEEP) return false;
  try {
    fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  } catch (e) {
    console.error(`[harness] could not remove ${runDir}: ${e.message}`);
    return false;
  }
  return true;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Last `n` lines of a text file ('' if it does not exist). */
export function tailFile(file, n = 40) {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-n).join('\n');
  } catch {
    return '';
  }
}

// ------------------------------------------------------------------------------------------------ cleanup

const liveGroups = new Set(); // pgids of detached children we started
const cleanups = new Set(); // async cleanup functions (browsers, servers)
let handlersInstalled = false;
let shuttingDown = false;

/** True once a signal started the shutdown: callers should leave cleanup to the signal handler. */
export function isShuttingDown() {
  return shuttingDown;
}

/** Registers an async cleanup that also runs on SIGINT/SIGTERM/SIGHUP; returns an unregister function. */
export function onCleanup(fn) {
  installSignalHandlers();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

function groupAlive(pgid) {
  return killGroup(pgid, 0);
}

/** Runs all registered cleanups, newest first, each bounded by a deadline. Used on signals. */
export async function runCleanups() {
  const all = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of all) {
    await withTimeout(Promise.resolve().then(fn), 8000, 'cleanup').catch((e) => console.error(`[harness] ${e.message}`));
  }
}

function installSignalHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Last resort: whatever is still alive when this process exits dies with it.
  process.on('exit', () => {
    for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  });
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(signal, () => {
      if (shuttingDown) return; // terminal + parent may both deliver the signal
      shuttingDown = true;
      console.error(`[harness] ${signal}: cleaning up`);
      const hard = setTimeout(() => process.exit(code), 12000);
      hard.unref();
      runCleanups().finally(() => {
        for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
        process.exit(code);
      });
    });
  }
}

async function withTimeout(promise, ms, what) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` (sync or async, truthy = done) every `interval` ms until it holds or `timeout` passes. */
export async function waitUntil(check, { timeout = 30000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    // `what` may be a function: its text is made at the timeout (e.g. with the last value seen).
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// ------------------------------------------------------------------------------------------------ settings

/**
 * Keys the harness binds (with the default settings) so tests reach workbench commands without the
 * command palette: notifications are checked and cleared between steps, and a palette round trip per
 * check would be slow and would itself move the focus.
 */
export const HARNESS_KEYS = Object.freeze({
  clearNotifications: 'ctrl+alt+shift+f7',
  showNotifications: 'ctrl+alt+shift+f8',
  hideNotifications: 'ctrl+alt+shift+f9',
});

/** A HARNESS_KEYS chord as Playwright's keyboard.press wants it ('ctrl+alt+shift+f7' → 'Control+Alt+Shift+F7'). */
export function playwrightKey(chord) {
  const names = { ctrl: 'Control', alt: 'Alt', shift: 'Shift', meta: 'Meta' };
  return chord
    .split('+')
    .map((k) => names[k] ?? k.toUpperCase())
    .join('+');
}

/**
 * Writes `<runDir>/ud/User/settings.json` = DEFAULT_SETTINGS (unless defaults=false) + `settings`, and
 * with the defaults also keybindings.json with HARNESS_KEYS.
 */
export function writeUserSettings(runDir, settings = {}, { defaults = true } = {}) {
  const dir = path.join(runDir, 'ud', 'User');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'settings.json');
  fs.writeFileSync(file, JSON.stringify({ ...(defaults ? DEFAULT_SETTINGS : {}), ...settings }, null, 2) + '\n');
  if (defaults) {
    fs.writeFileSync(
      path.join(dir, 'keybindings.json'),
      JSON.stringify(
        [
          { key: HARNESS_KEYS.clearNotifications, command: 'notifications.clearAll' },
          { key: HARNESS_KEYS.showNotifications, command: 'notifications.showList' },
          { key: HARNESS_KEYS.hideNotifications, command: 'notifications.hideList' },
        ],
        null,
        2,
      ) + '\n',
    );
  }
  return file;
}

// ------------------------------------------------------------------------------------------------ code-server

/**
 * Starts code-server in its own process group and resolves once /healthz answers.
 * @param {object} o
 * @param {string} o.runDir      per-run directory (user data, extensions, logs, TMPDIR, HOME)
 * @param {string} [o.folder]    workspace folder to open
 * @param {object} [o.env]       extra environment; code-server's env is inherited by the extension host
 * @param {object} [o.settings]  user settings (merged over DEFAULT_SETTINGS unless o.defaultSettings === false)
 * @param {boolean} [o.isolateHome=true]  HOME/XDG_* inside runDir, so nothing lands in the real home directory
 * @returns {Promise<{proc, url, port, runDir, logFile, startedMs, stop: () => Promise<void>}>}
 */
export async function startCodeServer({ runDir, folder, env = {}, settings = {}, defaultSettings = true, extraArgs = [], isolateHome = true, timeoutMs = 60000 }) {
  installSignalHandlers();
  if (!fs.existsSync(CS_ENTRY)) throw new Error(`code-server is not installed (${CS_ENTRY} missing): run test/vscode-harness/setup.sh`);
  const t0 = Date.now();
  fs.mkdirSync(runDir, { recursive: true });
  const configFile = path.join(runDir, 'config.yaml');
  fs.writeFileSync(configFile, ''); // without --config code-server writes ~/.config/code-server/config.yaml with a password
  writeUserSettings(runDir, settings, { defaults: defaultSettings });
  const tmp = path.join(runDir, 't');
  const home = path.join(runDir, 'home');
  fs.mkdirSync(tmp, { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  const port = await freePort();
  const logFile = path.join(runDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const args = [
    CS_ENTRY,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--config',
    configFile,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    path.join(runDir, 'ud'),
    '--extensions-dir',
    path.join(runDir, 'exts'),
    ...(process.env.CS_EXTRA_ARGS ? process.env.CS_EXTRA_ARGS.split(' ').filter(Boolean) : []),
    ...extraArgs,
  ];
  if (folder) args.push(folder);
  const childEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(runDir, 'xdg-cache'),
    TMPDIR: tmp, // VS Code and git put vscode-ipc-*.sock here
    ...(isolateHome ? { HOME: home } : {}),
    ...env,
  };
  // Variables of our own harness are not meant for the extension host; `undefined` in `env` unsets a variable.
  for (const k of ['HARNESS_SETTINGS_JSON', 'HARNESS_EXT_ENV_JSON']) delete childEnv[k];
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const proc = spawn(CS_NODE, args, { env: childEnv, stdio: ['ignore', logFd, logFd], detached: true });
  fs.closeSync(logFd);
  liveGroups.add(proc.pid);
  let exited = null;
  proc.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}`;

  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      if (!groupAlive(proc.pid)) {
        liveGroups.delete(proc.pid);
        return;
      }
      killGroup(proc.pid, 'SIGTERM');
      // code-server + extension host usually leave within ~1 s; orphaned helpers stay in the group.
      await waitUntil(() => !groupAlive(proc.pid) || (exited && zombieOnly(proc.pid)), { timeout: 4000, interval: 50, what: 'code-server exit' }).catch(() => {});
      killGroup(proc.pid, 'SIGKILL');
      await waitUntil(() => !groupAlive(proc.pid) || zombieOnly(proc.pid), { timeout: 3000, interval: 50, what: 'code-server group to die' }).catch(() => {});
      liveGroups.delete(proc.pid);
    })());
  const unregister = onCleanup(stop);

  try {
    await waitUntil(
      async () => {
        if (exited) throw new Error(`code-server exited early (${exited.code ?? exited.signal}); see ${logFile}:\n${tailFile(logFile, 20)}`);
        try {
          return (await fetch(`${url}/healthz`)).ok;
        } catch {
          return false;
        }
      },
      { timeout: timeoutMs, interval: 100, what: `code-server /healthz (${logFile})` },
    );
  } catch (e) {
    await stop();
    unregister();
    throw e;
  }
  return {
    proc,
    url,
    port,
    runDir,
    logFile,
    startedMs: Date.now() - t0,
    stop: async () => {
      await stop();
      unregister();
    },
  };
}

/** True if every process left in the group is a zombie (dead, waiting for a reaper that may never come). */
function zombieOnly(pgid) {
  try {
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Workbench URL that opens `folder` and loads the extension(s) under development (and optionally runs tests). */
export function workbenchUrl(base, { folder, extensionDevelopmentPath = [], extensionTestsPath } = {}) {
  const payload = [];
  for (const p of [].concat(extensionDevelopmentPath)) payload.push(['extensionDevelopmentPath', `vscode-remote://remote${path.resolve(p)}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://remote${path.resolve(extensionTestsPath)}`]);
  const q = new URLSearchParams();
  if (folder && folder.endsWith('.code-workspace')) q.set('workspace', path.resolve(folder));
  else if (folder) q.set('folder', path.resolve(folder));
  else q.set('ew', 'true');
  if (payload.length) q.set('payload', JSON.stringify(payload));
  return `${base}/?${q}`;
}

/** The extension host's own log (written by the server); contains `ExtensionService#_doActivateExtension <id>` lines. */
export function findExtHostLogs(runDir) {
  const root = path.join(runDir, 'ud', 'logs');
  const out = [];
  const walk = (d) => {
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost\.log$/i.test(e.name)) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** Resolves when the server-side extension host log says the extension `id` was activated. */
export async function waitForActivation(runDir, id, { timeout = 60000 } = {}) {
  const needle = `_doActivateExtension ${id}`;
  return waitUntil(
    () =>
      findExtHostLogs(runDir).some((f) => {
        try {
          return fs.readFileSync(f, 'utf8').includes(needle);
        } catch {
          return false;
        }
      }),
    { timeout, interval: 100, what: `activation of ${id} (exthost log under ${runDir}/ud/logs)` },
  );
}

// ------------------------------------------------------------------------------------------------ browser

/**
 * Launches Debian Chromium (headless unless HARNESS_HEADED=1 and DISPLAY is set) with a persistent profile.
 * Signals are handled by this module (not by Playwright), so cleanup order stays ours.
 */
export async function launchBrowser(userDataDir, { headed = Boolean(process.env.HARNESS_HEADED && process.env.DISPLAY), viewport = { width: 1400, height: 900 }, home } = {}) {
  installSignalHandlers();
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium libkrb5-dev ripgrep`);
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: !headed,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-features=Translate,MediaRouter',
    ],
    viewport,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: { ...process.env, ...(home ? { HOME: home } : {}) }, // keeps ~/.config/chromium & co. out of the real home
  });
  const unregister = onCleanup(() => ctx.close());
  ctx.on('close', () => unregister());
  return ctx;
}

/**
 * Forwards the page console (workbench + extension-host console output) to `logFile`, echoing
 * lines that are not noise (everything with HARNESS_VERBOSE) through `echo`.
 * Returns { tail(n), lines, errors } (errors: the error-level lines, for the journeys' unexpected-error check).
 */
export function collectConsole(page, logFile, { echo = null, noise = CONSOLE_NOISE } = {}) {
  const lines = [];
  /** Lines logged at error level (console.error, the workbench's ERR, uncaught page errors). */
  const errors = [];
  const stream = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
  const t0 = Date.now();
  const push = (level, text, isError = false) => {
    const line = `[${((Date.now() - t0) / 1000).toFixed(1)}s] [${level}] ${text}`;
    lines.push(line);
    if (isError) errors.push({ level, text, line });
    if (lines.length > 2000) lines.splice(0, lines.length - 2000);
    stream?.write(line + '\n');
    if (echo && (VERBOSE || !noise.test(text))) echo(level, text);
  };
  page.on('console', async (m) => {
    let vals = await Promise.all(m.args().map((a) => a.jsonValue().catch(() => '<unserializable>')));
    let level = m.type();
    if (process.env.HARNESS_VERBOSE === '2') stream?.write(`raw ${JSON.stringify(vals)}\n`);
    // Workbench log lines: '%c LEVEL', 'css', fmt, ...args; extension-host lines: '%c[Extension Host] %c…', 'css', 'css', …
    if (typeof vals[0] === 'string' && vals[0].startsWith('%c')) {
      const fmt = vals[0];
      const css = (fmt.match(/%c/g) || []).length;
      if (/^%c\[Extension Host\]/.test(fmt)) {
        level = 'exthost';
        vals = [fmt.replace(/^%c\[Extension Host\] ?/, '').replace(/%c/g, ''), ...vals.slice(1 + css)];
      } else {
        level = fmt.replace(/%c/g, '').trim() || level;
        vals = vals.slice(1 + css);
      }
    }
    const text = vals.length ? util.format(...vals) : m.text();
    push(level, text, m.type() === 'error' || /^(ERR|error)$/i.test(level));
  });
  page.on('pageerror', (e) => push('pageerror', e.stack || String(e), true));
  return {
    lines,
    errors,
    tail: (n = 40) => lines.slice(-n).join('\n'),
    close: () => new Promise((r) => (stream ? stream.end(r) : r())),
  };
}
