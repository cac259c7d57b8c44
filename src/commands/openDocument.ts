import * as vscode from 'vscode';
import type { FunctionDocKind } from '../model/docPath';
import { functionUri } from '../fs/uri';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickFunction } from './pick';

/** Shared by "Open Hog Code", "Open Inputs" and "Open Filters". */
export async function openFunctionDocument(s: Services, kind: FunctionDocKind, node?: Node): Promise<vscode.TextEditor> {
  const { env, fn } = await pickFunction(s, node, { title: `Open the ${kind === 'code' ? 'code' : kind} of which hog function?` });
  const uri = functionUri(env, fn, kind);
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}
