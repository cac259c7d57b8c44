import * as vscode from 'vscode';
import type { Group, GroupType, HogFunctionSummary } from '../api/schemas';
import { hostLabel, type Environment } from '../model/environment';
import { typeInfo } from '../model/hogFunctionTypes';
import { functionDescription, functionLabel, groupLabel, groupTypeLabel, sortGroupTypes } from '../model/treeModel';
import type { Services } from './services';
import { envOf, type Node } from '../tree/nodes';
import { orCancel, UserCancelled } from './errorBoundary';
import { errorMessage } from '../util/errorMessage';

/** The palette fallbacks: when a command is not invoked on a tree node, it asks for its target. */

/**
 * Resolves with `pick(item)` once the user accepts an item for which `pick` gives a value (other accepts
 * keep the picker open); dismissing the picker stops the command silently (UserCancelled). Listeners are
 * attached at once — call it before awaiting anything else — and removed when it settles.
 */
export function accepted<T extends vscode.QuickPickItem, R>(qp: vscode.QuickPick<T>, pick: (item: T | undefined) => R | undefined): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const subscriptions = [
      qp.onDidAccept(() => {
        const value = pick(qp.selectedItems[0] ?? qp.activeItems[0]);
        if (value === undefined) return;
        done();
        resolve(value);
      }),
      qp.onDidHide(() => {
        done();
        reject(new UserCancelled());
      }),
    ];
    const done = (): void => {
      for (const sub of subscriptions) sub.dispose();
    };
  });
}

export async function pickEnvironment(s: Services, node?: Node, title = 'Choose an environment'): Promise<Environment> {
  const fromNode = envOf(node);
  if (fromNode) return fromNode;
  await s.registry.ensureEnvDiscovered();
  const envs = s.registry.list();
  if (envs.length === 0) throw new Error('No PostHog environment yet. Run "PostHog: Sign In" first.');
  if (envs.length === 1 && envs[0]) return envs[0];
  const picked = await vscode.window.showQuickPick(
    envs.map((env) => ({ label: env.name, description: `${hostLabel(env.host)} · project ${env.projectId}`, env })),
    { title, placeHolder: 'Environment', ignoreFocusOut: true },
  );
  return orCancel(picked).env;
}

export interface PickedFunction {
  env: Environment;
  fn: HogFunctionSummary;
}

/** A function from a node, else a QuickPick over all environments (optionally only eligible ones). */
export async function pickFunction(
  s: Services,
  node: Node | undefined,
  opts: { title: string; eligible?: (fn: HogFunctionSummary) => boolean; none?: string },
): Promise<PickedFunction> {
  if (node?.kind === 'function' || node?.kind === 'functionDoc') return { env: node.env, fn: s.store.summary(node.env, node.fn.id) ?? node.fn };
  await s.registry.ensureEnvDiscovered();
  const envs = s.registry.list();
  if (envs.length === 0) throw new Error('No PostHog environment yet. Run "PostHog: Sign In" first.');
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { target?: PickedFunction }>();
  qp.title = opts.title;
  qp.placeholder = 'Type to filter hog functions';
  qp.matchOnDescription = true;
  qp.busy = true;
  qp.ignoreFocusOut = true;
  // Listen before loading: Esc while the lists load must end the command, not leave it hanging.
  const chosen = accepted(qp, (item) => item?.target);
  chosen.catch(() => undefined); // observed below; this only keeps an early Esc from being "unhandled"
  qp.show();
  try {
    const lists = await Promise.race([Promise.all(envs.map(async (env) => ({ env, items: await s.store.load(env) }))), chosen.then(() => undefined)]);
    if (!lists) throw new UserCancelled();
    const items: (vscode.QuickPickItem & { target?: PickedFunction })[] = [];
    for (const { env, items: fns } of lists) {
      const eligible = fns.filter((fn) => opts.eligible?.(fn) ?? true);
      if (eligible.length === 0) continue;
      if (envs.length > 1) items.push({ label: env.name, kind: vscode.QuickPickItemKind.Separator });
      for (const fn of eligible) {
        items.push({
          label: functionLabel(fn),
          description: `${typeInfo(fn.type).singular} · ${functionDescription(fn)}`,
          detail: fn.description ?? undefined,
          target: { env, fn },
        });
      }
    }
    if (items.length === 0) throw new Error(opts.none ?? 'No hog functions found.');
    qp.items = items;
    qp.busy = false;
    return await chosen;
  } finally {
    qp.dispose();
  }
}

export async function pickGroupType(s: Services, env: Environment, node?: Node): Promise<GroupType> {
  if (node?.kind === 'groupType' || node?.kind === 'group' || node?.kind === 'loadMore') return node.groupType;
  const types = sortGroupTypes(await s.groups.groupTypes(env));
  if (types.length === 0) throw new Error(`${env.name} has no group types: group analytics is not set up there.`);
  const picked = await vscode.window.showQuickPick(
    types.map((t) => ({ label: groupTypeLabel(t), description: `index ${t.group_type_index}`, t })),
    { title: 'Choose a group type', ignoreFocusOut: true },
  );
  return orCancel(picked).t;
}

/** Group QuickPick with server-side search as you type (debounced; stale answers are dropped). */
export async function pickGroup(s: Services, env: Environment, groupType: GroupType, node?: Node): Promise<Group> {
  if (node?.kind === 'group') return node.group;
  const client = s.clients.get(env.host);
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { group: Group }>();
  qp.title = `Choose a ${groupType.name_singular ?? groupType.group_type}`;
  qp.placeholder = 'Type to search by name or key';
  qp.matchOnDescription = true;
  qp.ignoreFocusOut = true;
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  const search = (text: string): void => {
    const mine = ++seq;
    qp.busy = true;
    client
      .listGroups(env.projectId, groupType.group_type_index, { search: text || undefined })
      .then((page) => {
        if (mine !== seq) return;
        qp.items = page.results.map((group) => ({ label: groupLabel(group), description: group.group_key, group, alwaysShow: true }));
      })
      .catch((e: unknown) => {
        if (mine === seq) qp.items = [];
        s.log.warn('pick', `group search failed: ${errorMessage(e)}`);
      })
      .finally(() => {
        if (mine === seq) qp.busy = false;
      });
  };
  qp.onDidChangeValue((text) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      search(text.trim());
    }, 250);
  });
  search('');
  const chosen = accepted(qp, (item) => item?.group);
  qp.show();
  try {
    return await chosen;
  } finally {
    clearTimeout(timer);
    qp.dispose();
  }
}
