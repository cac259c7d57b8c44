/**
 * The compiled artefacts PostHog stores, from the extension's own compiler (src/hog/compiler), which
 * produces PostHog's bytecode: a function's `bytecode`, each input's `bytecode` (the value's shape, every
 * string compiled as a template) — so a client can run what the stand-in stores with @posthog/hogvm, and a
 * round trip checks the compiler. Filters get a program that returns true (their HogQL is not modelled).
 * Compilations are cached by text: seeding thousands of functions reuses a few programs.
 */
import { compileProgram, type BytecodeItem, type CompileProblem } from '../../src/hog/compiler/compiler';
import { compileInputValue } from '../../src/hog/compiler/inputs';
import { STL_ARITY, supportedFunctions } from '../../src/hog/compiler/stl';
import { parseProgram } from '../../src/hog/parser';

const HOG_HEADER = ['_H', 1] as const;
const OP_TRUE = 29;

const functionCache = new Map<string, { bytecode: BytecodeItem[]; problems: CompileProblem[] }>();

/** PostHog's compile_hog: the bytecode, and the problems for which PostHog refuses the code. */
export function compileFunction(hog: string, type = 'destination'): { bytecode: BytecodeItem[]; problems: CompileProblem[] } {
  const key = `${type}\u0000${hog}`;
  let compiled = functionCache.get(key);
  if (!compiled) {
    const parsed = parseProgram(hog);
    const result = compileProgram(parsed.program, { supportedFunctions: supportedFunctions(type), stl: STL_ARITY });
    compiled = { bytecode: result.bytecode, problems: result.problems.filter((p) => p.refusedByPostHog) };
    if (functionCache.size > 1000) functionCache.clear();
    functionCache.set(key, compiled);
  }
  return compiled;
}

export function functionBytecode(hog: string, type = 'destination'): unknown[] {
  return compileFunction(hog, type).bytecode;
}

export function filtersBytecode(): unknown[] {
  return [...HOG_HEADER, OP_TRUE];
}

/** PostHog's `generate_template_bytecode`: the value's shape, every string compiled. */
export function templateBytecode(value: unknown): unknown {
  return compileInputValue(value, { stl: STL_ARITY }).bytecode;
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
