/**
 * zod schemas for every PostHog response the extension reads. They are deliberately tolerant:
 * unknown fields are ignored, enum-like fields (`type`, `status.state`, input types) are open
 * strings/numbers, and fields older servers lack are optional. A response that does not match
 * yields a PostHogError naming the endpoint and the field (see http.ts), never `undefined`.
 */
import { z } from 'zod';
import { isJsonObject, type JsonObject } from '../model/json';

const nullableString = z.string().nullish();

/**
 * A JSON object passed through untouched: zod's record would copy it key by key, which turns a
 * `"__proto__"` key into a prototype and loses it. Values stay as parsed (big numbers as literals).
 */
const jsonObject = z.custom<JsonObject>(isJsonObject, { message: 'expected an object' });

/** Lenient per field (D2): one odd field of one function never fails a whole list or document. */
function lenient<T extends z.ZodType>(schema: T, fallback: z.infer<T>) {
  return schema.catch(fallback);
}

export const UserBasicSchema = z.object({
  id: z.number().optional(),
  uuid: z.string().optional(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email: z.string().nullish(),
});
export type UserBasic = z.infer<typeof UserBasicSchema>;

// ── account ──────────────────────────────────────────────────────────────────────────────────────

export const OrganizationBasicSchema = z.object({ id: z.string(), name: z.string(), slug: z.string().nullish() });

export const MeSchema = z.object({
  id: z.number().optional(),
  uuid: z.string().optional(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  team: z.object({ id: z.number(), project_id: z.number().optional(), name: z.string().nullish() }).nullish(),
  organization: z.object({ id: z.string(), name: z.string() }).nullish(),
  organizations: z.array(OrganizationBasicSchema).default([]),
});
export type Me = z.infer<typeof MeSchema>;

export const ProjectSchema = z.object({ id: z.number(), name: z.string(), organization: z.string().nullish() });
export type Project = z.infer<typeof ProjectSchema>;

export const CurrentKeySchema = z.object({
  id: z.string().optional(),
  label: z.string().nullish(),
  scopes: z.array(z.string()).nullish(),
  scoped_teams: z.array(z.number()).nullish(),
  scoped_organizations: z.array(z.string()).nullish(),
});
export type CurrentKey = z.infer<typeof CurrentKeySchema>;

// ── hog functions ────────────────────────────────────────────────────────────────────────────────

export const HogFunctionStatusSchema = z.object({ state: z.number(), tokens: z.number().optional() }).nullish();

export const HogFunctionTemplateRefSchema = z.object({ id: z.string(), name: z.string().nullish() }).nullish();

/** One entry of `inputs_schema`. `type` stays an open string: PostHog keeps adding input types. */
export const InputSchemaItemSchema = z.object({
  // PostHog itself reads `str(schema["key"])`.
  key: z.union([z.string(), z.number()]).transform(String),
  type: lenient(
    z
      .string()
      .nullish()
      .transform((t) => t ?? 'string'),
    'string',
  ),
  label: lenient(nullableString, null),
  description: lenient(nullableString, null),
  required: lenient(z.boolean().nullish(), null),
  secret: lenient(z.boolean().nullish(), null),
  hidden: lenient(z.boolean().nullish(), null),
  default: z.unknown().optional(),
  choices: lenient(z.array(z.object({ value: z.unknown(), label: z.preprocess((l) => (typeof l === 'number' ? String(l) : l), z.string().nullish()) })).nullish(), null),
  templating: lenient(z.union([z.boolean(), z.string()]).nullish(), null),
});
export type InputSchemaItem = z.infer<typeof InputSchemaItemSchema>;

/** Fields of the minimal serializer (list) — the full serializer adds to these. */
export const HogFunctionSummarySchema = z.object({
  id: z.string(),
  type: z.string().nullish(),
  name: nullableString,
  description: nullableString,
  created_at: nullableString,
  created_by: UserBasicSchema.nullish(),
  updated_at: z.string(),
  enabled: z.boolean().default(false),
  hog: nullableString,
  filters: jsonObject.nullish(),
  icon_url: lenient(nullableString, null),
  template: lenient(HogFunctionTemplateRefSchema, null),
  status: lenient(HogFunctionStatusSchema, null),
  execution_order: lenient(z.number().nullish(), null),
  /** Set while a draft is staged (e.g. by an agent): the live config differs from what will be published. */
  draft_updated_at: lenient(nullableString, null),
  /** Not in the minimal serializer today; kept when a server sends it (full lists, newer servers). */
  batch_export_id: z.string().nullish(),
});
export type HogFunctionSummary = z.infer<typeof HogFunctionSummarySchema>;

export const HogFunctionSchema = HogFunctionSummarySchema.extend({
  inputs_schema: lenient(z.array(InputSchemaItemSchema).nullish(), null),
  /** `{ key: { value, templating?, bytecode?, order?, transpiled? } }`, or `{ key: { secret: true } }`. */
  /** Checked by the inputs document when it opens (an odd value must not stop the code from opening). */
  inputs: z.unknown().optional(),
  masking: jsonObject.nullish(),
  mappings: z.array(jsonObject).nullish(),
  batch_export_id: z.string().nullish(),
  version: z.number().nullish(),
  draft: z.unknown().optional(),
});
export type HogFunction = z.infer<typeof HogFunctionSchema>;

export function paginated<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().optional(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
    results: z.array(item),
  });
}

export const EnableBackfillsResponseSchema = z.object({ batch_export_id: z.string() });

export const HogFunctionTemplateSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: nullableString,
  code: nullableString,
  code_language: nullableString,
  type: nullableString,
  status: nullableString,
  inputs_schema: z.array(InputSchemaItemSchema).nullish(),
  filters: jsonObject.nullish(),
  icon_url: nullableString,
});
export type HogFunctionTemplate = z.infer<typeof HogFunctionTemplateSchema>;

export const LogEntrySchema = z.object({
  timestamp: z.string(),
  level: z.string(),
  message: z.string(),
  instance_id: nullableString,
  log_source_id: nullableString,
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

// ── groups ───────────────────────────────────────────────────────────────────────────────────────

export const GroupTypeSchema = z.object({
  group_type: z.string(),
  group_type_index: z.number(),
  name_singular: nullableString,
  name_plural: nullableString,
});
export type GroupType = z.infer<typeof GroupTypeSchema>;

export const GroupSchema = z.object({
  group_type_index: z.number(),
  group_key: z.string(),
  group_properties: jsonObject.nullish().transform((p): JsonObject => p ?? {}),
  created_at: nullableString,
});
export type Group = z.infer<typeof GroupSchema>;

export const GroupPageSchema = z.object({
  next: z.string().nullish(),
  previous: z.string().nullish(),
  results: z.array(GroupSchema),
});

export const PropertyValuesSchema = z.object({
  results: z.array(z.object({ name: z.unknown(), count: z.number().optional() })),
  refreshing: z.boolean().optional(),
});
export type PropertyValue = z.infer<typeof PropertyValuesSchema>['results'][number];

/** `related` returns actors: groups (with type/index/id) or persons. Keep it loose. */
export const RelatedActorSchema = z
  .object({
    type: z.string().optional(),
    group_type_index: z.number().nullish(),
    id: z.union([z.string(), z.number()]),
    properties: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
export type RelatedActor = z.infer<typeof RelatedActorSchema>;

// ── error bodies ─────────────────────────────────────────────────────────────────────────────────

/** PostHog's standard error object (drf-exceptions-hog). */
export const ErrorBodySchema = z.object({
  type: z.string().optional(),
  code: z.string().optional(),
  detail: z.string().optional(),
  attr: z.string().nullish(),
});

/** The ad-hoc `{"error": "…"}` bodies of some custom actions (enable_backfills). */
export const AdHocErrorBodySchema = z.object({ error: z.string() });
