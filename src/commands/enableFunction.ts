import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { toggleFunction } from './toggleFunction';

/** "PostHog: Enable Hog Function": PATCH `enabled: true` after a confirmation. */
export async function enableFunction(s: Services, node?: Node): Promise<void> {
  await toggleFunction(s, node, true);
}
