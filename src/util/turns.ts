/**
 * Heavy synchronous steps (parsing and validating a large response), one per turn of the event loop, in
 * the order asked. Between two steps timers and I/O run, so a refresh of 10,000 functions — 20 pages of
 * ~400 KiB, four in flight — never holds the extension host's thread longer than one step (a page of
 * 500 functions: ~2 ms to parse, ~8 ms to validate), even when several pages arrive at once. No vscode.
 */
const steps: (() => void)[] = [];
let scheduled = false;

/** Runs `step` in a turn of its own (after the steps asked before it) and resolves with its result. */
export function inOwnTurn<T>(step: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    steps.push(() => {
      try {
        resolve(step());
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    if (!scheduled) {
      scheduled = true;
      setImmediate(runOne);
    }
  });
}

/** One step, then the next one in a later turn (an immediate set from an immediate runs in the next turn). */
function runOne(): void {
  steps.shift()?.();
  if (steps.length > 0) setImmediate(runOne);
  else scheduled = false;
}

/**
 * Values by key (the last one per key wins), handed to `run` together in the next turn of the event loop:
 * many store events of one refresh (10,000 function changes and a list change) become one check, which
 * runs after the turn that received them rather than lengthening it.
 */
export class NextTurnBatch<V> {
  private readonly pending = new Map<string, V>();
  private timer: NodeJS.Immediate | undefined;

  constructor(private readonly run: (values: V[]) => void) {}

  add(key: string, value: V): void {
    this.pending.set(key, value);
    this.timer ??= setImmediate(() => {
      this.timer = undefined;
      const values = [...this.pending.values()];
      this.pending.clear();
      this.run(values);
    });
  }

  dispose(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
