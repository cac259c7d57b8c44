/**
 * Runs hog functions locally in a worker thread (dist/runner.js: our compiler and PostHog's VM), started
 * at the first run and kept warm. A run that outlives its own timeout by more than a grace period (a
 * real request that never answers, a VM stuck outside its own timeout) ends the worker: the run fails
 * with a sentence saying so, and the next run starts a new one. No vscode import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RunRequest, RunResult } from '../hog/runner/types';

const GRACE_MS = 15_000;

interface Pending {
  readonly resolve: (r: RunResult) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class LocalRunner {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly extensionPath: string,
    private readonly log: (message: string) => void,
  ) {}

  run(request: RunRequest): Promise<RunResult> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const limitMs = (request.timeoutMs ?? 5000) + GRACE_MS;
    return new Promise<RunResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.stopWorker();
        reject(new Error(`The local run did not finish within ${Math.round(limitMs / 1000)} s (a request that never answered?). It was stopped.`));
      }, limitMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, request });
    });
  }

  /** Starts the worker ahead of a run (it loads its bundle meanwhile). */
  warm(): void {
    this.ensureWorker();
  }

  dispose(): void {
    this.stopWorker();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const file = path.join(this.extensionPath, 'dist', 'runner.js');
    if (!fs.existsSync(file)) throw new Error('The local runner (dist/runner.js) is missing from this installation. Reinstall the extension.');
    const worker = new Worker(file);
    worker.unref();
    worker.on('message', (message: { id: number; result?: RunResult; error?: string }) => {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.result) p.resolve(message.result);
      else p.reject(new Error(message.error ?? 'The local run failed without a message.'));
    });
    worker.on('error', (e) => {
      this.log(`local runner worker failed: ${e.stack ?? e.message}`);
      this.failAll(new Error(`The local runner stopped: ${e.message}`));
      this.worker = undefined;
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = undefined;
      if (code !== 0) this.failAll(new Error(`The local runner stopped (exit code ${code}).`));
    });
    this.worker = worker;
    this.log(`local runner worker started (${file})`);
    return worker;
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('The local runner was stopped.'));
    if (worker) void worker.terminate();
  }

  private failAll(error: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(error);
    }
  }
}
