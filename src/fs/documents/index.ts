/**
 * The documents bundle (dist/documents.js): what reading and saving `posthog:` documents needs beyond
 * the provider — each kind's handler, the document models (code, inputs, filters, group properties,
 * with jsonc-parser) and the wording of a failed save. The provider (../posthogFileSystem.ts) loads it
 * at its first document, so activation does not. Its classes are copies of their own: errors crossing
 * from the stores are recognised by name (model/writeErrors.ts), never by `instanceof`.
 */
import type * as vscode from 'vscode';
import type { Environment } from '../../model/environment';
import { FunctionDocumentHandler } from './functionDocument';
import { GroupDocumentHandler } from './groupDocument';
import type { DocumentDeps } from './types';

export { describeSaveFailure } from '../saveFailure';

export interface DocumentEvents {
  /** A function document was saved (the provider updates its sibling documents and diagnostics). */
  functionSaved(env: Environment, functionId: string, uri: vscode.Uri): void;
  /** An open group document changed remotely (VS Code re-reads clean ones). */
  groupChanged(uri: vscode.Uri): void;
  groupSaved(uri: vscode.Uri): void;
}

export interface DocumentHandlers {
  readonly functions: FunctionDocumentHandler;
  readonly group: GroupDocumentHandler;
}

export function createDocumentHandlers(deps: DocumentDeps, on: DocumentEvents): DocumentHandlers {
  return {
    functions: new FunctionDocumentHandler(deps, (env, id, uri) => on.functionSaved(env, id, uri)),
    group: new GroupDocumentHandler(
      deps,
      (uri) => on.groupChanged(uri),
      (uri) => on.groupSaved(uri),
    ),
  };
}
