/** The target of the group property commands: environment → group type → group → property key. */
import * as vscode from 'vscode';
import type { Group, GroupType } from '../api/schemas';
import type { Environment } from '../model/environment';
import { groupLabel } from '../model/treeModel';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { accepted, pickEnvironment, pickGroup, pickGroupType } from './pick';
import { orCancel } from './errorBoundary';
import { formatValue, nonBlank, truncate } from './support';

export interface GroupTarget {
  env: Environment;
  groupType: GroupType;
  /** As PostHog has it now (fetched again, so the old values shown are current). */
  group: Group;
}

/** From a group node, or asked for (environment, group type, then a group searched on the server). */
export async function pickGroupTarget(s: Services, node: Node | undefined): Promise<GroupTarget> {
  const env = await pickEnvironment(s, node);
  const groupType = await pickGroupType(s, env, node);
  const picked = await pickGroup(s, env, groupType, node);
  const group = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Loading ${groupLabel(picked)}…` }, () =>
    s.clients.get(env.host).findGroup(env.projectId, picked.group_type_index, picked.group_key),
  );
  return { env, groupType, group };
}

/** "Acme Labs (company)". */
export function groupTitle(groupType: GroupType | undefined, group: Group): string {
  const kind = nonBlank(groupType?.name_singular) ?? groupType?.group_type;
  return kind ? `${groupLabel(group)} (${kind})` : groupLabel(group);
}

type KeyItem = vscode.QuickPickItem & { key: string };

/**
 * A QuickPick of the group's property keys with their current values. With `allowNew`, typing a key
 * that does not exist offers it as a new property.
 */
export async function pickPropertyKey(group: Group, opts: { title: string; allowNew: boolean }): Promise<string> {
  const existing = Object.keys(group.group_properties).sort((a, b) => a.localeCompare(b));
  const existingItems: KeyItem[] = existing.map((key) => ({ label: key, description: truncate(formatValue(group.group_properties[key])), key }));
  if (!opts.allowNew) {
    if (existingItems.length === 0) throw new Error(`${groupLabel(group)} has no properties.`);
    const picked = await vscode.window.showQuickPick(existingItems, { title: opts.title, placeHolder: 'Property', matchOnDescription: true, ignoreFocusOut: true });
    return orCancel(picked).key;
  }
  const qp = vscode.window.createQuickPick<KeyItem>();
  qp.title = opts.title;
  qp.placeholder = existing.length ? 'Choose a property, or type a new key' : 'Type the key of the new property';
  qp.matchOnDescription = true;
  qp.ignoreFocusOut = true;
  qp.items = existingItems;
  const disposables = [
    qp.onDidChangeValue((value) => {
      const key = value.trim();
      const isNew = key !== '' && !existing.includes(key);
      qp.items = isNew ? [{ label: key, description: 'new property', iconPath: new vscode.ThemeIcon('add'), alwaysShow: true, key }, ...existingItems] : existingItems;
    }),
  ];
  qp.show();
  try {
    return await accepted(qp, (item) => item?.key);
  } finally {
    for (const d of disposables) d.dispose();
    qp.dispose();
  }
}
