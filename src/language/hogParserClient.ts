/**
 * Runs Hog parses in a worker thread (parserWorker.ts) so that a slow parse never blocks the caller.
 * Plain Node (no vscode import): the extension host, the benchmark and the unit tests all use it.
 *
 * - The worker starts on the first request, not before.
 * - One parse at a time; waiting requests are kept per document key, latest only: queuing version N+1
 *   of a document answers the waiting version N with 'superseded' (and the in-flight one, if it is that
 *   document, is answered 'superseded' when it finishes), so a burst of edits costs at most two parses.
 * - A parse that exceeds the time budget is abandoned: the worker is terminated (the only way to stop a
 *   synchronous WASM call) and a new one is started for the next request.
 * - If the worker dies, the request in flight fails and the next request starts a new worker; after
 *   several deaths in a row without a single answer, the client gives up instead of looping.
 */
import { Worker } from 'node:worker_threads';
import type { Chunk, StatementList } from './incremental';
import type { HogFinding } from './lints';
import type { HogSyntaxError, ParseKind, ParseRequestMessage, ParseResponseMessage } from './protocol';
import { errorMessage } from '../util/errorMessage';

export type { HogSyntaxError, ParseKind } from './protocol';

export interface ParseJob {
  /** Identifies the document (e.g. its URI): only the latest waiting job per key is kept. */
  readonly key: string;
  readonly version: number;
  readonly code: string;
  readonly kind?: ParseKind;
  /** Run the lints in the worker too (programs only): the outcome then carries `findings`. */
  readonly lint?: boolean;
  /** Parse only this region of the code (incremental.ts planChunk); offsets still refer to the whole code. */
  readonly range?: Chunk;
  /** Answer with the program's outline when it parses without errors (incremental.ts). */
  readonly outline?: boolean;
  /** Only lint, do not parse (the outcome has no errors and, with lint, the findings of the lints). */
  readonly skipParse?: boolean;
  /** Overrides the client's time budget for this parse. */
  readonly timeoutMs?: number;
}

export type ParseOutcome =
  | {
      readonly kind: 'parsed';
      readonly errors: readonly HogSyntaxError[];
      /** When the job asked for lint: parser errors made readable plus the lint findings. */
      readonly findings?: readonly HogFinding[];
      /** When the job asked for it and the program parsed without errors. */
      readonly outline?: StatementList;
      /** Time spent in the parser itself. */
      readonly parseMs: number;
      /** Time from parse() to the answer, including waiting for other parses and a cold worker start. */
      readonly elapsedMs: number;
    }
  /** A newer version of the same document was queued; its own outcome will follow. */
  | { readonly kind: 'superseded' }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'disposed' };

export interface HogParserClientOptions {
  /** dist/hogParserWorker.js in the extension; out/src/language/parserWorker.js in tests. */
  readonly workerPath: string;
  /** Budget for one parse, measured from the moment it is sent to the worker (a cold start included). */
  readonly timeoutMs?: number;
  readonly log?: (message: string) => void;
  /** Test seam: how the worker is created. */
  readonly createWorker?: (workerPath: string) => Worker;
}

export interface HogParserClientStats {
  readonly workersStarted: number;
  readonly parses: number;
  readonly timeouts: number;
  readonly crashes: number;
  readonly superseded: number;
}

export const DEFAULT_PARSE_TIMEOUT_MS = 15_000;
/** Worker deaths in a row (no successful answer in between) after which the client stops restarting it. */
const MAX_CONSECUTIVE_CRASHES = 3;

interface Waiting {
  readonly job: ParseJob;
  readonly resolve: (outcome: ParseOutcome) => void;
  readonly queuedAt: number;
}

interface InFlight extends Waiting {
  readonly id: number;
  readonly timer: NodeJS.Timeout;
  superseded: boolean;
}

export class HogParserClient {
  private readonly timeoutMs: number;
  private readonly log: (message: string) => void;
  private readonly createWorker: (workerPath: string) => Worker;

  private worker: Worker | undefined;
  /** Waiting jobs by document key. A Map keeps insertion order, so documents are served first come, first served. */
  private readonly waiting = new Map<string, Waiting>();
  private inFlight: InFlight | undefined;
  private nextId = 1;
  private consecutiveCrashes = 0;
  private brokenReason: string | undefined;
  private disposed = false;
  private readonly counters = { workersStarted: 0, parses: 0, timeouts: 0, crashes: 0, superseded: 0 };

  constructor(private readonly options: HogParserClientOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
    this.log = options.log ?? (() => undefined);
    this.createWorker = options.createWorker ?? ((workerPath) => new Worker(workerPath));
  }

  /** Whether a worker thread is currently running (it starts on the first parse). */
  get isWorkerRunning(): boolean {
    return this.worker !== undefined;
  }

  get stats(): HogParserClientStats {
    return { ...this.counters };
  }

  /**
   * Starts the worker ahead of the first request (it compiles the WASM module as it starts), so that the
   * first parse does not pay for it. Does nothing when a worker runs or the client is disposed or broken.
   */
  prestart(): void {
    if (this.disposed || this.worker) return;
    this.ensureWorker()?.unref();
  }

  parse(job: ParseJob): Promise<ParseOutcome> {
    if (this.disposed) return Promise.resolve({ kind: 'disposed' });
    if (this.brokenReason !== undefined) return Promise.resolve({ kind: 'failed', message: this.brokenReason });

    const previous = this.waiting.get(job.key);
    if (previous) this.answer(previous, { kind: 'superseded' });
    if (this.inFlight?.job.key === job.key) this.inFlight.superseded = true;

    return new Promise<ParseOutcome>((resolve) => {
      // Map.set on an existing key keeps its place in line: a document that keeps changing is not starved.
      this.waiting.set(job.key, { job, resolve, queuedAt: performance.now() });
      this.pump();
    });
  }

  /** Drops the waiting job of a document (e.g. it was closed); a parse in flight is answered 'superseded'. */
  cancel(key: string): void {
    const waiting = this.waiting.get(key);
    if (waiting) {
      this.waiting.delete(key);
      this.answer(waiting, { kind: 'superseded' });
    }
    if (this.inFlight?.job.key === key) this.inFlight.superseded = true;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    if (inFlight) {
      clearTimeout(inFlight.timer);
      inFlight.resolve({ kind: 'disposed' });
    }
    for (const w of this.waiting.values()) w.resolve({ kind: 'disposed' });
    this.waiting.clear();
    this.stopWorker();
  }

  // ─── internals ───────────────────────────────────────────────────────────────────────────────

  private answer(w: Waiting, outcome: ParseOutcome): void {
    if (outcome.kind === 'superseded') this.counters.superseded++;
    w.resolve(outcome);
  }

  private pump(): void {
    if (this.inFlight || this.disposed) return;
    const next = this.waiting.entries().next();
    if (next.done) {
      // Idle: let the process exit if the worker is all that is left (tests, the benchmark).
      this.worker?.unref();
      return;
    }
    const [key, waiting] = next.value;
    this.waiting.delete(key);

    const worker = this.ensureWorker();
    if (!worker) {
      waiting.resolve({ kind: 'failed', message: this.brokenReason ?? 'parser worker unavailable' });
      this.pump();
      return;
    }
    worker.ref();
    const id = this.nextId++;
    const timeoutMs = waiting.job.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => {
      this.onTimeout(id, timeoutMs);
    }, timeoutMs);
    this.inFlight = { ...waiting, id, timer, superseded: false };
    const { code, kind = 'program', lint = false, range, outline, skipParse } = waiting.job;
    const request: ParseRequestMessage = { id, code, kind, lint, ...(range ? { range } : {}), ...(outline ? { outline } : {}), ...(skipParse ? { skipParse } : {}) };
    worker.postMessage(request);
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    if (this.brokenReason !== undefined) return undefined;
    let worker: Worker;
    try {
      worker = this.createWorker(this.options.workerPath);
    } catch (err) {
      this.brokenReason = `cannot start the Hog parser worker: ${errorMessage(err)}`;
      this.log(this.brokenReason);
      return undefined;
    }
    this.counters.workersStarted++;
    this.worker = worker;
    worker.on('message', (message: ParseResponseMessage) => {
      if (worker === this.worker) this.onResponse(message);
    });
    worker.on('error', (err) => {
      this.log(`Hog parser worker error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
    worker.on('exit', (code) => {
      // Workers we stopped on purpose have already been detached (this.worker !== worker).
      if (worker === this.worker) this.onWorkerDied(code);
    });
    return worker;
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      worker.terminate().catch((err: unknown) => {
        this.log(`Hog parser worker did not terminate cleanly: ${String(err)}`);
      });
    }
  }

  private onResponse(message: ParseResponseMessage): void {
    const inFlight = this.inFlight;
    if (inFlight?.id !== message.id) return; // an answer to a request we already gave up on
    clearTimeout(inFlight.timer);
    this.inFlight = undefined;
    this.consecutiveCrashes = 0;
    this.counters.parses++;
    if (inFlight.superseded) {
      this.answer(inFlight, { kind: 'superseded' });
    } else if (message.ok) {
      const elapsedMs = performance.now() - inFlight.queuedAt;
      inFlight.resolve({
        kind: 'parsed',
        errors: message.errors,
        parseMs: message.parseMs,
        elapsedMs,
        ...(message.findings ? { findings: message.findings } : {}),
        ...(message.outline ? { outline: message.outline } : {}),
      });
    } else {
      inFlight.resolve({ kind: 'failed', message: message.failure });
    }
    this.pump();
  }

  private onTimeout(id: number, timeoutMs: number): void {
    const inFlight = this.inFlight;
    if (inFlight?.id !== id) return;
    this.inFlight = undefined;
    this.counters.timeouts++;
    this.log(`Hog parse of ${inFlight.job.key} (${inFlight.job.code.length} chars) exceeded ${timeoutMs} ms: restarting the parser worker`);
    // Terminating is the only way to interrupt a synchronous WASM call; the next job gets a fresh worker.
    this.stopWorker();
    inFlight.resolve(inFlight.superseded ? { kind: 'superseded' } : { kind: 'timeout', timeoutMs });
    this.pump();
  }

  private onWorkerDied(exitCode: number): void {
    this.worker = undefined;
    this.counters.crashes++;
    this.consecutiveCrashes++;
    const message = `Hog parser worker exited unexpectedly (code ${exitCode})`;
    this.log(message);
    if (this.consecutiveCrashes >= MAX_CONSECUTIVE_CRASHES) {
      this.brokenReason = `${message}; gave up after ${this.consecutiveCrashes} failures in a row`;
    }
    const inFlight = this.inFlight;
    this.inFlight = undefined;
    if (inFlight) {
      clearTimeout(inFlight.timer);
      inFlight.resolve({ kind: 'failed', message });
    }
    if (this.brokenReason !== undefined) {
      for (const w of this.waiting.values()) w.resolve({ kind: 'failed', message: this.brokenReason });
      this.waiting.clear();
      return;
    }
    this.pump();
  }
}
