import * as vscode from 'vscode';
import { isPostHogError } from '../api/errors';

/**
 * The one place that turns API failures into FileSystemErrors. VS Code shows the message in its
 * "Failed to save" notification and keeps the editor dirty, so every message must say what happened
 * and what to do.
 */
export function toFileSystemError(e: unknown, uri: vscode.Uri, what: string): vscode.FileSystemError {
  if (e instanceof vscode.FileSystemError) return e;
  if (!isPostHogError(e)) return new vscode.FileSystemError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  switch (e.kind) {
    case 'cancelled':
      return vscode.FileSystemError.Unavailable(`${what}: cancelled.`);
    case 'timeout':
    case 'network':
      return vscode.FileSystemError.Unavailable(`${what}: ${e.message} Your edit is kept; save again when PostHog is reachable.`);
    case 'config':
      return vscode.FileSystemError.NoPermissions(`${what}: ${e.message}`);
    case 'schema':
      return vscode.FileSystemError.Unavailable(`${what}: ${e.message}`);
    case 'http':
      if (e.status === 401 || e.status === 403) return vscode.FileSystemError.NoPermissions(`${what}: ${e.message}`);
      if (e.status === 404) return vscode.FileSystemError.FileNotFound(`${what}: it no longer exists in PostHog (deleted remotely?). Your text is kept: copy it or use "Save As".`);
      if (e.status === 429 || (e.status ?? 0) >= 500) return vscode.FileSystemError.Unavailable(`${what}: ${e.message} Your edit is kept; save again later.`);
      return new vscode.FileSystemError(`${what}: ${e.message}`);
  }
  return new vscode.FileSystemError(`${what}: ${String(uri)}`);
}
