import * as vscode from 'vscode';
import { environmentKey } from '../model/environment';
import { functionLabel } from '../model/treeModel';
import { filesToFunction, functionToFiles } from '../sync/folder';
import type { Node } from '../tree/nodes';
import { functionFor } from './changeSupport';
import { orCancel } from './errorBoundary';
import type { Services } from './services';
import { applyToEnvironment } from './syncSupport';

/**
 * "PostHog: Copy to Environment…": the function (type, template, code, inputs, filters, mappings,
 * masking) into another signed-in environment — a project on this host or another one (US ↔ EU,
 * self-hosted). Created disabled; secret inputs are asked for (they cannot be read); a same-named
 * function there can be updated (diff first) instead. Says what was not copied.
 */
export async function copyToEnvironment(s: Services, node?: Node, arg?: unknown): Promise<void> {
  const { env, functionId } = await functionFor(s, node, arg, { title: 'Copy which hog function?' });
  await s.registry.ensureEnvDiscovered();
  const others = s.registry.list().filter((e) => environmentKey(e) !== environmentKey(env));
  if (others.length === 0) {
    throw new Error(`"${env.name}" is the only environment here. Add the one to copy to with "PostHog: Add Environment…" (another project or host), then copy again.`);
  }
  const fn = await s.store.fetch(env, functionId);
  const name = functionLabel(fn);
  const target = orCancel(
    await vscode.window.showQuickPick(
      others.map((e) => ({ label: e.name, description: `${new URL(e.host).host} · project ${e.projectId}`, detail: e.organizationName, env: e })),
      { title: `Copy "${name}" to which environment?`, ignoreFocusOut: true },
    ),
  ).env;
  // The same description a folder gives (src/sync/folder.ts): what a copy carries is what a pull writes.
  const local = filesToFunction(functionToFiles(fn, env));
  const outcome = await applyToEnvironment(s, target, local, { source: `"${name}" in ${env.name}` });
  const what =
    outcome.action === 'created'
      ? `Copied "${name}" to ${target.name} (created, disabled)`
      : outcome.action === 'updated'
        ? `Updated "${functionLabel(outcome.fn)}" in ${target.name} from "${name}"`
        : `"${functionLabel(outcome.fn)}" in ${target.name} already matches "${name}"`;
  const left = outcome.notCopied.length > 0 ? ` Not copied: ${outcome.notCopied.join('; ')}.` : '';
  if (outcome.notCopied.some((n) => n.startsWith('secret'))) void vscode.window.showWarningMessage(`${what}.${left}`);
  else void vscode.window.showInformationMessage(`${what}.${left}`);
}
