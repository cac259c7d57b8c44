import * as vscode from 'vscode';
import { stringifyJson } from '../model/json';
import { isPostHogError } from '../api/errors';
import type { HogFunctionSummary } from '../api/schemas';
import { Commands, ContextKeys, Views } from '../constants';
import { hostLabel, type Environment } from '../model/environment';
import { typeInfo } from '../model/hogFunctionTypes';
import { functionContextValue, functionDescription, functionIconKind, functionLabel, groupByType, groupLabel, groupTypeLabel, sortGroupTypes, userLabel } from '../model/treeModel';
import { functionUri } from '../fs/uri';
import type { EnvironmentRegistry } from '../services/environments';
import type { FunctionMetrics } from '../services/functionMetrics';
import type { GroupStore } from '../services/groupStore';
import { describeMetrics } from '../model/metrics';
import type { FunctionFilter, HogFunctionStore } from '../services/hogFunctionStore';
import { Disposable } from '../util/disposable';
import type { Log } from '../util/log';
import { ids, type Node, type NodeOf } from './nodes';
import { RefreshQueue } from './refreshQueue';
import { errorMessage } from '../util/errorMessage';
import { inOwnTurn, NextTurnBatch } from '../util/turns';

export interface ExplorerDeps {
  registry: EnvironmentRegistry;
  store: HogFunctionStore;
  groups: GroupStore;
  log: Log;
  /** Metrics for the tooltips (fetched on hover); none: no metrics row. */
  metrics?: FunctionMetrics;
}

/**
 * The PostHog view: environments → Hog functions (type folders → functions → documents) and Groups
 * (group types → paged groups). Lazy: nothing is fetched until a node is expanded, and one list pass
 * feeds every type folder. Failures render as error nodes with a Retry action, not only as toasts.
 */
export class ExplorerProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly changed = this.register(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;
  /** Node objects by id, as handed to VS Code: one object per id for the life of the view. */
  private readonly nodes = new Map<string, Node>();
  /** Every change event goes through here: coalesced, merged upwards, never overlapping a fetch. */
  private readonly refreshes: RefreshQueue<Node>;
  /** What each node's item looked like when VS Code last asked for it (see RefreshQueue.itemUnchanged). */
  private readonly rendered = new Map<string, string>();
  /** The ids of the children VS Code last got for each node ('' = the roots). */
  private readonly childIds = new Map<string, readonly string[]>();
  /**
   * Environments whose function list changed since the last comparison with what is drawn. A refresh
   * that brings N changed functions fires N function changes and one list change: the list is compared
   * once for all of them, in the turn after the store's events (that refresh already fills its own).
   */
  private readonly changedLists = new NextTurnBatch<Environment>((envs) => {
    for (const env of envs) this.onListChanged(env);
  });
  /** By "functions" node id: the failed load whose error row is drawn there (it needs no redraw). */
  private readonly shownListErrors = new Map<string, unknown>();
  /** "functions" node ids a Refresh redraws: VS Code asks for their children again, reading the new state. */
  private readonly reloading = new Set<string>();

  constructor(private readonly deps: ExplorerDeps) {
    super();
    this.refreshes = new RefreshQueue<Node>({
      emit: (node) => {
        this.deps.log.trace('tree', `refresh ${node?.id ?? 'everything'}`);
        this.changed.fire(node);
      },
      known: (id) => this.nodes.get(id),
      itemUnchanged: (node) => this.rendered.get(node.id) === signature(this.renderItem(node)),
    });
    this.register({ dispose: () => this.refreshes.dispose() });
    this.register(this.changedLists);
    this.view = this.register(vscode.window.createTreeView(Views.explorer, { treeDataProvider: this, showCollapseAll: true }));
    this.register(deps.registry.onDidChange(() => this.refresh()));
    this.register(
      deps.store.onDidChangeFilter((f) => {
        this.showFilter(f);
        // Only the function lists change: the groups stay as drawn.
        for (const env of deps.registry.list()) this.refreshId(ids.functions(env));
      }),
    );
    this.register(deps.store.onDidChangeList((env) => this.changedLists.add(ids.functions(env), env)));
    this.register(deps.store.onDidChangeFunction(({ env }) => this.changedLists.add(ids.functions(env), env)));
    this.register(deps.groups.onDidChange(({ env, groupTypeIndex }) => this.refreshId(groupTypeIndex === undefined ? ids.groups(env) : ids.groupType(env, groupTypeIndex))));
    // Nothing is drawn yet: the filter is only shown (a refresh now would race VS Code's first fetch).
    this.showFilter(deps.store.filter);
  }

  /**
   * Re-renders a node (or everything). Data is re-fetched only where caches were invalidated;
   * `afterInvalidate` says they just were (a Retry): see RefreshQueue.request.
   */
  refresh(node?: Node, options?: { afterInvalidate?: boolean }): void {
    this.refreshes.request(node, options);
  }

  /** Drops caches and reloads: the view title's and the environment's Refresh. */
  reload(env?: Environment): void {
    this.deps.store.invalidate(env);
    this.deps.groups.invalidate(env);
    // Shown function lists are fetched again at once: waiting for VS Code to ask for the redrawn
    // folders would add a round trip through the window before the first request. The redraw joins
    // these loads; a failure shows there as an error row.
    for (const shown of env ? [env] : this.deps.registry.list()) {
      if (!this.childIds.has(ids.functions(shown))) continue;
      this.reloading.add(ids.functions(shown));
      this.deps.store.load(shown).catch(() => undefined);
    }
    if (env) this.refreshId(ids.environment(env), { afterInvalidate: true });
    else this.refresh(undefined, { afterInvalidate: true });
  }

  /** A refresh of the node with this id, if VS Code was ever given it (else there is nothing to redraw). */
  private refreshId(id: string, options?: { afterInvalidate?: boolean }): void {
    const node = this.nodes.get(id);
    if (node) this.refreshes.request(node, options);
  }

  /**
   * Redraws what a change of the function list changed, and only that: the rows of functions whose
   * item changed (a save, a rename, an enable), a folder whose count or rows changed, or the whole list
   * when folders came or went. Redrawing a node makes VS Code drop and re-ask everything below it —
   * with 10,000 functions a save would rebuild every row, and a row VS Code is expanding at that
   * moment fails with "No tree item with id …".
   */
  private onListChanged(env: Environment): void {
    const functions = this.nodes.get(ids.functions(env));
    if (functions?.kind !== 'functions') return;
    const state = this.deps.store.listState(env);
    // A failure VS Code drew already (its fetch awaited the same load), or is about to draw (a Refresh's
    // redraw): one more redraw would replace the error row under the pointer of a user clicking Retry.
    if (state.status === 'error' && (this.shownListErrors.get(functions.id) === state.error || this.reloading.has(functions.id))) return;
    const shownFolders = this.childIds.get(functions.id);
    if (state.status !== 'loaded' || !shownFolders) return this.refresh(functions);
    const folders = groupByType(state.items, this.drawnFolders(shownFolders)).map((folder) => ({ ...folder, id: ids.type(env, folder.info.type) }));
    if (!sameIds(shownFolders, folders)) return this.refresh(functions);
    for (const folder of folders) {
      const node = this.nodes.get(folder.id);
      if (node?.kind !== 'type') return this.refresh(functions);
      node.items = folder.items;
      const rows = folder.items.map((fn) => ({ id: ids.fn(env, fn.id), fn }));
      const shownRows = this.childIds.get(node.id);
      if (!this.itemUnchanged(node) || (shownRows && !sameIds(shownRows, rows))) {
        this.refresh(node);
        continue;
      }
      for (const row of shownRows ? rows : []) {
        const fnNode = this.nodes.get(row.id);
        if (fnNode?.kind !== 'function' || fnNode.fn === row.fn) continue;
        fnNode.fn = row.fn;
        // Its documents' file names follow the function's name.
        let changed = !this.itemUnchanged(fnNode);
        for (const docId of this.childIds.get(fnNode.id) ?? []) {
          const doc = this.nodes.get(docId);
          if (doc?.kind !== 'functionDoc') continue;
          doc.fn = row.fn;
          changed ||= !this.itemUnchanged(doc);
        }
        if (changed) this.refresh(fnNode);
      }
    }
  }

  /** True when VS Code last drew this node's item as it would be drawn now (or never drew it). */
  private itemUnchanged(node: Node): boolean {
    const rendered = this.rendered.get(node.id);
    return rendered === undefined || rendered === signature(this.renderItem(node));
  }

  /**
   * Tooltips are built on hover only: with 10,000 functions, building them up front is slow. The metrics
   * row (last 24 h vs the 24 h before) is fetched then, at most once a minute per function.
   */
  async resolveTreeItem(item: vscode.TreeItem, node: Node, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind !== 'function') return item;
    let metrics = '';
    if (this.deps.metrics) {
      try {
        const summary = await this.deps.metrics.get(node.env, node.fn.id);
        metrics = `| Last 24 h | ${escape(describeMetrics(summary))} |\n`;
      } catch (e) {
        metrics = `| Last 24 h | metrics unavailable: ${escape(errorMessage(e))} |\n`;
      }
    }
    if (token.isCancellationRequested) return item;
    const fn = node.fn;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escape(functionLabel(fn))}**${fn.description ? `\n\n${escape(fn.description)}` : ''}\n\n`);
    md.appendMarkdown(`| | |\n|---|---|\n| ID | \`${fn.id}\` |\n| Type | ${typeInfo(fn.type).singular} |\n| Status | ${functionDescription(fn)} |\n`);
    if (fn.template?.id) md.appendMarkdown(`| Template | ${escape(fn.template.name ?? fn.template.id)} |\n`);
    md.appendMarkdown(`| Updated | ${formatDate(fn.updated_at)} |\n`);
    if (fn.draft_updated_at) md.appendMarkdown(`| Draft | staged ${formatDate(fn.draft_updated_at)}: the documents show the live version; Review Draft to compare |\n`);
    const by = userLabel(fn.created_by);
    if (by) md.appendMarkdown(`| Created by | ${escape(by)} |\n`);
    if (metrics) md.appendMarkdown(metrics);
    item.tooltip = md;
    return item;
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const item = this.renderItem(node);
    this.rendered.set(node.id, signature(item));
    return item;
  }

  private renderItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'environment': {
        const item = new vscode.TreeItem(node.env.name, vscode.TreeItemCollapsibleState.Expanded);
        item.description = hostLabel(node.env.host);
        item.tooltip = new vscode.MarkdownString(
          `**${escape(node.env.name)}**\n\nProject ${node.env.projectId} on ${hostLabel(node.env.host)}${node.env.organizationName ? `\n\nOrganization: ${escape(node.env.organizationName)}` : ''}`,
        );
        item.iconPath = new vscode.ThemeIcon('server-environment');
        item.contextValue = 'environment';
        return withId(item, node);
      }
      case 'functions': {
        // No count or "loading…" here: the item would change when the list arrives, and redrawing this
        // node then makes VS Code drop the type folders it is expanding. The folders carry the counts;
        // the view's progress bar shows the load.
        const item = new vscode.TreeItem('Hog functions', vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('symbol-function');
        item.contextValue = 'hogFunctions';
        return withId(item, node);
      }
      case 'type': {
        const item = new vscode.TreeItem(node.info.label, vscode.TreeItemCollapsibleState.Collapsed);
        const enabled = node.items.filter((f) => f.enabled).length;
        item.description = `${node.items.length}${enabled !== node.items.length ? ` · ${enabled} enabled` : ''}`;
        item.iconPath = new vscode.ThemeIcon(node.info.icon);
        item.contextValue = `hogFunctionType:${node.info.type}`;
        return withId(item, node);
      }
      case 'function': {
        const fn = node.fn;
        const item = new vscode.TreeItem(functionLabel(fn), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = functionDescription(fn);
        item.iconPath = functionIcon(functionIconKind(fn));
        item.contextValue = functionContextValue(fn);
        item.command = { command: Commands.openCode, title: 'Open Hog Code', arguments: [node] };
        return withId(item, node);
      }
      case 'functionDoc': {
        const uri = functionUri(node.env, node.fn, node.doc);
        const label =
          node.doc === 'code' ? (typeInfo(node.fn.type).codeLanguage === 'typescript' ? 'Code (TypeScript)' : 'Hog code') : node.doc === 'inputs' ? 'Inputs' : 'Filters';
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.resourceUri = uri;
        item.iconPath = new vscode.ThemeIcon(node.doc === 'code' ? 'code' : 'json');
        item.contextValue = `hogFunctionDoc:${node.doc}`;
        item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { preview: false }] };
        item.tooltip = uri.path;
        return withId(item, node);
      }
      case 'groups': {
        const item = new vscode.TreeItem('Groups', vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon('organization');
        item.contextValue = 'groups';
        return withId(item, node);
      }
      case 'groupType': {
        const state = this.deps.groups.state(node.env, node.groupType.group_type_index);
        const item = new vscode.TreeItem(groupTypeLabel(node.groupType), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = state.search ? `search: "${state.search}"` : undefined;
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.contextValue = state.search ? 'groupType:searching' : 'groupType';
        return withId(item, node);
      }
      case 'group': {
        const item = new vscode.TreeItem(groupLabel(node.group), vscode.TreeItemCollapsibleState.None);
        item.description = groupLabel(node.group) === node.group.group_key ? undefined : node.group.group_key;
        item.iconPath = new vscode.ThemeIcon('symbol-object');
        item.contextValue = 'group';
        const props = Object.entries(node.group.group_properties).slice(0, 12);
        // Keys and values come from event ingestion: escaped like everything else, never raw in a code span (F11).
        item.tooltip = new vscode.MarkdownString(
          `**${escape(groupLabel(node.group))}** (${escape(node.group.group_key)})\n\n${props.map(([k, v]) => `- ${escape(k)}: ${escape(stringifyJson(v))}`).join('\n')}`,
        );
        item.command = { command: Commands.openGroup, title: 'Open Group', arguments: [node] };
        return withId(item, node);
      }
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.description = `${node.loaded} loaded`;
        item.iconPath = new vscode.ThemeIcon('more');
        item.contextValue = 'loadMore';
        item.command = { command: Commands.loadMoreGroups, title: 'Load More Groups', arguments: [node] };
        return withId(item, node);
      }
      case 'error': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.tooltip = node.detail ?? node.message;
        item.description = node.signIn ? 'Sign in again' : 'Retry';
        item.contextValue = 'error';
        item.command = node.signIn ? { command: Commands.signIn, title: 'Sign In' } : { command: Commands.retryNode, title: 'Retry', arguments: [node] };
        return withId(item, node);
      }
      case 'message': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        item.contextValue = 'message';
        return withId(item, node);
      }
    }
  }

  async getChildren(node?: Node): Promise<Node[]> {
    const done = this.refreshes.beginFetch(node);
    this.deps.log.trace('tree', `children of ${node?.id ?? 'the root'}`);
    let children: Node[];
    try {
      children = await this.childrenOf(node);
    } finally {
      done();
    }
    this.childIds.set(
      node?.id ?? '',
      children.map((c) => c.id),
    );
    // VS Code identifies elements by object as well as by id: overlapping refreshes that hand it a new
    // object for a known id fail with "Element with id … is already registered". Reuse the object.
    return children.map((c) => {
      const existing = this.nodes.get(c.id);
      if (existing?.kind === c.kind) return Object.assign(existing, c);
      this.nodes.set(c.id, c);
      return c;
    });
  }

  /** True while a redraw is pending or VS Code is fetching children (for tests: "the tree settled"). */
  get busy(): boolean {
    return this.refreshes.busy;
  }

  /** A node by id, as last rendered (for tests and commands that act on the tree). */
  nodeById(id: string): Node | undefined {
    return this.nodes.get(id);
  }

  private async childrenOf(node: Node | undefined): Promise<Node[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'environment':
        return [
          { kind: 'functions', id: ids.functions(node.env), parent: node, env: node.env },
          { kind: 'groups', id: ids.groups(node.env), parent: node, env: node.env },
        ];
      case 'functions':
        return this.functionFolders(node);
      case 'type':
        return node.items.map((fn) => ({ kind: 'function', id: ids.fn(node.env, fn.id), parent: node, env: node.env, fn }));
      case 'function':
        return (['code', 'inputs'] as const).map((doc) => ({ kind: 'functionDoc', id: `${node.id}/${doc}`, parent: node, env: node.env, fn: node.fn, doc }));
      case 'groups':
        return this.groupTypes(node);
      case 'groupType':
        return this.groupList(node);
      default:
        return [];
    }
  }

  private async roots(): Promise<Node[]> {
    if (this.deps.registry.list().length === 0) {
      try {
        await this.withViewProgress(this.deps.registry.ensureEnvDiscovered());
      } catch (e) {
        return [this.errorNode('root-error', undefined, 'Could not use POSTHOG_PERSONAL_API_KEY', e)];
      }
    }
    return this.deps.registry.list().map((env) => ({ kind: 'environment', id: ids.environment(env), parent: undefined, env }));
  }

  private async functionFolders(node: NodeOf<'functions'>): Promise<Node[]> {
    this.reloading.delete(node.id);
    let items;
    try {
      // A failed list stays failed until Retry or Refresh: re-fetching on every redraw would loop.
      const state = this.deps.store.listState(node.env);
      if (state.status === 'error') throw state.error;
      items = await this.withViewProgress(this.deps.store.load(node.env));
      this.shownListErrors.delete(node.id);
    } catch (e) {
      this.shownListErrors.set(node.id, e);
      return [this.errorNode(`${node.id}/error`, node, 'Could not load hog functions', e)];
    }
    if (items.length === 0) {
      const filtered = Object.keys(this.deps.store.filter).length > 0;
      return [{ kind: 'message', id: `${node.id}/empty`, parent: node, message: filtered ? 'No hog functions match the filter' : 'No hog functions yet' }];
    }
    // Grouping 10,000 functions takes a turn of its own, not the one that received the last page.
    const drawn = this.drawnFolders(this.childIds.get(node.id));
    const folders = await inOwnTurn(() => groupByType(items, drawn));
    return folders.map((folder) => ({
      kind: 'type',
      id: ids.type(node.env, folder.info.type),
      parent: node,
      env: node.env,
      info: folder.info,
      items: folder.items,
    }));
  }

  /** Each type folder's items as drawn (sorted), by type: an unchanged folder keeps its order without a new sort. */
  private drawnFolders(folderIds: readonly string[] | undefined): Map<string, readonly HogFunctionSummary[]> {
    const drawn = new Map<string, readonly HogFunctionSummary[]>();
    for (const id of folderIds ?? []) {
      const node = this.nodes.get(id);
      if (node?.kind === 'type') drawn.set(node.info.type, node.items);
    }
    return drawn;
  }

  private async groupTypes(node: NodeOf<'groups'>): Promise<Node[]> {
    let types;
    try {
      types = await this.withViewProgress(this.deps.groups.groupTypes(node.env));
    } catch (e) {
      return [this.errorNode(`${node.id}/error`, node, 'Could not load group types', e)];
    }
    if (types.length === 0) return [{ kind: 'message', id: `${node.id}/empty`, parent: node, message: 'No group types (group analytics not set up)' }];
    return sortGroupTypes(types).map((groupType) => ({ kind: 'groupType', id: ids.groupType(node.env, groupType.group_type_index), parent: node, env: node.env, groupType }));
  }

  private async groupList(node: NodeOf<'groupType'>): Promise<Node[]> {
    const index = node.groupType.group_type_index;
    await this.withViewProgress(this.deps.groups.ensureFirstPage(node.env, index));
    const state = this.deps.groups.state(node.env, index);
    const out: Node[] = state.groups.map((group) => ({
      kind: 'group',
      id: ids.group(node.env, index, group.group_key),
      parent: node,
      env: node.env,
      groupType: node.groupType,
      group,
    }));
    if (state.error) out.push(this.errorNode(`${node.id}/error`, node, state.groups.length ? 'Could not load more groups' : 'Could not load groups', state.error));
    else if (state.next) out.push({ kind: 'loadMore', id: `${node.id}/more`, parent: node, env: node.env, groupType: node.groupType, loaded: state.groups.length });
    if (out.length === 0) {
      out.push({
        kind: 'message',
        id: `${node.id}/empty`,
        parent: node,
        message: state.search ? `No ${groupTypeLabel(node.groupType)} match "${state.search}"` : `No ${groupTypeLabel(node.groupType)}`,
      });
    }
    return out;
  }

  private errorNode(id: string, retry: Node | undefined, what: string, e: unknown): Node {
    const auth = isPostHogError(e) && (e.isAuth || e.kind === 'config');
    const message = errorMessage(e);
    this.deps.log.warn('tree', `${what}: ${message}`);
    return { kind: 'error', id, parent: retry, message: `${what}: ${message}`, detail: message, retry, signIn: auth };
  }

  private withViewProgress<T>(p: Promise<T>): Promise<T> {
    void vscode.window.withProgress({ location: { viewId: Views.explorer } }, () => p.catch(() => undefined));
    return p;
  }

  private showFilter(f: FunctionFilter): void {
    const parts: string[] = [];
    if (f.search) parts.push(`"${f.search}"`);
    if (f.types?.length) parts.push(f.types.map((t) => typeInfo(t).label).join(', '));
    if (f.enabled !== undefined) parts.push(f.enabled ? 'enabled' : 'disabled');
    this.view.description = parts.length ? `Filter: ${parts.join(' · ')}` : undefined;
    void vscode.commands.executeCommand('setContext', ContextKeys.hasFunctionFilter, parts.length > 0);
  }
}

/** The parts of an item VS Code draws (the tooltip is built on hover). */
function signature(item: vscode.TreeItem): string {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const icon = item.iconPath instanceof vscode.ThemeIcon ? `${item.iconPath.id}:${item.iconPath.color?.id ?? ''}` : '';
  return JSON.stringify([label, item.description ?? '', item.contextValue ?? '', icon, item.command?.command ?? '', item.resourceUri?.toString() ?? '']);
}

/** The same ids in the same order. */
function sameIds(shown: readonly string[], now: readonly { id: string }[]): boolean {
  return shown.length === now.length && now.every((n, i) => n.id === shown[i]);
}

function withId(item: vscode.TreeItem, node: Node): vscode.TreeItem {
  item.id = node.id;
  return item;
}

function functionIcon(kind: ReturnType<typeof functionIconKind>): vscode.ThemeIcon {
  switch (kind) {
    case 'enabled':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'disabled':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    case 'warning':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    default:
      return new vscode.ThemeIcon('circle-outline');
  }
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
