/** Shared by "Enable Hog Function" and "Disable Hog Function": PATCH `enabled` after a confirmation. */
import * as vscode from 'vscode';
import type { HogFunction, HogFunctionSummary } from '../api/schemas';
import type { Environment } from '../model/environment';
import { typeInfo } from '../model/hogFunctionTypes';
import { functionLabel } from '../model/treeModel';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickFunction } from './pick';
import { confirmModal } from './support';
import { Commands } from '../constants';

export async function toggleFunction(s: Services, node: Node | undefined, enabled: boolean): Promise<void> {
  const verb = enabled ? 'Enable' : 'Disable';
  const { env, fn } = await pickFunction(s, node, {
    title: `${verb} which hog function?`,
    eligible: (f) => f.enabled !== enabled,
    none: enabled ? 'Every hog function is enabled already.' : 'No hog function is enabled.',
  });
  const name = functionLabel(fn);
  const what = typeInfo(fn.type).singular.toLowerCase();
  if (fn.enabled === enabled) {
    void vscode.window.showInformationMessage(`The ${what} "${name}" is already ${enabled ? 'enabled' : 'disabled'}.`);
    return;
  }
  if (enabled && fn.draft_updated_at) {
    // PostHog refuses to enable config nobody reviewed (400 on `enabled` while a draft is open): say so and offer the way on.
    const choice = await vscode.window.showWarningMessage(
      `"${name}" has a staged draft, so PostHog will not enable it.`,
      {
        modal: true,
        detail:
          'PostHog turns a function on only when no draft is open, so nobody enables configuration nobody looked at. Review the draft, then publish or discard it, and enable again.',
      },
      'Review Draft',
      'Publish Draft…',
    );
    if (choice === 'Review Draft') await vscode.commands.executeCommand(Commands.reviewDraft, { env, functionId: fn.id });
    else if (choice === 'Publish Draft…') await vscode.commands.executeCommand(Commands.publishDraft, { env, functionId: fn.id });
    return;
  }
  await confirmModal(`${verb} the ${what} "${name}"?`, enabled ? enableEffect(fn.type) : disableEffect(fn.type), verb);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${enabled ? 'Enabling' : 'Disabling'} "${name}"…` }, () =>
    setFunctionEnabled(s, env, fn, enabled),
  );
  void vscode.window.showInformationMessage(`${enabled ? 'Enabled' : 'Disabled'} the ${what} "${name}".`);
}

/** The request without the prompt: PATCH `{enabled}`; the tree node follows through the store. */
export async function setFunctionEnabled(s: Services, env: Environment, fn: HogFunctionSummary, enabled: boolean): Promise<HogFunction> {
  return s.store.setEnabled(env, fn, enabled);
}

function enableEffect(type: string | null | undefined): string {
  switch (type ?? 'destination') {
    case 'destination':
      return 'It starts receiving live events that match its filters and sends them on. Events from before now are not sent.';
    case 'transformation':
      return 'It starts changing (or dropping) every incoming event that matches its filters, before the event is stored.';
    case 'site_destination':
    case 'site_app':
      return 'It starts running in the browsers of your site’s visitors (sites using posthog-js with site apps enabled).';
    case 'source_webhook':
      return 'Its webhook URL starts accepting requests and capturing events from them.';
    default:
      return 'It starts running on live data.';
  }
}

function disableEffect(type: string | null | undefined): string {
  switch (type ?? 'destination') {
    case 'destination':
      return 'Deliveries stop. Events that arrive while it is disabled are not sent later.';
    case 'transformation':
      return 'Incoming events are no longer changed by it; events ingested meanwhile stay unchanged.';
    case 'site_destination':
    case 'site_app':
      return 'It stops loading in your visitors’ browsers.';
    case 'source_webhook':
      return 'Its webhook URL stops accepting requests; requests sent meanwhile are lost.';
    default:
      return 'It stops running.';
  }
}
