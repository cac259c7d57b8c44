import * as vscode from 'vscode';
import { isPostHogError } from '../api/errors';
import type { DocRef } from '../model/docPath';
import { locateInputKey, type Problem } from '../model/inputsDocument';
import { isPartialWrite } from '../model/writeErrors';
import { errorMessage } from '../util/errorMessage';
import { DocumentConflictError, InvalidDocumentError } from './documents/types';
import { toFileSystemError } from './mapError';
import type { SaveFailure } from './posthogFileSystem';

/**
 * A failed save in words, three ways: the SaveFailure the UI layer acts on (diagnostics, Compare and
 * Overwrite), the line for the log (never a server detail that may quote a secret, B1) and the
 * FileSystemError VS Code shows in its "Failed to save" notification.
 */
export function describeSaveFailure(uri: vscode.Uri, ref: DocRef, e: unknown, text: string): { failure: SaveFailure; logged: string; error: vscode.FileSystemError } {
  const name = uri.path.split('/').pop() ?? ref.kind;
  const what = `Not saved to PostHog (${name})`;
  let failure: SaveFailure;
  if (e instanceof InvalidDocumentError) {
    failure = { uri, kind: 'invalid', message: e.message, problems: e.problems };
  } else if (e instanceof DocumentConflictError) {
    failure = {
      uri,
      kind: 'conflict',
      message: `${name}: ${e.message} Compare to review both versions, or Overwrite to replace that version with yours.`,
      problems: [],
      remoteText: e.remoteText,
      acceptRemote: e.accept,
    };
  } else if (isPartialWrite(e)) {
    failure = { uri, kind: 'partial', message: e.message, problems: [] };
  } else if (isPostHogError(e) && e.isValidation) {
    failure = { uri, kind: 'rejected', message: e.detail ?? e.message, problems: serverProblems(e.detail ?? e.message, e.attr ?? '', ref.kind, text) };
  } else if (isPostHogError(e) && (e.isAuth || e.isForbidden)) {
    failure = { uri, kind: 'permission', message: e.message, problems: [] };
  } else if (isPostHogError(e) && e.isNotFound) {
    failure = {
      uri,
      kind: 'notFound',
      message: `This ${ref.kind === 'group' ? 'group' : 'hog function'} no longer exists in PostHog (deleted?). Your text is kept: copy it or use "Save As".`,
      problems: [],
    };
  } else {
    failure = { uri, kind: 'unavailable', message: errorMessage(e), problems: [] };
  }
  // Server validation details can quote what was sent (a secret's value, B1): the log gets the field only.
  const logged =
    failure.kind === 'rejected' && ref.kind === 'inputs' ? `PostHog refused ${isPostHogError(e) && e.attr ? e.attr.replace(/__/g, '.') : 'the inputs'}` : failure.message;
  let error: vscode.FileSystemError;
  if (e instanceof InvalidDocumentError || isPartialWrite(e)) error = new vscode.FileSystemError(`${what}: ${e.message}`);
  else if (e instanceof DocumentConflictError) error = new vscode.FileSystemError(`${what}: ${e.message} Your edit is kept.`);
  else if (isPostHogError(e) && e.isValidation) error = new vscode.FileSystemError(`${what}: ${e.detail ?? e.message}${e.attr ? ` (${e.attr.replace(/__/g, '.')})` : ''}`);
  else error = toFileSystemError(e, uri, what, 'save');
  return { failure, logged, error };
}

/** Where a server validation error belongs in the document, naming the input it is about (F17). */
export function serverProblems(detail: string, attr: string, kind: DocRef['kind'], text: string): Problem[] {
  if (kind === 'inputs' && attr.startsWith('inputs__')) {
    const key = attr.split('__')[1] ?? '';
    const at = locateInputKey(text, key);
    return [{ message: at ? detail : `Input "${key}": ${detail}`, offset: at?.offset ?? 0, length: at?.length ?? 1, severity: 'error', key }];
  }
  if (kind === 'code' && attr === 'hog') {
    const firstLine = text.split('\n')[0] ?? '';
    return [{ message: `${detail} (PostHog does not say where; see the Hog diagnostics for the position.)`, offset: 0, length: firstLine.length, severity: 'error' }];
  }
  return [{ message: attr ? `${detail} (${attr.replace(/__/g, '.')})` : detail, offset: 0, length: 1, severity: 'error' }];
}
