import type { Services } from './services';
import type { Node } from '../tree/nodes';

/** The Retry action of an error node: drop the failed cache and render its parent again. */
export function retryNode(s: Services, node?: Node): Promise<void> {
  const target = node?.kind === 'error' ? node.retry : node;
  if (target?.kind === 'groupType') {
    // Keeps the rows already loaded and fetches the page that failed again (the first one if none).
    return s.groups.retry(target.env, target.groupType.group_type_index);
  }
  if (target && 'env' in target) {
    if (target.kind === 'functions') s.store.invalidate(target.env);
    else s.groups.invalidate(target.env);
  }
  s.explorer.refresh(target, { afterInvalidate: true });
  return Promise.resolve();
}
