// Bundles the extension (dist/extension.js) and the Hog parser worker (dist/hogParserWorker.js).
// `--production` minifies and drops source maps; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
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

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  keepNames: true,
  // Prefer ES module builds: jsonc-parser's UMD build requires its parts dynamically, which a bundle cannot follow.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  plugins: [problemMatcher],
};

const contexts = await Promise.all([
  esbuild.context({
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    external: ['vscode'],
    metafile: true,
    // node-fetch 2 never needs whatwg-url on Node 20 (it prefers Node's URL); see src/util/nodeUrlShim.ts.
    alias: { 'whatwg-url': './src/util/nodeUrlShim.ts' },
  }),
  // The WASM parser is large: it lives in its own bundle, loaded in a worker thread only when a Hog document opens.
  esbuild.context({ ...common, entryPoints: { hogParserWorker: 'src/language/parserWorker.ts' }, outdir: 'dist', metafile: true }),
]);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
