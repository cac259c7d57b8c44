import type { Services } from './services';

export function showLog(s: Services): Promise<void> {
  s.log.show();
  return Promise.resolve();
}
