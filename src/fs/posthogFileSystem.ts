import * as vscode from 'vscode';
import { isPostHogError, type PostHogError } from '../api/errors';
import type { Group, HogFunction, InputSchemaItem } from '../api/schemas';
import type { DocRef, FunctionDocKind } from '../model/docPath';
import type { Environment } from '../model/environment';
import { parseFiltersDocument, serializeFilters } from '../model/filtersDocument';
import { locateInputKey, parseInputsDocument, serializeInputs, type Problem } from '../model/inputsDocument';
import { compareTimestamps } from '../model/timestamps';
import { groupLabel } from '../model/treeModel';
import type { ClientPool } from '../services/clients';
import type { EnvironmentRegistry } from '../services/environments';
import type { GroupStore } from '../services/groupStore';
import type { HogFunctionStore } from '../services/hogFunctionStore';
import type { Log } from '../util/log';
import { Disposable } from '../util/disposable';
import { StorageKeys } from '../constants';
import { toFileSystemError } from './mapError';
import { functionDocKind, functionUri, resolveUri, sameDocument } from './uri';

export const MAX_HOG_BYTES = 100 * 1024;
/**
 * readFile reuses the function fetched by the `stat` VS Code issues just before it (once, and only
 * within this window, generous because a busy extension host can be slow between the two calls).
 * Content is never older than what the store knows: a newer remote version drops the cache.
 */
const FRESH_MS = 30_000;

export type SaveFailureKind = 'invalid' | 'conflict' | 'rejected' | 'permission' | 'notFound' | 'unavailable' | 'partial';

/** Told to the command layer (which owns the UI) whenever a save fails; the provider itself only throws. */
export interface SaveFailure {
  uri: vscode.Uri;
  kind: SaveFailureKind;
  message: string;
  /** Problems to show as diagnostics in the saved document. */
  problems: Problem[];
  /** For conflicts: the remote document text, to diff against the user's. */
  remoteText?: string;
}

export interface SaveSuccess {
  uri: vscode.Uri;
}

interface Resolved {
  env: Environment;
  ref: DocRef;
}

type FunctionRef = Extract<DocRef, { kind: FunctionDocKind }>;
type GroupRef = Extract<DocRef, { kind: 'group' }>;

export interface FileSystemDeps {
  registry: EnvironmentRegistry;
  clients: ClientPool;
  store: HogFunctionStore;
  groups: GroupStore;
  log: Log;
  /** Persists the `updated_at` each document was read at, so a reload keeps conflict detection. */
  state: vscode.Memento;
}


/**
 * `posthog:` documents: a hog function's code, inputs and filters, and a group's properties.
 * Saving PATCHes the function with `base_updated_at` = the `updated_at` the document was read at, so
 * nobody's change is overwritten silently. Every failure throws (the editor stays dirty) and is also
 * reported through `onDidFailSave` for the UI layer.
 */
export class PostHogFileSystem extends Disposable implements vscode.FileSystemProvider {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changeEmitter.event;
  private readonly failEmitter = this.register(new vscode.EventEmitter<SaveFailure>());
  readonly onDidFailSave = this.failEmitter.event;
  private readonly saveEmitter = this.register(new vscode.EventEmitter<SaveSuccess>());
  readonly onDidSave = this.saveEmitter.event;

  private readonly fetchedAt = new Map<string, number>();
  private readonly groupDocs = new Map<string, { group: Group; mtime: number }>();
  /** URIs whose next write may skip `base_updated_at` (the user chose Overwrite). */
  private readonly forceNextWrite = new Set<string>();
  /** The text each document was read (or last saved) as: tells our own field apart from others' edits. */
  private readonly baseTexts = new Map<string, string>();
  private pending: vscode.FileChangeEvent[] = [];
  private pendingTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: FileSystemDeps) {
    super();
    this.register(deps.store.onDidChangeFunction((c) => this.fireOpenDocuments(c.env, c.id)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => void this.forgetBases(d.uri).catch(() => undefined)));
  }

  // ── FileSystemProvider ──────────────────────────────────────────────────────────────────────

  watch(): vscode.Disposable {
    // Changes are pushed from the store (tree refresh, saves, commands); nothing to poll here.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { env, ref } = this.resolve(uri);
    switch (ref.kind) {
      case 'code':
      case 'inputs':
      case 'filters': {
        const fn = await this.functionFor(env, ref, uri, false);
        const text = serialize(fn, ref.kind);
        const known = this.deps.store.knownUpdatedAt(env, ref.functionId) ?? fn.updated_at;
        return {
          type: vscode.FileType.File,
          ctime: fn.created_at ? Date.parse(fn.created_at) || 0 : 0,
          mtime: Date.parse(known) || 0,
          size: Buffer.byteLength(text),
          permissions: (await this.deps.clients.canWrite(env.host, 'hog_function')) ? undefined : vscode.FilePermission.Readonly,
        };
      }
      case 'group': {
        const doc = await this.groupFor(env, ref, uri, false);
        return {
          type: vscode.FileType.File,
          ctime: doc.group.created_at ? Date.parse(doc.group.created_at) || 0 : 0,
          mtime: doc.mtime,
          size: Buffer.byteLength(serializeGroup(doc.group)),
          permissions: (await this.deps.clients.canWrite(env.host, 'group')) ? undefined : vscode.FilePermission.Readonly,
        };
      }
      default:
        return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { env, ref } = this.resolve(uri);
    if (ref.kind === 'group') {
      const doc = await this.groupFor(env, ref, uri, true);
      if (!isDirty(uri)) await this.rememberGroupBase(uri, doc.group);
      return Buffer.from(serializeGroup(doc.group));
    }
    if (ref.kind !== 'code' && ref.kind !== 'inputs' && ref.kind !== 'filters') throw vscode.FileSystemError.FileIsADirectory(uri);
    const fn = await this.functionFor(env, ref, uri, true);
    const text = serialize(fn, ref.kind);
    // A read while the editor holds unsaved edits (Compare with Saved, search, other extensions) must
    // not move the conflict base: the edits were made against the version read before.
    if (!isDirty(uri)) {
      await this.setReadBase(uri, fn.updated_at);
      this.baseTexts.set(uri.toString(), text);
    }
    return Buffer.from(text);
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { env, ref } = this.resolve(uri);
    try {
      switch (ref.kind) {
        case 'project':
          return [
            ['hog_functions', vscode.FileType.Directory],
            ['groups', vscode.FileType.Directory],
          ];
        case 'functions':
          return (await this.deps.store.load(env)).map((f) => [f.id, vscode.FileType.Directory]);
        case 'function': {
          const fn = await this.functionFor(env, { kind: 'code', projectId: ref.projectId, functionId: ref.functionId }, uri, false);
          const code = functionUri(env, fn, 'code').path.split('/').pop() ?? 'code.hog';
          return [
            [code, vscode.FileType.File],
            ['inputs.json', vscode.FileType.File],
            ['filters.json', vscode.FileType.File],
          ];
        }
        case 'groups':
          return (await this.deps.groups.groupTypes(env)).map((t) => [String(t.group_type_index), vscode.FileType.Directory]);
        case 'groupType': {
          await this.deps.groups.ensureFirstPage(env, ref.groupTypeIndex);
          return this.deps.groups.state(env, ref.groupTypeIndex).groups.map((g) => [`${encodeURIComponent(g.group_key)}.json`, vscode.FileType.File]);
        }
        default:
          throw vscode.FileSystemError.FileNotADirectory(uri);
      }
    } catch (e) {
      throw toFileSystemError(e, uri, 'Could not list');
    }
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(`${uri.path}: folders cannot be created here. Use "PostHog: New Hog Function…".`);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(`${uri.path}: use "PostHog: Delete Hog Function" (it can be undone).`);
  }

  rename(oldUri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(`${oldUri.path}: use "PostHog: Rename Hog Function…".`);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const { env, ref } = this.resolve(uri);
    if (ref.kind === 'group') return this.writeGroup(env, ref, uri, content);
    if (ref.kind !== 'code' && ref.kind !== 'inputs' && ref.kind !== 'filters') throw vscode.FileSystemError.FileIsADirectory(uri);
    if (!options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    const text = Buffer.from(content).toString('utf8');
    if (this.unchangedSinceRead(uri, ref.kind, text)) {
      // Ctrl+S on text equal to the version read: nothing to deploy, no request, the document turns clean.
      this.deps.log.info('fs', `nothing to save in ${ref.kind} of ${ref.functionId} (${env.name}): same as the version read`);
      return;
    }
    const current = await this.functionFor(env, ref, uri, false);
    const patch = this.buildPatch(uri, ref.kind, text, current);
    const force = this.forceNextWrite.delete(uri.toString());
    const base = force ? undefined : this.readBase(uri);
    const client = this.deps.clients.get(env.host);
    try {
      let saved: HogFunction;
      const known = this.deps.store.knownUpdatedAt(env, ref.functionId);
      if (!force && base === undefined) {
        // We do not know which version these edits were made against (e.g. restored from a backup):
        // only save silently if PostHog already has this text; otherwise let the user decide.
        saved = await this.resolveConflict(env, ref, uri, text, patch);
      } else if (base !== undefined && known !== undefined && compareTimestamps(known, base) > 0) {
        // We already know of a newer remote version (a refresh saw it). Servers that ignore
        // `base_updated_at` would let the PATCH overwrite it, so treat it as the conflict it is.
        saved = await this.resolveConflict(env, ref, uri, text, patch);
      } else {
        try {
          saved = await client.updateHogFunction(env.projectId, ref.functionId, base === undefined ? patch : { ...patch, base_updated_at: base });
        } catch (e) {
          if (!isPostHogError(e) || !e.isConflict) throw e;
          saved = await this.resolveConflict(env, ref, uri, text, patch);
        }
      }
      this.deps.log.info('fs', `saved ${ref.kind} of ${ref.functionId} (${env.name}); updated_at ${saved.updated_at}`);
      this.deps.store.put(env, saved);
      await this.setReadBase(uri, saved.updated_at);
      this.baseTexts.set(uri.toString(), text);
      this.fetchedAt.set(uri.toString(), Date.now());
      this.saveEmitter.fire({ uri });
      this.fireOpenDocuments(env, ref.functionId, uri);
    } catch (e) {
      throw this.fail(uri, ref.kind, e, text);
    }
  }

  /**
   * True when `text` equals what the document was read (or last saved) as, after the normalisation
   * conflicts use, and the version it was read at is known. Overwrite always writes.
   */
  private unchangedSinceRead(uri: vscode.Uri, kind: FunctionDocKind, text: string): boolean {
    const key = uri.toString();
    if (this.forceNextWrite.has(key) || this.readBase(uri) === undefined) return false;
    const baseText = this.baseTexts.get(key);
    return baseText !== undefined && normaliseForCompare(baseText, kind) === normaliseForCompare(text, kind);
  }

  // ── commands' entry points ─────────────────────────────────────────────────────────────────

  /**
   * The user chose "Overwrite" after a conflict: send `text` without `base_updated_at`. The caller
   * then reverts the editor, which re-reads exactly this text from PostHog (nothing is lost).
   */
  async overwrite(uri: vscode.Uri, text: string): Promise<void> {
    this.forceNextWrite.add(uri.toString());
    try {
      await this.writeFile(uri, Buffer.from(text), { create: false, overwrite: true });
    } finally {
      this.forceNextWrite.delete(uri.toString());
    }
  }

  /** The remote text of a document, fetched fresh (for Compare). */
  async remoteText(uri: vscode.Uri): Promise<string> {
    const { env, ref } = this.resolve(uri);
    if (ref.kind === 'group') return serializeGroup(await this.deps.clients.get(env.host).findGroup(env.projectId, ref.groupTypeIndex, ref.groupKey));
    if (ref.kind !== 'code' && ref.kind !== 'inputs' && ref.kind !== 'filters') throw vscode.FileSystemError.FileIsADirectory(uri);
    return serialize(await this.deps.store.fetch(env, ref.functionId), ref.kind);
  }

  /** The inputs_schema of a function document's function, if already fetched (no request). */
  cachedSchema(uri: vscode.Uri): InputSchemaItem[] | null | undefined {
    try {
      const { env, ref } = this.resolve(uri);
      if (ref.kind !== 'inputs') return undefined;
      const fn = this.deps.store.cachedFull(env, ref.functionId);
      return fn ? (fn.inputs_schema ?? null) : undefined;
    } catch {
      return undefined;
    }
  }

  /** For Hog completions of `inputs.<key>` in a code document: its function's inputs_schema, if fetched. */
  schemaForCode(uri: vscode.Uri): InputSchemaItem[] | undefined {
    try {
      const { env, ref } = this.resolve(uri);
      if (ref.kind !== 'code') return undefined;
      return this.deps.store.cachedFull(env, ref.functionId)?.inputs_schema ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** Environment and document of a `posthog:` URI (throws FileNotFound for anything else). */
  resolve(uri: vscode.Uri): Resolved {
    const r = resolveUri(uri, (a) => this.deps.registry.hostForAuthority(a));
    if (!r) throw vscode.FileSystemError.FileNotFound(uri);
    const projectId = r.ref.kind === 'root' ? undefined : r.ref.projectId;
    const env = (projectId !== undefined ? this.deps.registry.find(r.host, projectId) : undefined) ?? {
      host: r.host,
      projectId: projectId ?? 0,
      name: projectId !== undefined ? `Project ${projectId}` : r.host,
    };
    return { env, ref: r.ref };
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private async functionFor(env: Environment, ref: FunctionRef, uri: vscode.Uri, forRead: boolean): Promise<HogFunction> {
    const key = uri.toString();
    const cached = this.deps.store.cachedFull(env, ref.functionId);
    const fetchedAt = this.fetchedAt.get(key);
    // stat trusts the cache (it is kept current by lists and saves); readFile re-fetches unless a
    // stat just fetched it for this read.
    if (cached && !forRead) return cached;
    if (cached && fetchedAt !== undefined && Date.now() - fetchedAt < FRESH_MS) {
      this.fetchedAt.delete(key);
      return cached;
    }
    try {
      const fn = await this.deps.store.fetch(env, ref.functionId);
      if (forRead) this.fetchedAt.delete(key);
      else this.fetchedAt.set(key, Date.now());
      return fn;
    } catch (e) {
      throw toFileSystemError(e, uri, `Could not open ${ref.kind === 'code' ? 'the code' : ref.kind} of hog function ${ref.functionId}`);
    }
  }

  private buildPatch(uri: vscode.Uri, kind: FunctionDocKind, text: string, current: HogFunction): { hog?: string; inputs?: Record<string, unknown>; filters?: Record<string, unknown> } {
    if (kind === 'code') {
      const bytes = Buffer.byteLength(text);
      if (bytes > MAX_HOG_BYTES) {
        throw this.fail(uri, kind, invalid(`The code is ${(bytes / 1024).toFixed(1)} KB; PostHog accepts at most 100 KB.`, [{ message: `Code is ${bytes} bytes; the limit is ${MAX_HOG_BYTES}.`, offset: 0, length: 0, severity: 'error' }]), text);
      }
      return { hog: text };
    }
    if (kind === 'inputs') {
      const parsed = parseInputsDocument(text, current.inputs_schema);
      if (!parsed.inputs) throw this.fail(uri, kind, invalid(`${parsed.problems[0]?.message ?? 'the inputs are invalid.'}${parsed.problems.length > 1 ? ` (+${parsed.problems.length - 1} more in Problems)` : ''}`, parsed.problems), text);
      return { inputs: parsed.inputs };
    }
    const parsed = parseFiltersDocument(text);
    if (!parsed.filters) throw this.fail(uri, kind, invalid(parsed.problems[0]?.message ?? 'invalid filters.', parsed.problems), text);
    return { filters: parsed.filters };
  }

  /**
   * 409 stale_update: re-read. The PATCH only carries this document's field, so it is safe to send
   * again when that field is unchanged remotely (the newer updated_at came from another field — e.g.
   * our own save of the code while the inputs were open — or from a background re-save), or when the
   * remote already equals what we are saving. Otherwise it is a real conflict.
   */
  private async resolveConflict(env: Environment, ref: FunctionRef, uri: vscode.Uri, text: string, patch: object): Promise<HogFunction> {
    const remote = await this.deps.store.fetch(env, ref.functionId);
    const remoteText = normaliseForCompare(serialize(remote, ref.kind), ref.kind);
    const baseText = this.baseTexts.get(uri.toString());
    if (remoteText === normaliseForCompare(text, ref.kind) || (baseText !== undefined && remoteText === normaliseForCompare(baseText, ref.kind))) {
      try {
        return await this.deps.clients.get(env.host).updateHogFunction(env.projectId, ref.functionId, { ...patch, base_updated_at: remote.updated_at });
      } catch (again) {
        // Changed once more in between: now it is the user's call.
        if (isPostHogError(again) && again.isConflict) throw Object.assign(new ConflictError('The function changed in PostHog since you opened it.'), { remoteText: serialize(remote, ref.kind) });
        throw again;
      }
    }
    // Our own words: PostHog's 409 detail talks about a publish preview the user never saw (E1).
    throw Object.assign(new ConflictError('The function changed in PostHog since you opened it.'), { remoteText: serialize(remote, ref.kind) });
  }

  private fail(uri: vscode.Uri, kind: FunctionDocKind | 'group', e: unknown, text: string): vscode.FileSystemError {
    const what = `Not saved to PostHog (${uri.path.split('/').pop() ?? kind})`;
    let failure: SaveFailure;
    if (e instanceof InvalidError) {
      failure = { uri, kind: 'invalid', message: e.message, problems: e.problems };
    } else if (e instanceof ConflictError) {
      failure = { uri, kind: 'conflict', message: `${uri.path.split('/').pop() ?? ''} changed in PostHog since you opened it. Compare to review both versions, or Overwrite to replace the remote version with yours.`, problems: [], remoteText: e.remoteText };
    } else if (e instanceof PartialGroupError) {
      failure = { uri, kind: 'partial', message: e.message, problems: [] };
    } else if (isPostHogError(e) && e.isValidation) {
      failure = { uri, kind: 'rejected', message: e.detail ?? e.message, problems: serverProblems(e, kind, text) };
    } else if (isPostHogError(e) && (e.isAuth || e.isForbidden)) {
      failure = { uri, kind: 'permission', message: e.message, problems: [] };
    } else if (isPostHogError(e) && e.isNotFound) {
      failure = { uri, kind: 'notFound', message: 'This hog function was deleted in PostHog. Your text is kept: copy it or use "Save As".', problems: [] };
    } else {
      failure = { uri, kind: 'unavailable', message: e instanceof Error ? e.message : String(e), problems: [] };
    }
    this.deps.log.warn('fs', `save failed (${failure.kind}) for ${uri.path}: ${failure.message}`);
    this.failEmitter.fire(failure);
    if (e instanceof InvalidError || e instanceof ConflictError || e instanceof PartialGroupError) return new vscode.FileSystemError(`${what}: ${e.message}`);
    if (isPostHogError(e) && e.isValidation) return new vscode.FileSystemError(`${what}: ${e.detail ?? e.message}${e.attr ? ` (${e.attr.replace(/__/g, '.')})` : ''}`);
    return toFileSystemError(e, uri, what);
  }

  /**
   * Tells VS Code that a function's open documents changed (it re-reads the ones that are not dirty).
   * `except`: the document just saved, which already holds the new text.
   */
  private fireOpenDocuments(env: Environment, functionId: string, except?: vscode.Uri): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (except && sameDocument(doc.uri, except)) continue;
      if (functionDocKind(doc.uri, env, functionId)) this.fireSoon({ type: vscode.FileChangeType.Changed, uri: doc.uri });
    }
  }

  private fireSoon(e: vscode.FileChangeEvent): void {
    this.pending.push(e);
    if (this.pendingTimer) return;
    this.pendingTimer = setTimeout(() => {
      this.pendingTimer = undefined;
      const events = this.pending;
      this.pending = [];
      this.changeEmitter.fire(events);
    }, 5);
  }

  private readBase(uri: vscode.Uri): string | undefined {
    const all = this.deps.state.get<Record<string, string>>(StorageKeys.readBases) ?? {};
    return typeof all[uri.toString()] === 'string' ? all[uri.toString()] : undefined;
  }

  private async setReadBase(uri: vscode.Uri, updatedAt: string): Promise<void> {
    const stored = this.deps.state.get<Record<string, string>>(StorageKeys.readBases) ?? {};
    const previous = stored[uri.toString()];
    if (previous !== undefined && compareTimestamps(previous, updatedAt) === 0) return;
    await this.deps.state.update(StorageKeys.readBases, { ...stored, [uri.toString()]: updatedAt });
  }

  /** Forgets a closed document's bases (kept until then, also across window reloads). */
  private async forgetBases(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    this.baseTexts.delete(key);
    this.groupBases.delete(key);
    for (const storageKey of [StorageKeys.readBases, StorageKeys.groupBases]) {
      const stored = this.deps.state.get<Record<string, unknown>>(storageKey) ?? {};
      if (key in stored) await this.deps.state.update(storageKey, Object.fromEntries(Object.entries(stored).filter(([k]) => k !== key)));
    }
  }

  // ── groups ─────────────────────────────────────────────────────────────────────────────────

  private async groupFor(env: Environment, ref: GroupRef, uri: vscode.Uri, forRead: boolean): Promise<{ group: Group; mtime: number }> {
    const key = uri.toString();
    const cached = this.groupDocs.get(key);
    if (cached && (!forRead || Date.now() - (this.fetchedAt.get(key) ?? 0) < FRESH_MS)) return cached;
    try {
      const group = await this.deps.clients.get(env.host).findGroup(env.projectId, ref.groupTypeIndex, ref.groupKey);
      this.fetchedAt.set(key, Date.now());
      return this.noteGroup(uri, group);
    } catch (e) {
      throw toFileSystemError(e, uri, `Could not open group ${ref.groupKey}`);
    }
  }

  /**
   * Remembers a group's state. `keepMtime` after a partly applied save: the editor still holds the
   * user's full text, so the mtime VS Code knows must stay valid for the retry.
   */
  private noteGroup(uri: vscode.Uri, group: Group, keepMtime = false): { group: Group; mtime: number } {
    const key = uri.toString();
    const cached = this.groupDocs.get(key);
    const same = cached && (keepMtime || serializeGroup(cached.group) === serializeGroup(group));
    const doc = { group, mtime: same ? cached.mtime : Math.max(Date.now(), (cached?.mtime ?? 0) + 1) };
    this.groupDocs.set(key, doc);
    return doc;
  }

  private readonly groupBases = new Map<string, Record<string, unknown>>();

  /** The properties a group document was read as; persisted so a reload keeps conflict detection. */
  private async rememberGroupBase(uri: vscode.Uri, group: Group): Promise<void> {
    await this.setGroupBase(uri, { ...group.group_properties });
  }

  private async setGroupBase(uri: vscode.Uri, properties: Record<string, unknown>): Promise<void> {
    this.groupBases.set(uri.toString(), properties);
    const stored = this.deps.state.get<Record<string, unknown>>(StorageKeys.groupBases) ?? {};
    await this.deps.state.update(StorageKeys.groupBases, { ...stored, [uri.toString()]: properties });
  }

  private groupBase(uri: vscode.Uri): Record<string, unknown> | undefined {
    const inMemory = this.groupBases.get(uri.toString());
    if (inMemory) return inMemory;
    const stored = this.deps.state.get<Record<string, Record<string, unknown> | undefined>>(StorageKeys.groupBases)?.[uri.toString()];
    return stored && !Array.isArray(stored) ? stored : undefined;
  }

  /**
   * Saving a group applies the difference to what was read: one update_property per changed or added
   * key, one delete_property per removed key. Groups have no updated_at, so the current group is
   * fetched first: a key someone else changed since the document was read is a conflict (Compare /
   * Overwrite), never silently reset. If a call fails midway, the applied part becomes the new base (so
   * the next save sends only the rest) and the error lists both parts.
   */
  private async writeGroup(env: Environment, ref: GroupRef, uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const text = Buffer.from(content).toString('utf8');
    const parsed = parseGroupDocument(text);
    if (!parsed.properties) throw this.fail(uri, 'group', invalid(parsed.problems[0]?.message ?? 'invalid JSON', parsed.problems), text);
    const force = this.forceNextWrite.delete(uri.toString());
    const readAs = this.groupBase(uri);
    if (!force && readAs !== undefined && diffProperties(readAs, parsed.properties).length === 0) {
      // Ctrl+S on the properties as read: no request, the document turns clean.
      this.deps.log.info('fs', `nothing to save in group ${ref.groupKey}: same as the version read`);
      return;
    }
    const client = this.deps.clients.get(env.host);
    let remote: Group;
    try {
      remote = await client.findGroup(env.projectId, ref.groupTypeIndex, ref.groupKey);
    } catch (e) {
      throw this.fail(uri, 'group', e, text);
    }
    // Overwrite makes PostHog equal to the document; otherwise only our own edits are sent.
    const base = force ? remote.group_properties : (this.groupBase(uri) ?? remote.group_properties);
    const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
    const wanted = diffProperties(base, parsed.properties);
    const conflicts = wanted.filter((op) => !same(remote.group_properties[op.key], base[op.key]) && !same(remote.group_properties[op.key], op.kind === 'set' ? op.value : undefined));
    if (conflicts.length > 0) {
      const keys = conflicts.map((c) => `"${c.key}"`).join(', ');
      throw this.fail(uri, 'group', Object.assign(new ConflictError(`${keys} changed in PostHog since you opened it.`), { remoteText: serializeGroup(remote) }), text);
    }
    // Keys that already have the wanted value need no request.
    const ops = wanted.filter((op) => !same(remote.group_properties[op.key], op.kind === 'set' ? op.value : undefined));
    const applied: string[] = [];
    let group: Group | undefined;
    try {
      for (const op of ops) {
        group =
          op.kind === 'set'
            ? await client.updateGroupProperty(env.projectId, ref.groupTypeIndex, ref.groupKey, op.key, op.value)
            : await client.deleteGroupProperty(env.projectId, ref.groupTypeIndex, ref.groupKey, op.key);
        applied.push(op.kind === 'set' ? `set ${op.key}` : `removed ${op.key}`);
        const previous = this.groupBases.get(uri.toString()) ?? base;
        const next = Object.fromEntries(Object.entries(previous).filter(([k]) => k !== op.key));
        if (op.kind === 'set') next[op.key] = op.value;
        this.groupBases.set(uri.toString(), next);
      }
    } catch (e) {
      await this.setGroupBase(uri, this.groupBases.get(uri.toString()) ?? base);
      if (group) this.afterGroupWrite(env, uri, group, true);
      if (applied.length === 0) throw this.fail(uri, 'group', e, text);
      const notApplied = ops.slice(applied.length).map((o) => (o.kind === 'set' ? `set ${o.key}` : `remove ${o.key}`));
      const reason = isPostHogError(e) ? e.message : e instanceof Error ? e.message : String(e);
      throw this.fail(uri, 'group', new PartialGroupError(`Saved only part of ${groupLabel({ group_type_index: ref.groupTypeIndex, group_key: ref.groupKey, group_properties: parsed.properties, created_at: null })}: applied ${applied.join(', ')}; not applied ${notApplied.join(', ')} — ${reason}`), text);
    }
    await this.setGroupBase(uri, parsed.properties);
    this.afterGroupWrite(env, uri, group ?? remote);
    this.deps.log.info('fs', `saved group ${ref.groupKey} (${ops.length} change${ops.length === 1 ? '' : 's'})`);
    this.saveEmitter.fire({ uri });
  }

  private afterGroupWrite(env: Environment, uri: vscode.Uri, group: Group, partial = false): void {
    this.noteGroup(uri, group, partial);
    this.fetchedAt.set(uri.toString(), Date.now());
    this.deps.groups.put(env, group);
  }

  /** Called by commands that change a group outside its document (update/delete property). */
  groupChanged(group: Group, uri: vscode.Uri): void {
    const key = uri.toString();
    this.noteGroup(uri, group);
    this.fetchedAt.delete(key);
    for (const doc of vscode.workspace.textDocuments) {
      if (sameDocument(doc.uri, uri)) this.fireSoon({ type: vscode.FileChangeType.Changed, uri: doc.uri });
    }
  }
}

// ── documents ──────────────────────────────────────────────────────────────────────────────────

function isDirty(uri: vscode.Uri): boolean {
  return vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.toString() === uri.toString());
}

export function serialize(fn: HogFunction, kind: FunctionDocKind): string {
  switch (kind) {
    case 'code':
      return fn.hog ?? '';
    case 'inputs':
      return serializeInputs(fn.inputs, fn.inputs_schema);
    case 'filters':
      return serializeFilters(fn.filters);
  }
}

export function serializeGroup(group: Group): string {
  return `${JSON.stringify(group.group_properties, null, 2)}\n`;
}

/** PostHog strips trailing whitespace from `hog`; compare modulo that, and JSON modulo formatting. */
function normaliseForCompare(text: string, kind: FunctionDocKind): string {
  if (kind === 'code') return text.replace(/\s+$/, '');
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

export function parseGroupDocument(text: string): { properties: Record<string, unknown> | undefined; problems: Problem[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
    return { properties: undefined, problems: [{ message: `Invalid JSON: ${e instanceof Error ? e.message : String(e)}`, offset: m?.[1] ? Number(m[1]) : 0, length: 1, severity: 'error' }] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { properties: undefined, problems: [{ message: 'A group document must be a JSON object of properties.', offset: 0, length: 1, severity: 'error' }] };
  }
  const properties = value as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const [k, v] of Object.entries(properties)) {
    if (v === null) {
      const at = text.indexOf(JSON.stringify(k));
      problems.push({ message: `"${k}": PostHog does not accept null values. Remove the key to delete the property.`, offset: Math.max(0, at), length: JSON.stringify(k).length, severity: 'error', key: k });
    }
  }
  return { properties: problems.length ? undefined : properties, problems };
}

export type PropertyOp = { kind: 'set'; key: string; value: unknown } | { kind: 'unset'; key: string };

export function diffProperties(before: Record<string, unknown>, after: Record<string, unknown>): PropertyOp[] {
  const ops: PropertyOp[] = [];
  for (const [k, v] of Object.entries(after)) if (!(k in before) || JSON.stringify(before[k]) !== JSON.stringify(v)) ops.push({ kind: 'set', key: k, value: v });
  for (const k of Object.keys(before)) if (!(k in after)) ops.push({ kind: 'unset', key: k });
  return ops;
}

function serverProblems(e: PostHogError, kind: FunctionDocKind | 'group', text: string): Problem[] {
  const detail = e.detail ?? e.message;
  const attr = e.attr ?? '';
  if (kind === 'inputs' && attr.startsWith('inputs__')) {
    const key = attr.split('__')[1] ?? '';
    const at = locateInputKey(text, key);
    return [{ message: detail, offset: at?.offset ?? 0, length: at?.length ?? 1, severity: 'error', key }];
  }
  if (kind === 'code' && attr === 'hog') {
    const firstLine = text.split('\n')[0] ?? '';
    return [{ message: `${detail} (PostHog does not say where; see the Hog diagnostics for the position.)`, offset: 0, length: firstLine.length, severity: 'error' }];
  }
  return [{ message: attr ? `${detail} (${attr.replace(/__/g, '.')})` : detail, offset: 0, length: 1, severity: 'error' }];
}

class InvalidError extends Error {
  constructor(
    message: string,
    readonly problems: Problem[],
  ) {
    super(message);
  }
}

class ConflictError extends Error {
  remoteText = '';
}

class PartialGroupError extends Error {}

function invalid(message: string, problems: Problem[]): InvalidError {
  return new InvalidError(message, problems);
}
