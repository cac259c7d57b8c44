import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { runLocally as run } from './localRun';

/** "PostHog: Run Locally…": the unsaved code and inputs on an event, offline, fetch mocked. */
export async function runLocally(s: Services, node?: Node, arg?: unknown): Promise<void> {
  await run(s, node, arg, { fetch: 'mock' });
}
