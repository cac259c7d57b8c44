import * as vscode from 'vscode';
import type { FunctionDocKind } from '../model/docPath';
import { functionUri } from '../fs/uri';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickFunction, type PickedFunction } from './pick';
import { SCHEME } from '../constants';

/**
 * Shared by "Open Hog Code", "Open Inputs" and "Open Filters": the function of the tree node, else of the
 * document in the active editor (its code, inputs or filters), else the one the user picks.
 */
export async function openFunctionDocument(s: Services, kind: FunctionDocKind, node?: Node): Promise<vscode.TextEditor> {
  const { env, fn } = (node ? undefined : activeFunction(s)) ?? (await pickFunction(s, node, { title: `Open the ${kind === 'code' ? 'code' : kind} of which hog function?` }));
  const uri = functionUri(env, fn, kind);
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The function whose code, inputs or filters the active editor shows (known to the store), if any. */
function activeFunction(s: Services): PickedFunction | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  if (uri?.scheme !== SCHEME) return undefined;
  try {
    const { env, ref } = s.fs.resolve(uri);
    if (ref.kind !== 'code' && ref.kind !== 'inputs' && ref.kind !== 'filters') return undefined;
    const fn = s.store.summary(env, ref.functionId);
    return fn ? { env, fn } : undefined;
  } catch {
    return undefined;
  }
}
