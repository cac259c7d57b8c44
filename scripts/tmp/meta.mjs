import * as esbuild from 'esbuild';
const r = await esbuild.build({
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  keepNames: process.env.KN === '1',
  mainFields: ['module', 'main'],
  entryPoints: { extension: 'src/extension.ts' },
  outdir: '/tmp/metaout',
  external: ['vscode', ...(process.env.EXT || '').split(',').filter(Boolean)],
  metafile: true,
  alias: { 'whatwg-url': './src/util/nodeUrlShim.ts' },
  logLevel: 'error',
});
const out = Object.values(r.metafile.outputs).find((o) => o.entryPoint);
const byPkg = {};
const depth = Number(process.env.DEPTH || 2);
for (const [f, v] of Object.entries(out.inputs)) {
  const m = f.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  const k = m ? m[1] : f.split('/').slice(0, depth).join('/');
  byPkg[k] = (byPkg[k] || 0) + v.bytesInOutput;
}
console.log('total', (out.bytes / 1024).toFixed(1));
for (const [k, v] of Object.entries(byPkg)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 40))
  console.log((v / 1024).toFixed(1).padStart(8), k);
