/** `/api/{projects|environments}/{id}/hog_functions/…` and `/hog_function_templates/…`. */
import { adHocError, isPlainObject, notFound, paginate, permissionDenied, validationError, type JsonResponse } from './http';
import { logsFor, parseLogQuery, queryLogs } from './logs';
import type { ApiContext, Core, Route } from './router';
import { serializeHogFunction, serializeHogFunctionMinimal, serializeTemplate } from './serializers';
import { createHogFunction, enableBackfills, updateHogFunction } from './store';
import type { StoredHogFunction } from './types';
import { validateHogFunctionWrite } from './validation';
import { testInvocation } from './invocations';
import { metrics, metricsTotals } from './metrics';
import {
  DRAFT_CONTENT_FIELDS,
  discardDraft,
  ENABLE_WITH_OPEN_DRAFT_MESSAGE,
  listRevisions,
  publish,
  restoreRevision,
  revisionDetail,
  routesToDraft,
  snapshotContent,
  staleDraftError,
  type DraftDeps,
} from './drafts';
import { parseIsoMicros } from './time';

const PREFIX = String.raw`^/api/(?:environments|projects)/(?<projectId>\d+)`;
const ID = String.raw`(?<id>[^/]+)`;
const READ = { object: 'hog_function', action: 'read' } as const;
const WRITE = { object: 'hog_function', action: 'write' } as const;

function teamOf(ctx: ApiContext): number {
  if (ctx.projectId === null) throw notFound();
  return ctx.projectId;
}

/** The function of this project; deleted ones only when `includeDeleted` (PATCH deleted:false). */
function getFunction(ctx: ApiContext, includeDeleted = false): StoredHogFunction {
  const fn = ctx.core.state.hogFunctions.get(ctx.route.id ?? '');
  if (fn?.team_id !== teamOf(ctx) || (fn.deleted && !includeDeleted) || fn.type === 'warehouse_source_webhook') {
    throw notFound();
  }
  return fn;
}

function parseBool(text: string | null): boolean | null {
  if (text === null) return null;
  if (['true', 'True', '1'].includes(text)) return true;
  if (['false', 'False', '0'].includes(text)) return false;
  return null;
}

/** Reads come from the database (jsonb key order); an older server (no base_updated_at) has no `version`. */
function readOptions(ctx: ApiContext): { stored: true; legacy: boolean } {
  return { stored: true, legacy: !ctx.core.config.enforceBaseUpdatedAt };
}

function list(ctx: ApiContext): JsonResponse {
  const { core, params } = ctx;
  const split = (v: string | null): string[] =>
    v
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean) ?? [];
  // An older server (legacy posthog/api/hog_function.py): `type` is one type, `types` a list, and only
  // destinations when neither is given. Newer: `type` is a comma-separated list, all types by default.
  const legacy = !ctx.core.config.enforceBaseUpdatedAt;
  const legacyTypes = params.get('type') !== null ? [params.get('type') ?? ''] : params.get('types') !== null ? split(params.get('types')) : ['destination'];
  const types = legacy ? legacyTypes : split(params.get('type'));
  const enabled = parseBool(params.get('enabled'));
  const search = params.get('search')?.trim().toLowerCase() ?? '';
  const createdBy = params.get('created_by');
  const ids = params.get('id')?.split(',') ?? [];
  const full = parseBool(params.get('full')) === true;
  const filterKey = JSON.stringify([types, enabled, search, createdBy, ids]);
  const items = core.listIndex.query(
    core.state,
    teamOf(ctx),
    filterKey,
    (fn) =>
      !fn.deleted &&
      fn.type !== 'warehouse_source_webhook' &&
      (types.length === 0 || types.includes(fn.type)) &&
      (enabled === null || fn.enabled === enabled) &&
      (search === '' || (fn.name ?? '').toLowerCase().includes(search) || fn.description.toLowerCase().includes(search)) &&
      (createdBy === null || String(fn.created_by_id) === createdBy) &&
      (ids.length === 0 || ids.includes(fn.id)),
  );
  const serialize = full ? serializeHogFunction : serializeHogFunctionMinimal;
  const read = readOptions(ctx);
  return { status: 200, body: paginate(items, ctx, (fn) => serialize(core.state, fn, read)) };
}

async function create(ctx: ApiContext): Promise<JsonResponse> {
  const { core } = ctx;
  const teamId = teamOf(ctx);
  const write = await validateHogFunctionWrite({ state: core.state, config: core.config, teamId, existing: null, body: ctx.body() });
  const fn = createHogFunction(core.state, core.clock, teamId, ctx.key.user_id, write);
  return { status: 201, body: serializeHogFunction(core.state, fn, { legacy: readOptions(ctx).legacy }) };
}

async function update(ctx: ApiContext, partial: boolean): Promise<JsonResponse> {
  const { core } = ctx;
  const body = ctx.body();
  const undelete = partial && typeof body === 'object' && body !== null && (body as { deleted?: unknown }).deleted === false;
  const existing = getFunction(ctx, undelete);
  // Turning on config nobody reviewed: refused for every caller while a draft is open.
  if (existing.draft && !existing.enabled && isPlainObject(body) && [true, 'true', 'True', '1', 1].includes(body.enabled as never)) {
    throw validationError(ENABLE_WITH_OPEN_DRAFT_MESSAGE, 'enabled');
  }
  const write = await validateHogFunctionWrite({ state: core.state, config: core.config, teamId: existing.team_id, existing, body });
  // Validation awaited the parser: re-read so the concurrency check sees the latest row.
  const current = core.state.hogFunctions.get(existing.id) ?? existing;
  if (core.config.enforceBaseUpdatedAt && routesToDraft(ctx.headers, current, body) && isPlainObject(body)) {
    return { status: 200, body: serializeHogFunction(core.state, stageDraft(ctx, current, body, write), { legacy: false }) };
  }
  const saved = updateHogFunction(core.state, core.config, core.clock, current, write, ctx.key.user_id);
  return { status: 200, body: serializeHogFunction(core.state, saved, { legacy: readOptions(ctx).legacy }) };
}

/**
 * An agent's edit of an enabled destination (`_write_draft`): the sent content fields go into the draft
 * (over the live content and what was staged before); metadata in the same request still applies live.
 */
function stageDraft(ctx: ApiContext, current: StoredHogFunction, body: Record<string, unknown>, write: Awaited<ReturnType<typeof validateHogFunctionWrite>>): StoredHogFunction {
  const { core } = ctx;
  const guard = current.draft ? (current.draft_updated_at ?? current.updated_at) : current.updated_at;
  const stored = parseIsoMicros(guard);
  if (write.baseUpdatedAt !== null && stored !== null && stored > write.baseUpdatedAt) throw staleDraftError();
  const metadata = Object.keys(body).filter((k) => !(DRAFT_CONTENT_FIELDS as readonly string[]).includes(k) && k !== 'base_updated_at');
  let fn = current;
  if (metadata.length > 0) {
    const live = {
      ...write,
      fields: { ...write.fields, ...snapshotContent(current), encrypted_inputs: current.encrypted_inputs, bytecode: current.bytecode, transpiled: current.transpiled },
    };
    fn = updateHogFunction(core.state, core.config, core.clock, current, { ...live, baseUpdatedAt: null }, ctx.key.user_id);
  }
  const validated = snapshotContent(write.fields);
  const draft = { ...(fn.draft ?? snapshotContent(fn)) };
  for (const f of DRAFT_CONTENT_FIELDS) if (Object.hasOwn(body, f)) Object.assign(draft, { [f]: validated[f] });
  let staged = fn.draft_encrypted_inputs ?? null;
  if (Object.hasOwn(body, 'inputs') && isPlainObject(body.inputs)) {
    staged = { ...(staged ?? {}) };
    for (const [k, v] of Object.entries(body.inputs)) {
      const secretValue = write.fields.encrypted_inputs[k];
      if (secretValue && isPlainObject(v) && Object.hasOwn(v, 'value')) staged[k] = secretValue;
    }
    if (Object.keys(staged).length === 0) staged = null;
  }
  const next: StoredHogFunction = { ...fn, draft, draft_updated_at: core.clock.next(fn.draft_updated_at), draft_encrypted_inputs: staged };
  core.state.hogFunctions.set(next.id, next);
  core.state.revision++;
  return next;
}

const drafts: DraftDeps = {
  getFunction: (ctx) => getFunction(ctx),
  applyLive: async (ctx, fn, body) => {
    const { core } = ctx;
    const write = await validateHogFunctionWrite({ state: core.state, config: core.config, teamId: fn.team_id, existing: fn, body });
    const current = core.state.hogFunctions.get(fn.id) ?? fn;
    return updateHogFunction(core.state, core.config, core.clock, { ...current, encrypted_inputs: fn.encrypted_inputs }, { ...write, baseUpdatedAt: null }, ctx.key.user_id);
  },
};

function backfills(ctx: ApiContext): JsonResponse {
  const { core } = ctx;
  if (!core.config.backfillsFeatureFlag) throw permissionDenied('Backfilling Workflows is not enabled for this team.');
  const fn = getFunction(ctx);
  if (fn.batch_export_id !== null) throw adHocError(400, { error: 'Backfills already enabled for this function' });
  if (fn.type !== 'destination') throw adHocError(400, { error: 'Backfills are only supported for destination functions.' });
  const source = typeof fn.filters?.source === 'string' ? fn.filters.source : 'events';
  if (source !== 'events') throw adHocError(400, { error: 'Backfills are only supported for event-sourced destinations.' });
  return { status: 200, body: { batch_export_id: enableBackfills(core.state, core.clock, fn) } };
}

function logs(ctx: ApiContext): JsonResponse {
  const fn = getFunction(ctx);
  const results = queryLogs(logsFor(ctx.core.state, fn), parseLogQuery(ctx.params));
  return { status: 200, body: { results, next: null, previous: null } };
}

/** A test run; `new` (a function not saved yet) validates the configuration as a create. */
function invocations(ctx: ApiContext): Promise<JsonResponse> {
  const existing = ctx.route.id === 'new' ? null : getFunction(ctx);
  return testInvocation({ state: ctx.core.state, config: ctx.core.config, teamId: teamOf(ctx), existing, body: ctx.body() });
}

function templates(ctx: ApiContext): JsonResponse {
  const { params, core } = ctx;
  const typesParam = params.get('types') ?? params.get('type') ?? 'destination';
  const types = typesParam.split(',').map((t) => t.trim());
  const templateId = params.get('template_id');
  const items = [...core.state.templates.values()].filter((t) => t.status !== 'deprecated' && types.includes(t.type) && (templateId === null || t.id === templateId));
  return { status: 200, body: paginate(items, ctx, serializeTemplate) };
}

function template(ctx: ApiContext): JsonResponse {
  const t = ctx.core.state.templates.get(ctx.route.templateId ?? '');
  if (!t) throw notFound();
  return { status: 200, body: serializeTemplate(t) };
}

export const hogFunctionRoutes: Route[] = [
  {
    pattern: new RegExp(`${PREFIX}/hog_functions/$`),
    methods: { GET: { scope: READ, handle: list }, POST: { scope: WRITE, handle: create } },
  },
  {
    pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/enable_backfills/$`),
    methods: {
      POST: {
        // Not in the viewset's scope lists: every scoped key is refused unless configured otherwise.
        scope: (core: Core) => (core.config.backfillsRequireSession ? 'unsupported' : WRITE),
        handle: backfills,
      },
    },
  },
  { pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/logs/$`), methods: { GET: { scope: READ, handle: logs } } },
  { pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/publish/?$`), methods: { POST: { scope: WRITE, handle: (ctx) => publish(ctx, drafts) } } },
  { pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/discard_draft/?$`), methods: { POST: { scope: WRITE, handle: (ctx) => discardDraft(ctx, drafts) } } },
  { pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/revisions/$`), methods: { GET: { scope: READ, handle: (ctx) => listRevisions(ctx, drafts) } } },
  { pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/revisions/(?<version>\\d+)/$`), methods: { GET: { scope: READ, handle: (ctx) => revisionDetail(ctx, drafts) } } },
  {
    pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/revisions/(?<version>\\d+)/restore/$`),
    methods: { POST: { scope: WRITE, handle: (ctx) => restoreRevision(ctx, drafts, ctx.core.clock) } },
  },
  { pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/invocations/$`), methods: { POST: { scope: WRITE, handle: invocations } } },
  { pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/metrics/$`), methods: { GET: { scope: READ, handle: (ctx) => metrics(getFunction(ctx), ctx.params) } } },
  { pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/metrics/totals/$`), methods: { GET: { scope: READ, handle: (ctx) => metricsTotals(getFunction(ctx), ctx.params) } } },
  {
    pattern: new RegExp(`${PREFIX}/hog_functions/${ID}/$`),
    methods: {
      GET: { scope: READ, handle: (ctx) => ({ status: 200, body: serializeHogFunction(ctx.core.state, getFunction(ctx), readOptions(ctx)) }) },
      PATCH: { scope: WRITE, handle: (ctx) => update(ctx, true) },
      PUT: { scope: WRITE, handle: (ctx) => update(ctx, false) },
      // ForbidDestroyModel: an empty 405, reachable only by legacy keys (scoped keys get the 403).
      DELETE: { scope: 'unsupported', handle: () => ({ status: 405 }) },
    },
  },
  { pattern: new RegExp(`${PREFIX}/hog_function_templates/$`), methods: { GET: { scope: READ, handle: templates } } },
  {
    pattern: new RegExp(`${PREFIX}/hog_function_templates/(?<templateId>[^/]+)/$`),
    methods: { GET: { scope: READ, handle: template } },
  },
];
