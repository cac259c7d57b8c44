// Bundles the extension (dist/extension.js and its lazily loaded parts) and the Hog command line (dist/hog.js).
// `--production` minifies and drops source maps; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const minify = production && !process.argv.includes('--no-minify');
const watch = process.argv.includes('--watch');

/** Prints build results in the shape VS Code's esbuild problem matcher understands. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * jsonc-parser's CommonJS (UMD) modules hand `require` to a factory, which a bundler cannot follow: a
 * module the code requires from its UMD build (what plain Node runs in the unit tests) is bundled from
 * its ES module build.
 */
const jsoncEsm = {
  name: 'jsonc-esm',
  setup(build) {
    build.onResolve({ filter: /^jsonc-parser\/lib\/umd\// }, (args) =>
      build.resolve(args.path.replace('/lib/umd/', '/lib/esm/'), { kind: args.kind, resolveDir: args.resolveDir }),
    );
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  // Errors set their `name` themselves; keeping every function's name costs ~13 KiB of bundle.
  keepNames: false,
  // Prefer ES module builds: jsonc-parser's UMD build requires its parts dynamically, which a bundle cannot follow.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  // The watch task's problem matcher reads these lines; one-off builds stay quiet (npm run hog builds first).
  plugins: watch ? [problemMatcher, jsoncEsm] : [jsoncEsm],
};

/**
 * node-fetch is its own bundle (dist/nodeFetch.js), loaded at the first request: every chunk that sends
 * requests resolves `node-fetch` to that one file instead of bundling a copy.
 */
const sharedNodeFetch = {
  name: 'shared-node-fetch',
  setup(build) {
    build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: './nodeFetch.js', external: true }));
  },
};

/**
 * `import * as vscode from 'vscode'` in each of ~20 modules would make esbuild copy every property of
 * the API object once per module (its ES-module interop). All of them share one tiny module instead,
 * which presents the API through its prototype: nothing is copied.
 */
const sharedVscode = {
  name: 'shared-vscode',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-api' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({
      contents: "module.exports = Object.create(require('vscode'), { __esModule: { value: true } });",
      loader: 'js',
    }));
  },
};

// node-fetch 2 never needs whatwg-url on Node 20 (it prefers Node's URL); see src/util/nodeUrlShim.ts.
const alias = { 'whatwg-url': './src/util/nodeUrlShim.ts' };

const contexts = await Promise.all([
  esbuild.context({
    ...common,
    // dist/extension.js holds only what activation and the tree need. The language features (loaded
    // when the first Hog document opens, src/language/lazy.ts), the command handlers (loaded at the
    // first command, src/commands/index.ts) and the document handlers and models (loaded at the first
    // posthog: document, src/fs/posthogFileSystem.ts) are their own bundles, like node-fetch.
    entryPoints: { extension: 'src/extension.ts', language: 'src/language/index.ts', commands: 'src/commands/handlers.ts', documents: 'src/fs/documents/index.ts' },
    // When the bundle began and finished evaluating: activate() logs the split (the bundle's own
    // evaluation, the host's wait before calling activate(), activate() itself).
    banner: { js: 'var __posthogBundleStart = performance.now();' },
    footer: { js: 'var __posthogBundleEnd = performance.now();' },
    outdir: 'dist',
    external: ['vscode'],
    metafile: true,
    alias,
    plugins: [...common.plugins, sharedNodeFetch, sharedVscode],
  }),
  esbuild.context({ ...common, entryPoints: { nodeFetch: 'node_modules/node-fetch/lib/index.js' }, outdir: 'dist', alias }),
  // The Hog toolchain on the command line (`node dist/hog.js parse FILE`): not part of the .vsix.
  esbuild.context({ ...common, entryPoints: { hog: 'src/hog/cli.ts' }, outdir: 'dist' }),
  // The Hog analysis worker thread (parser, lints, compiler's checks, symbols), started at the first
  // large Hog document (src/language/analyzer.ts).
  esbuild.context({ ...common, entryPoints: { hogAnalysis: 'src/language/analysisWorker.ts' }, outdir: 'dist' }),
  // The local runner's worker thread (compiler + PostHog's VM), started at the first "Run Locally".
  esbuild.context({ ...common, entryPoints: { runner: 'src/hog/runner/worker.ts' }, outdir: 'dist' }),
]);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
