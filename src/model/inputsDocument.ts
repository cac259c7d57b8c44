/**
 * The inputs document: a hog function's `inputs` as pretty JSON, and the checks that run before it
 * is sent. Pure (no vscode): problems carry offsets, the fs layer turns them into diagnostics.
 *
 * Shown: `{ "<key>": { "value": …, "templating"?: … } }` in `inputs_schema` order. Server-derived
 * fields (`bytecode`, `order`, `transpiled`) are removed. Secret inputs stay exactly `{"secret": true}`
 * — sending that marker back tells PostHog to keep the stored secret.
 */
import type * as Jsonc from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import type { InputSchemaItem } from '../api/schemas';
import { canonicalJson, isJsonObject, numberFromLiteral, parseJson, sameJson, setOwn, stringifyJson } from './json';
import { normaliseInput, readInputs } from './storedInputs';

/**
 * jsonc-parser's parser is initialised at the first inputs document, not when the extension loads: its
 * scanner builds lookup tables that activation does not need. Only the parser module is loaded (the
 * package's entry would add its formatter and editor): its CommonJS build here, which the bundle swaps
 * for the ES module build (esbuild.mjs).
 */
type JsoncParser = Pick<typeof Jsonc, 'parseTree' | 'findNodeAtLocation'>;
let jsoncModule: JsoncParser | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonc = (): JsoncParser => (jsoncModule ??= require('jsonc-parser/lib/umd/impl/parser.js') as JsoncParser);

export const SECRET_MASK = '********';

export interface Problem {
  message: string;
  offset: number;
  length: number;
  severity: 'error' | 'warning';
  /** The input key the problem is about, if any. */
  key?: string;
}

export function serializeInputs(inputs: unknown, schema: readonly InputSchemaItem[] | null | undefined): string {
  const all = readInputs(inputs);
  const out: Record<string, unknown> = {};
  const order = [...(schema ?? []).map((s) => s.key), ...Object.keys(all)];
  for (const key of order) {
    if (Object.hasOwn(out, key) || !Object.hasOwn(all, key)) continue;
    setOwn(out, key, normaliseInput(all[key] ?? null));
  }
  return `${stringifyJson(out, 2)}\n`;
}

/** The inputs as a comparable text: formatting, key order and server-derived fields aside. */
export function canonicalInputs(text: string): string {
  try {
    const value = parseJson(text);
    if (!isJsonObject(value)) return text;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, isJsonObject(v) ? normaliseInput(v) : v);
    return canonicalJson(out);
  } catch {
    return text;
  }
}

export interface ParsedInputs {
  inputs: Record<string, unknown> | undefined;
  problems: Problem[];
}

/** Parses and validates the document against `inputs_schema`. `inputs` is undefined when there are errors. */
export function parseInputsDocument(text: string, schema: readonly InputSchemaItem[] | null | undefined): ParsedInputs {
  const { root, problems: invalid } = parseObjectDocument(text, 'The inputs document must be a JSON object: { "<input key>": { "value": … } }.');
  if (!root) return { inputs: undefined, problems: invalid };
  const problems: Problem[] = duplicateKeys(root);
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
    checkInput(item, valueNode, problems, text);
    setOwn(inputs, key, nodeValue(valueNode, text));
  }
  // A secret left out of the document keeps its stored value: PostHog reads a missing input as `{}`
  // and recovers the stored secret for it (E7). Clearing one is "Set Secret Value…" with an empty value.
  for (const item of schema ?? []) {
    if (!item.required || item.hidden) continue;
    const valueNode = jsonc().findNodeAtLocation(root, [item.key]);
    if (!valueNode && item.default === undefined) {
      problems.push({
        message: `Required input "${item.key}"${item.label ? ` (${item.label})` : ''} is missing.`,
        offset: root.offset,
        length: 1,
        severity: 'error',
        key: item.key,
      });
    }
  }
  return { inputs: problems.some((p) => p.severity === 'error') ? undefined : inputs, problems };
}

function checkInput(item: InputSchemaItem, node: Node, problems: Problem[], text: string): void {
  const key = item.key;
  const at = (n: Node, message: string): void => {
    problems.push({ message, offset: n.offset, length: n.length, severity: 'error', key });
  };
  if (node.type !== 'object') {
    at(node, `Input "${key}" must be an object like { "value": … }${item.secret ? ' (or { "secret": true } to keep the stored secret)' : ''}.`);
    return;
  }
  const valueNode = jsonc().findNodeAtLocation(node, ['value']);
  const secretNode = jsonc().findNodeAtLocation(node, ['secret']);
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
  const value = nodeValue(valueNode, text);
  if (containsMask(value)) {
    at(
      valueNode,
      `Input "${key}" contains the mask "${SECRET_MASK}". It would be saved as the real value; enter the actual value or use { "secret": true } to keep the stored one.`,
    );
    return;
  }
  if (value === null || value === '') {
    if (item.required) at(valueNode, `Required input "${key}" must not be empty.`);
    return;
  }
  if (item.secret) {
    // Saving works, but the value then sits in this editor (and its backups) in plain text (B2).
    problems.push({
      message: `"${key}" is a secret input: this value is saved, but it stays readable in this document. Prefer "PostHog: Set Secret Value…", which never shows it.`,
      offset: valueNode.offset,
      length: valueNode.length,
      severity: 'warning',
      key,
    });
  }
  const type = item.type;
  const templated = typeof value === 'string';
  // Never quote a secret's value: messages reach the log, notifications and Problems (B1).
  const got = item.secret ? `got ${kindOf(value)}` : `got ${describe(value)}`;
  const fail = (expected: string): void => {
    at(valueNode, `Input "${key}" must be ${expected} (inputs_schema type "${type}"), ${got}.`);
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
      if (allowed.length > 0 && !allowed.some((a) => sameJson(a, value))) {
        at(valueNode, `Input "${key}" must be one of ${allowed.map((a) => truncate(stringifyJson(a))).join(', ')}; ${got}.`);
      }
      break;
    }
    default:
      // json and types this extension does not know yet: PostHog validates them.
      break;
  }
  const templating = jsonc().findNodeAtLocation(node, ['templating']);
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

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return isJsonObject(v) ? 'an object' : 'a number';
  return `a ${typeof v}`;
}

function describe(v: unknown): string {
  if (Array.isArray(v) || v === null || typeof v === 'object') return kindOf(v);
  return `${typeof v} ${truncate(JSON.stringify(v))}`;
}

function truncate(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * The value of a JSON node, as the server will read it: own keys only (also "__proto__"), numbers a
 * double cannot hold kept as their literal text.
 */
export function nodeValue(node: Node, text: string): unknown {
  switch (node.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (k && v && typeof k.value === 'string') setOwn(o, k.value, nodeValue(v, text));
      }
      return o;
    }
    case 'array':
      return (node.children ?? []).map((c) => nodeValue(c, text));
    case 'number':
      return numberFromLiteral(text.slice(node.offset, node.offset + node.length));
    default:
      return node.value as unknown;
  }
}

/**
 * Parses a JSON document that must be one object (filters, group properties): the tree, or the
 * problem to show — a JSON error in words, or `notObject` when the top level is something else.
 */
export function parseObjectDocument(text: string, notObject: string): { root: Node; problems: [] } | { root: undefined; problems: Problem[] } {
  const errors: ParseError[] = [];
  const root = jsonc().parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  const e = errors[0];
  if (e || !root) {
    return {
      root: undefined,
      problems: [
        {
          message: `Invalid JSON: ${e ? humanParseError(e.error) : 'empty document'}.`,
          offset: e?.offset ?? 0,
          length: Math.max(1, e?.length ?? 1),
          severity: 'error',
        },
      ],
    };
  }
  if (root.type !== 'object') return { root: undefined, problems: [{ message: notObject, offset: root.offset, length: root.length, severity: 'error' }] };
  return { root, problems: [] };
}

/** Duplicate keys of every object in the tree: JSON keeps only the last one, silently (F14). */
export function duplicateKeys(root: Node): Problem[] {
  const problems: Problem[] = [];
  const visit = (n: Node): void => {
    if (n.type === 'object') {
      const seen = new Set<string>();
      for (const p of n.children ?? []) {
        const k = p.children?.[0];
        if (k && typeof k.value === 'string') {
          if (seen.has(k.value)) {
            problems.push({ message: `Duplicate key "${k.value}": only the last one would be saved.`, offset: k.offset, length: k.length, severity: 'error', key: k.value });
          }
          seen.add(k.value);
        }
      }
    }
    for (const c of n.children ?? []) visit(c);
  };
  visit(root);
  return problems;
}

/** jsonc-parser's ParseErrorCode (1 = InvalidSymbol … 16 = InvalidCharacter) in words. */
const PARSE_ERRORS: readonly string[] = [
  'invalid JSON',
  'unexpected character',
  'invalid number',
  'expected a property name in double quotes',
  'expected a value',
  'expected ":"',
  'expected ","',
  'expected "}"',
  'expected "]"',
  'unexpected content after the end',
  'comments are not allowed',
  'unterminated comment',
  'unterminated string',
  'unterminated number',
  'invalid unicode escape',
  'invalid escape character',
  'invalid character in string',
];

export function humanParseError(code: Jsonc.ParseErrorCode): string {
  return PARSE_ERRORS[code] ?? PARSE_ERRORS[0] ?? 'invalid JSON';
}

/** Where a server error about `inputs__<key>` should be shown: the key's node in the document. */
export function locateInputKey(text: string, key: string): { offset: number; length: number } | undefined {
  const root = jsonc().parseTree(text);
  if (!root) return undefined;
  const value = jsonc().findNodeAtLocation(root, [key]);
  const prop = value?.parent;
  const keyNode = prop?.children?.[0];
  return keyNode ? { offset: keyNode.offset, length: keyNode.length } : undefined;
}
