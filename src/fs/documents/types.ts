import type * as vscode from 'vscode';
import type { DocRef } from '../../model/docPath';
import type { Environment } from '../../model/environment';
import type { Problem } from '../../model/inputsDocument';
import type { ClientPool } from '../../services/clients';
import type { GroupStore } from '../../services/groupStore';
import type { HogFunctionStore } from '../../services/hogFunctionStore';
import type { Log } from '../../util/log';
import type { DocumentBases } from '../bases';

export interface DocumentDeps {
  clients: ClientPool;
  store: HogFunctionStore;
  groups: GroupStore;
  log: Log;
  bases: DocumentBases;
}

/**
 * One kind of `posthog:` document (code, inputs, filters, group properties, …). The provider resolves
 * the URI and hands the call to the kind's handler. Handlers never show UI: they return or throw
 * (InvalidDocumentError, DocumentConflictError, the stores' errors); the provider maps and reports.
 */
export interface DocumentHandler<R extends DocRef = DocRef> {
  stat(env: Environment, ref: R, uri: vscode.Uri): Promise<Omit<vscode.FileStat, 'type'>>;
  read(env: Environment, ref: R, uri: vscode.Uri): Promise<string>;
  /** Saves `text`. Resolves once PostHog holds it (or already held it: then no request is sent). */
  write(env: Environment, ref: R, uri: vscode.Uri, text: string): Promise<void>;
  /** The document's text as PostHog has it now (a fresh read, for Compare). */
  remote(env: Environment, ref: R, uri: vscode.Uri): Promise<string>;
  /** Live problems of an edited text, from cached data only (no request); undefined when unknown. */
  validate?(env: Environment, ref: R, uri: vscode.Uri, text: string): Problem[] | undefined;
  /** What the document is called in messages. */
  title(ref: R): string;
}

/** The text cannot be saved as it is; `problems` say where. */
export class InvalidDocumentError extends Error {
  constructor(
    message: string,
    readonly problems: Problem[],
  ) {
    super(message);
    this.name = 'InvalidDocumentError';
  }

  static from(problems: Problem[], fallback: string): InvalidDocumentError {
    const errors = problems.filter((p) => p.severity === 'error');
    const first = errors[0]?.message ?? fallback;
    return new InvalidDocumentError(`${first}${errors.length > 1 ? ` (+${errors.length - 1} more in Problems)` : ''}`, problems);
  }
}

/**
 * PostHog holds another version than the one the edits were made against. `remoteText` is that
 * version as a document; `accept` makes it the document's base, so the next save is a conditional
 * write against exactly what the user compared with (a later change is a new conflict).
 */
export class DocumentConflictError extends Error {
  constructor(
    message: string,
    readonly remoteText: string,
    readonly accept: () => Promise<void>,
  ) {
    super(message);
    this.name = 'DocumentConflictError';
  }
}
