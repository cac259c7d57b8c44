import * as vscode from 'vscode';
import { isDraftExists } from '../api/changes';
import { Commands } from '../constants';
import { functionLabel } from '../model/treeModel';
import type { Node } from '../tree/nodes';
import { drafts, functionFor } from './changeSupport';
import { orCancel } from './errorBoundary';
import type { Services } from './services';
import { confirmModal } from './support';

/**
 * "Restore This Revision": PostHog stages the revision as the function's draft (the live function is
 * untouched until it is published). Over an open draft it asks first; then offers Publish / Review.
 */
export async function restoreRevision(s: Services, node?: Node, arg?: unknown): Promise<void> {
  const { env, functionId } = await functionFor(s, node, arg, { title: 'Restore a revision of which hog function?' });
  const service = drafts(s);
  const version =
    typeof arg === 'object' && arg !== null && 'version' in arg && typeof arg.version === 'number'
      ? arg.version
      : orCancel(
          await vscode.window.showQuickPick(
            (await service.revisions(env, functionId, 0, 100)).items.map((r) => ({
              label: `Version ${r.version}`,
              description: new Date(r.created_at).toLocaleString(),
              version: r.version,
            })),
            { title: 'Restore which revision (as a draft)?' },
          ),
        ).version;
  const fn = s.store.summary(env, functionId) ?? (await s.store.fetch(env, functionId));
  const name = functionLabel(fn);
  try {
    await service.restore(env, functionId, version, false);
  } catch (e) {
    if (!isDraftExists(e)) throw e;
    await confirmModal(
      `"${name}" already has a staged draft.`,
      `Replace that draft with version ${version}? The staged changes in it are lost; the live function stays as it is.`,
      'Replace Draft',
    );
    await service.restore(env, functionId, version, true);
  }
  const choice = await vscode.window.showInformationMessage(
    `Version ${version} of "${name}" is staged as a draft; the live function is unchanged until you publish it.`,
    'Publish Draft…',
    'Review Draft',
  );
  if (choice === 'Publish Draft…') await vscode.commands.executeCommand(Commands.publishDraft, { env, functionId });
  else if (choice === 'Review Draft') await vscode.commands.executeCommand(Commands.reviewDraft, { env, functionId });
}
