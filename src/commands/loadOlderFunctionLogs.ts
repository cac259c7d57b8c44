import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { loadOlderFunctionLogs as run } from './functionLogs';

/** "PostHog: Load Older Function Logs: the next page of older entries." */
export async function loadOlderFunctionLogs(s: Services, node?: Node, arg?: unknown): Promise<void> {
  await run(s, node, arg);
}
