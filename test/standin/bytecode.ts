/**
 * Placeholder "compiled" artefacts. Nothing on npm compiles Hog to bytecode, so the stand-in
 * returns small, *valid* HogVM programs with the right shape instead of the real compilation:
 *  - a function's `bytecode` pushes a content hash, pops it and returns null;
 *  - an input's `bytecode` mirrors the value's shape (dicts/lists cloned, every string becomes a
 *    program returning that string literally, as PostHog does for text without `{…}`);
 *  - filters get a program that returns true.
 * Clients can check the shape (`["_H", 1, …]`) and even execute them with @posthog/hogvm.
 */
import { hashString } from './prng';

const HOG_HEADER = ['_H', 1] as const;
const OP_TRUE = 29;
const OP_NULL = 31;
const OP_STRING = 32;
const OP_POP = 35;
const OP_RETURN = 38;

export function functionBytecode(hog: string): unknown[] {
  const digest = hashString(hog).toString(16).padStart(8, '0');
  return [...HOG_HEADER, OP_STRING, `stand-in:${digest}`, OP_POP, OP_NULL, OP_RETURN];
}

export function filtersBytecode(): unknown[] {
  return [...HOG_HEADER, OP_TRUE];
}

/** Same structure as PostHog's `generate_template_bytecode`: clone, compiling every string. */
export function templateBytecode(value: unknown): unknown {
  if (typeof value === 'string') return [...HOG_HEADER, OP_STRING, value];
  if (Array.isArray(value)) return value.map(templateBytecode);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, templateBytecode(v)]));
  }
  return value;
}

/** Stand-in for PostHog's JavaScript template transpilation (site_* types): a JS literal. */
export function templateTranspiled(value: unknown): { lang: 'ts'; code: string; stl: string[] } {
  return { lang: 'ts', code: JSON.stringify(value), stl: [] };
}

/** `inputs.<name>` references inside `{…}` placeholders of every string in `value`. */
export function templateInputDeps(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (value.includes('{')) {
      for (const m of value.matchAll(/\binputs\.([A-Za-z_$][\w$]*)/g)) if (m[1]) into.add(m[1]);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) templateInputDeps(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) templateInputDeps(item, into);
  }
  return into;
}
