import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { testOnPostHog } from './testOnPostHog';

/** "PostHog: Test Function on PostHog…": the unsaved code, inputs and filters, run by PostHog with fetch mocked. */
export async function testFunction(s: Services, node?: Node, arg?: unknown): Promise<void> {
  await testOnPostHog(s, node, arg, { real: false });
}
