/**
 * `inputs_schema` and `inputs` validation (posthog/cdp/validation.py, doc §1.3–1.4).
 *
 * Key behaviours mirrored: validation iterates the *schema* (unknown input keys are dropped),
 * secrets can be kept with `{"secret": true}` or by omission, the literal mask `********` is
 * never persisted for a secret, string values of Hog-typed functions must be valid full template
 * strings, and inputs get a topological `order` by their `inputs.x` references.
 */
import { templateBytecode, templateInputDeps, templateTranspiled } from './bytecode';
import { parseHogTemplate, templateHasNestedPlaceholder } from './compilers';
import { displayValue, isPlainObject, pyTypeName, validationError } from './http';
import type { InputSchemaItem, StoredInput } from './types';

export const INPUT_TYPES = [
  'string',
  'number',
  'boolean',
  'dictionary',
  'choice',
  'json',
  'integration',
  'integration_multi',
  'integration_field',
  'email',
  'native_email',
  'posthog_assignee',
  'posthog_ticket_tags',
  'posthog_business_hours',
  'non_failure_status_codes',
  'customer_analytics_account_properties',
  'customer_analytics_account_relationships',
  'task_model',
  'task_repository',
  'task_mcp_installations',
] as const;

const TEMPLATED_TYPES = new Set(['string', 'boolean', 'dictionary', 'json', 'email', 'native_email']);
export const JAVASCRIPT_TYPES = new Set(['site_destination', 'site_app']);
export const SECRET_MASK = '********';

const BOOL_KEYS = ['required', 'secret', 'hidden', 'searchable'] as const;
const STRING_KEYS = ['label', 'description', 'integration', 'integration_key', 'integration_field', 'requires_field'];

/** Validates `inputs_schema`; errors carry attrs like `inputs_schema__0__type`. */
export function validateInputsSchema(raw: unknown, attr: string): InputSchemaItem[] {
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw)) {
    throw validationError(`Expected a list of items but got type "${pyTypeName(raw)}".`, attr, 'not_a_list');
  }
  const seen = new Set<string>();
  return raw.map((item: unknown, i) => {
    const at = `${attr}__${i}`;
    if (!isPlainObject(item)) {
      throw validationError(`Invalid data. Expected a dictionary, but got ${pyTypeName(item)}.`, at, 'invalid');
    }
    if (item.type === undefined) throw validationError('This field is required.', `${at}__type`, 'required');
    if (typeof item.type !== 'string' || !(INPUT_TYPES as readonly string[]).includes(item.type)) {
      throw validationError(`"${displayValue(item.type)}" is not a valid choice.`, `${at}__type`, 'invalid_choice');
    }
    if (item.key === undefined) throw validationError('This field is required.', `${at}__key`, 'required');
    if (typeof item.key !== 'string') throw validationError('Not a valid string.', `${at}__key`);
    if (item.key.trim() === '') throw validationError('This field may not be blank.', `${at}__key`, 'blank');
    for (const k of BOOL_KEYS) {
      if (item[k] !== undefined && typeof item[k] !== 'boolean') {
        throw validationError('Must be a valid boolean.', `${at}__${k}`);
      }
    }
    for (const k of STRING_KEYS) {
      if (item[k] !== undefined && item[k] !== null && typeof item[k] !== 'string') {
        throw validationError('Not a valid string.', `${at}__${k}`);
      }
    }
    const templating = item.templating;
    if (templating !== undefined && typeof templating !== 'boolean' && templating !== 'hog' && templating !== 'liquid') {
      throw validationError(`"${displayValue(templating)}" is not a valid choice.`, `${at}__templating`, 'invalid_choice');
    }
    if (seen.has(item.key)) throw validationError(`Duplicate input key: "${item.key}".`, attr);
    seen.add(item.key);
    return { ...item, key: item.key, type: item.type, required: item.required === true, secret: item.secret === true };
  });
}

export interface InputsContext {
  schema: InputSchemaItem[];
  raw: unknown;
  /** Stored secret values, used for `{"secret": true}` markers and omitted secret keys. */
  storedSecrets: Record<string, StoredInput>;
  functionType: string;
  attr: string;
}

function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** Python truthiness, which is what PostHog's `if not value` checks use. */
function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

function containsMask(value: unknown): boolean {
  if (typeof value === 'string') return value === SECRET_MASK;
  if (Array.isArray(value)) return value.some(containsMask);
  if (isPlainObject(value)) return Object.values(value).some(containsMask);
  return false;
}

function typeError(type: string, value: unknown): string | null {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? null : 'Value must be a string.';
    case 'number':
      return typeof value === 'number' ? null : 'Value must be a number.';
    case 'boolean':
      return typeof value === 'boolean' || typeof value === 'string' ? null : 'Value must be a boolean.';
    case 'dictionary':
      return isPlainObject(value) ? null : 'Value must be a dictionary.';
    case 'integration':
      return Number.isInteger(value) ? null : 'Value must be an Integration ID.';
    case 'integration_multi':
      return Array.isArray(value) && value.every((v) => Number.isInteger(v)) ? null : 'Value must be a list of Integration IDs.';
    case 'email':
    case 'native_email': {
      if (!isPlainObject(value)) return 'Value must be an email object.';
      for (const k of ['from', 'to', 'subject']) if (!truthy(value[k])) return `Missing value for '${k}'.`;
      return truthy(value.text) || truthy(value.html) ? null : "Either 'text' or 'html' is required.";
    }
    case 'non_failure_status_codes': {
      const ok = Array.isArray(value) && value.every((v) => v === '4xx' || v === '5xx' || (Number.isInteger(v) && Number(v) >= 400 && Number(v) <= 599));
      return ok ? null : 'Value must be a list of status codes between 400 and 599, or "4xx"/"5xx".';
    }
    default:
      return null;
  }
}

function collectStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (isPlainObject(value)) for (const v of Object.values(value)) collectStrings(v, out);
  return out;
}

async function checkTemplate(text: string): Promise<string | null> {
  const parsed = await parseHogTemplate(text);
  let message: string | null = null;
  if (!parsed.ok) message = parsed.message;
  else if (templateHasNestedPlaceholder(parsed.ast)) message = 'Placeholders, such as {...}, are not supported in this context';
  if (message === null) return null;
  const hint = text.includes('{{') ? ' Hint: Hog templating uses single curly braces, e.g. {event.properties.name}; "{{ }}" is Liquid syntax.' : '';
  return `Invalid template: ${message}.${hint}`;
}

function shouldCompile(schema: InputSchemaItem, input: StoredInput): boolean {
  if (schema.templating === false || !TEMPLATED_TYPES.has(schema.type)) return false;
  return input.templating !== 'liquid';
}

/**
 * Validates `inputs` against the schema. Returns all values (secret ones included) in
 * topological order, with bytecode/transpiled/order filled in.
 */
export async function validateInputs(ctx: InputsContext): Promise<Record<string, StoredInput>> {
  const { schema, storedSecrets, attr } = ctx;
  if (ctx.raw !== undefined && ctx.raw !== null && !isPlainObject(ctx.raw)) {
    throw validationError(`Expected a dictionary of items but got type "${pyTypeName(ctx.raw)}".`, attr, 'not_a_dict');
  }
  const raw = isPlainObject(ctx.raw) ? ctx.raw : {};
  const result: Record<string, StoredInput> = {};
  for (const item of schema) {
    const at = `${attr}__${item.key}`;
    const given = raw[item.key];
    if (given !== undefined && given !== null && !isPlainObject(given)) {
      throw validationError(`Invalid data. Expected a dictionary, but got ${pyTypeName(given)}.`, at, 'invalid');
    }
    const givenObj = isPlainObject(given) ? given : undefined;
    const templating = givenObj?.templating;
    if (templating !== undefined && templating !== 'hog' && templating !== 'liquid') {
      throw validationError(`"${displayValue(templating)}" is not a valid choice.`, `${at}__templating`, 'invalid_choice');
    }
    let input: StoredInput = {};
    if (givenObj && 'value' in givenObj) input.value = givenObj.value;
    if (templating !== undefined) input.templating = templating;
    else if (item.templating === 'hog' || item.templating === 'liquid') input.templating = item.templating;
    if (item.secret) {
      const marker = givenObj?.secret === true;
      // `{"secret": true}` (optionally with the mask as value), an omitted key or `{}` keep the stored value.
      const keepStored = marker ? input.value === undefined || input.value === SECRET_MASK : input.value === undefined;
      if (keepStored) {
        const stored = storedSecrets[item.key];
        if (stored) input = { ...stored };
        else if (marker) throw validationError('No value is saved for this secret input. Enter the value again.', at);
      }
    }
    if (item.required && isEmptyValue(input.value) && given === undefined && item.default !== undefined) {
      input.value = item.default;
    }
    if (item.required && isEmptyValue(input.value)) throw validationError('This field is required.', at);
    if (input.value === undefined || input.value === null) continue;
    if (item.secret && containsMask(input.value)) {
      throw validationError('This secret input was not updated correctly. Enter the value again.', at);
    }
    if (truthy(input.value)) {
      const error = typeError(item.type, input.value);
      if (error) throw validationError(error, at);
      if (shouldCompile(item, input)) {
        for (const text of collectStrings(input.value)) {
          const templateError = await checkTemplate(text);
          if (templateError) throw validationError(templateError, at);
        }
      }
    }
    result[item.key] = { value: input.value, ...(input.templating ? { templating: input.templating } : {}) };
  }
  return compileInputs(schema, result, ctx.functionType, attr);
}

/**
 * Adds the server-computed parts (bytecode or transpiled, and order) and sorts topologically by
 * `inputs.x` references. Synchronous and parser-free so seeding thousands of functions is cheap.
 */
export function compileInputs(schema: InputSchemaItem[], inputs: Record<string, StoredInput>, functionType: string, attr = 'inputs'): Record<string, StoredInput> {
  const bySchema = new Map(schema.map((s) => [s.key, s]));
  const compiled = new Map<string, StoredInput>();
  const deps = new Map<string, string[]>();
  for (const [key, input] of Object.entries(inputs)) {
    const item = bySchema.get(key);
    const { bytecode: _b, transpiled: _t, order: _o, ...base } = input;
    const out: StoredInput = { ...base };
    if (item && truthy(input.value) && shouldCompile(item, input)) {
      if (JAVASCRIPT_TYPES.has(functionType)) out.transpiled = templateTranspiled(input.value);
      else out.bytecode = templateBytecode(input.value);
      deps.set(key, [...templateInputDeps(input.value)]);
    }
    compiled.set(key, out);
  }
  const keys = [...compiled.keys()];
  // Self-references count as a cycle, like PostHog's sort (the node never reaches in-degree 0).
  for (const key of keys) {
    deps.set(
      key,
      (deps.get(key) ?? []).filter((d) => compiled.has(d)),
    );
  }
  const sorted = topologicalSort(keys, deps);
  if (!sorted) throw validationError('Circular dependency detected in input_deps.', attr);
  const result: Record<string, StoredInput> = {};
  sorted.forEach((key, order) => {
    const input = compiled.get(key);
    if (input) result[key] = { ...input, order };
  });
  return result;
}

/** Kahn's algorithm in the original key order, as PostHog's `topological_sort`. Null on a cycle. */
function topologicalSort(nodes: string[], edges: Map<string, string[]>): string[] | null {
  const inDegree = new Map(nodes.map((n) => [n, (edges.get(n) ?? []).length]));
  const queue = nodes.filter((n) => inDegree.get(n) === 0);
  const sorted: string[] = [];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === undefined) break;
    sorted.push(current);
    for (const node of nodes) {
      if ((edges.get(node) ?? []).includes(current)) {
        const d = (inDegree.get(node) ?? 0) - 1;
        inDegree.set(node, d);
        if (d === 0) queue.push(node);
      }
    }
  }
  return sorted.length === nodes.length ? sorted : null;
}

/** Splits validated inputs into the plain and the secret (encrypted) part, as the model does. */
export function splitSecretInputs(
  schema: InputSchemaItem[],
  inputs: Record<string, StoredInput>,
): { inputs: Record<string, StoredInput>; encrypted_inputs: Record<string, StoredInput> } {
  const secretKeys = new Set(schema.filter((s) => s.secret).map((s) => s.key));
  const plain: Record<string, StoredInput> = {};
  const encrypted: Record<string, StoredInput> = {};
  for (const [key, value] of Object.entries(inputs)) (secretKeys.has(key) ? encrypted : plain)[key] = value;
  return { inputs: plain, encrypted_inputs: encrypted };
}

/** Merges plain and secret inputs back in their stored `order`. */
export function mergeInputs(plain: Record<string, StoredInput>, encrypted: Record<string, StoredInput>): Record<string, StoredInput> {
  const entries = [...Object.entries(plain), ...Object.entries(encrypted)];
  entries.sort(([, a], [, b]) => (a.order ?? 0) - (b.order ?? 0));
  return Object.fromEntries(entries);
}
