import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { showFunctionLogs as run } from './functionLogs';

/** "PostHog: Show Function Logs: the function's logs beside the code, live while shown." */
export async function showFunctionLogs(s: Services, node?: Node, arg?: unknown): Promise<void> {
  await run(s, node, arg);
}
