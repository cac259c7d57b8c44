/**
 * The runner's worker thread (bundled as dist/runner.js): compiles and runs one request at a time, so
 * the extension host never waits on a run. Messages: `{ id, request }` in, `{ id, result }` or
 * `{ id, error }` out.
 */
import { parentPort } from 'node:worker_threads';
import { runHogFunction } from './run';
import type { RunRequest } from './types';

interface Incoming {
  readonly id: number;
  readonly request: RunRequest;
}

const port = parentPort;
if (port) {
  port.on('message', (message: Incoming) => {
    runHogFunction(message.request).then(
      (result) => {
        port.postMessage({ id: message.id, result });
      },
      (e: unknown) => {
        port.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e) });
      },
    );
  });
}
