import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { filterFunctionLogs as run } from './functionLogs';

/** "PostHog: Filter Function Logs…: the levels shown (PostHog filters)." */
export async function filterFunctionLogs(s: Services, node?: Node, arg?: unknown): Promise<void> {
  await run(s, node, arg);
}
