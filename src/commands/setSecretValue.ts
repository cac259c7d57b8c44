import * as vscode from 'vscode';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { storedInputs } from '../model/storedInputs';
import { parseJson } from '../model/json';
import { pickFunction } from './pick';
import { orCancel } from './errorBoundary';

/**
 * "PostHog: Set Secret Value…": replaces one secret input with a value typed in a masked box. The
 * value goes straight into a PATCH of `inputs` (every other secret stays `{"secret": true}`, which
 * PostHog keeps); it is never shown, logged or written to a document.
 */
export async function setSecretValue(s: Services, node?: Node): Promise<void> {
  const { env, fn: summary } = await pickFunction(s, node, { title: 'Set a secret input of which hog function?' });
  const fn = await s.store.fetch(env, summary.id);
  const secrets = (fn.inputs_schema ?? []).filter((i) => i.secret);
  if (secrets.length === 0) throw new Error(`"${fn.name ?? fn.id}" has no secret inputs.`);
  const stored = storedInputs(fn);
  const item =
    secrets.length === 1 && secrets[0]
      ? secrets[0]
      : orCancel(
          await vscode.window.showQuickPick(
            secrets.map((i) => ({ label: i.label ?? i.key, description: i.key, detail: stored[i.key] ? 'a value is stored' : 'no value stored yet', i })),
            { title: 'Which secret input?', ignoreFocusOut: true },
          ),
        ).i;
  // Dictionary and JSON secrets (e.g. webhook headers) take a JSON object; the rest are strings.
  const structured = item.type === 'dictionary' || item.type === 'json';
  const typed = orCancel(
    await vscode.window.showInputBox({
      title: `New value for ${item.label ?? item.key}`,
      prompt: `The value is sent to PostHog and never shown again.${structured ? ' Enter JSON, e.g. {"Authorization": "Bearer …"}.' : ''}`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => {
        if (v === '') return 'Enter a value.';
        if (v.includes('********')) return 'That is the mask, not a value.';
        if (structured) {
          try {
            const parsed: unknown = parseJson(v);
            if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'Enter a JSON object.';
          } catch {
            return 'Enter valid JSON (the value itself is not shown here).';
          }
        }
        return undefined;
      },
    }),
  );
  const value: unknown = structured ? parseJson(typed) : typed;
  // The store resends every other input as PostHog returned it (other secrets stay {"secret": true},
  // which keeps them) and retries once if only unrelated fields changed meanwhile.
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Saving secret ${item.key}…` }, () => s.store.setSecret(env, fn, item.key, value));
  void vscode.window.showInformationMessage(`Secret "${item.label ?? item.key}" of ${fn.name ?? fn.id} updated.`);
}
