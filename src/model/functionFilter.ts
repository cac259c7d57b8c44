/** The tree's hog function filter and how a function is matched against it (as PostHog's list search does). Pure. */
import type { HogFunctionSummary } from '../api/schemas';

export interface FunctionFilter {
  search?: string;
  types?: readonly string[];
  enabled?: boolean;
}

/** Whether a function saved or created while filtered belongs in the filtered list. */
export function matchesFilter(fn: HogFunctionSummary, f: FunctionFilter): boolean {
  if (f.enabled !== undefined && fn.enabled !== f.enabled) return false;
  if (f.types?.length && !f.types.includes(fn.type ?? 'destination')) return false;
  if (f.search) {
    const s = f.search.toLowerCase();
    if (!(fn.name ?? '').toLowerCase().includes(s) && !(fn.description ?? '').toLowerCase().includes(s)) return false;
  }
  return true;
}
