/**
 * Drafts, publish and revisions of a hog function (`…/hog_functions/{id}/publish/`, `discard_draft/`,
 * `revisions/`, `revisions/{v}/`, `revisions/{v}/restore/`). Its own module, loaded with the commands
 * bundle: activation never pays for it. Shapes as PostHog's newest hog_function.py returns them; older
 * servers answer 404 on these paths (said in a sentence by `noDraftsSupport`).
 */
import * as z from 'zod/mini';
import type { PostHogClient } from './client';
import { ENVIRONMENTS_PREFIX } from './client';
import { asPostHogError } from './errors';
import { HogFunctionSchema, InputSchemaItemSchema, lazySchema, paginated, UserBasicSchema, type HogFunction } from './schemas';
import { isJsonObject, type JsonObject } from '../model/json';

const jsonObject = lazySchema(() => z.custom<JsonObject>(isJsonObject, { message: 'expected an object' }));

/** The six content fields a draft and a revision hold (PostHog's DRAFT_CONTENT_FIELDS). */
export const ContentSchema = lazySchema(() =>
  z.object({
    hog: z.nullish(z.string()),
    inputs_schema: z.catch(z.nullish(z.array(InputSchemaItemSchema())), null),
    inputs: z.optional(z.unknown()),
    filters: z.nullish(jsonObject()),
    mappings: z.nullish(z.array(jsonObject())),
    masking: z.nullish(jsonObject()),
  }),
);
export type Content = z.infer<ReturnType<typeof ContentSchema>>;

export const PublishResultSchema = lazySchema(() =>
  z.object({
    published: z.boolean(),
    draft_updated_at: z.nullish(z.string()),
    confirm_token: z.nullish(z.string()),
    changed_fields: z.nullish(z.array(z.string())),
    function: z.nullish(HogFunctionSchema()),
  }),
);
export type PublishResult = z.infer<ReturnType<typeof PublishResultSchema>>;

export const RevisionSchema = lazySchema(() =>
  z.object({
    version: z.number(),
    created_at: z.string(),
    created_by: z.catch(z.nullish(UserBasicSchema()), null),
    content: z.optional(ContentSchema()),
  }),
);
export type Revision = z.infer<ReturnType<typeof RevisionSchema>>;

/** The draft of a function as its full read returns it (`draft`), or undefined when none is staged. */
export function parseDraft(fn: HogFunction): Content | undefined {
  if (fn.draft === null || fn.draft === undefined) return undefined;
  const parsed = z.safeParse(ContentSchema(), fn.draft);
  if (!parsed.success) throw new Error("PostHog sent this function's draft in a shape this extension does not know; review it in PostHog.");
  return parsed.data;
}

function fnPath(projectId: number, id: string): string {
  return `${ENVIRONMENTS_PREFIX}/${projectId}/hog_functions/${encodeURIComponent(id)}/`;
}

/** The requests; writes are called by services/drafts.ts only (it updates the store). */
export const changesApi = {
  /** `publish/` without confirm: what would change, and the token that confirms it (15 minutes). */
  previewPublish(client: PostHogClient, projectId: number, id: string, signal?: AbortSignal): Promise<PublishResult> {
    return client.http.request({ method: 'POST', path: `${fnPath(projectId, id)}publish/`, body: { confirm: false }, schema: PublishResultSchema(), signal });
  },

  publishDraft(client: PostHogClient, projectId: number, id: string, confirmToken: string, signal?: AbortSignal): Promise<PublishResult> {
    return client.http.request({
      method: 'POST',
      path: `${fnPath(projectId, id)}publish/`,
      body: { confirm: true, confirm_token: confirmToken },
      schema: PublishResultSchema(),
      signal,
    });
  },

  discardDraft(client: PostHogClient, projectId: number, id: string, signal?: AbortSignal): Promise<HogFunction> {
    return client.http.request({ method: 'POST', path: `${fnPath(projectId, id)}discard_draft/`, body: {}, schema: HogFunctionSchema(), signal });
  },

  /** One page of revisions, newest first (light: version, time, author). */
  async revisions(
    client: PostHogClient,
    projectId: number,
    id: string,
    opts: { limit: number; offset: number },
    signal?: AbortSignal,
  ): Promise<{ items: Revision[]; more: boolean }> {
    const page = await client.http.request({
      method: 'GET',
      path: `${fnPath(projectId, id)}revisions/`,
      query: { limit: opts.limit, offset: opts.offset },
      schema: paginated(RevisionSchema()),
      signal,
    });
    return { items: page.results, more: !!page.next };
  },

  revision(client: PostHogClient, projectId: number, id: string, version: number, signal?: AbortSignal): Promise<Revision> {
    return client.http.request({ method: 'GET', path: `${fnPath(projectId, id)}revisions/${version}/`, schema: RevisionSchema(), signal });
  },

  /** Stages the revision as the draft (never live); over an open draft only with `overwrite`. */
  restoreRevision(client: PostHogClient, projectId: number, id: string, version: number, overwrite: boolean, signal?: AbortSignal): Promise<HogFunction> {
    return client.http.request({ method: 'POST', path: `${fnPath(projectId, id)}revisions/${version}/restore/`, body: { overwrite }, schema: HogFunctionSchema(), signal });
  },
};

/** PostHog's 409 `draft_exists`: a restore would replace an open draft. */
export function isDraftExists(e: unknown): boolean {
  const pe = asPostHogError(e);
  return !!pe?.isConflict && pe.code === 'draft_exists';
}

/** PostHog's 400 on `confirm_token` (missing, expired or invalid): preview again. */
export function isConfirmTokenRefused(e: unknown): boolean {
  const pe = asPostHogError(e);
  return !!pe?.isValidation && pe.attr === 'confirm_token';
}

/** A server without drafts (older PostHog) answers 404 on these paths. */
export function noDraftsSupport(e: unknown): boolean {
  const pe = asPostHogError(e);
  return !!pe?.isNotFound && pe.detail !== 'No such revision for this function.' && /\/(publish|discard_draft|revisions)\//.test(pe.endpoint);
}
