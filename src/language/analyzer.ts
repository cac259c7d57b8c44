/**
 * One analysis per Hog document version, shared by every feature that needs it: the diagnostics after
 * the debounce, the quick fixes, and the outline, go to definition, references and rename (VS Code asks
 * for the outline after every edit).
 *
 * Where it runs depends on the size: a document under WORKER_MIN_CHARS is parsed right here (a 2 KB
 * function in 1–2 ms, ~25 ms the first time in a fresh process), a larger one in the analysis worker
 * (analysisWorker.ts), so that the extension host's event loop never stalls on it: a 45 KiB program
 * takes ~25 ms warm and 70–120 ms cold. If the worker cannot start, the analysis runs here and the log
 * says so once. No vscode import: the language features hand in what they know of a document.
 */
import type { Worker } from 'node:worker_threads';
import { parseProgram, type ParseResult } from '../hog/parser';
import { analyzeHog, findingsOf, symbolsOf, type HogAnalysis, type HogSymbolData } from './analysis';
import type { HogFinding } from './lints';
import { errorMessage } from '../util/errorMessage';

/** From this many UTF-16 units on, a document is analysed in the worker (a cold parse of 8 KB is ~20 ms). */
export const WORKER_MIN_CHARS = 8 * 1024;
/** An analysis that takes longer than this stops the worker (a parser bug, never a real program). */
const WORKER_TIMEOUT_MS = 20_000;
/** A worker with nothing to do for this long is stopped (its memory returned); the next large document starts another. */
const WORKER_IDLE_MS = 5 * 60_000;

/** What the analyzer needs of a document. */
export interface AnalyzedDocument {
  /** Identifies the document (its URI). */
  readonly key: string;
  readonly version: number;
  getText(): string;
  /** The type of the hog function whose code this is (which host functions it may call), if known. */
  readonly functionType?: string;
}

export interface FindingsResult {
  readonly findings: readonly HogFinding[];
  /** How long the analysis took where it ran. */
  readonly elapsedMs: number;
  readonly inWorker: boolean;
}

/** The document changed (or closed) before its analysis ran: a newer one is on its way. Say nothing. */
export class AnalysisSupersededError extends Error {
  constructor() {
    super('A newer version of the document is being analysed.');
    this.name = 'AnalysisSupersededError';
  }
}

export function isAnalysisSuperseded(e: unknown): boolean {
  return e instanceof Error && e.name === 'AnalysisSupersededError';
}

interface InlineEntry {
  readonly version: number;
  readonly kind: 'inline';
  readonly text: string;
  readonly parsed: ParseResult;
  readonly parseMs: number;
  findings?: FindingsResult;
  symbols?: readonly HogSymbolData[];
}

interface WorkerEntry {
  readonly version: number;
  readonly kind: 'worker';
  /** inWorker: false when the worker could not start and the analysis ran here. */
  readonly analysis: Promise<HogAnalysis & { readonly inWorker: boolean }>;
}

export interface HogAnalyzerOptions {
  /** Starts the analysis worker (called at the first large document); undefined: everything runs here. */
  readonly spawnWorker?: () => Worker;
  readonly log: (message: string) => void;
  readonly workerMinChars?: number;
  readonly workerTimeoutMs?: number;
  readonly workerIdleMs?: number;
}

export class HogAnalyzer {
  private readonly entries = new Map<string, InlineEntry | WorkerEntry>();
  private readonly worker: AnalysisWorker | undefined;
  private readonly workerMinChars: number;
  private workerFailed = false;

  constructor(private readonly options: HogAnalyzerOptions) {
    this.workerMinChars = options.workerMinChars ?? WORKER_MIN_CHARS;
    this.worker = options.spawnWorker
      ? new AnalysisWorker(options.spawnWorker, options.log, options.workerTimeoutMs ?? WORKER_TIMEOUT_MS, options.workerIdleMs ?? WORKER_IDLE_MS)
      : undefined;
  }

  /** The findings of the document's current version. Rejects with AnalysisSupersededError if it changed meanwhile. */
  async findings(document: AnalyzedDocument): Promise<FindingsResult> {
    const entry = this.entry(document);
    if (entry.kind === 'inline') {
      if (!entry.findings) {
        const started = performance.now();
        const findings = findingsOf(entry.text, entry.parsed, document.functionType);
        entry.findings = { findings, elapsedMs: entry.parseMs + performance.now() - started, inWorker: false };
      }
      return entry.findings;
    }
    const { findings, elapsedMs, inWorker } = await entry.analysis;
    return { findings, elapsedMs, inWorker };
  }

  /** The symbols of the document's current version. Rejects with AnalysisSupersededError if it changed meanwhile. */
  async symbols(document: AnalyzedDocument): Promise<readonly HogSymbolData[]> {
    const entry = this.entry(document);
    if (entry.kind === 'inline') {
      entry.symbols ??= symbolsOf(entry.text, entry.parsed);
      return entry.symbols;
    }
    return (await entry.analysis).symbols;
  }

  /** Forgets a closed document. */
  forget(key: string): void {
    this.entries.delete(key);
    this.worker?.drop(key);
  }

  dispose(): void {
    this.entries.clear();
    this.worker?.dispose();
  }

  private entry(document: AnalyzedDocument): InlineEntry | WorkerEntry {
    const hit = this.entries.get(document.key);
    if (hit?.version === document.version) return hit;
    const text = document.getText();
    const entry = this.useWorker(text) ? this.inWorker(document, text) : this.inline(document.version, text);
    this.entries.set(document.key, entry);
    return entry;
  }

  private useWorker(text: string): boolean {
    return this.worker !== undefined && !this.workerFailed && text.length >= this.workerMinChars;
  }

  private inline(version: number, text: string): InlineEntry {
    const started = performance.now();
    const parsed = parseProgram(text);
    return { version, kind: 'inline', text, parsed, parseMs: performance.now() - started };
  }

  private inWorker(document: AnalyzedDocument, text: string): WorkerEntry {
    const worker = this.worker;
    if (!worker) throw new Error('No analysis worker.');
    const analysis = worker.analyze(document.key, text, document.functionType).then(
      (a) => ({ ...a, inWorker: true }),
      (e: unknown) => {
        if (!(e instanceof WorkerUnavailableError)) throw e;
        // The worker cannot start (a broken installation): analyse here from now on, as before it existed.
        if (!this.workerFailed) this.options.log(`Hog analysis worker unavailable (${e.message}): large documents are analysed on the extension host.`);
        this.workerFailed = true;
        return { ...analyzeHog(text, document.functionType), inWorker: false };
      },
    );
    return { version: document.version, kind: 'worker', analysis };
  }
}

/** The worker could not be started; the analysis can run on the host instead. */
class WorkerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerUnavailableError';
  }
}

interface Job {
  readonly id: number;
  readonly key: string;
  readonly code: string;
  readonly functionType: string | undefined;
  readonly resolve: (analysis: HogAnalysis) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The analysis worker, one document at a time: of the documents waiting, only the latest version of each
 * is analysed (an older one waiting is superseded). Started at the first job and stopped after a while
 * without work (WORKER_IDLE_MS: its memory is returned; the next large document starts another); it keeps
 * the process alive only while it works.
 */
export class AnalysisWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  /** Waiting, latest per document, in arrival order. */
  private readonly waiting = new Map<string, Job>();
  private running: { readonly job: Job; readonly timer: NodeJS.Timeout } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly spawn: () => Worker,
    private readonly log: (message: string) => void,
    private readonly timeoutMs: number,
    private readonly idleMs: number,
  ) {}

  analyze(key: string, code: string, functionType: string | undefined): Promise<HogAnalysis> {
    return new Promise<HogAnalysis>((resolve, reject) => {
      this.waiting.get(key)?.reject(new AnalysisSupersededError());
      this.waiting.delete(key); // re-inserted last: arrival order
      this.waiting.set(key, { id: this.nextId++, key, code, functionType, resolve, reject });
      this.next();
    });
  }

  /** A closed document: its waiting job is dropped. */
  drop(key: string): void {
    this.waiting.get(key)?.reject(new AnalysisSupersededError());
    this.waiting.delete(key);
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    for (const job of this.waiting.values()) job.reject(new AnalysisSupersededError());
    this.waiting.clear();
    this.stop(new AnalysisSupersededError());
  }

  private next(): void {
    if (this.running) return;
    const job = this.waiting.values().next().value;
    if (!job) {
      this.idle();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.waiting.delete(job.key);
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (e) {
      job.reject(new WorkerUnavailableError(errorMessage(e)));
      this.next();
      return;
    }
    const timer = setTimeout(() => {
      this.log(`Hog analysis worker: no answer within ${this.timeoutMs} ms; stopped it.`);
      this.stop(new Error(`The analysis of this Hog document took over ${duration(this.timeoutMs)} and was stopped.`));
      this.next();
    }, this.timeoutMs);
    this.running = { job, timer };
    worker.ref();
    worker.postMessage({ id: job.id, code: job.code, functionType: job.functionType });
  }

  /** Nothing to do: the worker no longer keeps the process alive, and is stopped if it stays idle. */
  private idle(): void {
    const worker = this.worker;
    if (!worker) return;
    worker.unref();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.worker !== worker || this.running) return;
      this.log(`Hog analysis worker stopped after ${duration(this.idleMs)} without work.`);
      this.worker = undefined;
      void worker.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const started = performance.now();
    const worker = this.spawn();
    worker.on('message', (message: unknown) => {
      const running = this.running;
      if (!running || !isReply(message) || message.id !== running.job.id) return;
      clearTimeout(running.timer);
      this.running = undefined;
      if (message.analysis) running.job.resolve(message.analysis);
      else running.job.reject(new Error(message.error ?? 'The Hog analysis failed without a message.'));
      this.next();
    });
    worker.on('error', (e) => {
      if (this.worker !== worker) return;
      this.log(`Hog analysis worker failed: ${e.stack ?? e.message}`);
      this.stop(new Error(`The Hog analysis stopped: ${e.message}`));
      this.next();
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(new Error(`The Hog analysis worker stopped (exit code ${code}).`));
      this.next();
    });
    this.worker = worker;
    this.log(`Hog analysis worker started in ${(performance.now() - started).toFixed(1)} ms`);
    return worker;
  }

  /** Ends the worker (the next job starts another) and fails the running job. */
  private stop(error: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    this.fail(error);
    if (worker) void worker.terminate();
  }

  private fail(error: Error): void {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    clearTimeout(running.timer);
    running.job.reject(error);
  }
}

interface Reply {
  readonly id: number;
  readonly analysis?: HogAnalysis;
  readonly error?: string;
}

/** A message of our own worker (analysisWorker.ts); anything else is ignored. */
function isReply(m: unknown): m is Reply {
  return typeof m === 'object' && m !== null && 'id' in m && typeof m.id === 'number';
}

/** "20 s", "300 ms". */
function duration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
