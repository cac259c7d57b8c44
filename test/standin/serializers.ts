/**
 * JSON representations, mirroring PostHog's serializers: HogFunctionMinimalSerializer (list),
 * HogFunctionSerializer (retrieve/create/update), UserBasic, templates, groups and projects.
 * Write-only fields (`deleted`, `template_id`, `base_updated_at`) are never returned, and secret
 * inputs come back as `{"secret": true}`.
 */
import { mergeInputs } from './inputs';
import { serializeDraft } from './drafts';
import type { GroupRecord, HogFunctionStatus, HogFunctionTemplate, ProjectRecord, StandInState, StoredHogFunction, StoredInput, UserRecord } from './types';

export function serializeUserBasic(user: UserRecord | undefined): Record<string, unknown> | null {
  if (!user) return null;
  return {
    id: user.id,
    uuid: user.uuid,
    distinct_id: user.distinct_id,
    first_name: user.first_name,
    last_name: user.last_name,
    email: user.email,
    is_email_verified: true,
  };
}

export function serializeTemplate(t: HogFunctionTemplate): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    code: t.code,
    code_language: t.code_language,
    inputs_schema: t.inputs_schema,
    type: t.type,
    status: t.status,
    category: t.category,
    free: t.free,
    icon_url: t.icon_url,
    filters: t.filters,
    masking: t.masking,
    mapping_templates: t.mapping_templates,
  };
}

/** Status is read live from the CDP in PostHog; a disabled function reports `{0, 0}`. */
function status(fn: StoredHogFunction): HogFunctionStatus {
  return fn.enabled ? { state: fn.status.state, tokens: fn.status.tokens } : { state: 0, tokens: 0 };
}

function templateOf(state: StandInState, fn: StoredHogFunction): Record<string, unknown> | null {
  const t = fn.template_id ? state.templates.get(fn.template_id) : undefined;
  return t ? serializeTemplate(t) : null;
}

/**
 * How a function is read. `stored`: read back from the database, so JSON fields come in Postgres
 * jsonb key order (by length, then bytes) — a write's own response still has the order it was sent
 * in. `legacy`: an older server's serializer, without `version` and the draft fields.
 */
export interface ReadOptions {
  stored?: boolean;
  legacy?: boolean;
}

/** Postgres jsonb's object key order: shorter keys first, then bytewise; arrays keep their order. */
export function jsonbOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map(jsonbOrder) as T;
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value).sort((a, b) => {
    const la = Buffer.byteLength(a);
    const lb = Buffer.byteLength(b);
    return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
  });
  const out: Record<string, unknown> = {};
  for (const k of keys) Object.defineProperty(out, k, { value: jsonbOrder((value as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
  return out as T;
}

export function serializeHogFunctionMinimal(state: StandInState, fn: StoredHogFunction, opts: ReadOptions = {}): Record<string, unknown> {
  const json = <T>(v: T): T => (opts.stored ? jsonbOrder(v) : v);
  const minimal: Record<string, unknown> = {
    id: fn.id,
    type: fn.type,
    name: fn.name,
    description: fn.description,
    created_at: fn.created_at,
    created_by: serializeUserBasic(fn.created_by_id === null ? undefined : state.users.get(fn.created_by_id)),
    updated_at: fn.updated_at,
    enabled: fn.enabled,
    hog: fn.hog,
    filters: json(fn.filters),
    icon_url: fn.icon_url,
    template: templateOf(state, fn),
    status: status(fn),
    execution_order: fn.execution_order,
    search_match_type: null,
    draft_updated_at: fn.draft_updated_at ?? null,
  };
  if (opts.legacy) {
    delete minimal.search_match_type;
    delete minimal.draft_updated_at;
  }
  return minimal;
}

/** Every schema entry with `secret: true` that has a stored value is masked. */
export function maskedInputs(fn: StoredHogFunction): Record<string, StoredInput | { secret: true }> {
  const secretKeys = new Set(fn.inputs_schema.filter((s) => s.secret).map((s) => s.key));
  const out: Record<string, StoredInput | { secret: true }> = {};
  for (const [key, input] of Object.entries(mergeInputs(fn.inputs, fn.encrypted_inputs))) {
    out[key] = secretKeys.has(key) ? { secret: true } : input;
  }
  return out;
}

/** The full serializer: the minimal one's fields plus code, inputs and the rest (as PostHog's pair of serializers). */
export function serializeHogFunction(state: StandInState, fn: StoredHogFunction, opts: ReadOptions = {}): Record<string, unknown> {
  const json = <T>(v: T): T => (opts.stored ? jsonbOrder(v) : v);
  const full: Record<string, unknown> = {
    ...serializeHogFunctionMinimal(state, fn, opts),
    bytecode: fn.bytecode,
    transpiled: fn.transpiled,
    inputs_schema: json(fn.inputs_schema),
    inputs: json(maskedInputs(fn)),
    masking: json(fn.masking),
    mappings: json(fn.mappings),
    batch_export_id: fn.batch_export_id,
    version: fn.version,
    draft: json(serializeDraft(fn)),
  };
  if (opts.legacy) {
    delete full.version;
    delete full.draft;
    delete full.batch_export_id;
  }
  return full;
}

export function serializeGroup(g: GroupRecord, opts: ReadOptions = {}): Record<string, unknown> {
  return {
    group_type_index: g.group_type_index,
    group_key: g.group_key,
    group_properties: opts.stored ? jsonbOrder(g.group_properties) : g.group_properties,
    created_at: g.created_at,
  };
}

export function serializeProject(p: ProjectRecord): Record<string, unknown> {
  return {
    id: p.id,
    uuid: p.uuid,
    organization: p.organization,
    project_id: p.id,
    api_token: p.api_token,
    name: p.name,
    timezone: p.timezone,
    created_at: p.created_at,
    is_demo: false,
    access_control: false,
    has_completed_onboarding_for: { product_analytics: true },
    ingested_event: true,
  };
}
