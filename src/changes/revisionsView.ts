/**
 * "PostHog Revisions" (Explorer, below Timeline): the revisions of the function whose code, inputs or
 * filters are in the active editor — newest first, with author and time, paged — and its staged draft.
 * Selecting a revision opens that revision's document against the current one; "Restore This Revision"
 * stages it as the draft. VS Code's own Timeline view would be the natural home, but its provider API is
 * still a proposal (vscode.proposed.timeline.d.ts) that Marketplace extensions cannot use.
 *
 * Loaded with the commands bundle when the first function document is shown (commands/index.ts).
 */
import * as vscode from 'vscode';
import type { Revision } from '../api/changes';
import { Commands, ContextKeys, Views } from '../constants';
import type { FunctionDocKind } from '../model/docPath';
import { environmentKey, type Environment } from '../model/environment';
import type { Services } from '../commands/services';
import { DraftService } from '../services/drafts';
import { errorMessage } from '../util/errorMessage';

const PAGE = 20;

/** What the view shows revisions of. */
interface Target {
  env: Environment;
  functionId: string;
  kind: FunctionDocKind;
}

export type RevisionsElement =
  | { type: 'revision'; env: Environment; functionId: string; kind: FunctionDocKind; version: number; revision: Revision; live: boolean }
  | { type: 'draft'; env: Environment; functionId: string; stagedAt: string }
  | { type: 'more'; env: Environment; functionId: string };

export class RevisionsView implements vscode.TreeDataProvider<RevisionsElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RevisionsElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<RevisionsElement>;
  private readonly subscriptions: { dispose(): unknown }[];
  private target: Target | undefined;
  /** Loaded revisions of the target (pages appended), and whether PostHog has more. */
  private loaded: { key: string; items: Revision[]; more: boolean } | undefined;
  private readonly drafts: DraftService;

  constructor(private readonly s: Services) {
    this.drafts = new DraftService(s.clients, s.store, s.log);
    this.view = vscode.window.createTreeView(Views.revisions, { treeDataProvider: this });
    this.subscriptions = [
      this.view,
      this.changed,
      vscode.window.onDidChangeActiveTextEditor((e) => {
        this.follow(e?.document.uri);
      }),
      s.store.onDidChangeFunction(({ env, id }) => {
        if (this.target && environmentKey(env) === environmentKey(this.target.env) && id === this.target.functionId) this.refresh();
      }),
      s.store.onDidChangeList(() => {
        // A draft staged or closed shows in the list (draft_updated_at): redraw the draft row.
        if (this.target) this.changed.fire(undefined);
      }),
    ];
    this.follow(vscode.window.activeTextEditor?.document.uri);
    void vscode.commands.executeCommand('setContext', ContextKeys.documentFeatures, true);
  }

  /** Follows the active editor while it shows a function document; other editors leave the view as it is. */
  private follow(uri: vscode.Uri | undefined): void {
    if (!uri) return;
    let next: Target | undefined;
    try {
      const { env, ref } = this.s.fs.resolve(uri);
      if (ref.kind === 'code' || ref.kind === 'inputs' || ref.kind === 'filters') next = { env, functionId: ref.functionId, kind: ref.kind };
    } catch {
      return;
    }
    if (!next) return;
    const same = this.target && environmentKey(this.target.env) === environmentKey(next.env) && this.target.functionId === next.functionId;
    const sameKind = same && this.target?.kind === next.kind;
    this.target = next;
    if (!same) this.loaded = undefined;
    const fn = this.s.store.summary(next.env, next.functionId);
    this.view.description = fn?.name ?? undefined;
    // Back to the document already shown (a tab clicked again): nothing to redraw — a redraw under the
    // pointer would turn a click on a row's inline action into one on a row being replaced.
    if (!sameKind) this.changed.fire(undefined);
  }

  refresh(): void {
    this.loaded = undefined;
    this.changed.fire(undefined);
  }

  async loadMore(): Promise<void> {
    const t = this.target;
    const loaded = this.loaded;
    if (!t || !loaded) return;
    const page = await this.drafts.revisions(t.env, t.functionId, loaded.items.length, PAGE);
    if (this.loaded !== loaded) return;
    this.loaded = { key: loaded.key, items: [...loaded.items, ...page.items.filter((r) => !loaded.items.some((x) => x.version === r.version))], more: page.more };
    this.changed.fire(undefined);
  }

  getTreeItem(e: RevisionsElement): vscode.TreeItem {
    const item = this.treeItem(e);
    // Stable ids: a row keeps its identity across redraws (a store event, a new page), so an inline
    // action clicked while the view redraws still reaches the row it was clicked on.
    const base = `${environmentKey(e.env)}/${e.functionId}`;
    item.id = e.type === 'revision' ? `${base}/${e.kind}/v${e.version}` : `${base}/${e.type}`;
    return item;
  }

  private treeItem(e: RevisionsElement): vscode.TreeItem {
    if (e.type === 'more') {
      const item = new vscode.TreeItem('Load older revisions…');
      item.command = { command: Commands.loadMoreRevisions, title: 'Load older revisions' };
      return item;
    }
    if (e.type === 'draft') {
      const item = new vscode.TreeItem('Draft', vscode.TreeItemCollapsibleState.None);
      item.description = `staged ${formatTime(e.stagedAt)} · not live`;
      item.iconPath = new vscode.ThemeIcon('edit');
      item.tooltip = 'Configuration staged for review: Review, Publish or Discard it.';
      item.contextValue = 'draft';
      item.command = { command: Commands.reviewDraft, title: 'Review Draft', arguments: [{ env: e.env, functionId: e.functionId }] };
      return item;
    }
    const r = e.revision;
    const author = r.created_by ? [r.created_by.first_name, r.created_by.last_name].filter(Boolean).join(' ') || r.created_by.email || 'someone' : 'before revisions were recorded';
    const item = new vscode.TreeItem(`Version ${r.version}`, vscode.TreeItemCollapsibleState.None);
    item.description = `${e.live ? 'live · ' : ''}${author} · ${formatTime(r.created_at)}`;
    item.tooltip = new vscode.MarkdownString(
      `**Version ${r.version}**${e.live ? ' (live)' : ''}\n\n${author}, ${new Date(r.created_at).toLocaleString()}\n\nClick to compare with the current ${e.kind}.`,
    );
    item.iconPath = new vscode.ThemeIcon(e.live ? 'pass-filled' : 'history');
    item.contextValue = 'revision';
    item.command = { command: Commands.compareRevision, title: 'Compare with Current', arguments: [e] };
    return item;
  }

  async getChildren(element?: RevisionsElement): Promise<RevisionsElement[]> {
    if (element) return [];
    const t = this.target;
    if (!t) {
      this.view.message = "Open a hog function's code, inputs or filters to see its revisions.";
      return [];
    }
    const key = `${environmentKey(t.env)}/${t.functionId}`;
    try {
      if (this.loaded?.key !== key) {
        const page = await this.drafts.revisions(t.env, t.functionId, 0, PAGE);
        if (this.target !== t) return [];
        this.loaded = { key, items: page.items, more: page.more };
      }
    } catch (e) {
      this.view.message = `Revisions unavailable: ${errorMessage(e)}`;
      return [];
    }
    const fn = this.s.store.summary(t.env, t.functionId);
    const full = this.s.store.cachedFull(t.env, t.functionId);
    const liveVersion = full?.version ?? this.loaded.items[0]?.version;
    const out: RevisionsElement[] = [];
    if (fn?.draft_updated_at) out.push({ type: 'draft', env: t.env, functionId: t.functionId, stagedAt: fn.draft_updated_at });
    for (const revision of this.loaded.items) {
      out.push({ type: 'revision', env: t.env, functionId: t.functionId, kind: t.kind, version: revision.version, revision, live: revision.version === liveVersion });
    }
    if (this.loaded.more) out.push({ type: 'more', env: t.env, functionId: t.functionId });
    this.view.message = this.loaded.items.length === 0 ? 'No revisions yet: PostHog records one for every change of the live configuration.' : undefined;
    return out;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

/** "3 min ago", "yesterday", else the date. */
function formatTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const minutes = Math.round((Date.now() - t) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 30) return `${days} days ago`;
  return new Date(t).toLocaleDateString();
}
