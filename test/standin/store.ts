/**
 * Writes to hog functions (create, update, remote edit, enable_backfills) and the sorted list
 * index. Writes bump `updated_at` (strictly increasing, µs) and `version` when content changes.
 */
import { jsonbOrder } from './serializers';
import { functionBytecode } from './bytecode';
import { normalizeFilters } from './filters';
import { ApiError } from './http';
import { compileInputs, JAVASCRIPT_TYPES, mergeInputs, splitSecretInputs } from './inputs';
import { MicroClock, parseIsoMicros } from './time';
import type { BatchExportRecord, StandInConfig, StandInState, StoredHogFunction, StoredInput } from './types';
import { TYPES_WITH_EXECUTION_ORDER, type ValidatedWrite } from './validation';
import { recordRevision } from './drafts';

const CONTENT_FIELDS = ['hog', 'inputs_schema', 'inputs', 'encrypted_inputs', 'filters', 'mappings', 'masking'] as const;

/** Serial-based ids keep runs deterministic (the n-th created function always has the same id). */
export function nextUuid(state: StandInState, prefix: string): string {
  const n = state.nextSerial++;
  return `${prefix}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

function contentOf(fn: StoredHogFunction): string {
  // Python dicts compare regardless of key order: so does "content changed".
  return JSON.stringify(jsonbOrder(CONTENT_FIELDS.map((f) => fn[f])));
}

function compareForList(a: StoredHogFunction, b: StoredHogFunction): number {
  // execution_order ASC NULLS LAST, then -updated_at (fixed-width UTC strings sort like times).
  const ao = a.execution_order;
  const bo = b.execution_order;
  if (ao !== bo) {
    if (ao === null) return 1;
    if (bo === null) return -1;
    return ao - bo;
  }
  if (a.updated_at !== b.updated_at) return a.updated_at < b.updated_at ? 1 : -1;
  return a.id < b.id ? -1 : 1;
}

/**
 * Per-project list in list order, cached until the next write (state.revision) or a change in
 * the number of stored functions. Filtered views are cached the same way under a key describing
 * the filter, so paging through 10,000 functions sorts and filters once, not once per page.
 */
export class ListIndex {
  private stateRef: StandInState | null = null;
  private revision = -1;
  private size = -1;
  private sortedByTeam = new Map<number, StoredHogFunction[]>();
  private filtered = new Map<string, StoredHogFunction[]>();

  private validate(state: StandInState): void {
    // reset() swaps in a new state whose revision restarts at 0: compare identity too.
    if (this.stateRef === state && this.revision === state.revision && this.size === state.hogFunctions.size) return;
    this.stateRef = state;
    this.revision = state.revision;
    this.size = state.hogFunctions.size;
    this.sortedByTeam.clear();
    this.filtered.clear();
  }

  sorted(state: StandInState, teamId: number): StoredHogFunction[] {
    this.validate(state);
    let items = this.sortedByTeam.get(teamId);
    if (!items) {
      items = [...state.hogFunctions.values()].filter((fn) => fn.team_id === teamId).sort(compareForList);
      this.sortedByTeam.set(teamId, items);
    }
    return items;
  }

  /** `filterKey` must describe `predicate` completely (e.g. the normalised query string). */
  query(state: StandInState, teamId: number, filterKey: string, predicate: (fn: StoredHogFunction) => boolean): StoredHogFunction[] {
    const sorted = this.sorted(state, teamId);
    const key = `${teamId}|${filterKey}`;
    let items = this.filtered.get(key);
    if (!items) {
      items = sorted.filter(predicate);
      // Bounded: a search-as-you-type client produces a new key per keystroke.
      if (this.filtered.size >= 64) this.filtered.clear();
      this.filtered.set(key, items);
    }
    return items;
  }
}

function nextExecutionOrder(state: StandInState, teamId: number, type: string, exceptId?: string): number {
  let max = 0;
  for (const fn of state.hogFunctions.values()) {
    if (fn.team_id === teamId && fn.type === type && !fn.deleted && fn.id !== exceptId) {
      max = Math.max(max, fn.execution_order ?? 0);
    }
  }
  return max + 1;
}

export function createHogFunction(state: StandInState, clock: MicroClock, teamId: number, userId: number | null, write: ValidatedWrite): StoredHogFunction {
  const now = clock.next();
  const f = write.fields;
  const fn: StoredHogFunction = {
    ...f,
    id: nextUuid(state, '0199a7d0'),
    team_id: teamId,
    created_at: now,
    created_by_id: userId,
    updated_at: now,
    execution_order: f.execution_order ?? (TYPES_WITH_EXECUTION_ORDER.has(f.type) ? nextExecutionOrder(state, teamId, f.type) : null),
    status: { state: 1, tokens: 10000 },
    batch_export_id: null,
    version: 1,
  };
  state.hogFunctions.set(fn.id, fn);
  state.revision++;
  return fn;
}

export function staleUpdateError(): ApiError {
  return new ApiError(409, {
    type: 'server_error',
    code: 'stale_update',
    detail: 'This function changed since you previewed the publish. Review the latest version and try again.',
    attr: null,
  });
}

/** Applies a validated PATCH/PUT, after the optimistic-concurrency check. */
export function updateHogFunction(
  state: StandInState,
  config: StandInConfig,
  clock: MicroClock,
  existing: StoredHogFunction,
  write: ValidatedWrite,
  userId: number | null = null,
): StoredHogFunction {
  if (config.enforceBaseUpdatedAt && write.baseUpdatedAt !== null) {
    const stored = parseIsoMicros(existing.updated_at);
    if (stored !== null && stored > write.baseUpdatedAt) throw staleUpdateError();
  }
  const f = write.fields;
  const next: StoredHogFunction = { ...existing, ...f };
  const restored = existing.deleted && !f.deleted;
  const reEnabled = !existing.enabled && f.enabled;
  // Un-deleting or re-enabling moves an ordered function to the end (unless an order was sent).
  if (TYPES_WITH_EXECUTION_ORDER.has(next.type) && (restored || reEnabled) && f.execution_order === existing.execution_order) {
    next.execution_order = nextExecutionOrder(state, next.team_id, next.type, next.id);
  }
  // An update that leaves the function enabled while DISABLED resets it to DEGRADED.
  if (next.enabled && next.status.state === 3) next.status = { state: 2, tokens: next.status.tokens };
  if (next.enabled && next.status.state === 0) next.status = { state: 1, tokens: 10000 };
  return commit(state, clock, existing, next, userId);
}

/** Stores a live write: `updated_at` bumped; a content change bumps `version` and records a revision. */
function commit(state: StandInState, clock: MicroClock, before: StoredHogFunction, next: StoredHogFunction, userId: number | null = null): StoredHogFunction {
  next.updated_at = clock.next(before.updated_at);
  if (contentOf(next) !== contentOf(before)) {
    next.version = before.version + 1;
    recordRevision(state, clock, before, next, userId);
  }
  state.hogFunctions.set(next.id, next);
  state.revision++;
  return next;
}

/**
 * A colleague's edit in the web app: fields are applied without validation (the web app has
 * already validated them), `inputs` are split into plain and secret parts by the schema.
 */
export function remoteEditHogFunction(state: StandInState, clock: MicroClock, existing: StoredHogFunction, patch: Record<string, unknown>): StoredHogFunction {
  const { updated_at: forcedUpdatedAt, inputs, id: _id, team_id: _team, ...rest } = patch;
  const next = { ...existing, ...(rest as Partial<StoredHogFunction>) };
  if ('hog' in patch && !JAVASCRIPT_TYPES.has(next.type)) next.bytecode = functionBytecode(next.hog, next.type);
  if (inputs !== undefined || 'inputs_schema' in patch) {
    const all = (inputs ?? mergeInputs(existing.inputs, existing.encrypted_inputs)) as Record<string, StoredInput>;
    const compiled = compileInputs(next.inputs_schema, all, next.type);
    Object.assign(next, splitSecretInputs(next.inputs_schema, compiled));
  }
  if ('filters' in patch) {
    next.filters = normalizeFilters(next.filters, { type: next.type, enabled: false, hasMappings: (next.mappings ?? []).length > 0 });
  }
  const saved = commit(state, clock, existing, next);
  if (typeof forcedUpdatedAt === 'string') {
    saved.updated_at = forcedUpdatedAt;
    state.revision++;
  }
  return saved;
}

/** The paused hourly batch export PostHog creates for a function's backfills. */
export function pausedBatchExport(fn: StoredHogFunction, id: string, createdAt: string): BatchExportRecord {
  return {
    id,
    team_id: fn.team_id,
    name: fn.name ?? '',
    interval: 'hour',
    model: 'events',
    paused: true,
    filters: fn.filters?.events ?? [],
    destination: { type: 'Workflows', config: { hog_function_id: fn.id } },
    created_at: createdAt,
  };
}

export function enableBackfills(state: StandInState, clock: MicroClock, fn: StoredHogFunction): string {
  const id = nextUuid(state, '0199a7e0');
  state.batchExports.set(id, pausedBatchExport(fn, id, clock.next()));
  const next = { ...fn, batch_export_id: id };
  commit(state, clock, fn, next);
  return id;
}
