import * as vscode from 'vscode';
import type { Group } from '../../api/schemas';
import type { DocRef } from '../../model/docPath';
import type { Environment } from '../../model/environment';
import { parseGroupDocument, serializeGroup } from '../../model/groupDocument';
import { diffProperties, type PropertyOp } from '../../model/groupSave';
import { setOwn, withoutKey, type JsonObject } from '../../model/json';
import { isPartialWrite, isWriteConflict } from '../../model/writeErrors';
import { groupUri, sameDocument } from '../uri';
import { isDirty } from './functionDocument';
import { DocumentConflictError, InvalidDocumentError, type DocumentDeps, type DocumentHandler } from './types';

export type GroupDocRef = Extract<DocRef, { kind: 'group' }>;

const FRESH_MS = 30_000;

/**
 * A group's properties as a JSON document. Groups have no `updated_at`: the base is the properties
 * the document was read as, and a save sends one request per key the user changed (the store plans
 * them and refuses to overwrite keys someone else changed).
 */
export class GroupDocumentHandler implements DocumentHandler<GroupDocRef>, vscode.Disposable {
  private readonly docs = new Map<string, { group: Group; mtime: number }>();
  private readonly fetchedAt = new Map<string, number>();
  private readonly saving = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly deps: DocumentDeps,
    /** Tells VS Code that an open group document changed remotely (it re-reads clean ones). */
    private readonly fireChanged: (uri: vscode.Uri) => void,
    private readonly onSaved: (uri: vscode.Uri) => void,
  ) {
    this.subscription = deps.groups.onDidChangeGroup(({ env, group }) => {
      const uri = groupUri(env, group.group_type_index, group.group_key);
      for (const doc of vscode.workspace.textDocuments) {
        if (!sameDocument(doc.uri, uri)) continue;
        if (this.saving.has(doc.uri.toString())) continue; // its own save: the editor holds the text
        this.note(doc.uri, group);
        this.fetchedAt.delete(doc.uri.toString());
        this.fireChanged(doc.uri);
      }
    });
  }

  title(): string {
    return 'group';
  }

  dispose(): void {
    this.subscription.dispose();
  }

  async stat(env: Environment, ref: GroupDocRef, uri: vscode.Uri): Promise<Omit<vscode.FileStat, 'type'>> {
    const doc = await this.groupFor(env, ref, uri, false);
    return {
      ctime: doc.group.created_at ? Date.parse(doc.group.created_at) || 0 : 0,
      mtime: doc.mtime,
      size: Buffer.byteLength(serializeGroup(doc.group.group_properties)),
      permissions: (await this.deps.clients.canWrite(env.host, 'group')) ? undefined : vscode.FilePermission.Readonly,
    };
  }

  async read(env: Environment, ref: GroupDocRef, uri: vscode.Uri): Promise<string> {
    const { group } = await this.groupFor(env, ref, uri, true);
    const text = serializeGroup(group.group_properties);
    if (!isDirty(uri)) await this.deps.bases.propose(uri, text, () => this.deps.bases.setGroupBase(uri, group.group_properties));
    return text;
  }

  async write(env: Environment, ref: GroupDocRef, uri: vscode.Uri, text: string): Promise<void> {
    const { bases, groups, log } = this.deps;
    const parsed = parseGroupDocument(text);
    if (!parsed.properties) throw InvalidDocumentError.from(parsed.problems, 'invalid JSON');
    const wanted = parsed.properties;
    const base = bases.group(uri);
    if (base !== undefined && diffProperties(base, wanted).length === 0) {
      // Ctrl+S on the properties as read: no request, the document turns clean.
      log.info('fs', 'nothing to save in a group document: same as the version read');
      return;
    }
    const key = uri.toString();
    this.saving.add(key);
    try {
      const { group, ops } = await groups.saveProperties(env, { group_type_index: ref.groupTypeIndex, group_key: ref.groupKey }, base, wanted, false);
      await bases.setGroupBase(uri, wanted);
      this.note(uri, group);
      this.fetchedAt.set(key, Date.now());
      log.info('fs', `saved a group document (${ops.length} change${ops.length === 1 ? '' : 's'})`);
      this.onSaved(uri);
    } catch (e) {
      if (isWriteConflict(e)) {
        const remote = (e.remote as Group).group_properties;
        throw new DocumentConflictError(e.message, serializeGroup(remote), () => bases.setGroupBase(uri, remote));
      }
      if (isPartialWrite(e)) {
        // The applied part is the new base, so the next save sends only the rest.
        await bases.setGroupBase(uri, applyOps(base ?? {}, e.applied as readonly PropertyOp[]));
        const state = e.state as Group | undefined;
        if (state) this.note(uri, state, true);
      }
      throw e;
    } finally {
      this.saving.delete(key);
    }
  }

  async remote(env: Environment, ref: GroupDocRef): Promise<string> {
    return serializeGroup((await this.deps.groups.find(env, { group_type_index: ref.groupTypeIndex, group_key: ref.groupKey })).group_properties);
  }

  private async groupFor(env: Environment, ref: GroupDocRef, uri: vscode.Uri, forRead: boolean): Promise<{ group: Group; mtime: number }> {
    const key = uri.toString();
    const cached = this.docs.get(key);
    if (cached && (!forRead || Date.now() - (this.fetchedAt.get(key) ?? 0) < FRESH_MS)) return cached;
    const group = await this.deps.groups.find(env, { group_type_index: ref.groupTypeIndex, group_key: ref.groupKey });
    this.fetchedAt.set(key, Date.now());
    return this.note(uri, group);
  }

  /**
   * Remembers a group's state. `keepMtime` after a partly applied save: the editor still holds the
   * user's full text, so the mtime VS Code knows must stay valid for the retry.
   */
  private note(uri: vscode.Uri, group: Group, keepMtime = false): { group: Group; mtime: number } {
    const key = uri.toString();
    const cached = this.docs.get(key);
    const same = cached && (keepMtime || serializeGroup(cached.group.group_properties) === serializeGroup(group.group_properties));
    const doc = { group, mtime: same ? cached.mtime : Math.max(Date.now(), (cached?.mtime ?? 0) + 1) };
    this.docs.set(key, doc);
    return doc;
  }
}

function applyOps(base: JsonObject, ops: readonly PropertyOp[]): JsonObject {
  let next = base;
  for (const op of ops) {
    next = withoutKey(next, op.key);
    if (op.kind === 'set') setOwn(next, op.key, op.value);
  }
  return next;
}
