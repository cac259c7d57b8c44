import { revisionsView } from '../run/documentFeatures';

/** "Load older revisions…" at the end of the revisions view. */
export async function loadMoreRevisions(): Promise<void> {
  await revisionsView()?.loadMore();
}
