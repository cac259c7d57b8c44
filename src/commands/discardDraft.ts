import * as vscode from 'vscode';
import { typeInfo } from '../model/hogFunctionTypes';
import { functionLabel } from '../model/treeModel';
import type { Node } from '../tree/nodes';
import { drafts, functionFor } from './changeSupport';
import type { Services } from './services';
import { confirmModal } from './support';

/** "PostHog: Discard Draft…": after a confirmation, `discard_draft`; the live function is untouched. */
export async function discardDraft(s: Services, node?: Node, arg?: unknown): Promise<void> {
  const { env, functionId } = await functionFor(s, node, arg, {
    title: 'Discard the draft of which hog function?',
    eligible: (f) => !!f.draft_updated_at,
    none: 'No hog function has a staged draft.',
  });
  const fn = s.store.summary(env, functionId) ?? (await s.store.fetch(env, functionId));
  const name = functionLabel(fn);
  await confirmModal(
    `Discard the draft of "${name}"?`,
    `The staged configuration is deleted in PostHog. The live ${typeInfo(fn.type).singular.toLowerCase()} stays as it is.`,
    'Discard Draft',
  );
  await drafts(s).discard(env, functionId);
  void vscode.window.showInformationMessage(`Discarded the draft of "${name}".`);
}
