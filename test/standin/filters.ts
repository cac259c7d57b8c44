/**
 * `filters` and `masking` normalisation (HogFunctionFiltersSerializer /
 * HogFunctionMaskingSerializer). Shared by the validator and the parser-free seeding path.
 */
import { filtersBytecode, templateBytecode } from './bytecode';
import { JAVASCRIPT_TYPES } from './inputs';
import { displayValue, isPlainObject, pyTypeName, validationError } from './http';
import type { JsonObject } from './types';

export const FILTER_SOURCES = ['events', 'person-updates', 'data-warehouse-table', 'data-warehouse-view'] as const;
const LIST_KEYS = ['events', 'actions', 'properties', 'data_warehouse'] as const;

/**
 * Validates and normalises filters: source-specific list removal, server-computed bytecode
 * (transpiled for site_* types). A property filter without `key` cannot compile; as in PostHog
 * that is only an error while the function is enabled, otherwise `bytecode_error` is stored.
 */
export function normalizeFilters(raw: unknown, opts: { type: string; enabled: boolean; hasMappings: boolean; attr?: string }): JsonObject {
  const attr = opts.attr ?? 'filters';
  if (raw !== null && raw !== undefined && !isPlainObject(raw)) {
    throw validationError(`Invalid data. Expected a dictionary, but got ${pyTypeName(raw)}.`, attr, 'invalid');
  }
  const { bytecode: _b, bytecode_error: _e, transpiled: _t, ...filters } = (raw ?? {}) as JsonObject;
  if (opts.type === 'transformation_log' && Object.keys(filters).length > 0) {
    throw validationError('Filters are not supported for log transformations.', attr);
  }
  if (filters.source !== undefined) {
    if (typeof filters.source !== 'string' || !(FILTER_SOURCES as readonly string[]).includes(filters.source)) {
      throw validationError(`"${displayValue(filters.source)}" is not a valid choice.`, `${attr}__source`, 'invalid_choice');
    }
  }
  for (const key of LIST_KEYS) {
    const list = filters[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      throw validationError(`Expected a list of items but got type "${pyTypeName(list)}".`, `${attr}__${key}`, 'not_a_list');
    }
    list.forEach((item: unknown, i) => {
      if (!isPlainObject(item)) {
        throw validationError(`Expected a dictionary of items but got type "${pyTypeName(item)}".`, `${attr}__${key}__${i}`, 'not_a_dict');
      }
    });
  }
  if (filters.filter_test_accounts !== undefined && typeof filters.filter_test_accounts !== 'boolean') {
    throw validationError('Must be a valid boolean.', `${attr}__filter_test_accounts`);
  }
  // HogFunctionFiltersSerializer: `source = ChoiceField(default="events")` is stored when absent.
  filters.source ??= 'events';
  const source = typeof filters.source === 'string' ? filters.source : 'events';
  if (source !== 'events' || opts.hasMappings) {
    delete filters.events;
    delete filters.actions;
  }
  if (JAVASCRIPT_TYPES.has(opts.type)) {
    return { ...filters, transpiled: { lang: 'ts', code: 'true', stl: [] } };
  }
  const missingKey = ((filters.properties ?? []) as JsonObject[]).some((p) => typeof p.key !== 'string');
  if (missingKey) {
    const message = "Property filter is missing a 'key'.";
    if (opts.enabled) throw validationError(`Invalid filter configuration: ${message}`, attr);
    return { ...filters, bytecode: null, bytecode_error: message };
  }
  return { ...filters, bytecode: filtersBytecode() };
}

function intInRange(value: unknown, min: number, max: number, attr: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw validationError('A valid integer is required.', attr);
  if (value < min) throw validationError(`Ensure this value is greater than or equal to ${min}.`, attr, 'min_value');
  if (value > max) throw validationError(`Ensure this value is less than or equal to ${max}.`, attr, 'max_value');
  return value;
}

/** `{ttl: 60..86400, threshold?: int|null, hash: template}`; the server adds `bytecode`. */
export function normalizeMasking(raw: unknown): JsonObject | null {
  if (raw === null || raw === undefined) return null;
  if (!isPlainObject(raw)) {
    throw validationError(`Invalid data. Expected a dictionary, but got ${pyTypeName(raw)}.`, 'masking', 'invalid');
  }
  if (raw.ttl === undefined) throw validationError('This field is required.', 'masking__ttl', 'required');
  const ttl = intInRange(raw.ttl, 60, 86400, 'masking__ttl');
  let threshold: number | null = null;
  if (raw.threshold !== undefined && raw.threshold !== null) {
    threshold = intInRange(raw.threshold, 0, Number.MAX_SAFE_INTEGER, 'masking__threshold');
  }
  if (raw.hash === undefined) throw validationError('This field is required.', 'masking__hash', 'required');
  if (typeof raw.hash !== 'string') throw validationError('Not a valid string.', 'masking__hash');
  return { ttl, threshold, hash: raw.hash, bytecode: templateBytecode(raw.hash) };
}
