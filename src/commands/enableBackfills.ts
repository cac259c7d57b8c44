import * as vscode from 'vscode';
import type { HogFunction, HogFunctionSummary } from '../api/schemas';
import type { Environment } from '../model/environment';
import { canEnableBackfills } from '../model/hogFunctionTypes';
import { batchExportLink, functionLink } from '../model/links';
import { functionLabel } from '../model/treeModel';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickFunction } from './pick';
import { asPostHogError, confirmModal, openExternal, postHogReason, sentence } from './support';

export type EnableBackfillsOutcome =
  /** PostHog created the (paused) batch export. `fn` is the re-fetched function, if that worked. */
  | { kind: 'enabled'; batchExportId: string; fn: HogFunction | undefined }
  /** PostHog allows this action only with a session login (its web app), not with personal API keys. */
  | { kind: 'sessionRequired' };

/**
 * "PostHog: Enable Backfills": asks PostHog to create a paused batch export that can replay past
 * events into an event-sourced destination.
 */
export async function enableBackfills(s: Services, node?: Node): Promise<void> {
  const { env, fn } = await pickFunction(s, node, {
    title: 'Enable backfills for which destination?',
    eligible: (f) => canEnableBackfills(f) && !f.batch_export_id,
    none: 'No destination can get backfills: they need an event-sourced destination whose backfills are not enabled yet.',
  });
  const name = functionLabel(fn);
  // List items do not say whether backfills are on; the function itself does (F16).
  const existing = (await s.store.fetch(env, fn.id)).batch_export_id;
  if (existing) {
    const open = 'Open in PostHog';
    void vscode.window
      .showInformationMessage(`Backfills are already enabled for "${name}" (batch export ${existing}). Start a backfill from it in PostHog.`, open)
      .then((choice) => (choice === open ? openExternal(s, batchExportLink(env.host, env.projectId, existing)) : undefined));
    return;
  }
  await confirmModal(
    `Enable backfills for "${name}"?`,
    'PostHog creates a batch export for this destination: paused, hourly, on the events model. ' +
      `Once you run a backfill from it in PostHog, it replays past events that match the destination's event filters into "${name}", ` +
      'so they are delivered again. Nothing is replayed until you start a backfill.',
    'Enable Backfills',
  );
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Enabling backfills for "${name}"…` }, () =>
    applyEnableBackfills(s, env, fn),
  );
  if (outcome.kind === 'sessionRequired') {
    s.log.warn('command', `enable_backfills for ${fn.id} needs a session login (personal API keys are refused)`);
    const open = 'Open in PostHog';
    void vscode.window
      .showWarningMessage(
        `PostHog allows enabling backfills only from its web app (signed in with your PostHog login), not with personal API keys. Open "${name}" in PostHog and enable backfills there.`,
        open,
      )
      .then((choice) => (choice === open ? openExternal(s, functionLink(env.host, env.projectId, fn.id)) : undefined));
    return;
  }
  const open = 'Open in PostHog';
  void vscode.window
    .showInformationMessage(
      `Backfills enabled for "${name}": PostHog created batch export ${outcome.batchExportId} (paused). Start a backfill from it in PostHog to replay past events.`,
      open,
    )
    .then((choice) => (choice === open ? openExternal(s, batchExportLink(env.host, env.projectId, outcome.batchExportId)) : undefined));
}

/**
 * The request without the prompts: POST `enable_backfills`, then re-fetch the function so its node
 * shows that backfills are on. PostHog's own error texts (400 `{"error": …}`, 403 feature flag) come
 * back verbatim in the thrown Error; the personal-API-key refusal is an outcome, not an error.
 */
export async function applyEnableBackfills(s: Services, env: Environment, fn: HogFunctionSummary): Promise<EnableBackfillsOutcome> {
  const name = functionLabel(fn);
  try {
    const { batchExportId, fn: refreshed } = await s.store.enableBackfills(env, fn.id);
    return { kind: 'enabled', batchExportId, fn: refreshed };
  } catch (e) {
    const pe = asPostHogError(e);
    if (pe?.isForbidden && /personal api key/i.test(pe.detail ?? '')) return { kind: 'sessionRequired' };
    if (pe?.kind === 'http' && (pe.isValidation || pe.isForbidden)) {
      throw new Error(`Could not enable backfills for "${name}": ${sentence(postHogReason(pe))}`, { cause: e });
    }
    throw e;
  }
}
