import * as vscode from 'vscode';
import { isPostHogError } from '../api/errors';
import { errorMessage } from '../util/errorMessage';

/**
 * The one place that turns API failures into FileSystemErrors. VS Code shows the message (in its
 * "Failed to save" notification, or where the document failed to open), so every message must say
 * what happened and what to do — for the phase it happened in (E5): only a failed save has an edit
 * to keep.
 */
export function toFileSystemError(e: unknown, uri: vscode.Uri, what: string, phase: 'open' | 'save'): vscode.FileSystemError {
  if (e instanceof vscode.FileSystemError) return e;
  if (!isPostHogError(e)) return new vscode.FileSystemError(`${what}: ${errorMessage(e)}`);
  const kept = phase === 'save' ? ' Your edit is kept; save again' : ' Try again';
  switch (e.kind) {
    case 'cancelled':
      return vscode.FileSystemError.Unavailable(`${what}: cancelled.`);
    case 'timeout':
    case 'network':
      return vscode.FileSystemError.Unavailable(`${what}: ${e.message}${kept} when PostHog is reachable.`);
    case 'config':
      return vscode.FileSystemError.NoPermissions(`${what}: ${e.message}`);
    case 'schema':
      return vscode.FileSystemError.Unavailable(`${what}: ${e.message}`);
    case 'http':
      if (e.status === 401 || e.status === 403) return vscode.FileSystemError.NoPermissions(`${what}: ${e.message}`);
      if (e.status === 404) {
        return vscode.FileSystemError.FileNotFound(
          phase === 'save'
            ? `${what}: it no longer exists in PostHog (deleted remotely?). Your text is kept: copy it or use "Save As".`
            : `${what}: it does not exist in PostHog (deleted, or another project?).`,
        );
      }
      if (e.status === 429 || (e.status ?? 0) >= 500) return vscode.FileSystemError.Unavailable(`${what}: ${e.message}${kept} later.`);
      return new vscode.FileSystemError(`${what}: ${e.message}`);
  }
  return new vscode.FileSystemError(`${what}: ${String(uri)}`);
}
