/**
 * The inputs document: a hog function's `inputs` as pretty JSON, and the checks that run before it
 * is sent. Pure (no vscode): problems carry offsets, the fs layer turns them into diagnostics.
 *
 * Shown: `{ "<key>": { "value": …, "templating"?: … } }` in `inputs_schema` order. Server-derived
 * fields (`bytecode`, `order`, `transpiled`) are removed. Secret inputs stay exactly `{"secret": true}`
 * — sending that marker back tells PostHog to keep the stored secret.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { InputSchemaItem } from '../api/schemas';

export const SECRET_MASK = '********';
const SERVER_DERIVED = new Set(['bytecode', 'order', 'transpiled']);

export interface Problem {
  message: string;
  offset: number;
  length: number;
  severity: 'error' | 'warning';
  /** The input key the problem is about, if any. */
  key?: string;
}

export type InputsRecord = Record<string, Record<string, unknown> | null>;

export function serializeInputs(inputs: InputsRecord | null | undefined, schema: readonly InputSchemaItem[] | null | undefined): string {
  const out: Record<string, unknown> = {};
  const order = [...(schema ?? []).map((s) => s.key), ...Object.keys(inputs ?? {})];
  for (const key of order) {
    if (key in out || !inputs || !(key in inputs)) continue;
    out[key] = normaliseInput(inputs[key] ?? null);
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function normaliseInput(input: Record<string, unknown> | null): unknown {
  if (input === null) return null;
  if (input.secret === true && !('value' in input)) return { secret: true };
  const cleaned: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (!SERVER_DERIVED.has(k)) cleaned[k] = v;
  return cleaned;
}

export interface ParsedInputs {
  inputs: Record<string, unknown> | undefined;
  problems: Problem[];
}

/** Parses and validates the document against `inputs_schema`. `inputs` is undefined when there are errors. */
export function parseInputsDocument(text: string, schema: readonly InputSchemaItem[] | null | undefined): ParsedInputs {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !root) {
    const e = errors[0];
    return {
      inputs: undefined,
      problems: [{ message: `Invalid JSON: ${e ? humanParseError(printParseErrorCode(e.error)) : 'empty document'}.`, offset: e?.offset ?? 0, length: Math.max(1, e?.length ?? 1), severity: 'error' }],
    };
  }
  if (root.type !== 'object') {
    return { inputs: undefined, problems: [{ message: 'The inputs document must be a JSON object: { "<input key>": { "value": … } }.', offset: root.offset, length: root.length, severity: 'error' }] };
  }
  const problems: Problem[] = [];
  const byKey = new Map((schema ?? []).map((s) => [s.key, s]));
  const inputs: Record<string, unknown> = {};
  for (const prop of root.children ?? []) {
    const keyNode = prop.children?.[0];
    const valueNode = prop.children?.[1];
    if (!keyNode || !valueNode || typeof keyNode.value !== 'string') continue;
    const key = keyNode.value;
    const item = byKey.get(key);
    if (!item) {
      const known = [...byKey.keys()];
      problems.push({
        message: `Unknown input "${key}": it is not in this function's inputs_schema${known.length ? ` (known: ${known.join(', ')})` : ''}. PostHog would silently drop it.`,
        offset: keyNode.offset,
        length: keyNode.length,
        severity: 'error',
        key,
      });
      continue;
    }
    checkInput(item, valueNode, problems);
    inputs[key] = nodeValue(valueNode);
  }
  for (const item of schema ?? []) {
    if (item.secret && !item.required && !findNodeAtLocation(root, [item.key])) {
      // Leaving a secret out of the document erases the stored secret on save.
      problems.push({ message: `Secret input "${item.key}" is missing: saving will remove its stored value. Keep { "secret": true } to keep it.`, offset: root.offset, length: 1, severity: 'warning', key: item.key });
    }
    if (!item.required || item.hidden) continue;
    const valueNode = findNodeAtLocation(root, [item.key]);
    if (!valueNode && item.default === undefined) {
      problems.push({ message: `Required input "${item.key}"${item.label ? ` (${item.label})` : ''} is missing.`, offset: root.offset, length: 1, severity: 'error', key: item.key });
    }
  }
  return { inputs: problems.some((p) => p.severity === 'error') ? undefined : inputs, problems };
}

function checkInput(item: InputSchemaItem, node: Node, problems: Problem[]): void {
  const key = item.key;
  const at = (n: Node, message: string): void => {
    problems.push({ message, offset: n.offset, length: n.length, severity: 'error', key });
  };
  if (node.type !== 'object') {
    at(node, `Input "${key}" must be an object like { "value": … }${item.secret ? ' (or { "secret": true } to keep the stored secret)' : ''}.`);
    return;
  }
  const valueNode = findNodeAtLocation(node, ['value']);
  const secretNode = findNodeAtLocation(node, ['secret']);
  if (secretNode) {
    if (!item.secret) at(secretNode, `Input "${key}" is not a secret input: remove "secret" and give a "value".`);
    else if (secretNode.value !== true) at(secretNode, '"secret" may only be true (it means: keep the value stored in PostHog).');
    if (valueNode) at(valueNode, `Input "${key}": give either "value" or "secret": true, not both. Use "PostHog: Set Secret Value…" to change a secret.`);
    return;
  }
  if (!valueNode) {
    if (item.required && item.default === undefined) at(node, `Required input "${key}" has no "value".`);
    return;
  }
  const value = nodeValue(valueNode);
  if (containsMask(value)) {
    at(valueNode, `Input "${key}" contains the mask "${SECRET_MASK}". It would be saved as the real value; enter the actual value or use { "secret": true } to keep the stored one.`);
    return;
  }
  if (value === null || value === '') {
    if (item.required) at(valueNode, `Required input "${key}" must not be empty.`);
    return;
  }
  const type = item.type;
  const templated = typeof value === 'string';
  const fail = (expected: string): void => {
    at(valueNode, `Input "${key}" must be ${expected} (inputs_schema type "${type}"), got ${describe(value)}.`);
  };
  switch (type) {
    case 'string':
      if (typeof value !== 'string') fail('a string');
      break;
    case 'number':
      if (typeof value !== 'number') fail('a number');
      break;
    case 'boolean':
      if (typeof value !== 'boolean' && !templated) fail('true, false or a template string');
      break;
    case 'dictionary':
      if (!isPlainObject(value)) fail('an object');
      break;
    case 'integration':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('an integration id (integer)');
      break;
    case 'integration_multi':
      if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v))) fail('a list of integration ids');
      break;
    case 'email':
    case 'native_email':
      if (!isPlainObject(value)) fail('an object with from, to, subject and text or html');
      break;
    case 'choice': {
      const allowed = (item.choices ?? []).map((c) => c.value);
      if (allowed.length > 0 && !allowed.some((a) => JSON.stringify(a) === JSON.stringify(value))) {
        at(valueNode, `Input "${key}" must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}; got ${JSON.stringify(value)}.`);
      }
      break;
    }
    default:
      // json and types this extension does not know yet: PostHog validates them.
      break;
  }
  const templating = findNodeAtLocation(node, ['templating']);
  if (templating && templating.value !== 'hog' && templating.value !== 'liquid') {
    at(templating, '"templating" must be "hog" or "liquid".');
  }
}

function containsMask(v: unknown): boolean {
  if (v === SECRET_MASK) return true;
  if (Array.isArray(v)) return v.some(containsMask);
  if (isPlainObject(v)) return Object.values(v).some(containsMask);
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** The plain value of a JSON node (jsonc-parser's getNodeValue, without importing more). */
function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (k && v && typeof k.value === 'string') o[k.value] = nodeValue(v);
      }
      return o;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value as unknown;
  }
}

function humanParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected ":"',
    CommaExpected: 'expected ","',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'unexpected content after the end',
    InvalidCommentToken: 'comments are not allowed',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  return words[code] ?? code;
}

/** Where a server error about `inputs__<key>` should be shown: the key's node in the document. */
export function locateInputKey(text: string, key: string): { offset: number; length: number } | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  const value = findNodeAtLocation(root, [key]);
  const prop = value?.parent;
  const keyNode = prop?.children?.[0];
  return keyNode ? { offset: keyNode.offset, length: keyNode.length } : undefined;
}
