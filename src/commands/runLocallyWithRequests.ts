import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { runLocally as run } from './localRun';

/** "PostHog: Run Locally, Sending Real Requests…": a mocked run first, then the hosts it would call are confirmed. */
export async function runLocallyWithRequests(s: Services, node?: Node, arg?: unknown): Promise<void> {
  await run(s, node, arg, { fetch: 'real' });
}
