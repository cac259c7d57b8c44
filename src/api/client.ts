/**
 * PostHogClient: typed calls for every endpoint the extension uses. Paths live here and nowhere else;
 * `ENVIRONMENTS_PREFIX` is the one line to change to move to `/api/projects/{id}/`.
 */
import * as z from 'zod/mini';
import { LIST_ALL_TYPES } from '../model/hogFunctionTypes';
import { compareTimestamps } from '../model/timestamps';
import { PostHogError } from './errors';
import { HttpClient, type HttpClientOptions, type QueryValue } from './http';
import {
  CurrentKeySchema,
  EnableBackfillsResponseSchema,
  GroupPageSchema,
  GroupSchema,
  GroupTypeSchema,
  HogFunctionSchema,
  HogFunctionSummarySchema,
  HogFunctionTemplateSchema,
  EventsQueryResponseSchema,
  InvocationResultSchema,
  LogEntrySchema,
  MetricsSchema,
  MeSchema,
  ProjectSchema,
  PropertyValuesSchema,
  RelatedActorSchema,
  paginated,
  type CurrentKey,
  type Group,
  type GroupType,
  type HogFunction,
  type HogFunctionSummary,
  type HogFunctionTemplate,
  type InvocationResult,
  type LogEntry,
  type Metrics,
  type Me,
  type Project,
  type PropertyValue,
  type RelatedActor,
} from './schemas';

/** The seed's paths. PostHog rewrites them to `/api/projects/{id}/` internally (deprecated alias). */
export const ENVIRONMENTS_PREFIX = '/api/environments';
/** More pages than this means paging is going round in circles (a proxy dropping the query, …). */
const MAX_PAGES = 2000;
/**
 * Hog functions asked for per list page (PostHog's default is 100; its limit/offset paging takes any
 * `limit`). 10,000 functions are 20 requests instead of 100: a fifth of the round trips and of the
 * rate-limit budget (480 requests a minute per key), and a faster refresh in the editor (a large list
 * is bound by per-request costs there: docs/benchmarks.md). A list item is the minimal serializer
 * (code and filters, no inputs).
 */
export const LIST_PAGE_SIZE = 500;
/** Limit/offset pages asked for at once after the first (the same requests as one by one, sooner). */
const PARALLEL_PAGES = 4;
export const PROJECTS_PREFIX = '/api/projects';

export interface HogFunctionListFilter {
  /** One or more types (sent comma-separated). */
  types?: readonly string[];
  enabled?: boolean;
  /** Server-side search on name and description. */
  search?: string;
  full?: boolean;
}

/** Fields a PATCH may send. `base_updated_at` must be the `updated_at` string exactly as received. */
export interface HogFunctionPatch {
  name?: string;
  description?: string;
  enabled?: boolean;
  deleted?: boolean;
  hog?: string;
  inputs?: Record<string, unknown>;
  inputs_schema?: unknown[];
  filters?: Record<string, unknown>;
  masking?: Record<string, unknown> | null;
  mappings?: unknown[] | null;
  base_updated_at?: string;
}

export interface HogFunctionCreate {
  type: string;
  name: string;
  hog?: string;
  template_id?: string;
  enabled?: boolean;
  description?: string;
  inputs?: Record<string, unknown>;
  inputs_schema?: unknown[];
  filters?: Record<string, unknown>;
  masking?: Record<string, unknown> | null;
  mappings?: unknown[] | null;
  icon_url?: string;
}

export interface GroupPage {
  results: Group[];
  /** Opaque; pass back to `listGroups` to get the next page. Undefined on the last page. */
  next: string | undefined;
}

export interface PostHogClientOptions extends HttpClientOptions {
  /** Items per hog function list page (default LIST_PAGE_SIZE). */
  listPageSize?: number;
}

export class PostHogClient {
  readonly http: HttpClient;
  private readonly listPageSize: number;

  constructor(opts: PostHogClientOptions) {
    this.http = new HttpClient(opts);
    this.listPageSize = opts.listPageSize ?? LIST_PAGE_SIZE;
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  // ── account ────────────────────────────────────────────────────────────────────────────────────

  me(signal?: AbortSignal): Promise<Me> {
    return this.http.request({ method: 'GET', path: '/api/users/@me/', schema: MeSchema(), signal });
  }

  currentKey(signal?: AbortSignal): Promise<CurrentKey> {
    return this.http.request({ method: 'GET', path: '/api/personal_api_keys/@current/', schema: CurrentKeySchema(), signal });
  }

  /** All projects of an organization (follows `next`). */
  projects(organizationId: string, signal?: AbortSignal): Promise<Project[]> {
    return this.collect(`/api/organizations/${encodeURIComponent(organizationId)}/projects/`, {}, ProjectSchema(), signal);
  }

  // ── hog functions ──────────────────────────────────────────────────────────────────────────────

  /**
   * Every hog function matching the filter: limit/offset pages of LIST_PAGE_SIZE, following `next`.
   * `onPage` sees each page as it arrives (progress, incremental rendering).
   */
  listHogFunctions(
    projectId: number,
    filter: HogFunctionListFilter = {},
    signal?: AbortSignal,
    onPage?: (loaded: number, total: number | undefined) => void,
  ): Promise<HogFunctionSummary[]> {
    const types = filter.types ?? [];
    if (types.length > 1) return this.listPerType(projectId, filter, types, signal, onPage);
    const query: Record<string, QueryValue> = {
      // Newer servers: `type=a,b`, every type when absent. Older ones: `type=<one>` or `types=a,b`, and
      // only destinations when neither is given — so `types` goes along when unfiltered (newer servers
      // ignore it), and several types are asked for one by one (C2).
      type: types[0],
      types: types.length ? undefined : LIST_ALL_TYPES.join(','),
      enabled: filter.enabled,
      search: filter.search,
      full: filter.full ? 'true' : undefined,
      limit: this.listPageSize,
    };
    return this.collect(this.fn(projectId), query, HogFunctionSummarySchema(), signal, onPage, (f) => ({ id: f.id, updatedAt: f.updated_at }));
  }

  /** One list per type (`type=<one>` means the same on every server version), merged by id. */
  private async listPerType(
    projectId: number,
    filter: HogFunctionListFilter,
    types: readonly string[],
    signal?: AbortSignal,
    onPage?: (loaded: number, total: number | undefined) => void,
  ): Promise<HogFunctionSummary[]> {
    const byId = new Map<string, HogFunctionSummary>();
    for (const type of types) {
      const before = byId.size;
      const items = await this.listHogFunctions(projectId, { ...filter, types: [type] }, signal, (loaded) => onPage?.(before + loaded, undefined));
      for (const f of items) byId.set(f.id, f);
    }
    return [...byId.values()];
  }

  getHogFunction(projectId: number, id: string, signal?: AbortSignal): Promise<HogFunction> {
    return this.http.request({ method: 'GET', path: this.fn(projectId, id), schema: HogFunctionSchema(), signal });
  }

  createHogFunction(projectId: number, body: HogFunctionCreate, signal?: AbortSignal): Promise<HogFunction> {
    return this.http.request({ method: 'POST', path: this.fn(projectId), body, schema: HogFunctionSchema(), signal });
  }

  updateHogFunction(projectId: number, id: string, patch: HogFunctionPatch, signal?: AbortSignal): Promise<HogFunction> {
    return this.http.request({ method: 'PATCH', path: this.fn(projectId, id), body: patch, schema: HogFunctionSchema(), signal });
  }

  /** Soft delete, the way PostHog's own UI deletes (DELETE is 405, or 403 for personal keys). */
  softDeleteHogFunction(projectId: number, id: string, signal?: AbortSignal): Promise<HogFunction> {
    return this.updateHogFunction(projectId, id, { deleted: true }, signal);
  }

  restoreHogFunction(projectId: number, id: string, signal?: AbortSignal): Promise<HogFunction> {
    return this.updateHogFunction(projectId, id, { deleted: false }, signal);
  }

  enableBackfills(projectId: number, id: string, signal?: AbortSignal): Promise<{ batch_export_id: string }> {
    return this.http.request({
      method: 'POST',
      path: `${this.fn(projectId, id)}enable_backfills/`,
      body: {},
      schema: EnableBackfillsResponseSchema(),
      signal,
    });
  }

  /**
   * A test run of `configuration` (the function's fields as for a PATCH; validated and compiled by
   * PostHog, secret markers filled from the stored values) on `globals`; `id` 'new' for a function not
   * saved yet. Async functions (fetch) are mocked unless `mockAsyncFunctions` is false.
   */
  testHogFunction(
    projectId: number,
    id: string,
    body: { configuration: Record<string, unknown>; globals: Record<string, unknown>; mockAsyncFunctions: boolean },
    signal?: AbortSignal,
  ): Promise<InvocationResult> {
    return this.http.request({
      method: 'POST',
      path: `${this.fn(projectId, id)}invocations/`,
      body: { configuration: body.configuration, globals: body.globals, mock_async_functions: body.mockAsyncFunctions },
      schema: InvocationResultSchema(),
      signal,
    });
  }

  /** A function's log entries, newest first: `after`/`before` (ISO times) page through them; `level` is comma-separated. */
  async hogFunctionLogs(
    projectId: number,
    id: string,
    opts: { limit?: number; after?: string; before?: string; level?: string; search?: string; instanceId?: string } = {},
    signal?: AbortSignal,
  ): Promise<LogEntry[]> {
    const page = await this.http.request({
      method: 'GET',
      path: `${this.fn(projectId, id)}logs/`,
      query: { limit: opts.limit ?? 100, after: opts.after, before: opts.before, level: opts.level, search: opts.search, instance_id: opts.instanceId },
      schema: z.partial(paginated(LogEntrySchema()), { count: true }),
      signal,
    });
    return page.results;
  }

  /** A function's metrics (`after` relative like "-48h" or ISO), one series per metric name. */
  hogFunctionMetrics(projectId: number, id: string, opts: { after: string; interval: 'hour' | 'day' | 'week' }, signal?: AbortSignal): Promise<Metrics> {
    return this.http.request({
      method: 'GET',
      path: `${this.fn(projectId, id)}metrics/`,
      query: { after: opts.after, interval: opts.interval, breakdown_by: 'name' },
      schema: MetricsSchema(),
      signal,
    });
  }

  /** Runs an EventsQuery (`query:read`): the rows, one cell per `select` item. */
  async eventsQuery(projectId: number, query: Record<string, unknown>, signal?: AbortSignal): Promise<unknown[][]> {
    const response = await this.http.request({
      method: 'POST',
      path: `${ENVIRONMENTS_PREFIX}/${projectId}/query/`,
      body: { query: { kind: 'EventsQuery', ...query }, refresh: 'blocking' },
      schema: EventsQueryResponseSchema(),
      signal,
    });
    return response.results;
  }

  listTemplates(projectId: number, type: string, signal?: AbortSignal): Promise<HogFunctionTemplate[]> {
    return this.collect(`${PROJECTS_PREFIX}/${projectId}/hog_function_templates/`, { type, limit: 100 }, HogFunctionTemplateSchema(), signal);
  }

  getTemplate(projectId: number, templateId: string, signal?: AbortSignal): Promise<HogFunctionTemplate> {
    return this.http.request({
      method: 'GET',
      path: `${PROJECTS_PREFIX}/${projectId}/hog_function_templates/${encodeURIComponent(templateId)}/`,
      schema: HogFunctionTemplateSchema(),
      signal,
    });
  }

  // ── groups ─────────────────────────────────────────────────────────────────────────────────────

  /** Group types exist only under `/api/projects/{id}/` (not the environments alias). */
  groupTypes(projectId: number, signal?: AbortSignal): Promise<GroupType[]> {
    return this.http.request({ method: 'GET', path: `${PROJECTS_PREFIX}/${projectId}/groups_types/`, schema: z.array(GroupTypeSchema()), signal });
  }

  /** One page of groups. Pass the previous page's `next` as `cursor` to continue (forward only). */
  async listGroups(projectId: number, groupTypeIndex: number, opts: { search?: string; cursor?: string } = {}, signal?: AbortSignal): Promise<GroupPage> {
    const page = opts.cursor
      ? await this.http.request({ method: 'GET', path: opts.cursor, schema: GroupPageSchema(), signal })
      : await this.http.request({
          method: 'GET',
          path: this.groups(projectId),
          query: { group_type_index: groupTypeIndex, search: opts.search },
          schema: GroupPageSchema(),
          signal,
        });
    return { results: page.results, next: page.next ?? undefined };
  }

  /** `skip_create_notebook=true` always: otherwise PostHog may create a notebook as a side effect. */
  findGroup(projectId: number, groupTypeIndex: number, groupKey: string, signal?: AbortSignal): Promise<Group> {
    return this.http.request({
      method: 'GET',
      path: `${this.groups(projectId)}find/`,
      query: { group_type_index: groupTypeIndex, group_key: groupKey, skip_create_notebook: 'true' },
      schema: GroupSchema(),
      signal,
    });
  }

  async groupPropertyValues(projectId: number, groupTypeIndex: number, key: string, value?: string, signal?: AbortSignal): Promise<PropertyValue[]> {
    const res = await this.http.request({
      method: 'GET',
      path: `${this.groups(projectId)}property_values/`,
      query: { group_type_index: groupTypeIndex, key, value },
      schema: PropertyValuesSchema(),
      signal,
    });
    return res.results;
  }

  relatedGroups(projectId: number, groupTypeIndex: number, id: string, signal?: AbortSignal): Promise<RelatedActor[]> {
    return this.http.request({
      method: 'GET',
      path: `${this.groups(projectId)}related/`,
      query: { group_type_index: groupTypeIndex, id },
      schema: z.array(RelatedActorSchema()),
      signal,
    });
  }

  /** `group_type_index` and `group_key` go in the query; `{key, value}` in the body. `value` must not be null. */
  updateGroupProperty(projectId: number, groupTypeIndex: number, groupKey: string, key: string, value: unknown, signal?: AbortSignal): Promise<Group> {
    return this.http.request({
      method: 'POST',
      path: `${this.groups(projectId)}update_property/`,
      query: { group_type_index: groupTypeIndex, group_key: groupKey },
      body: { key, value },
      schema: GroupSchema(),
      signal,
    });
  }

  deleteGroupProperty(projectId: number, groupTypeIndex: number, groupKey: string, key: string, signal?: AbortSignal): Promise<Group> {
    return this.http.request({
      method: 'POST',
      path: `${this.groups(projectId)}delete_property/`,
      query: { group_type_index: groupTypeIndex, group_key: groupKey },
      body: { $unset: key },
      schema: GroupSchema(),
      signal,
    });
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────────────

  private fn(projectId: number, id?: string): string {
    return `${ENVIRONMENTS_PREFIX}/${projectId}/hog_functions/${id === undefined ? '' : `${encodeURIComponent(id)}/`}`;
  }

  private groups(projectId: number): string {
    return `${ENVIRONMENTS_PREFIX}/${projectId}/groups/`;
  }

  /**
   * Follows `next` links and returns every item. With `identity`, items are de-duplicated by id (the
   * newest `updated_at` wins): PostHog pages hog functions with limit/offset ordered by `-updated_at`, so a
   * save during a multi-page read moves a function between pages — it shows up twice, or another one is
   * skipped. When the distinct count then differs from the server's `count`, the list changed under the
   * read and it is read again (at most twice more; the last read is returned as it is).
   */
  private async collect<T extends z.ZodMiniType>(
    path: string,
    query: Record<string, QueryValue>,
    item: T,
    signal?: AbortSignal,
    onPage?: (loaded: number, total: number | undefined) => void,
    identity?: (item: z.infer<T>) => { id: string; updatedAt?: string },
  ): Promise<z.infer<T>[]> {
    type Page = { count?: number; next?: string | null; results: z.infer<T>[] };
    const schema = paginated(item);
    const get = (url: string, pageSignal = signal): Promise<Page> => this.http.request({ method: 'GET', path: url, schema, signal: pageSignal });
    for (let pass = 0; ; pass++) {
      const seen = new Map<string, { index: number; updatedAt?: string }>(); // by id: where in `out`
      const out: z.infer<T>[] = [];
      let count: number | undefined;
      const add = (page: Page): void => {
        count = page.count ?? count;
        for (const x of page.results) {
          const key = identity?.(x);
          const before = key && seen.get(key.id);
          if (!key || !before) {
            if (key) seen.set(key.id, { index: out.length, updatedAt: key.updatedAt });
            out.push(x);
          } else if (key.updatedAt !== undefined && (before.updatedAt === undefined || compareTimestamps(key.updatedAt, before.updatedAt) > 0)) {
            out[before.index] = x;
            before.updatedAt = key.updatedAt;
          }
        }
        onPage?.(out.length, count);
      };
      const first = await this.http.request({ method: 'GET', path, query, schema, signal });
      add(first);
      const rest = first.results.length > 0 ? offsetPages(first.next, first.count) : undefined;
      // A page must lead further than itself: a proxy that drops the query string answers every offset
      // with the first page, whose `next` points back (F8).
      const getAhead = async (url: string, pageSignal: AbortSignal): Promise<Page> => {
        const page = await get(url, pageSignal);
        const here = offsetOf(url);
        const after = offsetOf(page.next);
        if (here !== undefined && after !== undefined && after <= here) {
          throw new PostHogError({
            kind: 'schema',
            endpoint: `GET ${path}`,
            detail: `— paging did not end (the page at offset ${here} links back to offset ${after}; a proxy may drop the query string)`,
          });
        }
        return page;
      };
      if (rest) await this.inParallel(rest, getAhead, add, signal);
      else if (first.next && first.results.length > 0) await this.followNext(path, first.next, get, add);
      // Duplicates alone were merged above; a count that does not add up means something was skipped.
      if (!identity || count === undefined || out.length === count || pass >= 2) return out;
    }
  }

  /**
   * The remaining limit/offset pages, PARALLEL_PAGES at a time, handed to `add` in order (progress stays
   * monotonic, merging is the same as one by one). The first failure cancels the others and is thrown.
   */
  private async inParallel<P>(urls: readonly string[], get: (url: string, signal: AbortSignal) => Promise<P>, add: (page: P) => void, signal?: AbortSignal): Promise<void> {
    const abort = new AbortController();
    const onAbort = (): void => {
      abort.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done: (P | undefined)[] = [];
    let applied = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < urls.length) {
        const i = next++;
        const url = urls[i];
        if (url === undefined) return;
        done[i] = await get(url, abort.signal);
        for (let page = done[applied]; page !== undefined && applied < urls.length; page = done[applied]) {
          done[applied++] = undefined;
          add(page);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(PARALLEL_PAGES, urls.length) }, worker));
    } catch (e) {
      // The first failure is what Promise.all reports; the pages still in flight are cancelled.
      abort.abort();
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Cursor (or unknown) paging: one page after the other, following `next`. */
  private async followNext<P extends { next?: string | null; results: unknown[] }>(
    path: string,
    firstNext: string,
    get: (url: string) => Promise<P>,
    add: (page: P) => void,
  ): Promise<void> {
    const nextLinks = new Set<string>();
    for (let next: string | null | undefined = firstNext; next;) {
      // A proxy that drops the query string repeats the same `next` forever (F8).
      if (nextLinks.has(next) || nextLinks.size >= MAX_PAGES) {
        throw new PostHogError({ kind: 'schema', endpoint: `GET ${path}`, detail: `— paging did not end (${nextLinks.size + 1} pages; a proxy may drop the query string)` });
      }
      nextLinks.add(next);
      const page = await get(next);
      add(page);
      next = page.results.length > 0 ? page.next : undefined;
    }
  }
}

/** The `offset` of a list URL, if it has one. */
function offsetOf(url: string | null | undefined): number | undefined {
  if (!url) return undefined;
  const m = /[?&]offset=(\d+)(?:&|$)/.exec(url);
  return m ? Number(m[1]) : undefined;
}

/**
 * Every page after the first of a limit/offset list, when `next` is one (`offset` and `limit` in its
 * query) and the total is known: the same URLs `next` would lead to, so they can be asked for at once.
 * Undefined for cursor paging or when anything is missing (then `next` is followed page by page).
 */
export function offsetPages(next: string | null | undefined, count: number | undefined): string[] | undefined {
  if (!next || count === undefined) return undefined;
  let url: URL;
  const absolute = /^https?:\/\//i.test(next);
  try {
    url = new URL(next, 'http://relative.invalid');
  } catch {
    return undefined;
  }
  const offset = Number(url.searchParams.get('offset'));
  const limit = Number(url.searchParams.get('limit'));
  if (!Number.isInteger(offset) || !Number.isInteger(limit) || offset <= 0 || limit <= 0 || url.searchParams.has('cursor')) return undefined;
  const urls: string[] = [];
  for (let o = offset; o < count && urls.length < MAX_PAGES; o += limit) {
    url.searchParams.set('offset', String(o));
    urls.push(absolute ? url.href : `${url.pathname}${url.search}`);
  }
  return urls;
}
