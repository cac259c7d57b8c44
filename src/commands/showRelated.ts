import * as vscode from 'vscode';
import type { GroupType, RelatedActor } from '../api/schemas';
import { groupUri } from '../fs/uri';
import type { Environment } from '../model/environment';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { groupTitle, pickGroupTarget } from './groupProperties';
import { orCancel } from './errorBoundary';
import { nonBlank } from './support';

export interface RelatedItem extends vscode.QuickPickItem {
  /** Set for groups: what to open. Persons cannot be opened as documents. */
  open?: { groupTypeIndex: number; groupKey: string };
}

/**
 * "PostHog: Show Related": the actors PostHog relates to a group (other groups and persons), in a
 * QuickPick; choosing a group opens its document.
 */
export async function showRelated(s: Services, node?: Node): Promise<void> {
  const target = node?.kind === 'group' ? { env: node.env, groupType: node.groupType, group: node.group } : await pickGroupTarget(s, node);
  const title = groupTitle(target.groupType, target.group);
  const items = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Loading what is related to ${title}…` }, () =>
    relatedItems(s, target.env, target.group.group_type_index, target.group.group_key),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`PostHog relates no groups or persons to ${title}.`);
    return;
  }
  const picked = orCancel(
    await vscode.window.showQuickPick(items, {
      title: `Related to ${title}`,
      placeHolder: 'Choose a group to open it',
      matchOnDescription: true,
      matchOnDetail: true,
      ignoreFocusOut: true,
    }),
  );
  if (!picked.open) {
    void vscode.window.showInformationMessage(`${picked.label} is a person: persons cannot be opened in VS Code. Look them up in PostHog.`);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(groupUri(target.env, picked.open.groupTypeIndex, picked.open.groupKey));
  await vscode.window.showTextDocument(doc, { preview: false });
}

/** GET `related` and turn the actors into QuickPick items (groups first by type, then persons). */
export async function relatedItems(s: Services, env: Environment, groupTypeIndex: number, groupKey: string): Promise<RelatedItem[]> {
  const client = s.clients.get(env.host);
  const [actors, types] = await Promise.all([
    client.relatedGroups(env.projectId, groupTypeIndex, groupKey),
    // Only for labels: without group types the index still identifies the type.
    s.groups.groupTypes(env).catch((): GroupType[] => []),
  ]);
  const typeName = (index: number): string => {
    const t = types.find((x) => x.group_type_index === index);
    return nonBlank(t?.name_singular) ?? nonBlank(t?.group_type) ?? `group type ${index}`;
  };
  const groups: RelatedItem[] = [];
  const persons: RelatedItem[] = [];
  for (const actor of actors) {
    if (isGroup(actor)) {
      const key = String(actor.id);
      const name = stringProp(actor, 'name');
      groups.push({
        label: name ?? key,
        description: typeName(actor.group_type_index),
        detail: name && name !== key ? key : undefined,
        iconPath: new vscode.ThemeIcon('symbol-object'),
        open: { groupTypeIndex: actor.group_type_index, groupKey: key },
      });
    } else {
      persons.push({
        label: stringProp(actor, 'email') ?? stringProp(actor, 'name') ?? String(actor.id),
        description: 'person',
        detail: 'Persons cannot be opened in VS Code (only groups can).',
        iconPath: new vscode.ThemeIcon('person'),
      });
    }
  }
  groups.sort((a, b) => (a.open?.groupTypeIndex ?? 0) - (b.open?.groupTypeIndex ?? 0) || a.label.localeCompare(b.label));
  persons.sort((a, b) => a.label.localeCompare(b.label));
  return [...groups, ...persons];
}

function isGroup(actor: RelatedActor): actor is RelatedActor & { group_type_index: number } {
  return actor.type !== 'person' && typeof actor.group_type_index === 'number';
}

function stringProp(actor: RelatedActor, key: string): string | undefined {
  const v = actor.properties?.[key];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
