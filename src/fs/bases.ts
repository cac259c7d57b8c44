import * as vscode from 'vscode';
import { StorageKeys } from '../constants';
import { isJsonObject, parseJson, stringifyJson, type JsonObject } from '../model/json';
import { compareTimestamps } from '../model/timestamps';
import { Disposable } from '../util/disposable';

/**
 * What each open document was read (or last saved) as — the base its edits are made against:
 * a function document's `updated_at` and text, a group document's properties. Versions and group
 * properties persist in workspace state, so a window reload keeps conflict detection for restored
 * (possibly dirty) editors; texts live in memory.
 *
 * A base is forgotten only when no tab shows its document any more: VS Code also "closes" a document
 * when its language mode changes, and forgetting then would turn the next save blind (A3).
 */
export class DocumentBases extends Disposable {
  private readonly texts = new Map<string, string>();
  private readonly groups = new Map<string, JsonObject>();
  /** Bases read for an open document, waiting for the editor to show exactly that text (A4). */
  private readonly proposed = new Map<string, { text: string; commit: () => Promise<void> }>();

  constructor(private readonly state: vscode.Memento) {
    super();
    this.register(vscode.workspace.onDidCloseTextDocument((d) => void this.forgetUnlessShown(d.uri).catch(() => undefined)));
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        // Runs on every keystroke in every editor: a map lookup first, the text only for a pending base.
        if (this.proposed.size === 0) return;
        const key = e.document.uri.toString();
        const p = this.proposed.get(key);
        if (!p) return;
        if (e.document.getText() !== p.text) return;
        this.proposed.delete(key);
        void p.commit().catch(() => undefined);
      }),
    );
  }

  /**
   * A read of `uri` returned `text` at a new base. A document not open yet takes it now. An open (clean)
   * one takes it only once the editor shows exactly this text: if the user typed first, VS Code keeps
   * their text, and their edits were made against the previous base, which therefore stays.
   */
  async propose(uri: vscode.Uri, text: string, commit: () => Promise<void>): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!open || open.getText() === text) {
      this.proposed.delete(uri.toString());
      await commit();
      return;
    }
    this.proposed.set(uri.toString(), { text, commit });
  }

  version(uri: vscode.Uri): string | undefined {
    const v = this.stored(StorageKeys.readBases)[uri.toString()];
    return typeof v === 'string' ? v : undefined;
  }

  text(uri: vscode.Uri): string | undefined {
    return this.texts.get(uri.toString());
  }

  async setFunctionBase(uri: vscode.Uri, updatedAt: string, text: string): Promise<void> {
    this.texts.set(uri.toString(), text);
    const stored = this.stored(StorageKeys.readBases);
    const previous = stored[uri.toString()];
    if (typeof previous === 'string' && compareTimestamps(previous, updatedAt) === 0) return;
    await this.state.update(StorageKeys.readBases, { ...stored, [uri.toString()]: updatedAt });
  }

  group(uri: vscode.Uri): JsonObject | undefined {
    const inMemory = this.groups.get(uri.toString());
    if (inMemory) return inMemory;
    const stored = this.stored(StorageKeys.groupBases)[uri.toString()];
    if (typeof stored !== 'string') return undefined; // older formats are not trusted: no base
    try {
      const value = parseJson(stored);
      return isJsonObject(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  async setGroupBase(uri: vscode.Uri, properties: JsonObject): Promise<void> {
    this.groups.set(uri.toString(), properties);
    // Stored as text: big numbers keep their digits, "__proto__" stays a key.
    await this.state.update(StorageKeys.groupBases, { ...this.stored(StorageKeys.groupBases), [uri.toString()]: stringifyJson(properties) });
  }

  private async forgetUnlessShown(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const shown = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => tabShows(t, key)));
    if (shown) return;
    this.proposed.delete(key);
    this.texts.delete(key);
    this.groups.delete(key);
    for (const storageKey of [StorageKeys.readBases, StorageKeys.groupBases]) {
      const stored = this.stored(storageKey);
      if (Object.hasOwn(stored, key)) await this.state.update(storageKey, Object.fromEntries(Object.entries(stored).filter(([k]) => k !== key)));
    }
  }

  private stored(storageKey: string): Record<string, unknown> {
    const v = this.state.get<unknown>(storageKey);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  }
}

function tabShows(tab: vscode.Tab, key: string): boolean {
  const input = tab.input;
  if (input instanceof vscode.TabInputText) return input.uri.toString() === key;
  if (input instanceof vscode.TabInputTextDiff) return input.modified.toString() === key || input.original.toString() === key;
  return false;
}
