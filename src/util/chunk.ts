import * as path from 'node:path';

/**
 * Loads one of the extension's own bundles from dist/ at run time (esbuild.mjs builds each from its
 * entry module). A path esbuild does not follow, so the extension's bundle does not contain the chunk:
 * it costs nothing until the feature is used.
 */
export function loadChunk<T>(extensionPath: string, name: string, is: (m: unknown) => m is T): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const chunk: unknown = require(path.join(extensionPath, 'dist', `${name}.js`));
  if (!is(chunk)) throw new Error(`dist/${name}.js is not the expected bundle: rebuild with "npm run build".`);
  return chunk;
}

/** Whether m is an object whose named members are all functions (a loaded chunk's exports). */
export function exportsFunctions(m: unknown, names: readonly string[]): boolean {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  return names.every((n) => typeof o[n] === 'function');
}
