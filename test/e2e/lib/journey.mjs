// Tiny UI-journey framework: per journey file a fresh PostHog stand-in + a fresh code-server (own run
// directory under a short TMPDIR) + a Chromium page, and a handful of helpers that know VS Code 1.100's DOM.
//
// A journey is `test/e2e/journeys/<name>.journey.mjs`:
//   export const title = 'What it proves';                       // optional
//   export const options = { signedIn: true, settings: {}, ... }; // optional, see DEFAULT_OPTIONS
//   export default async function (j) { await j.openView(); ... }
//
// Run one:  node test/e2e/lib/journey.mjs test/e2e/journeys/smoke.journey.mjs   (after `node esbuild.mjs && npx tsc -p .`)
// or all:   npm run test:e2e  (E2E_GREP=smoke to filter)
//
// Environment: E2E_KEEP=1 keep run dirs; HARNESS_VERBOSE=1 echo the page console; HARNESS_HEADED=1 headed
// Chromium (needs DISPLAY); E2E_JOURNEY_TIMEOUT_MS (default 180000); E2E_ACTION_TIMEOUT_MS (default 30000);
// E2E_EXTENSION_PATH (extension under test, default: repo root); E2E_STANDIN_MODULE (default
// out/test/standin/server.js); E2E_ARTIFACTS (default: <repo>/artifacts); E2E_RESULT_FILE (JSON results).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  startCodeServer,
  launchBrowser,
  workbenchUrl,
  collectConsole,
  makeRunDir,
  removeRunDir,
  onCleanup,
  findExtHostLogs,
  tailFile,
  waitUntil,
  isShuttingDown,
  VERBOSE,
  HARNESS_KEYS,
  playwrightKey,
} from '../../vscode-harness/harness.mjs';

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const EXTENSION_ID = 'posthog-hog-tools.posthog-hog';
export const DEMO_KEY = 'phx_demo_full_access';
const EXTENSION_PATH = path.resolve(process.env.E2E_EXTENSION_PATH || ROOT);
const STANDIN_MODULE = path.resolve(process.env.E2E_STANDIN_MODULE || path.join(ROOT, 'out/test/standin/server.js'));
const ARTIFACTS = path.resolve(process.env.E2E_ARTIFACTS || path.join(ROOT, 'artifacts'));
const VIEW_NAME = 'Hog Functions & Groups';
/** Environment variables that would sign the extension in; never inherited from the developer's shell. */
const SIGN_IN_VARS = ['POSTHOG_HOST', 'POSTHOG_PERSONAL_API_KEY'];

export const DEFAULT_OPTIONS = Object.freeze({
  /** true: POSTHOG_HOST=<stand-in> and POSTHOG_PERSONAL_API_KEY=phx_demo_full_access in code-server's env. */
  signedIn: true,
  /** Stand-in seed ('demo' | 'empty') and extra generated hog functions. */
  seed: 'demo',
  extraFunctions: 0,
  /** Extra group type "organizations" with N groups in project 1 (org-1 newest … org-N oldest). */
  extraGroups: 0,
  /** User settings (over the harness defaults in harness.mjs). */
  settings: {},
  /** Extra environment for code-server / the extension host. */
  env: {},
  /** Files created in the workspace folder: { 'relative/path': 'content' }. */
  files: {},
  /** Overall deadline for the journey function. */
  timeoutMs: Number(process.env.E2E_JOURNEY_TIMEOUT_MS || 180000),
  /**
   * Errors this journey provokes on purpose (string = substring, RegExp = pattern), matched against error
   * notifications, error-level console lines and extension-host errors. Anything else fails the journey.
   * `j.expectError(pattern)` adds one while the journey runs.
   */
  expectErrors: [],
});

/**
 * Error-level lines the workbench logs in this offline harness whatever the extension does. Each is
 * narrow on purpose: an error that is not here (or expected by the journey) fails the journey.
 */
export const WORKBENCH_ERROR_NOISE = [
  /Failed to load resource/i, // offline: marketplace, update and CDN requests
  /open-vsx\.org|marketplace|ENOTFOUND|getaddrinfo/i,
  /^console ERR: \[lifecycle\] Long running operations during shutdown are unsupported in the web/, // Reload Window in a browser
  /Unable to write file 'vscode-log:.*IndexedDB database 'vscode-web-db' is closed/, // Reload Window: the old page's log flush after its storage closed
];

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** string → exact (trimmed) match; RegExp → as is. */
const exact = (t) => (t instanceof RegExp ? t : new RegExp(`^\\s*${esc(t)}\\s*$`));

/**
 * Runs one journey file; never throws. Returns { name, title, ok, ms, error, timings }.
 */
export async function runJourney(file, { log = console.log } = {}) {
  const abs = path.resolve(file);
  const name = path
    .basename(abs)
    .replace(/\.journey\.mjs$/, '')
    .replace(/\.mjs$/, '');
  const t0 = Date.now();
  const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
  const step = (msg) => log(`[${secs()}s] [${name}] ${msg}`);
  const timings = {};
  const result = { name, title: name, ok: false, ms: 0, error: null, timings };
  let runDir, standIn, cs, ctx, page, consoleLog, notifications;
  /** Patterns of errors the journey expects (options.expectErrors + j.expectError). */
  const expected = [];
  const cleanupsDone = [];

  try {
    const mod = await import(pathToFileURL(abs).href);
    if (typeof mod.default !== 'function') throw new Error(`${file} must export a default async function (j) {...}`);
    result.title = mod.title || name;
    const opts = { ...DEFAULT_OPTIONS, ...(mod.options || {}) };
    step(`journey: ${result.title}`);

    // ---- stand-in
    if (!fs.existsSync(STANDIN_MODULE)) throw new Error(`PostHog stand-in not built: ${STANDIN_MODULE} (run npx tsc -p .)`);
    const { startStandIn } = require(STANDIN_MODULE);
    standIn = await startStandIn({ seed: opts.seed, extraFunctions: opts.extraFunctions, extraGroups: opts.extraGroups });
    const closeStandIn = () => standIn.close();
    cleanupsDone.push(onCleanup(closeStandIn));

    // ---- run dir + workspace
    runDir = makeRunDir('phh-');
    const workspace = path.join(runDir, 'ws');
    fs.mkdirSync(workspace, { recursive: true });
    for (const [rel, content] of Object.entries(opts.files)) {
      fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
      fs.writeFileSync(path.join(workspace, rel), content);
    }
    const dirToRemove = runDir;
    cleanupsDone.push(onCleanup(() => removeRunDir(dirToRemove))); // registered first, so on a signal it runs last

    // ---- code-server
    const env = { POSTHOG_STANDIN_URL: standIn.url, ...Object.fromEntries(SIGN_IN_VARS.map((k) => [k, undefined])) };
    if (opts.signedIn) Object.assign(env, { POSTHOG_HOST: standIn.url, POSTHOG_PERSONAL_API_KEY: DEMO_KEY });
    Object.assign(env, opts.env);
    cs = await startCodeServer({ runDir, folder: workspace, env, settings: opts.settings });
    timings.codeServerMs = cs.startedMs;
    step(`code-server up at ${cs.url} in ${(cs.startedMs / 1000).toFixed(1)}s (run dir ${runDir}); stand-in at ${standIn.url}`);

    // ---- browser
    ctx = await launchBrowser(path.join(runDir, 'chrome'), { home: path.join(runDir, 'home') });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(Number(process.env.E2E_ACTION_TIMEOUT_MS || 30000));
    consoleLog = collectConsole(page, path.join(runDir, 'console.log'), {
      echo: VERBOSE ? (level, text) => log(`    [console ${level}] ${text}`) : null,
    });
    expected.push(...[].concat(opts.expectErrors));
    notifications = await watchNotifications(page);
    const tNav = Date.now();
    await page.goto(workbenchUrl(cs.url, { folder: workspace, extensionDevelopmentPath: EXTENSION_PATH }));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60000 });
    timings.workbenchMs = Date.now() - t0;
    step(`workbench rendered (${((Date.now() - tNav) / 1000).toFixed(1)}s after navigation)`);

    const j = makeJourneyApi({ name, page, standIn, cs, runDir, workspace, step, t0, timings, expected, notifications, consoleLog });
    let timer;
    await Promise.race([
      mod.default(j),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`journey timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    // Errors surface a moment after the action that caused them: let the last ones reach the log.
    await notifications.scanNow();
    const unexpected = unexpectedErrors({ consoleLog, notifications, runDir, expected });
    if (unexpected.length) {
      throw new Error(
        `the workbench showed ${unexpected.length} error(s) the journey did not expect ` +
          `(name them in options.expectErrors or with j.expectError if they are on purpose):\n${unexpected.map((e) => `  - ${e}`).join('\n')}`,
      );
    }
    result.ok = true;
    step('passed');
  } catch (e) {
    if (isShuttingDown()) await new Promise(() => {}); // interrupted: the signal handler cleans up and exits
    result.error = e?.stack || String(e);
    log(`[${secs()}s] [${name}] FAILED: ${result.error}`);
    if (page) {
      const shot = path.join(ARTIFACTS, 'screenshots', `${name}-failure.png`);
      fs.mkdirSync(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot }).then(
        () => log(`  failure screenshot: ${shot}`),
        () => {},
      );
    }
    if (runDir) {
      const csTail = tailFile(path.join(runDir, 'code-server.log'), 30);
      if (csTail) log(`  --- code-server.log (last lines) ---\n${indent(csTail)}`);
    }
    if (consoleLog) log(`  --- page console (last lines) ---\n${indent(consoleLog.tail(30))}`);
    if (notifications?.all.length) log(`  --- notifications shown ---\n${indent(notifications.all.map((n) => `[${n.severity}] ${n.message}`).join('\n'))}`);
    const extLog = runDir && extensionLogFile(runDir);
    if (extLog) log(`  --- extension log ${path.basename(extLog)} (last lines) ---\n${indent(tailFile(extLog, 30))}`);
  } finally {
    // On Ctrl+C / SIGTERM the harness's signal handler stops everything (browser, code-server, run dir, stand-in).
    if (isShuttingDown()) await new Promise(() => {});
    if (runDir) timings.activationMs ??= activationOffsetMs(runDir, t0);
    await ctx?.close().catch(() => {});
    await cs?.stop();
    await consoleLog?.close();
    await standIn?.close().catch(() => {});
    if (runDir) {
      copyLogs(runDir, path.join(ARTIFACTS, 'logs', name));
      if (!removeRunDir(runDir)) log(`  kept run dir ${runDir} (E2E_KEEP)`);
    }
    for (const unregister of cleanupsDone) unregister();
    result.ms = Date.now() - t0;
  }
  return result;
}

/**
 * Records every notification the workbench shows (toasts and the notification center), across window
 * reloads: an init script reports each new (severity, message) pair to Node. Returns { all, scanNow }.
 */
async function watchNotifications(page) {
  const all = [];
  await page.exposeFunction('__phhNotification', (severity, message) => {
    all.push({ severity, message, at: Date.now() });
  });
  const script = () => {
    // Each toast element is one notification; the center re-renders rows, so a row only counts when its
    // (severity, message) was never recorded (a notification VS Code did not show as a toast).
    const toastsSeen = new WeakSet();
    const messagesSeen = new Set();
    const read = (item) => {
      const icon = item.querySelector('.notification-list-item-icon');
      const severity = icon?.classList.contains('codicon-error') ? 'error' : icon?.classList.contains('codicon-warning') ? 'warning' : 'info';
      return { severity, message: (item.querySelector('.notification-list-item-message')?.textContent ?? '').trim() };
    };
    const record = (severity, message) => {
      messagesSeen.add(`${severity}\u0000${message}`);
      window.__phhNotification(severity, message);
    };
    const scan = () => {
      for (const toast of document.querySelectorAll('.notifications-toasts .notification-toast')) {
        if (toastsSeen.has(toast)) continue;
        const item = toast.querySelector('.notification-list-item');
        if (!item) continue;
        const { severity, message } = read(item);
        if (!message) continue; // not rendered yet
        toastsSeen.add(toast);
        record(severity, message);
      }
      for (const item of document.querySelectorAll('.notifications-center .notification-list-item')) {
        const { severity, message } = read(item);
        if (message && !messagesSeen.has(`${severity}\u0000${message}`)) record(severity, message);
      }
    };
    window.__phhScanNotifications = scan;
    // After every notification was cleared, a message listed again in the center is a new one: a
    // repeated message VS Code shows only there (its toast held back) would otherwise never count.
    window.__phhForgetCenter = () => messagesSeen.clear();
    setInterval(scan, 100);
  };
  await page.addInitScript(script);
  await page.evaluate(script).catch(() => {}); // the page that is already loaded
  return {
    all,
    /** Index after the last notification a wait matched. */
    consumed: 0,
    /** Scans once more now (the interval may not have run since the last action). */
    scanNow: () => page.evaluate(() => window.__phhScanNotifications?.()).catch(() => {}),
  };
}

/** The text of each extension-host log of the run (unreadable ones skipped). */
function extHostLogTexts(runDir) {
  const texts = [];
  for (const f of findExtHostLogs(runDir)) {
    try {
      texts.push(fs.readFileSync(f, 'utf8'));
    } catch {
      // Rotated or not written yet: nothing to read.
    }
  }
  return texts;
}

/** Extension-host log lines at error level, and crashes of the extension host. */
function extHostErrors(runDir) {
  const out = [];
  for (const text of extHostLogTexts(runDir)) {
    for (const line of text.split('\n')) if (/\[error\]/.test(line)) out.push(`extension host: ${line.replace(/^\S+ \S+ \[error\] ?/, '')}`);
  }
  return out;
}

/** Every error the workbench showed that is neither harness noise nor expected by the journey. */
function unexpectedErrors({ consoleLog, notifications, runDir, expected }) {
  const matches = (text, p) => (p instanceof RegExp ? p.test(text) : text.includes(p));
  const wanted = (text) => expected.some((p) => matches(text, p));
  const noise = (text) => WORKBENCH_ERROR_NOISE.some((p) => matches(text, p));
  const found = [
    ...notifications.all.filter((n) => n.severity === 'error').map((n) => `error notification: ${n.message}`),
    ...consoleLog.errors.map((e) => `console ${e.level}: ${e.text.split('\n').slice(0, 3).join(' | ')}`),
    ...(runDir ? extHostErrors(runDir) : []),
  ];
  return [...new Set(found)].filter((text) => !noise(text) && !wanted(text));
}

function indent(s) {
  return s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** The extension's own LogOutputChannel file ("PostHog.log") written by the extension host, if any. */
function extensionLogFile(runDir) {
  for (const f of findExtHostLogs(runDir)) {
    const dir = path.join(path.dirname(f), EXTENSION_ID);
    try {
      const logs = fs.readdirSync(dir).filter((n) => n.endsWith('.log'));
      if (logs.length) return path.join(dir, logs[0]);
    } catch {
      /* not created */
    }
  }
  return null;
}

/** Text of every extension log file written so far (one per extension host: a window reload starts a new one). */
function extensionLogText(runDir) {
  const texts = [];
  for (const f of findExtHostLogs(runDir)) {
    const dir = path.join(path.dirname(f), EXTENSION_ID);
    let names = [];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.log'));
    } catch {
      /* not created */
    }
    for (const n of names) texts.push(fs.readFileSync(path.join(dir, n), 'utf8'));
  }
  return texts.join('\n');
}

function copyLogs(runDir, dest) {
  fs.mkdirSync(dest, { recursive: true });
  const copy = (from, to) => {
    try {
      fs.copyFileSync(from, path.join(dest, to));
    } catch {
      /* not written */
    }
  };
  copy(path.join(runDir, 'code-server.log'), 'code-server.log');
  copy(path.join(runDir, 'console.log'), 'console.log');
  findExtHostLogs(runDir).forEach((f, i) => copy(f, `exthost${i ? i + 1 : ''}.log`));
  const ext = extensionLogFile(runDir);
  if (ext) copy(ext, 'extension.log');
}

/** The error lines if the extension host logged that activating the extension failed, else null. */
function activationFailure(runDir) {
  for (const text of extHostLogTexts(runDir)) {
    const i = text.indexOf(`Activating extension ${EXTENSION_ID} failed`);
    if (i >= 0) return text.slice(i).split('\n').slice(0, 6).join('\n');
  }
  return null;
}

/** ms from journey start to the extension's activation according to the extension host log (or undefined). */
function activationOffsetMs(runDir, t0) {
  for (const text of extHostLogTexts(runDir)) {
    const m = text.match(new RegExp(`^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*_doActivateExtension ${esc(EXTENSION_ID)}`, 'm'));
    if (m) return new Date(m[1].replace(' ', 'T')).getTime() - t0; // local time, same clock
  }
  return undefined;
}

function makeJourneyApi({ name, page, standIn, cs, runDir, workspace, step, t0, timings, expected, notifications, consoleLog }) {
  const quickInput = page.locator('.quick-input-widget');
  const quickInputBox = quickInput.locator('.quick-input-box input');
  const quickRows = quickInput.locator('.quick-input-list .monaco-list-row');
  const toasts = page.locator('.notifications-toasts .notification-toast');
  const center = page.locator('.notifications-center');
  const keys = Object.fromEntries(Object.entries(HARNESS_KEYS).map(([k, chord]) => [k, playwrightKey(chord)]));
  const centerItems = center.locator('.notification-list-item');
  const activeEditor = page.locator('.part.editor .editor-group-container.active .editor-instance .monaco-editor').first();
  const requests = () => {
    const r = typeof standIn.requests === 'function' ? standIn.requests() : standIn.requests;
    return Array.isArray(r) ? r : [];
  };
  const describeRequest = (r) => `${r.method ?? '?'} ${r.path ?? r.url ?? ''}${r.status ? ` → ${r.status}` : ''}`;

  /** Signature of the quick input's current step, to notice when a multi-step flow moves on. */
  // null when no quick input shows. The element exists only once a quick input was first shown (after a
  // reload, not yet): counted first, and evaluate() is bounded, since on a missing element (a reload
  // replaced the page meanwhile) it waits for one (30 s by default).
  const quickSignature = async () =>
    (await quickInput.count()) === 0
      ? null
      : quickInput
          .evaluate(
            (el) => {
              if (window.getComputedStyle(el).display === 'none') return null;
              const q = (s) => el.querySelector(s)?.textContent ?? '';
              const input = el.querySelector('.quick-input-box input');
              return JSON.stringify([q('.quick-input-title'), input?.getAttribute('placeholder') ?? '', q('.quick-input-message'), input?.value ?? '']);
            },
            undefined,
            { timeout: 2000 },
          )
          .catch(() => null);

  const api = {
    name,
    page,
    standIn,
    runDir,
    workspace,
    codeServer: cs,
    assert,
    timings,

    /** Timestamped log line. */
    step,

    /** Names an error this journey provokes on purpose (substring or RegExp); see options.expectErrors. */
    expectError(pattern) {
      expected.push(pattern);
    },

    /** The errors so far that would fail the journey at its end (what the end-of-journey check sees). */
    async unexpectedErrors() {
      await notifications.scanNow();
      return unexpectedErrors({ consoleLog, notifications, runDir, expected });
    },

    /** Saves artifacts/screenshots/<journey>-<shotName>.png and returns the path. */
    async screenshot(shotName) {
      const file = path.join(ARTIFACTS, 'screenshots', `${name}-${shotName}.png`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file });
      step(`screenshot ${path.relative(ROOT, file)}`);
      return file;
    },

    /** Command palette: F1, `>PostHog: <title>`, picks exactly that row (a trailing "…" may be omitted), Enter. */
    async runCommand(title, { category = 'PostHog' } = {}) {
      const label = category ? `${category}: ${title}` : title;
      await page.keyboard.press('F1');
      await quickInputBox.waitFor({ state: 'visible' });
      await quickInputBox.fill(`>${label}`);
      const row = quickRows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${esc(label)}…?\\s*$`) }) }).first();
      await row.waitFor({ state: 'visible' });
      const before = await quickSignature();
      if (await row.evaluate((el) => el.classList.contains('focused'))) await page.keyboard.press('Enter');
      else await row.click();
      // The palette closes, or the command's own quick pick / input box replaces it right away.
      await waitUntil(
        async () => {
          const now = await quickSignature();
          return now === null || now !== before;
        },
        { timeout: 20000, interval: 50, what: `command palette to close after "${label}"` },
      );
      step(`ran command "${label}"`);
    },

    /**
     * Acts on the open quick pick / input box: `type` fills the input, `select` picks the row whose label
     * matches (string = exact label, RegExp = pattern; an array picks several in a multi-select), then accepts.
     * `expect` (string/RegExp) first waits for the title/placeholder/prompt to show that text.
     * Resolves when the quick input closed or moved on to another step.
     */
    async quickPick({ select, type, expect, accept = true } = {}) {
      await quickInput.waitFor({ state: 'visible' });
      if (expect) {
        // Title, placeholder, prompt/validation message and description — not the list rows.
        const shows = async () => {
          const text = await quickInput
            .evaluate((el) => {
              const input = el.querySelector('.quick-input-box input');
              return [...el.querySelectorAll('.quick-input-title, .quick-input-message, .quick-input-description')]
                .map((n) => n.textContent ?? '')
                .concat(input?.getAttribute('placeholder') ?? '', input?.getAttribute('aria-label') ?? '')
                .join('\n');
            })
            .catch(() => '');
          return expect instanceof RegExp ? expect.test(text) : text.includes(expect);
        };
        await waitUntil(shows, { timeout: 20000, interval: 50, what: `quick input showing ${expect}` });
      }
      if (type !== undefined) await quickInputBox.fill(type);
      const before = await quickSignature();
      let clickedSingle = false;
      if (select !== undefined) {
        const picks = [].concat(select);
        for (const s of picks) {
          const row = quickRows.filter({ has: page.locator('.label-name', { hasText: exact(s) }) }).first();
          await row.waitFor({ state: 'visible' });
          if (picks.length > 1 || (await quickInput.locator('.quick-input-list .monaco-checkbox, .quick-input-list input[type=checkbox]').count()) > 0) {
            // Toggle the row's checkbox and wait until the list shows it toggled: under load a click can
            // land while the list re-renders and be lost, and Enter would then accept the wrong set.
            const box = row.locator('.monaco-checkbox, input[type=checkbox]').first();
            const isChecked = () => box.evaluate((el) => el.classList.contains('checked') || el.checked === true || el.getAttribute('aria-checked') === 'true').catch(() => null);
            const was = await isChecked();
            for (let attempt = 0; attempt < 3; attempt++) {
              // The previous checkbox's hover can cover this one and swallow a pointer click: move the
              // mouse away and deliver the click to the checkbox itself.
              await page.mouse.move(1, 1);
              await box.dispatchEvent('click');
              const toggled = await waitUntil(
                async () => {
                  const now = await isChecked();
                  return now !== null && now !== was;
                },
                { timeout: 3000, interval: 50, what: `checkbox of ${s} to toggle` },
              ).then(
                () => true,
                () => false,
              );
              if (toggled) break;
            }
          } else {
            await row.click(); // single pick: a click accepts
            clickedSingle = true;
          }
        }
      }
      let accepted = clickedSingle;
      if (accept && !clickedSingle) {
        await page.keyboard.press('Enter');
        accepted = true;
      }
      if (accepted) {
        await waitUntil(
          async () => {
            const now = await quickSignature();
            return now === null || now !== before;
          },
          { timeout: 20000, interval: 50, what: `quick input to close or move on after ${JSON.stringify({ select: select?.toString(), type })}` },
        );
      }
      step(`quick pick ${JSON.stringify({ select: select?.toString(), type })}${accepted ? '' : ' (not accepted)'}`);
    },

    /**
     * Waits for a notification containing `text` and returns its locator, with its buttons. Looks at the
     * toasts first; a notification VS Code did not show as a toast (spam protection: at most 3 toasts in
     * 0.8 s; none while the notification center is open) or no longer shows is looked up in the
     * notification center, which then stays open until a button of it is clicked (clickNotificationButton)
     * or `closeNotificationCenter()`.
     */
    async waitForToast(text, { timeout = 20000 } = {}) {
      await api.closeNotificationCenter(); // while it is open, VS Code shows no toasts at all
      const toast = toasts.filter({ hasText: text }).first();
      // Only notifications after the last one a wait matched: a repeated message must show again.
      const from = notifications.consumed;
      const match = () => notifications.all.findIndex((n, i) => i >= from && n.message.includes(text));
      const shown = () => {
        const i = match();
        if (i < 0) return false;
        notifications.consumed = i + 1;
        return true;
      };
      const seen = async () => {
        await notifications.scanNow();
        return shown();
      };
      const t0 = Date.now();
      // As a toast (the watcher records each one, even if it was purged before this wait looked)…
      const asToast = await waitUntil(seen, { timeout: Math.min(8000, timeout / 2), interval: 50, what: 'toast' }).then(
        () => true,
        () => false,
      );
      if (!asToast) {
        // …or only in the notification center (VS Code held the toast back).
        await page.keyboard.press(keys.showNotifications);
        await center.waitFor({ state: 'visible', timeout: 10000 });
        await waitUntil(seen, { timeout: Math.max(1000, timeout - (Date.now() - t0)), interval: 50, what: `notification "${text}"` }).catch((e) => {
          throw new Error(`${e.message}; notifications shown so far:\n${notifications.all.map((n) => `  [${n.severity}] ${n.message}`).join('\n') || '  (none)'}`);
        });
      }
      if (asToast && (await toast.isVisible())) {
        step(
          `toast: ${(
            await toast
              .locator('.notification-list-item-message')
              .first()
              .textContent()
              .catch(() => '')
          )?.trim()}`,
        );
        return toast;
      }
      if (!(await center.isVisible())) await page.keyboard.press(keys.showNotifications);
      const item = centerItems.filter({ hasText: text }).first();
      await item.waitFor({ state: 'visible', timeout: 10000 });
      step(`notification center: ${text}`);
      return item;
    },

    /**
     * Waits for an info/warning message (toast or notification center), then dismisses every
     * notification so the next step's toasts are not held back by these ones.
     */
    async expectNotification(text) {
      const found = await api.waitForToast(text);
      await api.dismissNotifications();
      return found;
    },

    /** Clears every notification (toasts and center) and waits until no toast is left. */
    async dismissNotifications() {
      await api.closeNotificationCenter();
      await page.keyboard.press(keys.clearNotifications);
      // Progress notifications cannot be cleared while they run; everything else goes.
      await waitUntil(async () => (await toasts.filter({ hasNot: page.locator('.monaco-progress-container.active') }).count()) === 0, {
        timeout: 10000,
        interval: 50,
        what: 'toasts to be dismissed',
      });
      await notifications.scanNow();
      await page.evaluate(() => /** @type {any} */ (window).__phhForgetCenter?.()).catch(() => {});
    },

    /** Closes the notification center if it is open and waits until it is hidden. */
    async closeNotificationCenter() {
      if (!(await center.isVisible())) return;
      await page.keyboard.press(keys.hideNotifications);
      await center.waitFor({ state: 'hidden', timeout: 10000 });
    },

    /** Every notification shown so far (toasts and center): [{ severity, message, at }]. */
    notifications: () => notifications.all.slice(),

    /** The extension's own log (the "PostHog" output channel) as written so far. */
    extensionLog: () => extensionLogText(runDir),

    /** Clicks a button (exact label) in a notification toast, the open notification center or a modal dialog. */
    async clickNotificationButton(text, { timeout = 20000 } = {}) {
      const button = page
        .locator('.notifications-toasts .notification-toast .monaco-button, .notifications-center .notification-list-item .monaco-button, .monaco-dialog-box .monaco-button')
        .filter({ hasText: exact(text) })
        .first();
      await button.waitFor({ state: 'visible', timeout });
      const inCenter = await button.evaluate((el) => Boolean(el.closest('.notifications-center')));
      await button.click();
      if (inCenter) await api.closeNotificationCenter();
      step(`clicked "${text}"`);
    },

    /** Shows the PostHog activity-bar container (without toggling it closed if it is already showing). */
    async openView() {
      const link = page.locator('.part.activitybar .action-item a[aria-label^="PostHog"]').first();
      await link.waitFor({ state: 'visible' });
      const item = link.locator('xpath=..');
      if (!(await item.evaluate((el) => el.classList.contains('checked')))) await link.click();
      await api.viewPane().waitFor({ state: 'visible' });
      step('PostHog view open');
      return api.viewPane();
    },

    /** Locator of a view pane in the side bar by view name (default: the PostHog explorer). */
    viewPane(viewName = VIEW_NAME) {
      return page.locator('.part.sidebar .pane', { has: page.locator(`.pane-header[aria-label^="${viewName.replace(/"/g, '\\"')}"]`) }).first();
    },

    /** Tree row in the PostHog view whose label is `label` (string = exact, RegExp = pattern). */
    treeRow(label, { viewName } = {}) {
      return api
        .viewPane(viewName)
        .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: exact(label) }) })
        .first();
    },

    /**
     * Expands a collapsible tree row (no-op if expanded) and waits for aria-expanded=true — not for its
     * children. A click can land while rows above it are being inserted (a folder's children arriving)
     * and toggle nothing: the row is then clicked again (said in the log), at most 5 times.
     */
    async expandTreeRow(label, opts) {
      const row = api.treeRow(label, opts);
      await row.waitFor({ state: 'visible' });
      const expanded = async () => (await row.getAttribute('aria-expanded')) === 'true';
      for (let attempt = 1; ; attempt++) {
        if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
        try {
          await waitUntil(expanded, { timeout: 3000, interval: 50, what: `tree row "${label}" to expand` });
          break;
        } catch (e) {
          if (attempt >= 5) throw e;
          step(`"${label}" did not expand after click ${attempt} (the rows moved under the pointer?): clicking again`);
        }
      }
      step(`expanded "${label}"`);
      return row;
    },

    /**
     * Opens a function's code from the tree: expands its type folder, clicks the row whose name matches,
     * waits for the GET and for the editor to show text. Returns { row, name, get, fnPath, id, since }.
     */
    /** The stand-in's control API (`/__standin/<path>`): fails on a non-2xx answer, returns the JSON body. */
    async control(method, controlPath, body) {
      const res = await fetch(`${standIn.url}/__standin/${controlPath}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`stand-in control ${method} ${controlPath} → ${res.status}`);
      return res.status === 204 ? undefined : res.json();
    },

    async openFunctionCode(name, { folder = 'Destinations' } = {}) {
      await api.openView();
      await api.expandTreeRow(folder);
      const row = api
        .viewPane()
        .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: name }) })
        .first();
      await row.waitFor({ state: 'visible' });
      const label = (await row.locator('.label-name').first().textContent()).trim();
      const since = api.markRequests();
      await row.click();
      const get = await api.waitForRequest((r) => r.method === 'GET' && /\/hog_functions\/[^/]+\/$/.test(r.path), 'the GET of the function', { since });
      await api.waitForEditorText(/./);
      return { row, name: label, get, fnPath: get.path, id: get.path.split('/').at(-2), since };
    },

    /** Text of the active editor's rendered lines (only lines Monaco has rendered; nbsp → space). */
    async editorText() {
      await activeEditor.locator('.view-lines').waitFor({ state: 'visible' });
      return activeEditor.locator('.view-lines').evaluate((el) =>
        [...el.querySelectorAll('.view-line')]
          .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
          .map((l) => l.textContent.replace(/\u00a0/g, ' '))
          .join('\n'),
      );
    },

    /** Waits until the active editor's text contains `text` (string) or matches it (RegExp); returns the text. */
    async waitForEditorText(text, { timeout = 20000 } = {}) {
      let last = '';
      await waitUntil(
        async () => {
          last = await api.editorText().catch(() => '');
          return text instanceof RegExp ? text.test(last) : last.includes(text);
        },
        { timeout, interval: 100, what: () => `editor text ${text} (last: ${JSON.stringify(last.slice(0, 300))})` },
      );
      return last;
    },

    /**
     * Types into the active editor. `at: 'end' | 'start'` moves the cursor first; otherwise the text goes
     * where the cursor is (the editor is focused by a click if it has no focus). The harness settings turn
     * off auto-closing/auto-indent/suggestions, so what is typed is what lands.
     */
    async typeInEditor(text, { at } = {}) {
      const lines = activeEditor.locator('.view-lines');
      await lines.waitFor({ state: 'visible' });
      // Keys pressed before the editor holds the focus go elsewhere (seen: the tree kept it; once in CI a
      // single click never focused the editor). The locator is re-resolved on every try, so an editor
      // element replaced while it opened is not waited on forever; each try clicks again.
      const hasFocus = () => activeEditor.evaluate((el) => el.contains(document.activeElement)).catch(() => false);
      let tries = 0;
      let holder = '';
      await waitUntil(
        async () => {
          if (await hasFocus()) return true;
          tries++;
          await lines.click({ timeout: 5000 }).catch(() => {});
          if (
            await waitUntil(hasFocus, { timeout: 1500, interval: 50 }).then(
              () => true,
              () => false,
            )
          )
            return true;
          holder = await page.evaluate(() => {
            const el = document.activeElement;
            return el ? `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} in ${el.closest('[id]')?.id ?? '?'}` : 'nothing';
          });
          return false;
        },
        { timeout: 15000, interval: 100, what: 'the editor to take the focus' },
      ).catch((e) => {
        throw new Error(`${e.message} after ${tries} clicks; the focus is on ${holder || '?'}`);
      });
      if (tries > 1) step(`the editor took the focus after ${tries} clicks`);
      if (at === 'end') await page.keyboard.press('Control+End');
      if (at === 'start') await page.keyboard.press('Control+Home');
      await page.keyboard.type(text);
    },

    /** Ctrl+S. With waitForClean, also waits until the active tab is no longer dirty. */
    async save({ waitForClean = false, timeout = 20000 } = {}) {
      await page.keyboard.press('Control+S');
      if (waitForClean) {
        await page.locator('.part.editor .editor-group-container.active .tab.active:not(.dirty)').waitFor({ state: 'visible', timeout });
      }
      step('saved (Ctrl+S)');
    },

    /** The stand-in's request log (array). */
    requests,
    /** Marker for "requests from now on": the last request's seq (or the log length); pass it as `since`. */
    markRequests: () => {
      const all = requests();
      return all.at(-1)?.seq ?? all.length;
    },

    /**
     * Requests after `since` (a markRequests() marker) that an action sent: without the status bar's
     * metrics read (`GET …/hog_functions/{id}/metrics/`, a second after a function's document shows),
     * which falls into whatever the journey does next. As "METHOD path" lines, to assert on and to read.
     */
    actionRequests: (since) =>
      requests()
        .filter((r) => r.seq > since && !(r.method === 'GET' && /\/hog_functions\/[^/]+\/metrics\/$/.test(r.path)))
        .map((r) => `${r.method} ${r.path}`),

    /**
     * Resolves with the first stand-in request (past or future) after `since` for which `predicate(req)` holds.
     * Uses the stand-in's own event-driven waitForRequest when it has one, else polls its log every 25 ms.
     */
    async waitForRequest(predicate, what = 'request', { timeout = 20000, since = 0 } = {}) {
      const after = (r, i) => (r.seq ?? (i === undefined ? Infinity : i + 1)) > since;
      let found;
      try {
        if (typeof standIn.waitForRequest === 'function') {
          found = await standIn.waitForRequest((r) => after(r) && predicate(r), timeout);
        } else {
          await waitUntil(
            () => {
              const all = requests();
              for (let i = 0; i < all.length; i++)
                if (after(all[i], i) && predicate(all[i])) {
                  found = all[i];
                  return true;
                }
              return false;
            },
            { timeout, interval: 25, what },
          );
        }
      } catch (e) {
        const recent = requests().slice(-15).map(describeRequest).join('\n    ');
        throw new Error(`waiting for ${what}: ${e.message}\n  last stand-in requests:\n    ${recent || '(none)'}`);
      }
      step(`stand-in saw ${what}: ${describeRequest(found)}`);
      return found;
    },

    /**
     * Waits until the extension was activated: the extension host log shows `_doActivateExtension <id>` and the
     * extension's own log (its "PostHog" LogOutputChannel file) has a line matching `successPattern`. Throws at
     * once with the error if the extension host logs "Activating extension <id> failed". Returns ms since start.
     */
    async waitForActivation({ timeout = 60000, successPattern = /\bactivated\b/ } = {}) {
      await waitUntil(
        () => {
          const failure = activationFailure(runDir);
          if (failure) throw new Error(`activation of ${EXTENSION_ID} failed:\n${failure}`);
          if ((timings.activationMs = activationOffsetMs(runDir, t0)) === undefined) return false;
          const extLog = extensionLogFile(runDir);
          try {
            return Boolean(extLog && successPattern.test(fs.readFileSync(extLog, 'utf8')));
          } catch {
            return false;
          }
        },
        { timeout, interval: 100, what: `activation of ${EXTENSION_ID} (exthost log + a ${successPattern} line in the extension log)` },
      );
      step(`extension activated (${(timings.activationMs / 1000).toFixed(1)}s after start)`);
      return timings.activationMs;
    },

    /** Generic condition wait (no sleeps): resolves with the first truthy value of `check()`. */
    waitFor: (check, what, opts = {}) => waitUntil(check, { what, interval: 50, ...opts }),
  };
  return api;
}

// ------------------------------------------------------------------------------------------------ CLI
// node test/e2e/lib/journey.mjs <journey file>...   exit 0 if all passed; E2E_RESULT_FILE receives JSON results
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error('usage: node test/e2e/lib/journey.mjs <test/e2e/journeys/x.journey.mjs>...');
    process.exit(2);
  }
  const results = [];
  for (const f of files) results.push(await runJourney(f));
  if (process.env.E2E_RESULT_FILE) fs.writeFileSync(process.env.E2E_RESULT_FILE, JSON.stringify(results, null, 2));
  for (const r of results) {
    const t = Object.entries(r.timings)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k.replace(/Ms$/, '')} ${(v / 1000).toFixed(1)}s`)
      .join(', ');
    console.log(`journey ${r.name}: ${r.ok ? 'passed' : 'FAILED'} (${(r.ms / 1000).toFixed(1)}s${t ? `; ${t}` : ''})`);
  }
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}
