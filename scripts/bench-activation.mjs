#!/usr/bin/env node
// Activation cost of a built extension in plain Node: `require(dist/extension.js)` and `activate()` timed
// separately in fresh processes (nothing cached), with `vscode` replaced by a stub that answers every
// call (a recursive Proxy), so only the extension's own work is measured. Used by scripts/bench.mjs;
// on its own: `node scripts/bench-activation.mjs [dist dir] [runs]` prints JSON.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs in each fresh process: stub vscode, require the bundle, activate, report times and chunks loaded. */
const CHILD = String.raw`
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const [distDir] = process.argv.slice(1);
const arrays = new Set(['textDocuments', 'visibleTextEditors', 'all', 'tabs', 'workspaceFolders', 'subscriptions', 'extensions']);
function stub(name) {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === Symbol.toPrimitive) return () => (name === 'version' ? '1.100.0' : '');
      if (prop === 'then') return undefined; // not a promise
      if (prop === 'prototype') return target.prototype;
      if (typeof prop === 'symbol') return undefined;
      if (arrays.has(prop)) return [];
      if (!cache.has(prop)) cache.set(prop, stub(prop));
      return cache.get(prop);
    },
    apply(_t, _this, args) {
      if (name === 'get') return args[1]; // getConfiguration().get(key, default) → the default
      if (name === 'event' || /^onDid|^onWill/.test(name)) return { dispose() {} };
      return stub(name + '()');
    },
    construct() {
      return stub('new ' + name);
    },
  });
}
// Every top-level name of the real API (from @types/vscode), each a stub: esbuild's interop copies
// the module's own properties, so they must exist as such.
const vscode = {};
for (const name of JSON.parse(process.argv[2])) vscode[name] = name === 'version' ? '1.100.0' : stub(name);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
const loadedBefore = new Set(Object.keys(require.cache));
const t0 = performance.now();
const ext = require(path.join(distDir, 'extension.js'));
const t1 = performance.now();
const memento = { get: (_k, d) => d, update: async () => {}, keys: () => [] };
const context = {
  subscriptions: [],
  extensionPath: path.dirname(distDir),
  extension: { packageJSON: { version: '0.0.0' } },
  globalState: memento,
  workspaceState: memento,
  secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => ({ dispose() {} }) },
  logUri: { fsPath: '/tmp' },
};
ext.activate(context);
const t2 = performance.now();
const chunks = Object.keys(require.cache).filter((k) => !loadedBefore.has(k) && k.startsWith(distDir)).map((k) => path.basename(k));
process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, chunks }));
`;

/** The top-level names `vscode` exports (namespaces, classes, enums, functions, constants). */
function apiNames() {
  const dts = fs.readFileSync(path.join(ROOT, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  const names = new Set();
  for (const m of dts.matchAll(/^\texport (?:namespace|class|enum|function|const|let) ([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  return [...names];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/** Median require and activate() times of `runs` fresh Node processes (one warm-up process first). */
export function measureActivation(distDir, runs = 15) {
  const one = () => {
    const r = spawnSync(process.execPath, ['-e', CHILD, path.resolve(distDir), JSON.stringify(apiNames())], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(
        `activation probe failed: ${(r.stderr || r.stdout)
          .split('\n')
          .filter((l) => /Error/.test(l))
          .slice(0, 3)
          .join(' | ')}`,
      );
    return JSON.parse(r.stdout);
  };
  one(); // file-system cache warm-up
  const samples = Array.from({ length: runs }, one);
  const total = samples.map((s) => s.requireMs + s.activateMs);
  return {
    runs,
    requireMs: median(samples.map((s) => s.requireMs)),
    activateMs: median(samples.map((s) => s.activateMs)),
    totalMs: median(total),
    totalMinMs: Math.min(...total),
    totalMaxMs: Math.max(...total),
    chunksLoaded: samples[0].chunks,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] || 'dist';
  const runs = Number(process.argv[3] || 15);
  console.log(JSON.stringify(measureActivation(dist, runs), null, 2));
}
