import * as vscode from 'vscode';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickFunction } from './pick';

export async function copyId(s: Services, node?: Node): Promise<void> {
  let id: string;
  if (node?.kind === 'environment') id = String(node.env.projectId);
  else if (node?.kind === 'group') id = node.group.group_key;
  else id = (await pickFunction(s, node, { title: 'Copy the id of which hog function?' })).fn.id;
  await vscode.env.clipboard.writeText(id);
  void vscode.window.setStatusBarMessage(`Copied ${id}`, 3000);
}
