import type { Services } from './services';
import type { Node } from '../tree/nodes';

/** The "Load more…" node: fetch the next page of its group type (cursor), one request. */
export async function loadMoreGroups(s: Services, node?: Node): Promise<void> {
  if (node?.kind !== 'loadMore') return;
  await s.groups.loadMore(node.env, node.groupType.group_type_index);
}
