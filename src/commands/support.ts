/**
 * Small helpers shared by the commands of this folder: modal confirmations, reading PostHog errors,
 * value formatting, and finding a function's open tabs.
 */
import * as vscode from 'vscode';
import { asPostHogError } from '../api/errors';
import { stringifyJson } from '../model/json';
export { asPostHogError };
import { functionDocKind } from '../fs/uri';
import type { FunctionDocKind } from '../model/docPath';
import type { Environment } from '../model/environment';
import type { Services } from './services';
import { UserCancelled } from './errorBoundary';
import { errorMessage } from '../util/errorMessage';

/**
 * A modal confirmation with one action button (VS Code adds "Cancel"). Anything but the action —
 * Cancel, Escape, closing the dialog — stops the command silently.
 */
export async function confirmModal(message: string, detail: string, action: string): Promise<void> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  if (choice !== action) throw new UserCancelled();
}

/** PostHog's own words for a failed request (its `detail` / `{"error": …}` text), else our sentence. */
export function postHogReason(e: unknown): string {
  const pe = asPostHogError(e);
  if (pe?.kind === 'http' && pe.detail?.trim()) return pe.detail.trim();
  return errorMessage(e);
}

/**
 * Opens a PostHog web page in the browser. The URL goes to the log with a group key left out (it is
 * often an e-mail or a domain, F12). It is handed over as the exact string: `Uri.parse` would decode
 * `%2F` in a group key to `/` and open the wrong page (F10); VS Code's openExternal uses a string as is.
 */
export async function openExternal(s: Services, url: string): Promise<void> {
  s.log.info('command', `opening ${url.replace(/(\/groups\/\d+\/)[^/?#]+/, '$1…')}`);
  await vscode.env.openExternal(url as unknown as vscode.Uri);
}

/** Ends a sentence with a period unless it already ends with punctuation. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

/** A property value for display: JSON, so `"42"` (a string) and `42` (a number) look different. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  return toJson(value) ?? typeof value;
}

/** JSON text of a value (big numbers as their digits); undefined, functions and symbols have none. */
export function toJson(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  return stringifyJson(value);
}

/** The trimmed text, or undefined when it is missing or blank. */
export function nonBlank(text: string | null | undefined): string | undefined {
  const t = text?.trim();
  return t === undefined || t === '' ? undefined : t;
}

/** Shortens a one-line text for descriptions. */
export function truncate(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export interface FunctionTab {
  tab: vscode.Tab;
  group: vscode.TabGroup;
  uri: vscode.Uri;
  kind: FunctionDocKind;
}

/** Open editor tabs showing one of the function's documents (code, inputs, filters), in every tab group. */
export function functionTabs(env: Environment, functionId: string): FunctionTab[] {
  const out: FunctionTab[] = [];
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (!(tab.input instanceof vscode.TabInputText)) continue;
      const uri = tab.input.uri;
      const kind = functionDocKind(uri, env, functionId);
      if (kind) out.push({ tab, group, uri, kind });
    }
  }
  return out;
}

/** The last path segment of a document URI, as its tab shows it. */
export function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}
