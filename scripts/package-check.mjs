#!/usr/bin/env node
// Checks the packaged extension the way a user gets it: the .vsix holds only what runs, installs into
// a real VS Code (code-server 4.100.3 = VS Code 1.100.3) with `code-server --install-extension`, and the
// installed copy (not this checkout) activates and fills the PostHog view from the local stand-in.
//
//   node scripts/package-check.mjs [path/to/x.vsix]
//
// Without an argument it builds one first, the way `npm run package` does (`node esbuild.mjs
// --production`, then `vsce package --no-dependencies`, written to a temporary directory, so a .vsix in
// the checkout is left alone). Steps:
//   1. contents: the required files are there, nothing that does not run is (sources, tests, maps ...)
//   2. install:  code-server --install-extension <vsix> into a fresh extensions dir
//   3. run:      code-server (signed in to the stand-in through POSTHOG_PERSONAL_API_KEY), the workbench
//                opened *without* the extension-development payload; open the PostHog view → the
//                extension host log shows the activation, the tree shows "Hogflix Production" and
//                "Destinations", a function's code opens in an editor; screenshot
//                artifacts/screenshots/vsix-installed.png
// Exit code 0 when everything holds. Last line: `package-check: N passed, N failed`.
//
// Environment: PACKAGE_CHECK_SKIP_BUILD=1 (with no argument: package the dist/ that is there),
// HARNESS_KEEP=1 (keep the run directory), HARNESS_VERBOSE=1 (echo the page console).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HARNESS_DIR = path.join(ROOT, 'test/vscode-harness');
const STANDIN_MODULE = path.join(ROOT, 'out/test/standin/server.js');
const ARTIFACTS = path.resolve(process.env.E2E_ARTIFACTS || path.join(ROOT, 'artifacts'));
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const EXTENSION_ID = `${PKG.publisher}.${PKG.name}`;
const DEMO_KEY = 'phx_demo_full_access';

/** Files the extension needs at run time (paths inside the .vsix, under extension/). */
const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/language.js',
  'extension/dist/commands.js',
  'extension/dist/documents.js',
  'extension/dist/nodeFetch.js',
  'extension/dist/runner.js',
  'extension/dist/hogAnalysis.js',
  'extension/language-configuration.json',
  'extension/syntaxes/hog.tmLanguage.json',
  'extension/syntaxes/hog-json.injection.tmLanguage.json',
  'extension/media/icon.png',
  'extension/media/posthog.svg',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
];
/**
 * Size budgets (issue 14). The extension's own bundle is what every activation loads; the language
 * bundle (with our Hog parser, issue 15) loads when the first Hog document opens; the parser's worker
 * (dist/hogAnalysis.js, at the first large Hog document) may grow at most 10 % over its first size,
 * 100,998 bytes.
 */
const BUDGETS = [
  { file: 'extension/dist/extension.js', maxBytes: 150 * 1024, what: '150 KiB' },
  { file: 'extension/dist/language.js', maxBytes: 150 * 1024, what: '150 KiB' },
  { file: 'extension/dist/hogAnalysis.js', maxBytes: Math.floor(100_998 * 1.1), what: '108.5 KiB (its first size + 10 %)' },
];
/** Anything matching these has no business in the package. */
const FORBIDDEN = [
  /^extension\/(src|out|test|scripts|docs|artifacts|node_modules|\.vscode|\.github|\.ci)\//,
  /\.map$/,
  /\.ts$/,
  /\.src\.json$/,
  /(^|\/)\.[^/]+$/,
  /tsconfig|eslint|esbuild\.mjs|package-lock\.json|\.vsix$/,
  // PostHog's WASM parser (1.5 MB) is a development dependency only (the oracle of our parser's tests),
  // and the command line is for development.
  /hogParserWorker|hogql_parser|\.wasm$|^extension\/dist\/hog\.js$/,
];

const T0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const say = (msg) => console.log(`[package-check ${secs(Date.now() - T0)}] ${msg}`);
const results = [];
function check(name, ok, detail = '') {
  results.push({ name, ok });
  console.log(`  ${ok ? '✔' : '✘'} ${name}${detail ? ` — ${detail}` : ''}`);
}
function finish() {
  const failed = results.filter((r) => !r.ok).length;
  console.log(`package-check: ${results.length - failed} passed, ${failed} failed (${secs(Date.now() - T0)})`);
  process.exit(failed || !results.length ? 1 : 0);
}
function die(message) {
  console.error(`[package-check] ${message}`);
  results.push({ name: message, ok: false });
  finish();
}

// ------------------------------------------------------------------------------------------------ harness
// Same set-up step as scripts/test-e2e.mjs (a no-op when code-server + playwright-core are installed).
if (spawnSync('bash', [path.join(HARNESS_DIR, 'setup.sh')], { stdio: 'inherit' }).status !== 0) {
  die('test/vscode-harness/setup.sh failed (its last lines above say why and what to run).');
}
// Imported after setup.sh: harness.mjs needs playwright-core from the harness' node_modules.
const H = await import('../test/vscode-harness/harness.mjs');
const runDir = H.makeRunDir('phv-');
H.onCleanup(() => H.removeRunDir(runDir)); // first registered, last to run on a signal

try {
  // ---------------------------------------------------------------------------------------------- the .vsix
  let vsix = process.argv[2] && path.resolve(process.argv[2]);
  if (!vsix) {
    if (process.env.PACKAGE_CHECK_SKIP_BUILD !== '1') {
      say('building the production bundle (node esbuild.mjs --production) ...');
      execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, stdio: 'inherit' });
    }
    vsix = path.join(runDir, `${PKG.name}-${PKG.version}.vsix`);
    say('packaging (vsce package --no-dependencies) ...');
    execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--out', vsix], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!fs.existsSync(vsix)) throw new Error(`no such .vsix: ${vsix}`);
  const size = fs.statSync(vsix).size;
  say(`checking ${path.relative(ROOT, vsix).startsWith('..') ? vsix : path.relative(ROOT, vsix)} (${(size / 1024).toFixed(1)} KiB)`);

  // ---------------------------------------------------------------------------------------------- 1. contents
  // zipinfo -1: one archive member per line, nothing else.
  const files = execFileSync('zipinfo', ['-1', vsix], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !f.endsWith('/'));
  const missing = REQUIRED.filter((f) => !files.includes(f));
  check('the .vsix contains every file the extension needs at run time', missing.length === 0, missing.length ? `missing: ${missing.join(', ')}` : `${files.length} files`);
  const extra = files.filter((f) => f.startsWith('extension/') && FORBIDDEN.some((re) => re.test(f)));
  check('the .vsix contains nothing that does not run (sources, tests, maps, configs)', extra.length === 0, extra.join(', '));
  for (const f of files) console.log(`      ${f}`);
  for (const { file, maxBytes, what } of BUDGETS) {
    const bytes = files.includes(file) ? execFileSync('unzip', ['-p', vsix, file], { maxBuffer: 64 * 1024 * 1024 }).length : NaN;
    check(`${file.replace(/^extension\//, '')} within its size budget (${what})`, bytes <= maxBytes, `${(bytes / 1024).toFixed(1)} KiB`);
  }

  // ---------------------------------------------------------------------------------------------- 2. install
  // Same directories and isolated HOME/XDG as startCodeServer() uses below, so the server finds it.
  say('installing with code-server --install-extension ...');
  const install = spawnSync(H.CS_NODE, [H.CS_ENTRY, '--user-data-dir', path.join(runDir, 'ud'), '--extensions-dir', path.join(runDir, 'exts'), '--install-extension', vsix], {
    encoding: 'utf8',
    timeout: 120000,
    env: {
      ...process.env,
      HOME: path.join(runDir, 'home'),
      XDG_CONFIG_HOME: path.join(runDir, 'xdg-config'),
      XDG_DATA_HOME: path.join(runDir, 'xdg-data'),
      XDG_CACHE_HOME: path.join(runDir, 'xdg-cache'),
    },
  });
  const installOut = `${install.stdout}${install.stderr}`.trim();
  const installedDir = path.join(runDir, 'exts', `${EXTENSION_ID}-${PKG.version}`);
  check('code-server --install-extension succeeds', install.status === 0 && /successfully installed/i.test(installOut), installOut.split('\n').at(-1));
  check(`installed as ${EXTENSION_ID} ${PKG.version}`, fs.existsSync(path.join(installedDir, 'dist/extension.js')), path.relative(runDir, installedDir));
  if (install.status !== 0) throw new Error(`install failed:\n${installOut}`);

  // ---------------------------------------------------------------------------------------------- 3. run
  const { startStandIn } = require(STANDIN_MODULE);
  const standIn = await startStandIn({ seed: 'demo' });
  const unregisterStandIn = H.onCleanup(() => standIn.close());
  const workspace = path.join(runDir, 'ws');
  fs.mkdirSync(workspace, { recursive: true });
  const cs = await H.startCodeServer({
    runDir,
    folder: workspace,
    env: { POSTHOG_HOST: standIn.url, POSTHOG_PERSONAL_API_KEY: DEMO_KEY },
  });
  say(`code-server up at ${cs.url}; stand-in at ${standIn.url}`);
  const ctx = await H.launchBrowser(path.join(runDir, 'chrome'), { home: path.join(runDir, 'home') });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(30000);
  const consoleLog = H.collectConsole(page, path.join(runDir, 'console.log'), { echo: H.VERBOSE ? (l, t) => console.log(`    [console ${l}] ${t}`) : null });
  try {
    // No payload: only what is installed in the extensions dir runs.
    await page.goto(H.workbenchUrl(cs.url, { folder: workspace }));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
    const title = await page.title();
    check('the window is a normal window, not an Extension Development Host', !/Extension Development Host/.test(title), `title "${title}"`);

    // The same selectors the journeys use (test/e2e/lib/journey.mjs openView/treeRow).
    const activity = page.locator('.part.activitybar .action-item a[aria-label^="PostHog"]').first();
    await activity.waitFor({ state: 'visible' });
    check('the activity bar shows the PostHog container', true);
    await activity.click();
    const t = Date.now();
    await H.waitForActivation(runDir, EXTENSION_ID);
    check('the installed extension activates (extension host log)', true, `${secs(Date.now() - t)} after opening the view`);
    // With a payload the server logs "Loading development extension at <path>"; here it must not.
    check('no development extension was loaded', !/Loading development extension/.test(fs.readFileSync(cs.logFile, 'utf8')));

    const row = (label) => page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first();
    await row('Hogflix Production').waitFor({ state: 'visible' });
    await row('Destinations').waitFor({ state: 'visible' });
    const listed = standIn.requests.some((r) => r.method === 'GET' && /\/hog_functions\/$/.test(r.path) && r.status === 200);
    check('the view lists the stand-in\'s hog functions ("Hogflix Production" → "Destinations")', listed);

    // A function's code opens from the installed copy: the document handlers and the Hog language
    // features are bundles of their own (dist/documents.js, dist/language.js), loaded only now.
    await row('Destinations').click();
    const fnRow = page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: /Slack/ }) }).first();
    await fnRow.waitFor({ state: 'visible' });
    await fnRow.click();
    const code = page.locator('.part.editor .editor-group-container.active .view-lines');
    await code.filter({ hasText: /\S/ }).first().waitFor({ state: 'visible' });
    const tab = (await page.locator('.part.editor .editor-group-container.active .tab.active').first().textContent())?.trim() ?? '';
    check("a function's code opens in an editor (the documents bundle loads from the .vsix)", /\.hog$/.test(tab), `tab "${tab}"`);
    const shot = path.join(ARTIFACTS, 'screenshots', 'vsix-installed.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });
    say(`screenshot ${path.relative(ROOT, shot)}`);
  } catch (e) {
    check('the installed extension runs in code-server', false, e.message.split('\n')[0]);
    const shot = path.join(ARTIFACTS, 'screenshots', 'vsix-installed-failure.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot }).catch(() => {});
    console.log(`  failure screenshot: ${shot}\n  --- code-server.log ---\n${H.tailFile(cs.logFile, 20)}\n  --- page console ---\n${consoleLog.tail(20)}`);
  } finally {
    await ctx.close().catch(() => {});
    await consoleLog.close();
    await cs.stop();
    await standIn.close();
    unregisterStandIn();
  }
} catch (e) {
  check('package check ran to the end', false, e.message.split('\n')[0]);
} finally {
  await H.runCleanups();
}
finish();
