import * as vscode from 'vscode';
import type { Group, PropertyValue } from '../api/schemas';
import { isJsonObject, isLosslessNumber, parseJson, sameJson } from '../model/json';
import type { Environment } from '../model/environment';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { groupTitle, pickGroupTarget, pickPropertyKey, type GroupTarget } from './groupProperties';
import { accepted } from './pick';
import { confirmModal, formatValue, toJson } from './support';

export { NULL_REFUSED } from '../services/groupStore';
import { NULL_REFUSED } from '../services/groupStore';
import { errorMessage } from '../util/errorMessage';

/**
 * "PostHog: Update Group Property…": group → property (existing or new) → value (suggesting the most
 * common values of that property) → confirmation showing old → new → POST `update_property`.
 */
export async function updateGroupProperty(s: Services, node?: Node): Promise<void> {
  const target = await pickGroupTarget(s, node);
  const title = groupTitle(target.groupType, target.group);
  const key = await pickPropertyKey(target.group, { title: `Update which property of ${title}?`, allowNew: true });
  const props = target.group.group_properties;
  const old = Object.hasOwn(props, key) ? props[key] : undefined;
  const value = await pickPropertyValue(s, target, key, old);
  if (old !== undefined && sameJson(old, value)) {
    void vscode.window.showInformationMessage(`"${key}" of ${title} already is ${formatValue(value)}; nothing to update.`);
    return;
  }
  await confirmModal(
    `Update "${key}" of ${title}?`,
    `${old === undefined ? 'New property.' : `Old value: ${formatValue(old)}`}\nNew value: ${formatValue(value)} (${valueKind(value)})`,
    'Update',
  );
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Updating "${key}" of ${title}…` }, () =>
    applyGroupPropertyUpdate(s, target.env, target.group, key, value),
  );
  void vscode.window.showInformationMessage(`Set "${key}" of ${title} to ${formatValue(value)}.`);
}

/**
 * The request without the prompts: POST `update_property` and update the tree and any open document of
 * the group. Null (and undefined) are refused before anything is sent.
 */
export async function applyGroupPropertyUpdate(s: Services, env: Environment, group: Pick<Group, 'group_type_index' | 'group_key'>, key: string, value: unknown): Promise<Group> {
  // The store refuses empty keys and null, and tells the tree and any open document of the group.
  return s.groups.updateProperty(env, group, key, value);
}

export type ParsedValue = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * What the user typed, as the value to store: valid JSON is taken as JSON (numbers, booleans, objects,
 * arrays, quoted strings), anything else as the plain string. Null is refused with the reason.
 */
export function parsePropertyValue(text: string): ParsedValue {
  let value: unknown = text;
  try {
    // Lossless: 12345678901234567890 stays exactly that, not a rounded double (F13).
    value = parseJson(text);
  } catch {
    // Not JSON: a plain string.
  }
  if (value === null) return { ok: false, reason: NULL_REFUSED };
  if (!finiteNumbers(value)) return { ok: false, reason: `${text.trim()} is beyond what a number can hold (it would be stored as null). Quote it to store it as text.` };
  return { ok: true, value };
}

function finiteNumbers(v: unknown): boolean {
  if (isLosslessNumber(v)) return Number.isFinite(Number(v.toString()));
  if (Array.isArray(v)) return v.every(finiteNumbers);
  if (isJsonObject(v)) return Object.values(v).every(finiteNumbers);
  return true;
}

/** The text that parses back to exactly `value`: strings raw unless they would read as JSON. */
export function editableText(value: unknown): string {
  if (typeof value === 'string') {
    const parsed = parsePropertyValue(value);
    return parsed.ok && parsed.value === value ? value : JSON.stringify(value);
  }
  return toJson(value) ?? '';
}

/**
 * The value a suggestion stands for. PostHog returns property values as text ("42", "true"), so text
 * that reads as JSON is taken as JSON — unless the property currently holds a string, which stays one.
 */
export function suggestedValue(name: unknown, old: unknown): unknown {
  if (name === null || name === undefined) return undefined;
  if (typeof name !== 'string' || typeof old === 'string') return name;
  const parsed = parsePropertyValue(name);
  return parsed.ok ? parsed.value : undefined;
}

export function valueKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

type ValueItem = vscode.QuickPickItem & { pick?: { value: unknown } };

/**
 * The value prompt: a QuickPick whose input starts as the old value and accepts free text; below it,
 * PostHog's most common values of this property (fetched once), which narrow as you type.
 */
async function pickPropertyValue(s: Services, target: GroupTarget, key: string, old: unknown): Promise<unknown> {
  const prefill = old === undefined ? '' : editableText(old);
  const qp = vscode.window.createQuickPick<ValueItem>();
  qp.title = `Value of "${key}" — ${groupTitle(target.groupType, target.group)}`;
  qp.placeholder = 'Type a value (JSON for numbers, booleans, objects and arrays; anything else is a string)';
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = false;
  qp.value = prefill;
  let suggestions: PropertyValue[] = [];
  let suggestionNote: string | undefined = 'loading the most common values…';

  const same = (a: unknown, b: unknown): boolean => toJson(a) === toJson(b);
  const describe = (value: unknown, count: number | undefined): string =>
    [valueKind(value), count === undefined ? undefined : `${count} group${count === 1 ? '' : 's'}`, old !== undefined && same(value, old) ? 'current value' : undefined]
      .filter((part) => part !== undefined)
      .join(' · ');

  const render = (): void => {
    const text = qp.value;
    const parsed = parsePropertyValue(text);
    const common = suggestions.flatMap((v) => {
      const value = suggestedValue(v.name, old);
      return value === undefined ? [] : [{ value, count: v.count }];
    });
    // The typed value stands for a common value it equals (with its count) instead of listing it twice.
    const typedMatch = parsed.ok ? common.find((c) => same(c.value, parsed.value)) : undefined;
    const others = common.filter((c) => c !== typedMatch);
    const hint = suggestionNote ?? (others.length ? `or pick one of the ${others.length} most common values below` : 'no other values of this property in PostHog yet');
    const typed: ValueItem = parsed.ok
      ? {
          label: text === '' ? '""' : text,
          description: describe(parsed.value, typedMatch?.count),
          detail: `${text === '' ? 'The empty string' : 'Enter to use this value'}; ${hint}`,
          iconPath: new vscode.ThemeIcon('edit'),
          alwaysShow: true,
          pick: { value: parsed.value },
        }
      : { label: text, description: 'not accepted', detail: parsed.reason, iconPath: new vscode.ThemeIcon('error'), alwaysShow: true };
    const untouched = text === prefill;
    qp.items = [
      typed,
      { label: 'Most common values', kind: vscode.QuickPickItemKind.Separator },
      ...others.map((c) => ({ label: editableText(c.value), description: describe(c.value, c.count), alwaysShow: untouched, pick: { value: c.value } })),
    ];
  };

  const disposables: vscode.Disposable[] = [qp.onDidChangeValue(render)];
  let closed = false;
  qp.busy = true;
  render();
  qp.show();
  // Fetched once per prompt; typing only filters them.
  void s.clients
    .get(target.env.host)
    .groupPropertyValues(target.env.projectId, target.group.group_type_index, key)
    .then(
      (values) => {
        suggestions = values;
        suggestionNote = undefined;
      },
      (e: unknown) => {
        suggestionNote = 'the most common values could not be loaded';
        s.log.warn('command', `property_values for ${key} failed: ${errorMessage(e)}`);
      },
    )
    .finally(() => {
      if (closed) return;
      qp.busy = false;
      render();
    });
  try {
    // A refused value (null) has no `pick`: the prompt stays open and its item says why.
    return (await accepted(qp, (item) => item?.pick)).value;
  } finally {
    closed = true;
    for (const d of disposables) d.dispose();
    qp.dispose();
  }
}
