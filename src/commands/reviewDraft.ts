import * as vscode from 'vscode';
import { parseDraft } from '../api/changes';
import { Commands } from '../constants';
import { typeInfo } from '../model/hogFunctionTypes';
import { functionLabel } from '../model/treeModel';
import type { Node } from '../tree/nodes';
import { DOC_KINDS, documentDiffers, functionFor, openDiffs, setSnapshot, withContentOf } from './changeSupport';
import type { Services } from './services';

/**
 * "PostHog: Review Draft": the live function against its staged draft, one diff per document that
 * differs (code, inputs, filters; mappings and masking as JSON), then Publish… / Discard… at hand.
 */
export async function reviewDraft(s: Services, node?: Node, arg?: unknown): Promise<void> {
  const { env, functionId } = await functionFor(s, node, arg, {
    title: 'Review the draft of which hog function?',
    eligible: (f) => !!f.draft_updated_at,
    none: 'No hog function has a staged draft.',
  });
  const fn = await s.store.fetch(env, functionId);
  const name = functionLabel(fn);
  const draft = parseDraft(fn);
  if (!draft) {
    void vscode.window.showInformationMessage(`"${name}" has no staged draft: what you see is what runs.`);
    return;
  }
  const staged = withContentOf(fn, draft);
  const pairs = DOC_KINDS.filter((kind) => documentDiffers(fn, staged, kind)).map((kind) => ({
    label: kind === 'code' ? 'code' : kind,
    left: setSnapshot(s, env, fn, 'live', kind),
    right: setSnapshot(s, env, staged, 'draft', kind),
  }));
  const other = (f: typeof fn): string => `${JSON.stringify({ mappings: f.mappings ?? null, masking: f.masking ?? null }, null, 2)}\n`;
  if (other(fn) !== other(staged)) {
    const base = setSnapshot(s, env, fn, 'live', 'filters');
    const left = base.with({ path: base.path.replace(/ filters\.json$/, ' mappings and masking.json') });
    const right = left.with({ query: 'draft' });
    s.runs.set(left, other(fn));
    s.runs.set(right, other(staged));
    pairs.push({ label: 'mappings and masking', left, right });
  }
  if (pairs.length === 0) {
    void vscode.window
      .showInformationMessage(`The draft of "${name}" holds the same configuration as the live ${typeInfo(fn.type).singular.toLowerCase()}.`, 'Discard Draft…')
      .then((c) => {
        if (c) void vscode.commands.executeCommand(Commands.discardDraft, { env, functionId });
      });
    return;
  }
  await openDiffs(`"${name}": live ↔ draft`, pairs);
  void vscode.window.showInformationMessage(`Draft of "${name}": live on the left, draft on the right.`, 'Publish Draft…', 'Discard Draft…').then((choice) => {
    if (choice === 'Publish Draft…') void vscode.commands.executeCommand(Commands.publishDraft, { env, functionId });
    else if (choice === 'Discard Draft…') void vscode.commands.executeCommand(Commands.discardDraft, { env, functionId });
  });
}
