import * as vscode from 'vscode';
import type { HogFunction } from '../../api/schemas';
import type { DocRef, FunctionDocKind } from '../../model/docPath';
import type { Environment } from '../../model/environment';
import { functionDocuments, type FunctionDocumentSpec } from '../../model/functionDocuments';
import type { Problem } from '../../model/inputsDocument';
import { isWriteConflict } from '../../model/writeErrors';
import { DocumentConflictError, InvalidDocumentError, type DocumentDeps, type DocumentHandler } from './types';
import { errorMessage } from '../../util/errorMessage';

export type FunctionRef = Extract<DocRef, { kind: FunctionDocKind }>;

/**
 * readFile reuses the function fetched by the `stat` VS Code issues just before it (once, and only
 * within this window, generous because a busy extension host can be slow between the two calls).
 * Content is never older than what the store knows: a newer remote version drops the cache.
 */
const FRESH_MS = 30_000;

/**
 * The documents of one hog function field (code, inputs, filters): the kind's spec (model/
 * functionDocuments.ts) does the text; this does the I/O. Saving PATCHes only this field through the
 * store, against the version the document was read at (`base_updated_at`).
 */
export class FunctionDocumentHandler implements DocumentHandler<FunctionRef> {
  private readonly fetchedAt = new Map<string, number>();

  constructor(
    private readonly deps: DocumentDeps,
    /** Tells the provider a save went through (it updates sibling documents and diagnostics). */
    private readonly onSaved: (env: Environment, functionId: string, uri: vscode.Uri) => void,
  ) {}

  title(ref: FunctionRef): string {
    return functionDocuments[ref.kind].title;
  }

  async stat(env: Environment, ref: FunctionRef, uri: vscode.Uri): Promise<Omit<vscode.FileStat, 'type'>> {
    const fn = await this.functionFor(env, ref, uri, false);
    const text = this.serialize(functionDocuments[ref.kind], fn, uri);
    const known = this.deps.store.knownUpdatedAt(env, ref.functionId) ?? fn.updated_at;
    return {
      ctime: fn.created_at ? Date.parse(fn.created_at) || 0 : 0,
      mtime: Date.parse(known) || 0,
      size: Buffer.byteLength(text),
      permissions: (await this.deps.clients.canWrite(env.host, 'hog_function')) ? undefined : vscode.FilePermission.Readonly,
    };
  }

  async read(env: Environment, ref: FunctionRef, uri: vscode.Uri): Promise<string> {
    const spec = functionDocuments[ref.kind];
    const fn = await this.functionFor(env, ref, uri, true);
    const text = this.serialize(spec, fn, uri);
    // A read while the editor holds unsaved edits (Compare with Saved, search, other extensions) must
    // not move the conflict base: the edits were made against the version read before.
    if (!isDirty(uri)) await this.deps.bases.propose(uri, text, () => this.deps.bases.setFunctionBase(uri, fn.updated_at, text));
    return text;
  }

  async write(env: Environment, ref: FunctionRef, uri: vscode.Uri, text: string): Promise<void> {
    const spec = functionDocuments[ref.kind];
    const { bases, store, log } = this.deps;
    const base = bases.version(uri);
    const baseText = bases.text(uri);
    const mine = spec.canonical(text);
    if (base !== undefined && baseText !== undefined && spec.canonical(baseText) === mine) {
      // Ctrl+S on text equal to the version read: nothing to deploy, no request, the document turns clean.
      log.info('fs', `nothing to save in ${ref.kind} of ${ref.functionId} (${env.name}): same as the version read`);
      return;
    }
    const current = await this.functionFor(env, ref, uri, false);
    const { patch, problems } = spec.parse(text, current);
    if (!patch) throw InvalidDocumentError.from(problems, `${spec.title} cannot be saved as they are.`);
    const remoteOf = (fn: HogFunction): string => spec.canonical(spec.serialize(fn));
    let saved: HogFunction;
    try {
      saved = await store.update(env, ref.functionId, {
        what: `save ${ref.kind}`,
        patch,
        base,
        // The newer version came from another field (or a background re-save) when this field still
        // reads as the base text: then sending it again overwrites nobody.
        unchangedSinceBase: (remote) => baseText !== undefined && remoteOf(remote) === spec.canonical(baseText),
        alreadyApplied: (remote) => remoteOf(remote) === mine,
      });
    } catch (e) {
      if (!isWriteConflict(e)) throw e;
      const remote = e.remote as HogFunction;
      const remoteText = spec.serialize(remote);
      throw new DocumentConflictError(e.message, remoteText, () => bases.setFunctionBase(uri, remote.updated_at, remoteText));
    }
    // The base is what PostHog stored (it trims code, reorders keys): the next save compares with that (E2).
    await bases.setFunctionBase(uri, saved.updated_at, spec.serialize(saved));
    this.fetchedAt.set(uri.toString(), Date.now());
    this.onSaved(env, ref.functionId, uri);
  }

  async remote(env: Environment, ref: FunctionRef): Promise<string> {
    return functionDocuments[ref.kind].serialize(await this.deps.store.fetch(env, ref.functionId));
  }

  validate(env: Environment, ref: FunctionRef, _uri: vscode.Uri, text: string): Problem[] | undefined {
    if (ref.kind !== 'inputs') return undefined;
    const fn = this.deps.store.cachedFull(env, ref.functionId);
    return fn ? functionDocuments.inputs.parse(text, fn).problems : undefined;
  }

  /** The function of a document: cached for stat; for readFile fetched unless a stat just did. */
  async functionFor(env: Environment, ref: { functionId: string }, uri: vscode.Uri, forRead: boolean): Promise<HogFunction> {
    const key = uri.toString();
    const cached = this.deps.store.cachedFull(env, ref.functionId);
    const fetchedAt = this.fetchedAt.get(key);
    if (cached && !forRead) return cached;
    if (cached && fetchedAt !== undefined && Date.now() - fetchedAt < FRESH_MS) {
      this.fetchedAt.delete(key);
      return cached;
    }
    const fn = await this.deps.store.fetch(env, ref.functionId);
    if (forRead) this.fetchedAt.delete(key);
    else this.fetchedAt.set(key, Date.now());
    return fn;
  }

  private serialize(spec: FunctionDocumentSpec, fn: HogFunction, uri: vscode.Uri): string {
    try {
      return spec.serialize(fn);
    } catch (e) {
      throw vscode.FileSystemError.Unavailable(`${uri.path.split('/').pop() ?? spec.kind}: ${errorMessage(e)}`);
    }
  }
}

export function isDirty(uri: vscode.Uri): boolean {
  return vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.toString() === uri.toString());
}
