import * as vscode from 'vscode';
import { isConfirmTokenRefused, type PublishResult } from '../api/changes';
import { isStaleUpdate } from '../api/errors';
import { Commands } from '../constants';
import { typeInfo } from '../model/hogFunctionTypes';
import { functionLabel } from '../model/treeModel';
import type { Node } from '../tree/nodes';
import { drafts, fieldList, functionFor } from './changeSupport';
import { UserCancelled } from './errorBoundary';
import type { Services } from './services';

/**
 * "PostHog: Publish Draft…": PostHog's preview first (what changes, and a token valid 15 minutes) in a
 * modal; Publish confirms with that token. A token PostHog refuses (expired) or a draft or function that
 * changed since the preview (409) shows the new preview instead of an error.
 */
export async function publishDraft(s: Services, node?: Node, arg?: unknown): Promise<void> {
  const { env, functionId } = await functionFor(s, node, arg, {
    title: 'Publish the draft of which hog function?',
    eligible: (f) => !!f.draft_updated_at,
    none: 'No hog function has a staged draft.',
  });
  const service = drafts(s);
  const fn = s.store.summary(env, functionId) ?? (await s.store.fetch(env, functionId));
  const name = functionLabel(fn);
  const what = typeInfo(fn.type).singular.toLowerCase();
  let preview: PublishResult = await service.preview(env, functionId);
  let why = '';
  for (;;) {
    const fields = preview.changed_fields ?? [];
    const effect = fields.length === 0 ? 'It changes nothing in the live configuration (the draft equals it) and closes the draft.' : `It replaces the live ${fieldList(fields)}.`;
    const live = (s.store.summary(env, functionId)?.enabled ?? fn.enabled) ? ` The ${what} is enabled: live events run the new configuration at once.` : '';
    const choice = await vscode.window.showWarningMessage(`${why}Publish the draft of "${name}"?`, { modal: true, detail: `${effect}${live}` }, 'Publish', 'Review Draft');
    if (choice === 'Review Draft') {
      await vscode.commands.executeCommand(Commands.reviewDraft, { env, functionId });
      return;
    }
    if (choice !== 'Publish') throw new UserCancelled();
    try {
      const saved = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Publishing the draft of "${name}"…` }, () =>
        service.publish(env, functionId, preview.confirm_token ?? ''),
      );
      void vscode.window.showInformationMessage(`Published the draft of "${name}"${saved.version ? `: now version ${saved.version}` : ''}.`);
      return;
    } catch (e) {
      if (isConfirmTokenRefused(e)) why = 'The preview expired. ';
      else if (isStaleUpdate(e)) why = 'The function or its draft changed since the preview; this is what publishing does now. ';
      else throw e;
      preview = await service.preview(env, functionId);
    }
  }
}
