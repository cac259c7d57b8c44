import * as vscode from 'vscode';
import type { HogFunction, HogFunctionSummary } from '../api/schemas';
import { Commands } from '../constants';
import type { Environment } from '../model/environment';
import { typeInfo } from '../model/hogFunctionTypes';
import { functionLabel } from '../model/treeModel';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickFunction } from './pick';
import { reportErrors } from './errorBoundary';
import { confirmModal, fileName, functionTabs } from './support';

export interface DeleteResult {
  /** Documents whose (clean) editors were closed, to reopen on Undo. */
  closed: { uri: vscode.Uri; viewColumn: vscode.ViewColumn }[];
  /** Documents left open because they have unsaved changes. */
  keptDirty: vscode.Uri[];
}

/**
 * "PostHog: Delete Hog Function": a soft delete (PATCH `deleted: true`, the way PostHog's own UI deletes;
 * DELETE is refused) after a modal confirmation. The notification offers Undo (PATCH `deleted: false`).
 */
export async function deleteFunction(s: Services, node?: Node): Promise<void> {
  const { env, fn } = await pickFunction(s, node, { title: 'Delete which hog function?' });
  const name = functionLabel(fn);
  const what = typeInfo(fn.type).singular.toLowerCase();
  await confirmModal(
    `Delete the ${what} "${name}"?`,
    `PostHog marks it as deleted: it stops running and disappears from lists${fn.enabled ? ' (it is enabled now)' : ''}. You can undo this from the notification that follows.`,
    'Delete',
  );
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting "${name}"…` }, () => softDeleteFunction(s, env, fn));
  const dirty = result.keptDirty.length
    ? ` ${result.keptDirty.map((u) => `"${fileName(u)}"`).join(', ')} ${result.keptDirty.length === 1 ? 'has' : 'have'} unsaved changes and stay${result.keptDirty.length === 1 ? 's' : ''} open: Undo to restore the function and save them.`
    : '';
  const undo = 'Undo';
  void vscode.window.showInformationMessage(`Deleted the ${what} "${name}".${dirty}`, undo).then((choice) =>
    choice === undo
      ? reportErrors(s.log, Commands.deleteFunction, async () => {
          const restored = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Restoring "${name}"…` }, () =>
            restoreFunction(s, env, fn.id, result.closed),
          );
          void vscode.window.showInformationMessage(`Restored the ${what} "${functionLabel(restored)}".`);
        })
      : undefined,
  );
}

/**
 * The request without the prompt: PATCH `deleted: true`, close the function's editors that have no
 * unsaved changes (dirty ones stay: nothing is lost), and drop it from the store and the tree.
 */
export async function softDeleteFunction(s: Services, env: Environment, fn: Pick<HogFunctionSummary, 'id'>): Promise<DeleteResult> {
  await s.store.softDelete(env, fn.id);
  const tabs = functionTabs(env, fn.id);
  const clean = tabs.filter((t) => !t.tab.isDirty);
  const result: DeleteResult = {
    closed: clean.map((t) => ({ uri: t.uri, viewColumn: t.group.viewColumn })),
    keptDirty: tabs.filter((t) => t.tab.isDirty).map((t) => t.uri),
  };
  if (clean.length) {
    await vscode.window.tabGroups.close(
      clean.map((t) => t.tab),
      true,
    );
  }
  return result;
}

/** Undo: PATCH `deleted: false`, show the function again and reopen the editors the delete closed. */
export async function restoreFunction(s: Services, env: Environment, id: string, reopen: DeleteResult['closed'] = []): Promise<HogFunction> {
  const restored = await s.store.restore(env, id);
  for (const { uri, viewColumn } of reopen) {
    await vscode.window.showTextDocument(uri, { viewColumn, preview: false, preserveFocus: true });
  }
  return restored;
}
