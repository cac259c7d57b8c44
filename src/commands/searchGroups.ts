import * as vscode from 'vscode';
import { groupTypeLabel } from '../model/treeModel';
import type { Services } from './services';
import { ids, type Node } from '../tree/nodes';
import { pickEnvironment, pickGroupType } from './pick';
import { orCancel } from './errorBoundary';

/** "PostHog: Search Groups…": restarts a group type's list with the server's `search`. */
export async function searchGroups(s: Services, node?: Node): Promise<void> {
  const env = await pickEnvironment(s, node);
  const groupType = await pickGroupType(s, env, node);
  const current = s.groups.state(env, groupType.group_type_index).search;
  const text = orCancel(
    await vscode.window.showInputBox({ title: `Search ${groupTypeLabel(groupType)}`, prompt: 'Name or key contains… (empty: all)', value: current ?? '', ignoreFocusOut: true }),
  );
  s.groups.setSearch(env, groupType.group_type_index, text);
  const typeNode = s.explorer.nodeById(ids.groupType(env, groupType.group_type_index));
  if (typeNode) await s.explorer.view.reveal(typeNode, { expand: true, focus: false, select: false });
}
