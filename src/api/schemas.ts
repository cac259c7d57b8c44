/**
 * zod schemas for every PostHog response the extension reads. They are deliberately tolerant:
 * unknown fields are ignored, enum-like fields (`type`, `status.state`, input types) are open
 * strings/numbers, and fields older servers lack are optional. A response that does not match
 * yields a PostHogError naming the endpoint and the field (see http.ts), never `undefined`.
 */
import * as z from 'zod/mini';
import { isJsonObject, type JsonObject } from '../model/json';

/**
 * Schemas are built on first use, not when the extension loads: each exported schema is a function that
 * builds it at its first call and then returns the same one (`HogFunctionSchema()`). Constructing the
 * zod objects at load, even as `z.lazy` wrappers, was most of the bundle's evaluation time.
 */
export function lazySchema<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

const nullableString = lazySchema(() => z.nullish(z.string()));

/**
 * A JSON object passed through untouched: zod's record would copy it key by key, which turns a
 * `"__proto__"` key into a prototype and loses it. Values stay as parsed (big numbers as literals).
 */
const jsonObject = lazySchema(() => z.custom<JsonObject>(isJsonObject, { message: 'expected an object' }));

/** Lenient per field (D2): one odd field of one function never fails a whole list or document. */
function lenient<T extends z.ZodMiniType>(schema: T, fallback: z.infer<T>) {
  return z.catch(schema, fallback);
}

export const UserBasicSchema = lazySchema(() =>
  z.object({
    id: z.optional(z.number()),
    uuid: z.optional(z.string()),
    first_name: z.nullish(z.string()),
    last_name: z.nullish(z.string()),
    email: z.nullish(z.string()),
  }),
);
export type UserBasic = z.infer<ReturnType<typeof UserBasicSchema>>;

// ── account ──────────────────────────────────────────────────────────────────────────────────────

export const OrganizationBasicSchema = lazySchema(() => z.object({ id: z.string(), name: z.string(), slug: z.nullish(z.string()) }));

export const MeSchema = lazySchema(() =>
  z.object({
    id: z.optional(z.number()),
    uuid: z.optional(z.string()),
    email: z.nullish(z.string()),
    first_name: z.nullish(z.string()),
    team: z.nullish(z.object({ id: z.number(), project_id: z.optional(z.number()), name: z.nullish(z.string()) })),
    organization: z.nullish(z.object({ id: z.string(), name: z.string() })),
    organizations: z._default(z.array(OrganizationBasicSchema()), []),
  }),
);
export type Me = z.infer<ReturnType<typeof MeSchema>>;

export const ProjectSchema = lazySchema(() => z.object({ id: z.number(), name: z.string(), organization: z.nullish(z.string()) }));
export type Project = z.infer<ReturnType<typeof ProjectSchema>>;

export const CurrentKeySchema = lazySchema(() =>
  z.object({
    id: z.optional(z.string()),
    label: z.nullish(z.string()),
    scopes: z.nullish(z.array(z.string())),
    scoped_teams: z.nullish(z.array(z.number())),
    scoped_organizations: z.nullish(z.array(z.string())),
  }),
);
export type CurrentKey = z.infer<ReturnType<typeof CurrentKeySchema>>;

// ── hog functions ────────────────────────────────────────────────────────────────────────────────

export const HogFunctionStatusSchema = lazySchema(() => z.nullish(z.object({ state: z.number(), tokens: z.optional(z.number()) })));

export const HogFunctionTemplateRefSchema = lazySchema(() => z.nullish(z.object({ id: z.string(), name: z.nullish(z.string()) })));

/** One entry of `inputs_schema`. `type` stays an open string: PostHog keeps adding input types. */
export const InputSchemaItemSchema = lazySchema(() =>
  z.object({
    // PostHog itself reads `str(schema["key"])`.
    key: z.pipe(z.union([z.string(), z.number()]), z.transform(String)),
    type: lenient(
      z.pipe(
        z.nullish(z.string()),
        z.transform((t: string | null | undefined) => t ?? 'string'),
      ),
      'string',
    ),
    label: lenient(nullableString(), null),
    description: lenient(nullableString(), null),
    required: lenient(z.nullish(z.boolean()), null),
    secret: lenient(z.nullish(z.boolean()), null),
    hidden: lenient(z.nullish(z.boolean()), null),
    default: z.optional(z.unknown()),
    choices: lenient(
      z.nullish(
        z.array(
          z.object({
            value: z.unknown(),
            label: z.pipe(
              z.transform((l: unknown) => (typeof l === 'number' ? String(l) : l)),
              z.nullish(z.string()),
            ),
          }),
        ),
      ),
      null,
    ),
    templating: lenient(z.nullish(z.union([z.boolean(), z.string()])), null),
  }),
);
export type InputSchemaItem = z.infer<ReturnType<typeof InputSchemaItemSchema>>;

/** Fields of the minimal serializer (list) — the full serializer adds to these. */
/** The list item's shape, built once on first use (HogFunctionSchema extends it). */
const summaryObject = lazySchema(() =>
  z.object({
    id: z.string(),
    type: z.nullish(z.string()),
    name: nullableString(),
    description: nullableString(),
    created_at: nullableString(),
    created_by: z.nullish(UserBasicSchema()),
    updated_at: z.string(),
    enabled: z._default(z.boolean(), false),
    hog: nullableString(),
    filters: z.nullish(jsonObject()),
    icon_url: lenient(nullableString(), null),
    template: lenient(HogFunctionTemplateRefSchema(), null),
    status: lenient(HogFunctionStatusSchema(), null),
    execution_order: lenient(z.nullish(z.number()), null),
    /** Set while a draft is staged (e.g. by an agent): the live config differs from what will be published. */
    draft_updated_at: lenient(nullableString(), null),
    /** Not in the minimal serializer today; kept when a server sends it (full lists, newer servers). */
    batch_export_id: z.nullish(z.string()),
  }),
);
export const HogFunctionSummarySchema = summaryObject;
export type HogFunctionSummary = z.infer<ReturnType<typeof HogFunctionSummarySchema>>;

export const HogFunctionSchema = lazySchema(() =>
  z.extend(summaryObject(), {
    inputs_schema: lenient(z.nullish(z.array(InputSchemaItemSchema())), null),
    /** `{ key: { value, templating?, bytecode?, order?, transpiled? } }`, or `{ key: { secret: true } }`. */
    /** Checked by the inputs document when it opens (an odd value must not stop the code from opening). */
    inputs: z.optional(z.unknown()),
    masking: z.nullish(jsonObject()),
    mappings: z.nullish(z.array(jsonObject())),
    batch_export_id: z.nullish(z.string()),
    version: z.nullish(z.number()),
    draft: z.optional(z.unknown()),
  }),
);
export type HogFunction = z.infer<ReturnType<typeof HogFunctionSchema>>;

export function paginated<T extends z.ZodMiniType>(item: T) {
  return z.object({
    count: z.optional(z.number()),
    next: z.nullish(z.string()),
    previous: z.nullish(z.string()),
    results: z.array(item),
  });
}

export const EnableBackfillsResponseSchema = lazySchema(() => z.object({ batch_export_id: z.string() }));

export const HogFunctionTemplateSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    description: nullableString(),
    code: nullableString(),
    code_language: nullableString(),
    type: nullableString(),
    status: nullableString(),
    inputs_schema: z.nullish(z.array(InputSchemaItemSchema())),
    filters: z.nullish(jsonObject()),
    icon_url: nullableString(),
  }),
);
export type HogFunctionTemplate = z.infer<ReturnType<typeof HogFunctionTemplateSchema>>;

export const LogEntrySchema = lazySchema(() =>
  z.object({
    timestamp: z.string(),
    level: z.string(),
    message: z.string(),
    instance_id: nullableString(),
    log_source_id: nullableString(),
  }),
);
export type LogEntry = z.infer<ReturnType<typeof LogEntrySchema>>;

/** A test run's answer (`POST …/invocations/`): the CDP's `{result, status, errors, logs}`. */
export const InvocationResultSchema = lazySchema(() =>
  z.object({
    result: z.optional(z.unknown()),
    /** "success" | "error" | "skipped" (filters did not match), or a value PostHog adds later. */
    status: z.string(),
    errors: lenient(z.array(z.string()), []),
    logs: lenient(z.array(z.object({ level: z.string(), timestamp: z.string(), message: z.string() })), []),
  }),
);
export type InvocationResult = z.infer<ReturnType<typeof InvocationResultSchema>>;

/** `GET …/metrics/`: one series per metric name (or kind), one value per interval bucket. */
export const MetricsSchema = lazySchema(() =>
  z.object({
    labels: z.array(z.string()),
    series: z.array(z.object({ name: z.string(), values: z.array(z.catch(z.number(), 0)) })),
  }),
);
export type Metrics = z.infer<ReturnType<typeof MetricsSchema>>;

/** `POST …/query/` with an EventsQuery: one row per event, one cell per `select` item (checked by the caller). */
export const EventsQueryResponseSchema = lazySchema(() => z.object({ results: z.array(z.array(z.unknown())) }));

// ── groups ───────────────────────────────────────────────────────────────────────────────────────

export const GroupTypeSchema = lazySchema(() =>
  z.object({
    group_type: z.string(),
    group_type_index: z.number(),
    name_singular: nullableString(),
    name_plural: nullableString(),
  }),
);
export type GroupType = z.infer<ReturnType<typeof GroupTypeSchema>>;

export const GroupSchema = lazySchema(() =>
  z.object({
    group_type_index: z.number(),
    group_key: z.string(),
    group_properties: z.pipe(
      z.nullish(jsonObject()),
      z.transform((p: JsonObject | null | undefined): JsonObject => p ?? {}),
    ),
    created_at: nullableString(),
  }),
);
export type Group = z.infer<ReturnType<typeof GroupSchema>>;

export const GroupPageSchema = lazySchema(() =>
  z.object({
    next: z.nullish(z.string()),
    previous: z.nullish(z.string()),
    results: z.array(GroupSchema()),
  }),
);

export const PropertyValuesSchema = lazySchema(() =>
  z.object({
    results: z.array(z.object({ name: z.unknown(), count: z.optional(z.number()) })),
    refreshing: z.optional(z.boolean()),
  }),
);
export type PropertyValue = z.infer<ReturnType<typeof PropertyValuesSchema>>['results'][number];

/** `related` returns actors: groups (with type/index/id) or persons. Keep it loose. */
export const RelatedActorSchema = lazySchema(() =>
  z.looseObject({
    type: z.optional(z.string()),
    group_type_index: z.nullish(z.number()),
    id: z.union([z.string(), z.number()]),
    properties: z.nullish(z.record(z.string(), z.unknown())),
  }),
);
export type RelatedActor = z.infer<ReturnType<typeof RelatedActorSchema>>;

// ── error bodies ─────────────────────────────────────────────────────────────────────────────────

/** PostHog's standard error object (drf-exceptions-hog). */
export const ErrorBodySchema = lazySchema(() =>
  z.object({
    type: z.optional(z.string()),
    code: z.optional(z.string()),
    detail: z.optional(z.string()),
    attr: z.nullish(z.string()),
  }),
);

/** The ad-hoc `{"error": "…"}` bodies of some custom actions (enable_backfills). */
export const AdHocErrorBodySchema = lazySchema(() => z.object({ error: z.string() }));
