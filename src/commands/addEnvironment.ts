import type { Services } from './services';
import { signIn } from './signIn';

/** "PostHog: Add Environment…": the sign-in flow; a host with a stored key is simply re-validated. */
export function addEnvironment(s: Services): Promise<void> {
  return signIn(s);
}
