import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { searchFunctionLogs as run } from './functionLogs';

/** "PostHog: Search Function Logs…: PostHog searches the messages." */
export async function searchFunctionLogs(s: Services, node?: Node, arg?: unknown): Promise<void> {
  await run(s, node, arg);
}
