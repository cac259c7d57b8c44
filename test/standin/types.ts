/**
 * Types of the stand-in's in-memory data. Field names follow PostHog's models and JSON so that
 * tests can compare stored records with API responses without renaming.
 */

/** Open string: PostHog adds types over time and the stand-in must store what it is given. */
export type HogFunctionType = string;

export interface UserRecord {
  id: number;
  uuid: string;
  distinct_id: string;
  first_name: string;
  last_name: string;
  email: string;
}

export interface OrganizationRecord {
  id: string;
  name: string;
  slug: string;
  created_at: string;
}

export interface ProjectRecord {
  /** Project id = team id = "environment" id (PostHog keeps them 1:1). */
  id: number;
  uuid: string;
  organization: string;
  name: string;
  api_token: string;
  timezone: string;
  created_at: string;
}

export interface ApiKeyRecord {
  id: string;
  label: string;
  /** The secret itself; never logged. */
  value: string;
  /** Empty list = legacy key that may do everything. */
  scopes: string[];
  scoped_teams: number[];
  scoped_organizations: string[];
  user_id: number;
  created_at: string;
  last_used_at: string | null;
}

export type InputTemplating = 'hog' | 'liquid';

export interface InputSchemaItem {
  type: string;
  key: string;
  label?: string;
  description?: string;
  required?: boolean;
  secret?: boolean;
  hidden?: boolean;
  default?: unknown;
  choices?: Record<string, unknown>[];
  templating?: boolean | InputTemplating;
  [extra: string]: unknown;
}

/** One value of `inputs` as stored (bytecode/order/transpiled are server-computed). */
export interface StoredInput {
  value?: unknown;
  templating?: InputTemplating;
  bytecode?: unknown;
  order?: number;
  transpiled?: { lang: 'ts'; code: string; stl: string[] };
}

export type JsonObject = Record<string, unknown>;

export interface HogFunctionMapping {
  name?: string;
  inputs_schema?: InputSchemaItem[];
  inputs?: Record<string, StoredInput>;
  filters?: JsonObject;
}

export interface HogFunctionStatus {
  state: number;
  tokens: number;
}

/** A hog function as the database would hold it: secrets in `encrypted_inputs`, never masked. */
export interface StoredHogFunction {
  /** Config staged for review (drafts.ts): a full snapshot of the six content fields, secrets apart. */
  draft?: DraftContent | null;
  draft_updated_at?: string | null;
  /** The draft's secret input values (never returned). */
  draft_encrypted_inputs?: Record<string, StoredInput> | null;
  id: string;
  team_id: number;
  type: HogFunctionType;
  name: string | null;
  description: string;
  created_at: string;
  created_by_id: number | null;
  updated_at: string;
  enabled: boolean;
  deleted: boolean;
  hog: string;
  bytecode: unknown[] | null;
  transpiled: string | null;
  inputs_schema: InputSchemaItem[];
  inputs: Record<string, StoredInput>;
  encrypted_inputs: Record<string, StoredInput>;
  filters: JsonObject | null;
  masking: JsonObject | null;
  mappings: HogFunctionMapping[] | null;
  icon_url: string | null;
  template_id: string | null;
  execution_order: number | null;
  status: HogFunctionStatus;
  batch_export_id: string | null;
  version: number;
}

/** PostHog's DRAFT_CONTENT_FIELDS: what a draft and a revision hold. `inputs` without secret values. */
export interface DraftContent {
  hog: string;
  inputs_schema: InputSchemaItem[];
  inputs: Record<string, StoredInput>;
  filters: JsonObject | null;
  mappings: HogFunctionMapping[] | null;
  masking: JsonObject | null;
}

/** A HogFunctionRevision row: the live content after a change (append-only). */
export interface RevisionRecord {
  version: number;
  created_at: string;
  created_by_id: number | null;
  content: DraftContent;
}

export interface HogFunctionTemplate {
  id: string;
  name: string;
  description: string;
  code: string;
  code_language: 'hog' | 'javascript';
  inputs_schema: InputSchemaItem[];
  type: HogFunctionType;
  status: 'alpha' | 'beta' | 'stable' | 'deprecated' | 'hidden';
  category: string[];
  free: boolean;
  icon_url: string | null;
  filters: JsonObject | null;
  masking: JsonObject | null;
  mapping_templates: JsonObject[] | null;
}

export interface GroupTypeRecord {
  group_type: string;
  group_type_index: number;
  name_singular: string | null;
  name_plural: string | null;
  detail_dashboard: number | null;
  default_columns: string[] | null;
  created_at: string;
}

export interface GroupRecord {
  group_type_index: number;
  group_key: string;
  group_properties: JsonObject;
  created_at: string;
}

/** An undirected relation between two groups (e.g. a team belongs to a company). */
export interface GroupLink {
  a: { group_type_index: number; group_key: string };
  b: { group_type_index: number; group_key: string };
}

export interface LogEntry {
  log_source_id: string;
  instance_id: string;
  timestamp: string;
  level: 'DEBUG' | 'LOG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
}

export interface BatchExportRecord {
  id: string;
  team_id: number;
  name: string;
  interval: 'hour';
  model: 'events';
  paused: true;
  filters: unknown;
  destination: { type: 'Workflows'; config: { hog_function_id: string } };
  created_at: string;
}

export interface NotebookCreation {
  team_id: number;
  group_type_index: number;
  group_key: string;
}

export interface StandInState {
  organization: OrganizationRecord;
  users: Map<number, UserRecord>;
  projects: Map<number, ProjectRecord>;
  /** By key value. */
  keys: Map<string, ApiKeyRecord>;
  /** All projects' functions by id (each carries its `team_id`). */
  hogFunctions: Map<string, StoredHogFunction>;
  templates: Map<string, HogFunctionTemplate>;
  groupTypes: Map<number, GroupTypeRecord[]>;
  groups: Map<number, GroupRecord[]>;
  groupLinks: Map<number, GroupLink[]>;
  /** Log entries per function id; filled lazily with deterministic demo entries on first read. */
  logs: Map<string, LogEntry[]>;
  batchExports: Map<string, BatchExportRecord>;
  /** Revisions per function id, oldest first. */
  revisions: Map<string, RevisionRecord[]>;
  /** `groups/find/` calls without `skip_create_notebook=true` (PostHog would create a notebook). */
  notebooksCreated: NotebookCreation[];
  /**
   * Bumped by every write through the stand-in. The sorted list index is cached per revision;
   * if a test edits `hogFunctions` directly it should call `StandIn.touch()`.
   */
  revision: number;
  /** Counter for deterministic ids of new records. */
  nextSerial: number;
}

/** Behaviour switches; mutable at runtime (in-process or via `PATCH /__standin/config`). */
export interface StandInConfig {
  /** enable_backfills rejects every scoped personal API key (PostHog behaviour). */
  backfillsRequireSession: boolean;
  /** The `backfill-workflows-destination` feature flag. */
  backfillsFeatureFlag: boolean;
  /** Requests per minute per API key; null = no throttling. */
  rateLimitPerMinute: number | null;
  groupsPageSize: number;
  /** Honour `base_updated_at` (newest PostHog); false simulates an older server that ignores it. */
  enforceBaseUpdatedAt: boolean;
  /** Send `Deprecation`/`Sunset` headers on `/api/environments/…` responses. */
  deprecationHeaders: boolean;
  maxEnabledTransformations: number;
  /** How long a publish preview's confirm token stays valid (PostHog: 15 minutes). */
  publishTokenMaxAgeSeconds: number;
}

export type FaultKind = 'status' | 'latency' | 'drop' | 'malformed' | 'reset';

export interface FaultSpec {
  method?: string;
  /** Substring of the request URL (path + query), or a RegExp (in-process only). */
  path?: string | RegExp;
  /** Regular expression source matched against the request URL (usable over HTTP). */
  pathRegex?: string;
  /** How many requests it applies to; default 1; -1 or Infinity = until cleared. */
  times?: number;
  kind: FaultKind;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /**
   * `status`: handle the request normally first, then answer with the fault instead of the real
   * response — a write that was applied but whose answer a proxy lost (504) or replaced.
   * `latency`: handle the request at once, then send its answer `delayMs` later — a slow response
   * that carries the state as it was when the request arrived.
   */
  afterApply?: boolean;
}

export interface RecordedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: { 'user-agent': string | null; 'x-posthog-client': string | null; 'content-type': string | null };
  /** Whether an Authorization header or personal_api_key parameter was present. */
  hasAuth: boolean;
  /** Label of the key used, if it was a known key. The key itself is never stored. */
  authKeyLabel: string | null;
  /** Null when the connection was dropped without a response. */
  status: number | null;
  /** Set when an injected fault handled the request. */
  fault: FaultKind | null;
}
