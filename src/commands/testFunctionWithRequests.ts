import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { testOnPostHog } from './testOnPostHog';

/** "PostHog: Test Function on PostHog, Sending Real Requests…": mocked first, then the hosts are confirmed. */
export async function testFunctionWithRequests(s: Services, node?: Node, arg?: unknown): Promise<void> {
  await testOnPostHog(s, node, arg, { real: true });
}
