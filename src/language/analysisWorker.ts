/**
 * The Hog analysis worker thread (bundled as dist/hogAnalysis.js): parses, lints and resolves the symbols
 * of large Hog documents, one at a time, so that the extension host's event loop never waits on them
 * (a 45 KiB program takes ~25 ms warm and over 100 ms in a fresh process). Messages: `{ id, code,
 * functionType }` in, `{ id, analysis }` or `{ id, error }` out.
 */
import * as os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../util/errorMessage';
import { analyzeHog } from './analysis';

/**
 * On Linux a nice value belongs to a thread (setpriority on "this process" sets the calling thread's):
 * the analysis takes what CPU the extension host's own thread leaves, so on a busy machine a large
 * document's squiggles come later rather than the editor stalling. Elsewhere it would lower the whole
 * extension host, so it is left alone.
 */
const BACKGROUND_NICE = 10;
if (process.platform === 'linux') {
  try {
    os.setPriority(BACKGROUND_NICE);
  } catch {
    // Not permitted here: the analysis runs at normal priority.
  }
}

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
      port.postMessage({ id: message.id, error: errorMessage(e) });
    }
  });
}
