import * as vscode from 'vscode';
import type { HogFunction, HogFunctionSummary } from '../api/schemas';
import { functionUri } from '../fs/uri';
import type { Environment } from '../model/environment';
import { functionLabel } from '../model/treeModel';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickFunction } from './pick';
import { orCancel } from './errorBoundary';
import { fileName, functionTabs } from './support';

export interface RenameResult {
  fn: HogFunction;
  /** Code editors reopened under the new name. */
  moved: vscode.Uri[];
  /** Code editors with unsaved changes that keep their old title (they still save to this function). */
  keptDirty: vscode.Uri[];
}

/** "PostHog: Rename Hog Function…": PATCH `name`; open code editors follow the new name. */
export async function renameFunction(s: Services, node?: Node): Promise<void> {
  const { env, fn } = await pickFunction(s, node, { title: 'Rename which hog function?' });
  const current = fn.name ?? '';
  const name = orCancel(
    await vscode.window.showInputBox({
      title: `Rename "${functionLabel(fn)}"`,
      value: current,
      valueSelection: [0, current.length],
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'Enter a name.' : v.length > 400 ? 'PostHog accepts at most 400 characters.' : undefined),
    }),
  ).trim();
  if (name === current) return;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Renaming to "${name}"…` }, () => applyRename(s, env, fn, name));
  const dirty = result.keptDirty.map((u) => `"${fileName(u)}"`).join(', ');
  void vscode.window.showInformationMessage(
    `Renamed "${functionLabel(fn)}" to "${name}".${dirty ? ` ${dirty} has unsaved changes and keeps its old title; it still saves to this function.` : ''}`,
  );
}

/**
 * The request without the prompt: PATCH `{name, base_updated_at}` with the newest `updated_at` we
 * know. If PostHog reports a newer version, the rename is retried once on it, unless someone renamed
 * the function meanwhile (then nothing is overwritten). Then tabs of the code document follow.
 */
export async function applyRename(s: Services, env: Environment, fn: HogFunctionSummary, name: string): Promise<RenameResult> {
  // The store's conflict policy: someone else's rename meanwhile is refused, other changes are not.
  const saved = await s.store.rename(env, fn, name);
  const newUri = functionUri(env, saved, 'code');
  const moved: vscode.Uri[] = [];
  const keptDirty: vscode.Uri[] = [];
  for (const t of functionTabs(env, fn.id)) {
    if (t.kind !== 'code' || t.uri.path === newUri.path) continue;
    if (t.tab.isDirty) {
      keptDirty.push(t.uri);
      continue;
    }
    const viewColumn = t.group.viewColumn;
    await vscode.window.showTextDocument(newUri, { viewColumn, preview: false, preserveFocus: !t.tab.isActive });
    // Tab objects are snapshots: look the old tab up again now that the group changed.
    const old = vscode.window.tabGroups.all
      .find((g) => g.viewColumn === viewColumn)
      ?.tabs.find((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === t.uri.toString());
    if (old && !old.isDirty) await vscode.window.tabGroups.close(old, true);
    moved.push(t.uri);
  }
  return { fn: saved, moved, keptDirty };
}
