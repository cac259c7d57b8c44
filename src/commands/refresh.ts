import type { Services } from './services';

/** "PostHog: Refresh": reload everything (open documents that are not dirty follow remote changes). */
export function refresh(s: Services): Promise<void> {
  s.explorer.reload();
  return Promise.resolve();
}
