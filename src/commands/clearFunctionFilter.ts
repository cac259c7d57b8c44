import type { Services } from './services';

export function clearFunctionFilter(s: Services): Promise<void> {
  s.store.setFilter({});
  return Promise.resolve();
}
