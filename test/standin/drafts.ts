/**
 * Drafts, publish, discard and revisions, as PostHog's newest `hog_function.py` does them:
 *
 * - A draft is a full snapshot of the six content fields (DRAFT_CONTENT_FIELDS), secrets apart in
 *   `draft_encrypted_inputs`; returned with secret inputs as `{"secret": true}`. Only an agent's edit of an
 *   enabled destination (`X-PostHog-Client: mcp`, or the desktop/mobile apps' user agents) and a revision
 *   restore write one. Draft-only saves leave `updated_at` alone.
 * - `publish/`: a preview (`changed_fields`, a `confirm_token` signed over id, draft_updated_at and
 *   updated_at, valid 15 minutes), then `{confirm: true, confirm_token}` (the token only checked while the
 *   function is enabled) applies the draft live through the usual validation and clears it.
 * - A revision is recorded for every live content change (the first also snapshots the content before it,
 *   as version `before.version` by nobody); its content has no secret inputs at all.
 * - `revisions/{v}/restore/` stages the revision as the draft; over an open draft only with `overwrite`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, isPlainObject, notFound, paginate, validationError, type JsonResponse } from './http';
import type { ApiContext } from './router';
import { jsonbOrder, serializeHogFunction, serializeUserBasic } from './serializers';
import type { DraftContent, RevisionRecord, StandInState, StoredHogFunction, StoredInput } from './types';
import type { MicroClock } from './time';

export const DRAFT_CONTENT_FIELDS = ['hog', 'inputs_schema', 'inputs', 'filters', 'mappings', 'masking'] as const;
const AGENT_USER_AGENTS = [/^posthog\/desktop\.hog\.dev/, /^posthog\/mobile\.hog\.dev/];

export const ENABLE_WITH_OPEN_DRAFT_MESSAGE = "This function has config staged for review. Publish or discard it before enabling, so you don't turn on config nobody looked at.";

/** PostHog's `get_event_source(request) in AGENT_EVENT_SOURCES`. */
export function isAgentRequest(headers: IncomingHttpHeaders): boolean {
  const client = headers['x-posthog-client'];
  if ((Array.isArray(client) ? client[0] : client)?.toLowerCase() === 'mcp') return true;
  const ua = headers['user-agent'] ?? '';
  return AGENT_USER_AGENTS.some((re) => re.test(ua));
}

/** `_should_route_to_draft`: an agent's content edit of an enabled destination. */
export function routesToDraft(headers: IncomingHttpHeaders, fn: StoredHogFunction, body: unknown): boolean {
  return isAgentRequest(headers) && fn.enabled && fn.type === 'destination' && isPlainObject(body) && DRAFT_CONTENT_FIELDS.some((f) => Object.hasOwn(body, f));
}

/** The six content fields of the live row (its plain inputs: secrets live in `encrypted_inputs`). */
export function snapshotContent(fn: Pick<StoredHogFunction, (typeof DRAFT_CONTENT_FIELDS)[number]>): DraftContent {
  return structuredClone({ hog: fn.hog, inputs_schema: fn.inputs_schema, inputs: fn.inputs, filters: fn.filters, mappings: fn.mappings, masking: fn.masking });
}

const DERIVED_INPUT_KEYS = new Set(['bytecode', 'transpiled', 'order']);
const DERIVED_FILTER_KEYS = new Set(['bytecode', 'bytecode_error', 'transpiled']);

/** `comparable_content`: content without what the server derives from it. */
function comparable(field: (typeof DRAFT_CONTENT_FIELDS)[number], value: unknown): string {
  const strip = (v: unknown, keys: Set<string>): unknown => (isPlainObject(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => !keys.has(k))) : v);
  let v = value;
  if (field === 'inputs' && isPlainObject(v)) v = Object.fromEntries(Object.entries(v).map(([k, i]) => [k, strip(i, DERIVED_INPUT_KEYS)]));
  if (field === 'filters' || field === 'masking') v = strip(v, field === 'masking' ? new Set(['bytecode']) : DERIVED_FILTER_KEYS);
  return JSON.stringify(jsonbOrder(v ?? null));
}

/** The fields a publish would change (sorted), staged secrets included. */
export function draftChangedFields(fn: StoredHogFunction): string[] {
  const draft = fn.draft;
  if (!draft) return [];
  const live = snapshotContent(fn);
  const changed = DRAFT_CONTENT_FIELDS.filter((f) => comparable(f, draft[f]) !== comparable(f, live[f]));
  const staged = fn.draft_encrypted_inputs ?? {};
  if (!changed.includes('inputs') && Object.entries(staged).some(([k, v]) => comparable('inputs', { [k]: v }) !== comparable('inputs', { [k]: fn.encrypted_inputs[k] }))) {
    changed.push('inputs');
  }
  return [...changed].sort();
}

/** The draft as PostHog returns it: secret inputs that have a value anywhere become `{"secret": true}`. */
export function serializeDraft(fn: StoredHogFunction): DraftContent | null {
  const draft = fn.draft;
  if (!draft) return null;
  const out = structuredClone(draft);
  const inputs: Record<string, StoredInput | { secret: true }> = { ...out.inputs };
  for (const item of out.inputs_schema) {
    if (!item.secret) continue;
    const has = Object.hasOwn(fn.draft_encrypted_inputs ?? {}, item.key) || Object.hasOwn(fn.encrypted_inputs, item.key) || Object.hasOwn(out.inputs, item.key);
    if (has) inputs[item.key] = { secret: true };
  }
  return { ...out, inputs: inputs as Record<string, StoredInput> };
}

/**
 * `_record_revision`: after a live write whose content changed. The first one also keeps the content
 * it replaced, as the version it had, by nobody.
 */
export function recordRevision(state: StandInState, clock: MicroClock, before: StoredHogFunction, after: StoredHogFunction, userId: number | null): void {
  let list = state.revisions.get(after.id);
  if (!list) {
    list = [];
    state.revisions.set(after.id, list);
  }
  const now = clock.next();
  if (list.length === 0) list.push({ version: before.version, created_at: now, created_by_id: null, content: snapshotContent(before) });
  list.push({ version: after.version, created_at: now, created_by_id: userId, content: snapshotContent(after) });
}

// ── confirm tokens (django.core.signing.TimestampSigner, salt "hogfunction-publish") ──────────────

const SIGNING_KEY = randomBytes(32);

function sign(value: string): string {
  return createHmac('sha256', SIGNING_KEY).update(`hogfunction-publish:${value}`).digest('base64url');
}

function tokenValue(fn: StoredHogFunction): string {
  return `${fn.id}:${fn.draft_updated_at ?? ''}:${fn.updated_at}`;
}

export function mintConfirmToken(fn: StoredHogFunction, nowMs = Date.now()): string {
  const value = `${tokenValue(fn)}:${nowMs.toString(36)}`;
  return `${value}:${sign(value)}`;
}

/** Checks a token: the 400s PostHog answers, or the 409 when the draft or the live config moved since. */
function checkConfirmToken(fn: StoredHogFunction, token: unknown, maxAgeSeconds: number): void {
  const again = 'Call publish without confirm first to see what would change and get a token.';
  if (typeof token !== 'string' || token === '') throw validationError(`Required when confirming a publish. ${again}`, 'confirm_token');
  const cut = token.lastIndexOf(':');
  const value = token.slice(0, cut);
  const signature = Buffer.from(token.slice(cut + 1));
  const expected = Buffer.from(sign(value));
  if (cut < 0 || signature.length !== expected.length || !timingSafeEqual(signature, expected)) throw validationError(`Invalid. ${again}`, 'confirm_token');
  const stamp = value.slice(value.lastIndexOf(':') + 1);
  const ageMs = Date.now() - parseInt(stamp, 36);
  if (ageMs > maxAgeSeconds * 1000) throw validationError('Expired. Preview the publish again to get a fresh token.', 'confirm_token');
  if (value.slice(0, value.lastIndexOf(':')) !== tokenValue(fn)) throw staleDraftError();
}

export function staleDraftError(): ApiError {
  return new ApiError(409, {
    type: 'server_error',
    code: 'stale_update',
    detail: 'This function changed since you previewed the publish, either the draft or the live config. Preview again to see where things stand now.',
    attr: null,
  });
}

// ── endpoints ─────────────────────────────────────────────────────────────────────────────────────

export interface DraftDeps {
  getFunction(ctx: ApiContext): StoredHogFunction;
  /** Applies the draft live the way a PATCH does (validation, compilation, revision); returns the saved row. */
  applyLive(ctx: ApiContext, fn: StoredHogFunction, body: Record<string, unknown>): Promise<StoredHogFunction>;
}

function bodyObject(ctx: ApiContext): Record<string, unknown> {
  const body = ctx.body() ?? {};
  if (!isPlainObject(body)) throw validationError('Invalid data. Expected a dictionary, but got list.', 'non_field_errors');
  return body;
}

function boolField(body: Record<string, unknown>, key: string): boolean {
  const v = body[key];
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True' || v === '1' || v === 1) return true;
  if (v === 'false' || v === 'False' || v === '0' || v === 0) return false;
  throw validationError('Must be a valid boolean.', key);
}

const NO_DRAFT = 'This function has no staged draft to publish.';

export async function publish(ctx: ApiContext, deps: DraftDeps): Promise<JsonResponse> {
  const body = bodyObject(ctx);
  const confirm = boolField(body, 'confirm');
  const fn = deps.getFunction(ctx);
  if (!fn.draft) throw validationError(NO_DRAFT, null);
  if (!confirm) {
    return {
      status: 200,
      body: { published: false, draft_updated_at: fn.draft_updated_at ?? null, confirm_token: mintConfirmToken(fn), changed_fields: draftChangedFields(fn), function: null },
    };
  }
  if (fn.enabled) checkConfirmToken(fn, body.confirm_token, ctx.core.config.publishTokenMaxAgeSeconds);
  const draft = fn.draft;
  // Staged secrets win over the live ones; secrets not staged fall back to live (omitted keys keep them).
  const withSecrets: StoredHogFunction = { ...fn, encrypted_inputs: { ...fn.encrypted_inputs, ...(fn.draft_encrypted_inputs ?? {}) } };
  const inputs = Object.fromEntries(Object.entries(draft.inputs).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([key]) => !DERIVED_INPUT_KEYS.has(key)))]));
  const saved = await deps.applyLive(ctx, withSecrets, {
    hog: draft.hog,
    inputs_schema: draft.inputs_schema,
    inputs,
    filters: draft.filters ?? {},
    mappings: draft.mappings,
    masking: draft.masking,
  });
  saved.draft = null;
  saved.draft_updated_at = null;
  saved.draft_encrypted_inputs = null;
  ctx.core.state.revision++;
  return { status: 200, body: { published: true, draft_updated_at: null, confirm_token: null, changed_fields: null, function: serializeHogFunction(ctx.core.state, saved) } };
}

export function discardDraft(ctx: ApiContext, deps: DraftDeps): JsonResponse {
  const fn = deps.getFunction(ctx);
  fn.draft = null;
  fn.draft_updated_at = null;
  fn.draft_encrypted_inputs = null;
  ctx.core.state.revision++;
  return { status: 200, body: serializeHogFunction(ctx.core.state, fn) };
}

function serializeRevision(state: StandInState, r: RevisionRecord, withContent: boolean): Record<string, unknown> {
  const user = r.created_by_id === null ? undefined : state.users.get(r.created_by_id);
  const basic = { version: r.version, created_at: r.created_at, created_by: serializeUserBasic(user) };
  return withContent ? { ...basic, content: jsonbOrder(r.content) } : basic;
}

export function listRevisions(ctx: ApiContext, deps: DraftDeps): JsonResponse {
  const fn = deps.getFunction(ctx);
  const items = [...(ctx.core.state.revisions.get(fn.id) ?? [])].reverse();
  return { status: 200, body: paginate(items, ctx, (r) => serializeRevision(ctx.core.state, r, false)) };
}

function findRevision(ctx: ApiContext, fn: StoredHogFunction): RevisionRecord {
  const version = Number(ctx.route.version);
  const r = (ctx.core.state.revisions.get(fn.id) ?? []).find((x) => x.version === version);
  if (!r) throw notFound('No such revision for this function.');
  return r;
}

export function revisionDetail(ctx: ApiContext, deps: DraftDeps): JsonResponse {
  const fn = deps.getFunction(ctx);
  return { status: 200, body: serializeRevision(ctx.core.state, findRevision(ctx, fn), true) };
}

export function restoreRevision(ctx: ApiContext, deps: DraftDeps, clock: MicroClock): JsonResponse {
  const body = bodyObject(ctx);
  const overwrite = boolField(body, 'overwrite');
  const fn = deps.getFunction(ctx);
  const r = findRevision(ctx, fn);
  if (fn.draft && !overwrite) {
    throw new ApiError(409, {
      type: 'server_error',
      code: 'draft_exists',
      detail: 'This function has an open draft. Publish or discard it first, or pass overwrite=true to replace it with the restored revision.',
      attr: null,
    });
  }
  fn.draft = structuredClone(r.content);
  fn.draft_updated_at = clock.next(fn.draft_updated_at);
  fn.draft_encrypted_inputs = null;
  ctx.core.state.revision++;
  return { status: 200, body: serializeHogFunction(ctx.core.state, fn) };
}
