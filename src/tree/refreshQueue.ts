/**
 * The one refresh mechanism of the PostHog tree (no `vscode` import: tested in plain Node).
 *
 * VS Code's extension host registers every element it gets from `getChildren` by id. When it fetches
 * the children of a node twice at once — because a change event for that node (or for an ancestor)
 * arrived while the first fetch was still running — the second answer fails with "Element with id …
 * is already registered" and the folder stays empty. Stores announce changes while the tree is
 * loading (a list arrives, a page of groups arrives), so events must be shaped before they reach VS Code:
 *
 * - **Coalesced per tick**: every request in one turn of the event loop becomes one flush.
 * - **Merged to the highest affected node**: a node whose ancestor (or the root) is also asked for is
 *   dropped; the ancestor's refresh covers it.
 * - **Only known nodes**: a node VS Code was never given has nothing to refresh (it is rendered fresh
 *   when VS Code asks for it). Mapping an unknown node to "refresh everything" is what used to collide.
 * - **Never while a fetch overlaps**: a refresh for a node whose children, ancestors' children or
 *   descendants' children VS Code is fetching right now waits until that fetch has answered (and VS
 *   Code has registered the answer: one more tick), then goes out with whatever else is pending.
 * - **Not at all when the fetch covered it**: a change announced while the node's own children were
 *   being fetched is already in that answer; unless the node's own item changed, nothing is sent.
 *   The same holds for the roots (the environments discovered while the first fetch ran). Not so for a
 *   refresh that follows dropped caches (Retry, Refresh): a fetch in flight may have read them before.
 */
export interface TreeNodeLike {
  readonly id: string;
  readonly parent: TreeNodeLike | undefined;
}

/** Where a refresh goes: a node, or `undefined` for the whole tree. */
export type RefreshTarget<N> = N | undefined;

export interface RefreshQueueOptions<N extends TreeNodeLike> {
  /** Fires the tree's `onDidChangeTreeData` (undefined = the root). */
  emit: (target: RefreshTarget<N>) => void;
  /** The node object VS Code holds for an id, if it was ever given one. */
  known: (id: string) => N | undefined;
  /** Runs `fn` on a later turn of the event loop (default: setTimeout 0). */
  schedule?: (fn: () => void) => void;
  /**
   * For a refresh asked while the node's own children were being fetched: true when the node's item
   * (label, description, icon…) is still what VS Code rendered. Its children came from that fetch,
   * which read the stores after the change, so the refresh is dropped: refreshing anyway would make
   * VS Code drop and re-register every row below it while it may be expanding one of them.
   */
  itemUnchanged?: (node: N) => boolean;
}

const ROOT = '';

export class RefreshQueue<N extends TreeNodeLike> {
  /** Pending targets by id (ROOT = the whole tree). */
  private readonly pending = new Map<string, N | undefined>();
  /** Ids of nodes whose children are being fetched right now, with a count (ROOT = the roots). */
  private readonly fetching = new Map<string, number>();
  /** Ancestor chains (ids, self first, ROOT last) of the nodes being fetched. */
  private readonly fetchChains = new Map<string, readonly string[]>();
  /** Pending ids whose every request arrived while their own children were being fetched. */
  private readonly coveredByFetch = new Set<string>();
  private scheduled = false;
  private disposed = false;
  private readonly schedule: (fn: () => void) => void;

  constructor(private readonly options: RefreshQueueOptions<N>) {
    this.schedule = options.schedule ?? ((fn) => setTimeout(fn, 0));
  }

  /**
   * Asks for `target` (a node, or undefined = everything) to be re-rendered soon. `afterInvalidate`:
   * caches below it were just dropped (Retry, Refresh), so a fetch of it in flight may hold what was
   * there before: the refresh goes out after that fetch, never counted as covered by it.
   */
  request(target: RefreshTarget<N>, { afterInvalidate = false }: { afterInvalidate?: boolean } = {}): void {
    if (this.disposed) return;
    // Only the object VS Code holds can be refreshed; an id it never saw needs no event.
    const held = target === undefined ? undefined : this.options.known(target.id);
    if (target !== undefined && !held) return;
    const id = held?.id ?? ROOT;
    // A request asked during the node's own fetch is in that answer (for the root: everything below
    // is fetched again after it), unless an earlier one of this round was not.
    const wasPending = this.pending.has(id);
    this.pending.set(id, held);
    if (!afterInvalidate && this.fetching.has(id) && (!wasPending || this.coveredByFetch.has(id))) this.coveredByFetch.add(id);
    else this.coveredByFetch.delete(id);
    this.arm();
  }

  /**
   * Marks the start of a `getChildren(node)` call; the returned function marks its end (call it once,
   * also when the fetch failed). Refreshes overlapping the fetch wait for it.
   */
  beginFetch(node: RefreshTarget<N>): () => void {
    const id = node?.id ?? ROOT;
    this.fetching.set(id, (this.fetching.get(id) ?? 0) + 1);
    this.fetchChains.set(id, chain(node));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const n = (this.fetching.get(id) ?? 1) - 1;
      if (n > 0) this.fetching.set(id, n);
      else {
        this.fetching.delete(id);
        this.fetchChains.delete(id);
      }
      // The extension host registers the answer after our promise settles: flush a tick later.
      if (this.pending.size) this.arm();
    };
  }

  /** True while any refresh is pending or any fetch is running (for tests: "the tree is settled"). */
  get busy(): boolean {
    return this.pending.size > 0 || this.fetching.size > 0 || this.scheduled;
  }

  dispose(): void {
    this.disposed = true;
    this.pending.clear();
    this.coveredByFetch.clear();
  }

  private arm(): void {
    if (this.scheduled || this.disposed) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.disposed) return;
    for (const [id, node] of this.merged()) {
      if (this.overlapsFetch(id, node)) continue; // stays pending; re-armed when the fetch ends
      this.pending.delete(id);
      const covered = this.coveredByFetch.delete(id);
      if (covered && (node === undefined || this.options.itemUnchanged?.(node))) continue;
      this.options.emit(node);
    }
  }

  /** Pending targets without those covered by a pending ancestor (or the root). */
  private merged(): [string, N | undefined][] {
    if (this.pending.has(ROOT)) {
      // Everything is refreshed: the rest is covered.
      for (const id of [...this.pending.keys()]) if (id !== ROOT) this.pending.delete(id);
      for (const id of [...this.coveredByFetch]) if (id !== ROOT) this.coveredByFetch.delete(id);
      return [[ROOT, undefined]];
    }
    const result: [string, N | undefined][] = [];
    for (const [id, node] of this.pending) {
      let covered = false;
      for (let p = node?.parent; p; p = p.parent) {
        if (this.pending.has(p.id)) {
          covered = true;
          break;
        }
      }
      if (covered) {
        this.pending.delete(id);
        this.coveredByFetch.delete(id);
      } else result.push([id, node]);
    }
    return result;
  }

  /** A refresh of `id` overlaps a fetch of itself, of an ancestor or of a descendant. */
  private overlapsFetch(id: string, node: N | undefined): boolean {
    if (this.fetching.size === 0) return false;
    if (id === ROOT) return true; // everything overlaps everything
    const mine = new Set(chain(node));
    for (const fetchChain of this.fetchChains.values()) {
      // The fetched node is self or an ancestor of the target…
      if (mine.has(fetchChain[0] ?? ROOT)) return true;
      // …or a descendant of it.
      if (fetchChain.includes(id)) return true;
    }
    return false;
  }
}

function chain(node: TreeNodeLike | undefined): string[] {
  const ids: string[] = [];
  for (let n = node; n; n = n.parent) ids.push(n.id);
  ids.push(ROOT);
  return ids;
}
