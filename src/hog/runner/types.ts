/**
 * What a local run takes and gives back. Plain data both ways: it crosses a worker thread boundary
 * (structured clone) and is rendered by the editor and the CLI.
 */

/** One input as the inputs document holds it. */
export interface RunInput {
  readonly value?: unknown;
  readonly templating?: string | null;
  /** A secret input: its value never appears in a log, a fetch listing or the result. */
  readonly secret?: boolean;
}

export interface RunRequest {
  /** The hog function type: 'destination', 'transformation', 'internal_destination', … */
  readonly type: string;
  /** Hog source (the unsaved text of the code document). */
  readonly code: string;
  /** Inputs in the schema's order (the order PostHog starts from). */
  readonly inputs: Readonly<Record<string, RunInput>>;
  /** `event`, `person`, `groups`, `project`, `source` — everything but `inputs`. */
  readonly globals: Readonly<Record<string, unknown>>;
  /** 'mock' answers every fetch with `{status: 200, body: {}}`; 'real' sends it (after the user confirmed). */
  readonly fetch: 'mock' | 'real';
  /** Per run; default 5000 ms. */
  readonly timeoutMs?: number;
  /** Default 100. */
  readonly maxAsyncSteps?: number;
  /**
   * PostHog's test API writes a mocked call's log lines as the call was made, secrets included (only
   * print lines are sanitized). The stand-in asks for that; the extension never does.
   */
  readonly revealMockedCalls?: boolean;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface RunLog {
  readonly level: LogLevel;
  /** ISO time. */
  readonly timestamp: string;
  readonly message: string;
}

export interface FetchCall {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly mocked: boolean;
  /** The answer the code received. */
  readonly response: { readonly status: number; readonly body: unknown };
}

/** Where in the code (UTF-16 offsets) or in which input something went wrong. */
export interface RunProblem {
  readonly message: string;
  readonly start?: number;
  readonly end?: number;
  /** The input whose template this is about (`headers.Authorization` for nested values). */
  readonly input?: string;
  /** true when it stops the run (a compile error, a runtime error). */
  readonly fatal: boolean;
}

export interface RunResult {
  readonly status: 'success' | 'error';
  /** The code's compile problems, runtime error and input problems, in that order. */
  readonly problems: readonly RunProblem[];
  /** PostHog's log lines for the run (mocked calls, prints, the summary line, errors), secrets masked. */
  readonly logs: readonly RunLog[];
  readonly fetches: readonly FetchCall[];
  /** Events sent with postHogCapture. */
  readonly captures: readonly unknown[];
  /** The evaluated inputs (secret values masked). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** What the code returned (JSON values). */
  readonly returned: unknown;
  /** Transformations: the event before and after (after: null when the transformation drops it). */
  readonly transformation?: { readonly before: unknown; readonly after: unknown };
  readonly stats: {
    readonly compileMs: number;
    readonly inputsMs: number;
    readonly runMs: number;
    readonly ops: number;
    readonly memoryBytes: number;
    readonly bytecodeLength: number;
  };
}

export const REDACTED = '***REDACTED***';
