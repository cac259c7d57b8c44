import * as vscode from 'vscode';
import type { InputSchemaItem } from '../api/schemas';
import { FUNCTION_DOC_KINDS, type DocRef, type FunctionDocKind } from '../model/docPath';
import type { Environment } from '../model/environment';
import type { Problem } from '../model/inputsDocument';
import type { ClientPool } from '../services/clients';
import type { EnvironmentRegistry } from '../services/environments';
import type { GroupStore } from '../services/groupStore';
import type { HogFunctionStore } from '../services/hogFunctionStore';
import { SCHEME } from '../constants';
import { exportsFunctions, loadChunk } from '../util/chunk';
import { Disposable } from '../util/disposable';
import { errorMessage } from '../util/errorMessage';
import type { Log } from '../util/log';
import { DocumentBases } from './bases';
import type * as DocumentsModule from './documents/index';
import type { DocumentHandler } from './documents/types';
import { toFileSystemError } from './mapError';
import { functionDocKind, functionUri, groupUri, resolveUri, sameDocument } from './uri';

type Documents = typeof DocumentsModule;

/** The documents bundle and the handlers it made, one per kind of document. */
interface LoadedDocuments {
  documents: Documents;
  handlers: DocumentsModule.DocumentHandlers;
  byKind: Readonly<Record<HandledKind, DocumentHandler<never>>>;
}

export { MAX_HOG_BYTES } from '../model/codeDocument';

export type SaveFailureKind = 'invalid' | 'conflict' | 'rejected' | 'permission' | 'notFound' | 'unavailable' | 'partial' | 'autoSave';

export const AUTO_SAVE_REFUSED = 'auto save does not deploy PostHog documents. Press Ctrl+S (Cmd+S) to deploy, or turn on "posthogHog.deployOnAutoSave".';

/** Told to the command layer (which owns the UI) whenever a save fails; the provider itself only throws. */
export interface SaveFailure {
  uri: vscode.Uri;
  kind: SaveFailureKind;
  message: string;
  /** Problems to show as diagnostics in the saved document. */
  problems: Problem[];
  /** For conflicts: the remote document text, to diff against the user's. */
  remoteText?: string;
  /** For conflicts: makes the remote version the document's base (before Overwrite). */
  acceptRemote?: () => Promise<void>;
}

export interface SaveSuccess {
  uri: vscode.Uri;
}

export interface FileSystemDeps {
  registry: EnvironmentRegistry;
  clients: ClientPool;
  store: HogFunctionStore;
  groups: GroupStore;
  log: Log;
  /** Persists the base each document was read at, so a reload keeps conflict detection. */
  state: vscode.Memento;
  /** Whether automatic saves (after a delay, on focus change) may deploy. */
  deployOnAutoSave: () => boolean;
  /** Where dist/documents.js is (the extension's folder). */
  extensionPath: string;
}

type HandledKind = FunctionDocKind | 'group';

/**
 * The `posthog:` file system: resolves URIs, lists folders and hands each document to its kind's
 * handler (documents/, its own bundle loaded at the first document). Every failure throws a
 * FileSystemError (the editor stays dirty) and a failed save is also reported through `onDidFailSave`
 * for the UI layer; nothing here shows UI.
 */
export class PostHogFileSystem extends Disposable implements vscode.FileSystemProvider {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changeEmitter.event;
  private readonly failEmitter = this.register(new vscode.EventEmitter<SaveFailure>());
  readonly onDidFailSave = this.failEmitter.event;
  private readonly saveEmitter = this.register(new vscode.EventEmitter<SaveSuccess>());
  readonly onDidSave = this.saveEmitter.event;

  /** Why VS Code is saving each document (onWillSaveTextDocument runs just before writeFile). */
  private readonly saveReasons = new Map<string, vscode.TextDocumentSaveReason>();
  private readonly bases: DocumentBases;
  /** The documents bundle and its handlers, once the first document needed them. */
  private loaded: LoadedDocuments | undefined;
  private pending: vscode.FileChangeEvent[] = [];
  private pendingTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: FileSystemDeps) {
    super();
    this.bases = this.register(new DocumentBases(deps.state));
    this.register(deps.store.onDidChangeFunction((c) => this.fireOpenDocuments(c.env, c.id)));
    this.register(
      vscode.workspace.onWillSaveTextDocument((e) => {
        if (e.document.uri.scheme === SCHEME) this.saveReasons.set(e.document.uri.toString(), e.reason);
      }),
    );
  }

  watch(): vscode.Disposable {
    // Changes are pushed from the stores (tree refresh, saves, commands); nothing to poll here.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { env, ref, kind } = this.document(uri);
    if (!kind) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    try {
      return { type: vscode.FileType.File, ...(await this.handler(kind).stat(env, ref as never, uri)) };
    } catch (e) {
      throw toFileSystemError(e, uri, `Could not open ${describe(ref)}`, 'open');
    }
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { env, ref, kind } = this.document(uri);
    if (!kind) throw vscode.FileSystemError.FileIsADirectory(uri);
    try {
      return Buffer.from(await this.handler(kind).read(env, ref as never, uri));
    } catch (e) {
      throw toFileSystemError(e, uri, `Could not open ${describe(ref)}`, 'open');
    }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const { env, ref, kind } = this.document(uri);
    if (!kind) throw vscode.FileSystemError.FileIsADirectory(uri);
    if (!options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    const text = Buffer.from(content).toString('utf8');
    const reason = this.saveReasons.get(uri.toString());
    this.saveReasons.delete(uri.toString());
    if (reason !== undefined && reason !== vscode.TextDocumentSaveReason.Manual && !this.deps.deployOnAutoSave()) {
      // Auto save would deploy every pause in typing to production (C1): the document stays dirty
      // until the user saves it themselves.
      this.deps.log.info('fs', `automatic save not deployed: ${ref.kind === 'group' ? 'a group document' : uri.path}`);
      this.failEmitter.fire({ uri, kind: 'autoSave', message: AUTO_SAVE_REFUSED, problems: [] });
      throw vscode.FileSystemError.Unavailable(`Not saved to PostHog (${uri.path.split('/').pop() ?? ref.kind}): ${AUTO_SAVE_REFUSED}`);
    }
    try {
      await this.handler(kind).write(env, ref as never, uri, text);
    } catch (e) {
      throw this.fail(uri, ref, e, text);
    }
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
          const fn = await this.load().handlers.functions.functionFor(env, ref, uri, false);
          // One file per function document kind.
          return FUNCTION_DOC_KINDS.map((kind) => [functionUri(env, fn, kind).path.split('/').pop() ?? kind, vscode.FileType.File]);
        }
        case 'groups':
          return (await this.deps.groups.groupTypes(env)).map((t) => [String(t.group_type_index), vscode.FileType.Directory]);
        case 'groupType': {
          await this.deps.groups.ensureFirstPage(env, ref.groupTypeIndex);
          // The same file name as groupUri: one URI per group (F9).
          return this.deps.groups
            .state(env, ref.groupTypeIndex)
            .groups.map((g) => [groupUri(env, g.group_type_index, g.group_key).path.split('/').pop() ?? '', vscode.FileType.File]);
        }
        default:
          throw vscode.FileSystemError.FileNotADirectory(uri);
      }
    } catch (e) {
      throw toFileSystemError(e, uri, 'Could not list', 'open');
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

  // ── for the save UI ─────────────────────────────────────────────────────────────────────────

  /**
   * The user chose "Overwrite" after a conflict: the remote version they were shown becomes the base,
   * then `text` is saved against exactly that version — a change made meanwhile by someone else is a
   * new conflict, never silently replaced (A1). Resolves to the failure, if any (already reported).
   */
  async overwrite(uri: vscode.Uri, text: string, conflict: Pick<SaveFailure, 'acceptRemote'>): Promise<SaveFailure | undefined> {
    await conflict.acceptRemote?.();
    // The user asked for this write: a save reason left over from an automatic save does not apply.
    this.saveReasons.delete(uri.toString());
    let failure: SaveFailure | undefined;
    const sub = this.onDidFailSave((f) => {
      if (f.uri.toString() === uri.toString()) failure = f;
    });
    try {
      await this.writeFile(uri, Buffer.from(text), { create: false, overwrite: true });
    } catch {
      // Reported through onDidFailSave.
    } finally {
      sub.dispose();
    }
    return failure;
  }

  /** The remote text of a document, fetched fresh (for Compare). */
  async remoteText(uri: vscode.Uri): Promise<string> {
    const { env, ref, kind } = this.document(uri);
    if (!kind) throw vscode.FileSystemError.FileIsADirectory(uri);
    return this.handler(kind).remote(env, ref as never, uri);
  }

  /**
   * Live problems of an open document's text (cached data only; undefined when unknown). Loads the
   * handlers if needed: a dirty document restored with the window is shown without being read.
   */
  validate(uri: vscode.Uri, text: string): Problem[] | undefined {
    try {
      const { env, ref, kind } = this.document(uri);
      return kind ? this.handler(kind).validate?.(env, ref as never, uri, text) : undefined;
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

  /** The type of the hog function whose code is at uri (from the cache), if it is one. */
  typeForCode(uri: vscode.Uri): string | undefined {
    try {
      const { env, ref } = this.resolve(uri);
      if (ref.kind !== 'code') return undefined;
      return (this.deps.store.cachedFull(env, ref.functionId) ?? this.deps.store.summary(env, ref.functionId))?.type ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** Environment and document of a `posthog:` URI (throws FileNotFound for anything else). */
  resolve(uri: vscode.Uri): { env: Environment; ref: DocRef } {
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

  /** Environment, document and — for a document rather than a folder — the kind of handler it needs. */
  private document(uri: vscode.Uri): { env: Environment; ref: DocRef; kind: HandledKind | undefined } {
    const { env, ref } = this.resolve(uri);
    return { env, ref, kind: isHandledKind(ref.kind) ? ref.kind : undefined };
  }

  private handler(kind: HandledKind): DocumentHandler<never> {
    return this.load().byKind[kind];
  }

  /** The documents bundle and its handlers, loaded at the first call (a broken install throws a sentence). */
  private load(): LoadedDocuments {
    if (this.loaded) return this.loaded;
    const started = performance.now();
    let documents: Documents;
    try {
      documents = loadChunk(this.deps.extensionPath, 'documents', isDocuments);
    } catch (e) {
      // Node's "Cannot find module" goes on with its require stack: the first line says it.
      throw new Error(`PostHog documents are unavailable: ${errorMessage(e).split('\n')[0] ?? ''} Reinstall the extension.`);
    }
    const handlers = documents.createDocumentHandlers(
      { ...this.deps, bases: this.bases },
      {
        functionSaved: (env, id, uri) => {
          this.saveEmitter.fire({ uri });
          this.fireOpenDocuments(env, id, uri);
        },
        groupChanged: (uri) => this.fireSoon({ type: vscode.FileChangeType.Changed, uri }),
        groupSaved: (uri) => this.saveEmitter.fire({ uri }),
      },
    );
    this.register(handlers.group);
    // One line per document kind.
    const byKind = { code: handlers.functions, inputs: handlers.functions, filters: handlers.functions, group: handlers.group };
    this.loaded = { documents, handlers, byKind };
    this.deps.log.info('fs', `documents bundle loaded in ${(performance.now() - started).toFixed(1)} ms`);
    return this.loaded;
  }

  private fail(uri: vscode.Uri, ref: DocRef, e: unknown, text: string): vscode.FileSystemError {
    const where = ref.kind === 'group' ? 'a group document' : uri.path;
    if (!this.loaded) {
      // The documents bundle did not load: nothing was sent, and that is the whole story.
      const message = errorMessage(e);
      this.deps.log.warn('fs', `save failed (unavailable) for ${where}: ${message}`);
      this.failEmitter.fire({ uri, kind: 'unavailable', message, problems: [] });
      return toFileSystemError(e, uri, `Not saved to PostHog (${uri.path.split('/').pop() ?? ref.kind})`, 'save');
    }
    const { failure, logged, error } = this.loaded.documents.describeSaveFailure(uri, ref, e, text);
    this.deps.log.warn('fs', `save failed (${failure.kind}) for ${where}: ${logged}`);
    this.failEmitter.fire(failure);
    return error;
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
}

/** The kinds of document that have a handler (a kind missing here, or one too many, does not compile). */
const HANDLED: Readonly<Record<HandledKind, true>> = { code: true, inputs: true, filters: true, group: true };

function isHandledKind(kind: DocRef['kind']): kind is HandledKind {
  return Object.hasOwn(HANDLED, kind);
}

function isDocuments(m: unknown): m is Documents {
  return exportsFunctions(m, ['createDocumentHandlers', 'describeSaveFailure']);
}

function describe(ref: DocRef): string {
  switch (ref.kind) {
    case 'code':
      return `the code of hog function ${ref.functionId}`;
    case 'inputs':
    case 'filters':
      return `the ${ref.kind} of hog function ${ref.functionId}`;
    case 'group':
      return 'the group';
    default:
      return 'the folder';
  }
}
