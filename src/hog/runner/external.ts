/**
 * What the VM needs from its host: regular expressions with RE2's syntax and semantics (PostHog's CDP
 * matches with RE2; `re2js` is RE2 in plain JavaScript, so `=~`, `match()` and `extract()` behave the same
 * here) and Node's crypto (md5Hex, sha256Hex, sha256HmacChainHex).
 */
import * as crypto from 'node:crypto';
import { RE2JS } from 're2js';
import type { ExecOptions } from '@posthog/hogvm';

const cache = new Map<string, RE2JS>();
const CACHE_SIZE = 200;

function compiled(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

export const VM_EXTERNAL: NonNullable<ExecOptions['external']> = {
  regex: {
    match: (pattern, value) => compiled(pattern).matcher(value).find(),
    // PostHog: the first capture group if the pattern has one, else the whole match; '' when nothing matches.
    extract: (pattern, value) => {
      const m = compiled(pattern).matcher(value);
      if (!m.find()) return '';
      return (m.groupCount() > 0 ? m.group(1) : m.group(0)) ?? '';
    },
  },
  crypto,
};
