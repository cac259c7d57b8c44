/** Outcomes of writes that are not transport errors. Pure; thrown by the stores, mapped by the views. */

/**
 * The thing changed in PostHog since the version the change was made against, in a way that touches
 * the change. `remote` is the current remote state the user can compare with; a retry against it is
 * conditional on exactly that version (A1).
 */
export class WriteConflictError<T> extends Error {
  constructor(
    message: string,
    readonly remote: T,
    /** For groups: the keys someone else changed. */
    readonly keys: readonly string[] = [],
  ) {
    super(message);
    this.name = 'WriteConflictError';
  }
}

/**
 * A WriteConflictError from any bundle. The documents' save path (dist/documents.js) and the command
 * handlers (dist/commands.js) carry their own copy of this class, so a conflict thrown by the stores
 * (dist/extension.js) fails `instanceof` there.
 */
export function isWriteConflict(e: unknown): e is WriteConflictError<unknown> {
  return e instanceof WriteConflictError || (e instanceof Error && e.name === 'WriteConflictError' && 'remote' in e && 'keys' in e);
}

/** A write of several requests stopped midway: `applied` reached PostHog, `notApplied` did not. */
export class PartialWriteError<Op, T> extends Error {
  constructor(
    message: string,
    readonly applied: readonly Op[],
    readonly notApplied: readonly Op[],
    /** The state after the applied part. */
    readonly state: T | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PartialWriteError';
  }
}

/**
 * A PartialWriteError from any bundle: the group store (dist/extension.js) throws it, the documents'
 * save path (dist/documents.js) and the command handlers (dist/commands.js) each carry their own copy
 * of the class, so `instanceof` fails there.
 */
export function isPartialWrite(e: unknown): e is PartialWriteError<unknown, unknown> {
  return e instanceof PartialWriteError || (e instanceof Error && e.name === 'PartialWriteError' && 'applied' in e && 'notApplied' in e && 'state' in e);
}
