/**
 * Validation of hog function create/update bodies (HogFunctionSerializer.to_internal_value and
 * validate, doc §1.2). Produces the complete set of fields to store; the store applies them.
 *
 * Order of checks: field types (in the serializer's declaration order), then `type`, template,
 * `hog`, `inputs_schema`, `inputs`, `filters`, `masking`, `mappings`, enabled caps. Only the first
 * error is reported, like PostHog with SUPPORT_MULTIPLE_EXCEPTIONS off.
 */
import { functionBytecode } from './bytecode';
import { normalizeFilters, normalizeMasking } from './filters';
import { checkHogCode } from './hogCode';
import { displayValue, isPlainObject, pyTypeName, validationError } from './http';
import { JAVASCRIPT_TYPES, mergeInputs, splitSecretInputs, validateInputs, validateInputsSchema } from './inputs';
import { parseIsoMicros } from './time';
import type { HogFunctionMapping, StandInConfig, StandInState, StoredHogFunction } from './types';

/**
 * Types the stand-in server knows. `email_campaign` is a made-up "future" type: the server knows
 * it, the extension does not, which is exactly the tolerance case to exercise.
 */
export const HOG_FUNCTION_TYPES = [
  'destination',
  'site_destination',
  'internal_destination',
  'source_webhook',
  'warehouse_source_webhook',
  'site_app',
  'transformation',
  'transformation_log',
  'email_campaign',
] as const;
export const TYPES_WITH_EXECUTION_ORDER = new Set(['transformation', 'transformation_log']);
const TYPES_WITH_MAPPINGS = new Set(['destination', 'site_destination']);
const TRUE_VALUES = new Set<unknown>([true, 'true', 'True', 'TRUE', 'on', 'yes', '1', 1]);
const FALSE_VALUES = new Set<unknown>([false, 'false', 'False', 'FALSE', 'off', 'no', '0', 0]);

export interface WriteRequest {
  state: StandInState;
  config: StandInConfig;
  teamId: number;
  /** null on create. */
  existing: StoredHogFunction | null;
  body: unknown;
}

/** Fields to store plus the write-only extras. */
export interface ValidatedWrite {
  fields: Omit<StoredHogFunction, 'id' | 'team_id' | 'created_at' | 'created_by_id' | 'updated_at' | 'version' | 'status' | 'batch_export_id'>;
  /** `base_updated_at` in epoch µs, if sent. */
  baseUpdatedAt: bigint | null;
}

function bool(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (TRUE_VALUES.has(v)) return true;
  if (FALSE_VALUES.has(v)) return false;
  throw validationError('Must be a valid boolean.', key);
}

function str(body: Record<string, unknown>, key: string, opts: { nullable: boolean; blank: boolean; max?: number }): string | null | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (v === null) {
    if (opts.nullable) return null;
    throw validationError('This field may not be null.', key, 'null');
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw validationError('Not a valid string.', key);
  const text = String(v);
  if (!opts.blank && text.trim() === '') throw validationError('This field may not be blank.', key, 'blank');
  if (opts.max !== undefined && text.length > opts.max) {
    throw validationError(`Ensure this field has no more than ${opts.max} characters.`, key, 'max_length');
  }
  return text;
}

function list(body: Record<string, unknown>, key: string): unknown[] | null | undefined {
  const v = body[key];
  if (v === undefined || v === null) return v;
  if (!Array.isArray(v)) throw validationError(`Expected a list of items but got type "${pyTypeName(v)}".`, key, 'not_a_list');
  return v as unknown[];
}

function dict(body: Record<string, unknown>, key: string): Record<string, unknown> | null | undefined {
  const v = body[key];
  if (v === undefined || v === null) return v;
  if (!isPlainObject(v)) throw validationError(`Expected a dictionary of items but got type "${pyTypeName(v)}".`, key, 'not_a_dict');
  return v;
}

function executionOrder(body: Record<string, unknown>): number | null | undefined {
  const v = body.execution_order;
  if (v === undefined || v === null) return v;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw validationError('A valid integer is required.', 'execution_order');
  if (n < 0) throw validationError('Ensure this value is greater than or equal to 0.', 'execution_order', 'min_value');
  if (n > 32767) throw validationError('Ensure this value is less than or equal to 32767.', 'execution_order', 'max_value');
  return n;
}

function baseUpdatedAt(body: Record<string, unknown>): bigint | null {
  const v = body.base_updated_at;
  if (v === undefined || v === null) return null;
  const parsed = typeof v === 'string' ? parseIsoMicros(v) : null;
  if (parsed === null) {
    throw validationError('Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].', 'base_updated_at');
  }
  return parsed;
}

function resolveType(bodyType: unknown, existing: StoredHogFunction | null): string {
  if (existing) {
    if (bodyType !== undefined && bodyType !== existing.type) {
      throw validationError('Cannot modify the type of an existing function', 'type');
    }
    return existing.type;
  }
  const type = bodyType ?? 'destination';
  if (typeof type !== 'string' || !(HOG_FUNCTION_TYPES as readonly string[]).includes(type)) {
    throw validationError(`"${displayValue(type)}" is not a valid choice.`, 'type', 'invalid_choice');
  }
  if (type === 'warehouse_source_webhook') {
    throw validationError('Cannot create or modify warehouse source webhook functions via this API.', 'type');
  }
  return type;
}

async function validateMappings(raw: unknown[], type: string, enabled: boolean): Promise<HogFunctionMapping[]> {
  if (!TYPES_WITH_MAPPINGS.has(type)) throw validationError('Mappings are only allowed for destinations.', 'mappings');
  const out: HogFunctionMapping[] = [];
  for (const [i, item] of raw.entries()) {
    const at = `mappings__${i}`;
    if (!isPlainObject(item)) throw validationError(`Invalid data. Expected a dictionary, but got ${pyTypeName(item)}.`, at, 'invalid');
    const mapping: HogFunctionMapping = {};
    if (item.name !== undefined) {
      if (typeof item.name !== 'string') throw validationError('Not a valid string.', `${at}__name`);
      mapping.name = item.name;
    }
    const schema = validateInputsSchema(item.inputs_schema, `${at}__inputs_schema`);
    if (schema.some((s) => s.secret)) {
      throw validationError('Secret inputs are not supported in mappings.', `${at}__inputs_schema`);
    }
    if (item.inputs_schema !== undefined) mapping.inputs_schema = schema;
    if (item.inputs !== undefined || schema.length > 0) {
      mapping.inputs = await validateInputs({ schema, raw: item.inputs, storedSecrets: {}, functionType: type, attr: `${at}__inputs` });
    }
    if (item.filters !== undefined) {
      mapping.filters = normalizeFilters(item.filters, { type, enabled, hasMappings: false, attr: `${at}__filters` });
    }
    out.push(mapping);
  }
  return out;
}

function checkEnabledCap(req: WriteRequest, type: string, enabled: boolean, deleted: boolean): void {
  const cap = type === 'transformation' ? req.config.maxEnabledTransformations : type === 'transformation_log' ? 5 : null;
  if (cap === null || !enabled || deleted) return;
  const wasCounted = req.existing !== null && req.existing.enabled && !req.existing.deleted;
  if (wasCounted) return;
  let count = 0;
  for (const fn of req.state.hogFunctions.values()) {
    if (fn.team_id === req.teamId && fn.type === type && fn.enabled && !fn.deleted) count++;
  }
  if (count >= cap) {
    throw validationError(`You can have at most ${cap} enabled functions of type ${type} per project. Disable one first.`, 'type');
  }
}

/** Validates a create (existing = null) or update body and returns the full stored fields. */
export async function validateHogFunctionWrite(req: WriteRequest): Promise<ValidatedWrite> {
  const { existing } = req;
  if (!isPlainObject(req.body)) {
    const got = req.body === undefined ? 'NoneType' : pyTypeName(req.body);
    throw validationError(`Invalid data. Expected a dictionary, but got ${got}.`, 'non_field_errors', 'invalid');
  }
  const body = req.body;

  // Field-level checks, in the serializer's declaration order.
  const bodyType = str(body, 'type', { nullable: false, blank: false }) ?? undefined;
  const name = str(body, 'name', { nullable: true, blank: true, max: 400 });
  const description = str(body, 'description', { nullable: false, blank: true });
  const enabledIn = bool(body, 'enabled');
  const deletedIn = bool(body, 'deleted');
  const hogIn = str(body, 'hog', { nullable: false, blank: false });
  const schemaIn = list(body, 'inputs_schema');
  const inputsIn = dict(body, 'inputs');
  const filtersIn = dict(body, 'filters');
  const maskingIn = dict(body, 'masking');
  const mappingsIn = list(body, 'mappings');
  const iconUrl = str(body, 'icon_url', { nullable: true, blank: true });
  const templateIdIn = str(body, 'template_id', { nullable: true, blank: true });
  const order = executionOrder(body);
  const base = baseUpdatedAt(body);

  const type = resolveType(bodyType, existing);

  // Template: must exist; on create it fills whatever the body does not give.
  const templateId = templateIdIn !== undefined ? templateIdIn : (existing?.template_id ?? null);
  if (templateIdIn && !req.state.templates.has(templateIdIn)) {
    throw validationError(`Invalid pk "${templateIdIn}" - object does not exist.`, 'template_id', 'does_not_exist');
  }
  const template = !existing && templateId ? req.state.templates.get(templateId) : undefined;

  let hog = hogIn ?? existing?.hog ?? template?.code;
  if (hog === undefined) throw validationError('This field is required.', 'hog', 'required');
  // DRF's CharField trims both ends (trim_whitespace defaults to True; `hog` has no override).
  hog = hog.trim();
  let transpiled = existing?.transpiled ?? null;
  let bytecode = existing?.bytecode ?? null;
  if (hogIn !== undefined || !existing) {
    const compiled = await checkHogCode(hog, type);
    transpiled = compiled.transpiled;
    bytecode = JAVASCRIPT_TYPES.has(type) ? null : functionBytecode(hog, type);
  }

  const enabled = enabledIn ?? existing?.enabled ?? false;
  const deleted = deletedIn ?? existing?.deleted ?? false;

  const inputsSchema = validateInputsSchema(schemaIn ?? existing?.inputs_schema ?? template?.inputs_schema ?? [], 'inputs_schema');
  const allInputs = await validateInputs({
    schema: inputsSchema,
    raw: inputsIn ?? existing?.inputs ?? {},
    storedSecrets: existing?.encrypted_inputs ?? {},
    functionType: type,
    attr: 'inputs',
  });
  const split = splitSecretInputs(inputsSchema, allInputs);

  const mappingsRaw = mappingsIn !== undefined ? mappingsIn : (existing?.mappings ?? null);
  const hasMappings = mappingsRaw !== null && mappingsRaw.length > 0;
  const filters = normalizeFilters(filtersIn ?? existing?.filters ?? template?.filters ?? {}, { type, enabled, hasMappings });
  const masking = maskingIn !== undefined ? normalizeMasking(maskingIn) : (existing?.masking ?? null);
  const mappings = mappingsIn === undefined ? (existing?.mappings ?? null) : mappingsIn === null ? null : await validateMappings(mappingsIn, type, enabled);

  checkEnabledCap(req, type, enabled, deleted);

  return {
    fields: {
      type,
      name: name !== undefined ? name : (existing?.name ?? template?.name ?? null),
      description: description ?? existing?.description ?? template?.description ?? '',
      enabled,
      deleted,
      hog,
      bytecode,
      transpiled,
      inputs_schema: inputsSchema,
      inputs: split.inputs,
      encrypted_inputs: split.encrypted_inputs,
      filters,
      masking,
      mappings,
      icon_url: iconUrl !== undefined ? iconUrl : (existing?.icon_url ?? template?.icon_url ?? null),
      template_id: templateId,
      execution_order: order !== undefined ? order : (existing?.execution_order ?? null),
    },
    baseUpdatedAt: base,
  };
}

/** Convenience for serializers and tests. */
export function allInputsOf(fn: StoredHogFunction): ReturnType<typeof mergeInputs> {
  return mergeInputs(fn.inputs, fn.encrypted_inputs);
}
