/**
 * A hog function as a folder of files, for version control: the format, and the comparison of a folder
 * with the function in PostHog. Pure (no vscode, no I/O): the extension (commands/pullToWorkspace.ts,
 * pushToPostHog.ts) and the command line (sync/cli.ts) read and write the files themselves.
 *
 *   function.hog    the code (function.ts for site apps and site destinations)
 *   inputs.json     the inputs as the inputs document shows them; secrets stay {"secret": true}
 *   filters.json    the filters without server-computed fields
 *   mappings.json   the mappings (only for functions that have them)
 *   function.json   id, type, name, description, enabled, template, execution order, icon, the inputs'
 *                   schema, masking, the environment (host + project) and the version the files were pulled at
 *
 * Every file is written in one stable form (2-space JSON in a fixed key order, a final newline), so a pull
 * of an unchanged function rewrites the same bytes and git shows only real changes.
 */
import type { HogFunctionCreate, HogFunctionPatch } from '../api/client';
import type { HogFunction, InputSchemaItem } from '../api/schemas';
import { canonicalCode, parseCodeDocument } from '../model/codeDocument';
import { fileSafe } from '../model/docPath';
import { canonicalFilters, parseFiltersDocument, serializeFilters } from '../model/filtersDocument';
import { typeInfo } from '../model/hogFunctionTypes';
import { canonicalInputs, parseInputsDocument, serializeInputs, type Problem } from '../model/inputsDocument';
import { readInputs } from '../model/storedInputs';
import { canonicalJson, isJsonObject, parseJson, sameJson, stringifyJson } from '../model/json';

export const META_FILE = 'function.json';
export const INPUTS_FILE = 'inputs.json';
export const FILTERS_FILE = 'filters.json';
export const MAPPINGS_FILE = 'mappings.json';

/** The code file's name for a function type. */
export function codeFile(type: string | null | undefined): string {
  return typeInfo(type).codeLanguage === 'typescript' ? 'function.ts' : 'function.hog';
}

/** File name → text. */
export type FolderFiles = Record<string, string>;

export interface FolderMeta {
  id: string | null;
  type: string;
  name: string;
  description: string;
  enabled: boolean;
  template_id: string | null;
  execution_order: number | null;
  icon_url: string | null;
  inputs_schema: unknown[];
  masking: Record<string, unknown> | null;
  /** Where the files were pulled from; a folder for another environment is a copy (a create there). */
  environment: { host: string; project_id: number } | null;
  /** The function's `updated_at` (exact string) and `version` when pulled: the base of the next push. */
  pulled: { updated_at: string; version: number | null } | null;
}

/** A folder read back: the function it describes, or the problems (per file) that stop a push. */
export interface LocalFunction {
  meta: FolderMeta;
  hog: string;
  /** The inputs as the inputs document's parser returns them (secret markers kept). */
  inputs: Record<string, unknown>;
  filters: Record<string, unknown>;
  /** Undefined when the folder has no mappings.json (the mappings are left as they are). */
  mappings: unknown[] | null | undefined;
  files: FolderFiles;
}

export interface FileProblem extends Problem {
  file: string;
}

export class FolderError extends Error {
  constructor(readonly problems: readonly FileProblem[]) {
    super(problems.map((p) => `${p.file}: ${p.message}`).join('\n'));
    this.name = 'FolderError';
  }
}

/** The folder's name for a function: its name made file-safe, or its id. */
export function folderName(fn: Pick<HogFunction, 'name' | 'id'>): string {
  return fileSafe(fn.name ?? '') || fn.id;
}

/** The files of a function, in their stable form. */
export function functionToFiles(fn: HogFunction, env: { host: string; projectId: number }): FolderFiles {
  const meta: FolderMeta = {
    id: fn.id,
    type: fn.type ?? 'destination',
    name: fn.name ?? '',
    description: fn.description ?? '',
    enabled: fn.enabled,
    template_id: fn.template?.id ?? null,
    execution_order: fn.execution_order ?? null,
    icon_url: fn.icon_url ?? null,
    inputs_schema: fn.inputs_schema ?? [],
    masking: fn.masking ?? null,
    environment: { host: env.host, project_id: env.projectId },
    pulled: { updated_at: fn.updated_at, version: fn.version ?? null },
  };
  const files: FolderFiles = {
    [codeFile(fn.type)]: withFinalNewline(fn.hog ?? ''),
    [INPUTS_FILE]: serializeInputs(fn.inputs, fn.inputs_schema),
    [FILTERS_FILE]: serializeFilters(fn.filters),
    [META_FILE]: `${stringifyJson(meta, 2)}\n`,
  };
  if (fn.mappings && fn.mappings.length > 0) files[MAPPINGS_FILE] = `${stringifyJson(fn.mappings, 2)}\n`;
  return files;
}

function withFinalNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * Reads a folder's files back. Throws FolderError naming every file and problem that stops a push
 * (missing files, JSON errors, inputs that do not match their schema).
 */
export function filesToFunction(files: FolderFiles): LocalFunction {
  const problems: FileProblem[] = [];
  const problem = (file: string, message: string): void => {
    problems.push({ file, message, offset: 0, length: 0, severity: 'error' });
  };
  const metaText = files[META_FILE];
  if (metaText === undefined) {
    throw new FolderError([
      { file: META_FILE, message: 'missing: this folder is not a pulled hog function (Pull to Workspace writes one).', offset: 0, length: 0, severity: 'error' },
    ]);
  }
  const meta = readMeta(metaText, problem);
  const code = meta ? codeFile(meta.type) : 'function.hog';
  const hogText = files[code];
  if (hogText === undefined) problem(code, `missing (a ${meta?.type ?? 'hog function'}'s code lives in ${code}).`);
  const { hog, problems: codeProblems } = parseCodeDocument(hogText ?? '');
  problems.push(...codeProblems.map((p) => ({ ...p, file: code })));

  const schema = (meta?.inputs_schema ?? []) as InputSchemaItem[];
  const inputsText = files[INPUTS_FILE] ?? '{}\n';
  const parsedInputs = parseInputsDocument(inputsText, schema);
  problems.push(...parsedInputs.problems.filter((p) => p.severity === 'error').map((p) => ({ ...p, file: INPUTS_FILE })));

  const parsedFilters = parseFiltersDocument(files[FILTERS_FILE] ?? '{}\n');
  problems.push(...parsedFilters.problems.filter((p) => p.severity === 'error').map((p) => ({ ...p, file: FILTERS_FILE })));

  let mappings: unknown[] | null | undefined;
  const mappingsText = files[MAPPINGS_FILE];
  if (mappingsText !== undefined) {
    const value = tryJson(mappingsText, MAPPINGS_FILE, problem);
    if (value === null || Array.isArray(value)) mappings = value;
    else if (value !== undefined) problem(MAPPINGS_FILE, 'must be a JSON array of mappings (or null).');
  }
  if (problems.length > 0 || !meta || hog === undefined || !parsedInputs.inputs || !parsedFilters.filters) throw new FolderError(problems);
  return { meta, hog, inputs: parsedInputs.inputs, filters: parsedFilters.filters, mappings, files };
}

function tryJson(text: string, file: string, problem: (file: string, message: string) => void): unknown {
  try {
    return parseJson(text);
  } catch (e) {
    problem(file, `is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
    return undefined;
  }
}

function readMeta(text: string, problem: (file: string, message: string) => void): FolderMeta | undefined {
  const value = tryJson(text, META_FILE, problem);
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) {
    problem(META_FILE, 'must be a JSON object.');
    return undefined;
  }
  const str = (k: string, fallback: string | null): string | null => {
    const v = value[k];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string') return v;
    problem(META_FILE, `"${k}" must be a string.`);
    return fallback;
  };
  const type = str('type', null);
  if (type === null) problem(META_FILE, '"type" is missing (destination, transformation, …).');
  const enabled = value.enabled ?? false;
  if (typeof enabled !== 'boolean') problem(META_FILE, '"enabled" must be true or false.');
  const order = value.execution_order ?? null;
  if (order !== null && typeof order !== 'number') problem(META_FILE, '"execution_order" must be a number or null.');
  const schema = value.inputs_schema ?? [];
  if (!Array.isArray(schema)) problem(META_FILE, '"inputs_schema" must be an array.');
  const masking = value.masking ?? null;
  if (masking !== null && !isJsonObject(masking)) problem(META_FILE, '"masking" must be an object or null.');
  const env = value.environment ?? null;
  let environment: FolderMeta['environment'] = null;
  if (env !== null) {
    if (isJsonObject(env) && typeof env.host === 'string' && typeof env.project_id === 'number') environment = { host: env.host, project_id: env.project_id };
    else problem(META_FILE, '"environment" must be {"host": "https://…", "project_id": 123} or null.');
  }
  const pulledRaw = value.pulled ?? null;
  let pulled: FolderMeta['pulled'] = null;
  if (pulledRaw !== null) {
    if (isJsonObject(pulledRaw) && typeof pulledRaw.updated_at === 'string') {
      pulled = { updated_at: pulledRaw.updated_at, version: typeof pulledRaw.version === 'number' ? pulledRaw.version : null };
    } else problem(META_FILE, '"pulled" must be {"updated_at": "…", "version": n} or null.');
  }
  if (type === null || typeof enabled !== 'boolean' || !Array.isArray(schema) || (order !== null && typeof order !== 'number') || (masking !== null && !isJsonObject(masking))) {
    return undefined;
  }
  return {
    id: str('id', null),
    type,
    name: str('name', '') ?? '',
    description: str('description', '') ?? '',
    enabled,
    template_id: str('template_id', null),
    execution_order: order,
    icon_url: str('icon_url', null),
    inputs_schema: schema,
    masking,
    environment,
    pulled,
  };
}

/** A field a push can change, and the file it lives in. */
export type PushField = 'hog' | 'inputs' | 'filters' | 'mappings' | 'name' | 'description' | 'enabled' | 'inputs_schema' | 'masking';

export interface PushPlan {
  /** Only the fields that differ from PostHog. Empty: nothing to push. */
  patch: Omit<HogFunctionPatch, 'base_updated_at'>;
  changed: PushField[];
  /** The files that differ: the remote's rendering vs the folder's text (for a diff per file). */
  files: { file: string; remote: string; local: string }[];
}

/**
 * What a push of `local` onto `remote` sends: exactly the fields that differ (compared the way PostHog
 * stores them: code trimmed, JSON regardless of key order and formatting). A `copy` (onto a function of
 * another environment) leaves that function's enabled state alone, and its secrets: a `{"secret": true}`
 * marker there means "whatever is stored in that environment", never a value to send.
 */
export function planPush(local: LocalFunction, remote: HogFunction, env: { host: string; projectId: number }, opts: { copy?: boolean } = {}): PushPlan {
  if ((remote.type ?? 'destination') !== local.meta.type) {
    throw new FolderError([
      {
        file: META_FILE,
        message: `"type" is ${local.meta.type} but the function in PostHog is a ${remote.type ?? 'destination'}; PostHog cannot change a function's type.`,
        offset: 0,
        length: 0,
        severity: 'error',
      },
    ]);
  }
  const remoteFiles = functionToFiles(remote, env);
  const patch: Omit<HogFunctionPatch, 'base_updated_at'> = {};
  const changed: PushField[] = [];
  if (canonicalCode(remote.hog ?? '') !== canonicalCode(local.hog)) {
    patch.hog = local.hog;
    changed.push('hog');
  }
  const remoteSchema = remote.inputs_schema ?? [];
  if (!sameJson(remoteSchema, local.meta.inputs_schema)) {
    patch.inputs_schema = local.meta.inputs_schema;
    changed.push('inputs_schema');
  }
  const remoteInputs = readInputs(remote.inputs);
  let localInputs = local.inputs;
  let comparedRemote = remoteInputs;
  if (opts.copy) {
    const markers = new Set(secretMarkers(local.inputs));
    localInputs = Object.fromEntries(Object.entries(local.inputs).filter(([k]) => !markers.has(k) || Object.hasOwn(remoteInputs, k)));
    comparedRemote = Object.fromEntries(Object.entries(remoteInputs).filter(([k]) => !markers.has(k)));
    const comparedLocal = Object.fromEntries(Object.entries(localInputs).filter(([k]) => !markers.has(k)));
    if (canonicalInputs(serializeInputs(comparedRemote, remoteSchema)) !== canonicalJson(comparedLocal)) {
      patch.inputs = localInputs;
      changed.push('inputs');
    }
  } else if (canonicalInputs(serializeInputs(comparedRemote, remoteSchema)) !== canonicalJson(localInputs)) {
    patch.inputs = localInputs;
    changed.push('inputs');
  }
  if (canonicalFilters(serializeFilters(remote.filters)) !== canonicalJson(local.filters)) {
    patch.filters = local.filters;
    changed.push('filters');
  }
  if (local.mappings !== undefined && !sameJson(emptyAsNull(remote.mappings), emptyAsNull(local.mappings))) {
    patch.mappings = local.mappings;
    changed.push('mappings');
  }
  if ((remote.name ?? '') !== local.meta.name) {
    patch.name = local.meta.name;
    changed.push('name');
  }
  if ((remote.description ?? '') !== local.meta.description) {
    patch.description = local.meta.description;
    changed.push('description');
  }
  if (!opts.copy && remote.enabled !== local.meta.enabled) {
    patch.enabled = local.meta.enabled;
    changed.push('enabled');
  }
  if (!sameJson(remote.masking ?? null, local.meta.masking)) {
    patch.masking = local.meta.masking;
    changed.push('masking');
  }
  const files: PushPlan['files'] = [];
  const fileOf: Record<PushField, string> = {
    hog: codeFile(remote.type),
    inputs: INPUTS_FILE,
    filters: FILTERS_FILE,
    mappings: MAPPINGS_FILE,
    name: META_FILE,
    description: META_FILE,
    enabled: META_FILE,
    inputs_schema: META_FILE,
    masking: META_FILE,
  };
  for (const file of new Set(changed.map((f) => fileOf[f]))) {
    files.push({ file, remote: remoteFiles[file] ?? '', local: local.files[file] ?? '' });
  }
  return { patch, changed, files };
}

function emptyAsNull(m: unknown[] | null | undefined): unknown[] | null {
  return m && m.length > 0 ? m : null;
}

/** The keys of secret inputs that hold no value to send (`{"secret": true}`): unknown outside their environment. */
export function secretMarkers(inputs: Record<string, unknown>): string[] {
  return Object.entries(inputs)
    .filter(([, v]) => isJsonObject(v) && v.secret === true && !Object.hasOwn(v, 'value'))
    .map(([k]) => k);
}

/**
 * The create request for a folder's function in an environment it does not exist in (a copy): disabled
 * unless `enabled` says otherwise; secret inputs without a value are left out (`secrets` fills them).
 */
export function createBody(local: LocalFunction, opts: { enabled: boolean; secrets: Record<string, string>; name?: string }): HogFunctionCreate {
  const inputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(local.inputs)) {
    if (isJsonObject(v) && v.secret === true && !Object.hasOwn(v, 'value')) {
      const value = opts.secrets[k];
      if (value !== undefined) inputs[k] = { value };
      continue;
    }
    inputs[k] = v;
  }
  const body: HogFunctionCreate = {
    type: local.meta.type,
    name: opts.name ?? local.meta.name,
    description: local.meta.description,
    enabled: opts.enabled,
    hog: local.hog,
    inputs_schema: local.meta.inputs_schema,
    inputs,
    filters: local.filters,
    masking: local.meta.masking,
  };
  if (local.meta.icon_url !== null) body.icon_url = local.meta.icon_url;
  if (local.meta.template_id !== null) body.template_id = local.meta.template_id;
  if (local.mappings !== undefined && local.mappings !== null && local.mappings.length > 0) body.mappings = local.mappings;
  return body;
}

/** A PostHog personal API key (phx_…) or project secret key (phs_…) pasted into a file: the folder is refused. */
const KEY_PATTERN = /\bph[xs]_[A-Za-z0-9]{20,}/;

/** The files that hold something that looks like a PostHog personal API key (phx_…). */
export function filesWithKeys(files: FolderFiles): string[] {
  return Object.entries(files)
    .filter(([, text]) => KEY_PATTERN.test(text))
    .map(([file]) => file);
}

/** The folder's files a push reads (code, inputs, filters, mappings, function.json). */
export function folderFileNames(type: string | null | undefined): string[] {
  return [codeFile(type), INPUTS_FILE, FILTERS_FILE, MAPPINGS_FILE, META_FILE];
}

/**
 * The folder name of each function pulled into a directory: the folder it already has there (found by
 * the id in its function.json, so a renamed function keeps its folder and git sees an edit, not a move),
 * else its name made file-safe, with the first 8 characters of its id when two would share a name.
 */
export function folderNames(functions: readonly Pick<HogFunction, 'id' | 'name'>[], existing: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>([...existing.values()].map((d) => d.toLowerCase()));
  for (const fn of functions) {
    const dir = existing.get(fn.id);
    if (dir !== undefined) out.set(fn.id, dir);
  }
  for (const fn of [...functions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (out.has(fn.id)) continue;
    let dir = folderName(fn);
    if (taken.has(dir.toLowerCase())) dir = `${dir} (${fn.id.slice(0, 8)})`;
    taken.add(dir.toLowerCase());
    out.set(fn.id, dir);
  }
  return out;
}

/** The id in a function.json's text, if it has one (for finding a function's existing folder). */
export function idInMeta(text: string): string | undefined {
  try {
    const value = parseJson(text);
    return isJsonObject(value) && typeof value.id === 'string' ? value.id : undefined;
  } catch {
    return undefined;
  }
}
