#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code against the local PostHog stand-in, in one command.
//
//   1. harness set-up: test/vscode-harness/setup.sh (code-server 4.100.3 = VS Code 1.100.3; a no-op when
//      already installed), exactly as scripts/test-e2e.mjs does it
//   2. build: `node esbuild.mjs` (dist/) and `npx tsc -p .` (out/: the stand-in)
//   3. the PostHog stand-in with its demo data (two projects, 16 hog functions, groups) on a free port
//   4. code-server on 127.0.0.1 with POSTHOG_HOST=<stand-in> and POSTHOG_PERSONAL_API_KEY=phx_demo_full_access
//      in its environment, so the extension signs itself in and shows the key's project with no set-up
//   5. prints the workbench URL (it loads this checkout as the extension under development) and the
//      demo keys, then waits. Ctrl+C stops code-server (its whole process group), the stand-in, and
//      removes the temporary directory.
//
// Environment:
//   DEMO_PORT=8080          port to open in the browser (if it is taken, code-server's own free port is used)
//   DEMO_STANDIN_PORT=0     port of the PostHog stand-in (0: a free one)
//   DEMO_FUNCTIONS=0        extra generated destinations in project 1 (e.g. 10000 to feel a big project)
//   DEMO_QUIET=1            don't print one line per request the stand-in answers
//   DEMO_SKIP_BUILD=1       don't run esbuild/tsc (you built already)
//   HARNESS_KEEP=1          keep the temporary directory (logs) after Ctrl+C
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HARNESS_DIR = path.join(ROOT, 'test/vscode-harness');
const STANDIN_MODULE = path.join(ROOT, 'out/test/standin/server.js');
const STANDIN_IDS = path.join(ROOT, 'out/test/standin/ids.js');
const DEMO_KEY = 'phx_demo_full_access';
const T0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const say = (msg) => console.log(`[demo ${secs(Date.now() - T0)}] ${msg}`);

/** What each demo key is for (the stand-in's cli.ts says the same). */
const KEY_NOTES = {
  phx_demo_full_access: 'scopes ["*"] (the one code-server was started with)',
  phx_demo_legacy_key: 'legacy key without scopes (may enable backfills)',
  phx_demo_read_only: 'read scopes only: documents open read-only',
  phx_demo_no_groups: 'hog functions only, no group scopes',
  phx_demo_project_two_only: 'scopes ["*"], limited to project 2',
  phx_demo_extension: 'exactly the scopes the extension asks for',
};

/**
 * Editor settings for the demo window: the harness defaults are tuned for tests (no auto-closing
 * brackets, no suggestions); a person trying the extension should get VS Code's normal editing, minus
 * start-up noise and anything that would try to reach the internet.
 */
const DEMO_SETTINGS = {
  'workbench.startupEditor': 'none',
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
  'chat.commandCenter.enabled': false,
  // code-server's default is "afterDelay": every pause in typing would deploy the function. Saving
  // (= deploying) should be the user's explicit Ctrl+S.
  'files.autoSave': 'off',
};

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  return r.status ?? 1;
}

function die(message) {
  console.error(`\n[demo] ${message}`);
  process.exit(1);
}

/** Tries to listen on 127.0.0.1:port; resolves with the server or null when the port is taken. */
function listenOn(server, port) {
  return new Promise((resolve, reject) => {
    const onError = (e) => (e.code === 'EADDRINUSE' || e.code === 'EACCES' ? resolve(null) : reject(e));
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

/**
 * A byte-for-byte TCP relay from 127.0.0.1:listenPort to code-server. The harness' startCodeServer()
 * always binds a free port of its own choosing; this lets the demo still offer the stable DEMO_PORT
 * (8080), so a bookmarked URL keeps working between runs. HTTP and the workbench's WebSockets pass
 * through unchanged (same Host/Origin on both sides of the relay, so code-server's origin check holds).
 * Resolves with { port, close } or null if listenPort is taken.
 */
async function relay(listenPort, targetPort) {
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  if (!(await listenOn(server, listenPort))) return null;
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The demo workspace: a short guide and a local Hog file (highlighting and diagnostics work offline). */
function writeWorkspace(dir, standInUrl) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    `# PostHog Hog Functions & Groups — demo

This window talks to a **local PostHog stand-in** (${standInUrl}), not to PostHog: edit and save freely.
code-server was started with \`POSTHOG_PERSONAL_API_KEY=${DEMO_KEY}\`, so the extension is already signed in.

1. Click the hedgehog icon in the activity bar (left): **Hogflix Production** → **Hog functions** → **Destinations**.
2. Click a function to open its Hog code; change it and press **Ctrl+S**: that is one PATCH to the stand-in
   (the terminal running \`npm run demo\` prints every request).
3. Expand a function for its **Inputs** (JSON checked against the function's inputs schema before saving).
4. Right-click a function: enable/disable, rename, delete (with Undo), enable backfills, open in PostHog.
5. **Groups** → Companies: groups page with "Load more…"; open a group to edit its properties as JSON.
6. Command palette (F1) → "PostHog:" for everything else, e.g. **PostHog: Sign In** with another demo key
   (host: "Self-hosted or other URL…" → ${standInUrl}).

\`example.hog\` is a local file: Hog highlighting and diagnostics work on it too (try deleting a bracket).
Everything here is temporary and removed when you press Ctrl+C in the terminal.
`,
  );
  fs.writeFileSync(
    path.join(dir, 'example.hog'),
    `// A Hog function body, as PostHog runs it for every matching event.
// This file is local; the functions you deploy live in the PostHog view (hedgehog icon).
let payload := {
  'event': event.event,
  'distinct_id': event.distinct_id,
  'url': f'{project.url}/events/{event.uuid}',
  'properties': event.properties
}

if (empty(inputs.url)) {
  throw Error('No webhook URL configured')
}

let res := fetch(inputs.url, {
  'method': 'POST',
  'headers': {'Content-Type': 'application/json'},
  'body': payload
})

if (res.status >= 400) {
  print(f'Webhook failed with {res.status}: {res.body}')
}
`,
  );
}

// ------------------------------------------------------------------------------------------------ 1. harness
// --demo: only code-server (no Chromium: you open the URL in your own browser). setup.sh installs the OS
// packages it needs itself when it can (root + apt-get), else it names the exact command and fails.
say('checking the VS Code harness (test/vscode-harness/setup.sh --demo) ...');
if (run('bash', [path.join(HARNESS_DIR, 'setup.sh'), '--demo']) !== 0) {
  die('test/vscode-harness/setup.sh --demo failed (its last lines above say why and what to run).');
}

// ------------------------------------------------------------------------------------------------ 2. build
if (process.env.DEMO_SKIP_BUILD !== '1') {
  say('building the extension (node esbuild.mjs) ...');
  if (run(process.execPath, ['esbuild.mjs']) !== 0) die('build failed: node esbuild.mjs');
  say('compiling the stand-in (npx tsc -p .) ...');
  if (run('npx', ['tsc', '-p', '.']) !== 0) {
    // tsc still writes JavaScript when it finds type errors (often in someone's work in progress);
    // the demo only needs the stand-in's output, checked just below.
    say('npx tsc -p . reported errors (above); going on with the JavaScript it emitted');
  }
}
for (const f of [path.join(ROOT, 'dist/extension.js'), STANDIN_MODULE]) {
  if (!fs.existsSync(f)) die(`${path.relative(ROOT, f)} is missing: run without DEMO_SKIP_BUILD=1`);
}

// ------------------------------------------------------------------------------------------------ 3.–5. run
// Imported only now: harness.mjs imports playwright-core from the harness' node_modules, which
// setup.sh may just have installed. It also owns the SIGINT/SIGTERM/SIGHUP handling: on a signal it
// runs every onCleanup() callback (newest first) and kills the process groups it started.
const { startCodeServer, workbenchUrl, makeRunDir, removeRunDir, onCleanup, runCleanups, tailFile } = await import('../test/vscode-harness/harness.mjs');

async function main() {
  // Registered first, so it runs last: the temp dir goes after code-server has let go of it.
  const runDir = makeRunDir('phd-');
  onCleanup(() => {
    const removed = removeRunDir(runDir);
    console.log(removed ? '[demo] stopped; temporary files removed.' : `[demo] stopped; kept ${runDir} (HARNESS_KEEP)`);
  });

  const { startStandIn } = require(STANDIN_MODULE);
  const standIn = await startStandIn({
    port: Number(process.env.DEMO_STANDIN_PORT || 0),
    seed: 'demo',
    extraFunctions: Number(process.env.DEMO_FUNCTIONS || 0),
    quiet: process.env.DEMO_QUIET === '1',
  });
  onCleanup(() => standIn.close());
  say(`PostHog stand-in listening on ${standIn.url}`);

  const workspace = path.join(runDir, 'demo-workspace');
  writeWorkspace(workspace, standIn.url);
  const env = {
    POSTHOG_HOST: standIn.url,
    POSTHOG_PERSONAL_API_KEY: DEMO_KEY,
    POSTHOG_STANDIN_URL: standIn.url,
  };
  say('starting code-server ...');
  const cs = await startCodeServer({ runDir, folder: workspace, env, settings: DEMO_SETTINGS, defaultSettings: false });

  const wanted = Number(process.env.DEMO_PORT || 8080);
  const front = await relay(wanted, cs.port);
  if (front) onCleanup(front.close);
  else say(`port ${wanted} is taken; using code-server's own port ${cs.port}`);
  const base = `http://127.0.0.1:${front ? front.port : cs.port}`;
  const url = workbenchUrl(base, { folder: workspace, extensionDevelopmentPath: ROOT });

  const { DEMO_KEYS } = require(STANDIN_IDS);
  const keys = Object.values(DEMO_KEYS).map((k) => `    ${k.padEnd(28)} ${KEY_NOTES[k] ?? ''}`);
  console.log(`
────────────────────────────────────────────────────────────────────────────────────────────────────
 PostHog Hog Functions & Groups — demo ready in ${secs(Date.now() - T0)}

 Open this URL in a browser on this machine (the whole URL: the "payload" part loads the extension):

   ${url}

 Then click the hedgehog icon in the activity bar: "Hogflix Production" is already there
 (code-server runs with POSTHOG_PERSONAL_API_KEY=${DEMO_KEY}, POSTHOG_HOST=${standIn.url}).

 PostHog stand-in: ${standIn.url}   (demo data: projects 1 "Hogflix Production", 2 "Hogflix Staging")
 Demo personal API keys, for "PostHog: Sign In" → "Self-hosted or other URL…" → ${standIn.url}:
${keys.join('\n')}

 Logs: ${cs.logFile}
 Press Ctrl+C to stop everything.
────────────────────────────────────────────────────────────────────────────────────────────────────
`);

  // Keep running until a signal (handled by the harness) or until code-server dies on its own. On
  // Ctrl+C the harness stops code-server too; this cleanup, registered last, runs first and tells the
  // 'exit' listener below that the exit is expected.
  let stopping = false;
  onCleanup(() => {
    stopping = true;
  });
  await new Promise((resolve) => cs.proc.once('exit', resolve));
  if (stopping) return new Promise(() => {}); // the harness finishes the clean-up and exits
  throw new Error(`code-server exited unexpectedly; last lines of ${cs.logFile}:\n${tailFile(cs.logFile, 20)}`);
}

main().catch(async (e) => {
  console.error(`[demo] ${e?.stack || e}`);
  await runCleanups();
  process.exit(1);
});
