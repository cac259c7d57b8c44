import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { toggleFunction } from './toggleFunction';

/** "PostHog: Disable Hog Function": PATCH `enabled: false` after a confirmation. */
export async function disableFunction(s: Services, node?: Node): Promise<void> {
  await toggleFunction(s, node, false);
}
