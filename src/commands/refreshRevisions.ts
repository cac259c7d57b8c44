import { revisionsView } from '../run/documentFeatures';

/** The revisions view's refresh button. */
export async function refreshRevisions(): Promise<void> {
  revisionsView()?.refresh();
  return Promise.resolve();
}
