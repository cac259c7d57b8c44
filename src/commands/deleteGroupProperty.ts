import * as vscode from 'vscode';
import type { Group } from '../api/schemas';
import type { Environment } from '../model/environment';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { groupTitle, pickGroupTarget, pickPropertyKey } from './groupProperties';
import { confirmModal, formatValue, truncate } from './support';

/** "PostHog: Delete Group Property…": group → one of its properties → modal confirmation → POST `delete_property`. */
export async function deleteGroupProperty(s: Services, node?: Node): Promise<void> {
  const target = await pickGroupTarget(s, node);
  const title = groupTitle(target.groupType, target.group);
  const key = await pickPropertyKey(target.group, { title: `Delete which property of ${title}?`, allowNew: false });
  await confirmModal(
    `Delete property "${key}" of ${title}?`,
    `Current value: ${truncate(formatValue(target.group.group_properties[key]), 200)}\nPostHog removes the property from the group and records a $delete_group_property event. This cannot be undone from VS Code.`,
    'Delete Property',
  );
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting "${key}" of ${title}…` }, () =>
    applyGroupPropertyDelete(s, target.env, target.group, key),
  );
  void vscode.window.showInformationMessage(`Deleted property "${key}" of ${title}.`);
}

/** The request without the prompts: POST `delete_property` (`{"$unset": key}`), then the tree and open documents follow. */
export async function applyGroupPropertyDelete(s: Services, env: Environment, group: Pick<Group, 'group_type_index' | 'group_key'>, key: string): Promise<Group> {
  // The store tells the tree and any open document of the group.
  return s.groups.deleteProperty(env, group, key);
}
