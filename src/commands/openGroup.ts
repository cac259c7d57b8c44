import * as vscode from 'vscode';
import { groupUri } from '../fs/uri';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickEnvironment, pickGroup, pickGroupType } from './pick';

/** Opens a group's properties as a JSON document; saving applies the changes (see the file system). */
export async function openGroup(s: Services, node?: Node): Promise<void> {
  const env = await pickEnvironment(s, node);
  const groupType = await pickGroupType(s, env, node);
  const group = await pickGroup(s, env, groupType, node);
  const doc = await vscode.workspace.openTextDocument(groupUri(env, group.group_type_index, group.group_key));
  await vscode.window.showTextDocument(doc, { preview: false });
}
