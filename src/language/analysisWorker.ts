/**
 * The Hog analysis worker thread (bundled as dist/hogAnalysis.js): parses, lints and resolves the symbols
 * of large Hog documents, one at a time, so that the extension host's event loop never waits on them
 * (a 45 KiB program takes ~25 ms warm and over 100 ms in a fresh process). Messages: `{ id, code,
 * functionType }` in, `{ id, analysis }` or `{ id, error }` out.
 */
import { parentPort } from 'node:worker_threads';
import { analyzeHog } from './analysis';

interface Incoming {
  readonly id: number;
  readonly code: string;
  readonly functionType?: string;
}

const port = parentPort;
if (port) {
  port.on('message', (message: Incoming) => {
    try {
      port.postMessage({ id: message.id, analysis: analyzeHog(message.code, message.functionType) });
    } catch (e) {
      port.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}
