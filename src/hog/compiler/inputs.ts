/**
 * A hog function's inputs, compiled and ordered as PostHog does on save (`posthog/cdp/validation.py`):
 * every string inside a value is a template (`text {expr} text`) compiled to its own bytecode, dicts and
 * lists keep their shape, other values stay as they are; `order` sorts inputs so that an input using
 * `inputs.other` comes after `other`.
 */
import type { Expr } from '../ast';
import { parseTemplate } from '../parser';
import { compileExpression, type BytecodeItem, type CompileOptions, type CompileProblem } from './compiler';

/** A compiled value: a bytecode array per string, the value's own shape around them. */
export type CompiledValue = BytecodeItem[] | CompiledValue[] | { [key: string]: CompiledValue } | number | boolean | null;

export interface TemplateProblem extends CompileProblem {
  /** Where the string is in the value: `["headers", "Authorization"]`; empty for a plain string value. */
  readonly path: readonly (string | number)[];
}

export interface CompiledInput {
  readonly bytecode: CompiledValue;
  /** Names used as `inputs.<name>` in the value's templates. */
  readonly dependencies: ReadonlySet<string>;
  readonly problems: TemplateProblem[];
}

/** Compiles one template string (`"Bearer {inputs.token}"`) to `["_H", 1, …]`. */
export function compileTemplate(text: string, options: CompileOptions = {}): { bytecode: BytecodeItem[]; problems: CompileProblem[]; expr: Expr } {
  const { expr, errors } = parseTemplate(text);
  if (errors.length > 0) {
    return { bytecode: [], expr, problems: errors.map((e) => ({ message: e.message, start: e.start, end: e.end, refusedByPostHog: true })) };
  }
  const { bytecode, problems } = compileExpression(expr, options);
  return { bytecode, problems, expr };
}

export interface InputCompileOptions extends CompileOptions {
  /** The function's type: a transformation's templates may only read `project`, `event` and `inputs`. */
  readonly functionType?: string;
}

const TRANSFORMATION_GLOBALS = new Set(['project', 'event', 'inputs']);

/** PostHog's `generate_template_bytecode`: the value's shape, each string compiled. */
export function compileInputValue(value: unknown, options: InputCompileOptions = {}): CompiledInput {
  const dependencies = new Set<string>();
  const problems: TemplateProblem[] = [];
  const walk = (v: unknown, path: (string | number)[]): CompiledValue => {
    if (typeof v === 'string') {
      const compiled = compileTemplate(v, options);
      for (const p of compiled.problems) problems.push({ ...p, path });
      collectInputs(compiled.expr, dependencies);
      if (options.functionType === 'transformation' && compiled.problems.length === 0) {
        const roots = [...globalRoots(compiled.expr)].filter((r) => !TRANSFORMATION_GLOBALS.has(r));
        if (roots.length > 0) {
          problems.push({
            message: `Variable not available in transformations: ${roots.join(', ')}. Transformations only have access to project, event, and inputs.`,
            start: 0,
            end: v.length,
            refusedByPostHog: true,
            path,
          });
        }
      }
      return compiled.bytecode;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...path, k])]));
    }
    return typeof v === 'number' || typeof v === 'boolean' ? v : null;
  };
  return { bytecode: walk(value, []), dependencies, problems };
}

/** The first names of the fields an expression reads (lambda parameters aside): the globals it uses. */
function globalRoots(node: unknown, params: ReadonlySet<string> = new Set(), into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) globalRoots(item, params, into);
    return into;
  }
  if (node === null || typeof node !== 'object') return into;
  const record = node as { node?: unknown; chain?: unknown; args?: unknown };
  if (record.node === 'Field' && Array.isArray(record.chain) && typeof record.chain[0] === 'string' && !params.has(record.chain[0])) into.add(record.chain[0]);
  const inner = record.node === 'Lambda' && Array.isArray(record.args) ? new Set([...params, ...record.args.filter((a): a is string => typeof a === 'string')]) : params;
  for (const value of Object.values(node)) if (value !== null && typeof value === 'object') globalRoots(value, inner, into);
  return into;
}

/** `inputs.<name>` (and `inputs['name']`) references in an expression tree. */
function collectInputs(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectInputs(item, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as { node?: unknown; chain?: unknown; array?: unknown; property?: unknown };
  if (record.node === 'Field' && Array.isArray(record.chain) && record.chain[0] === 'inputs' && typeof record.chain[1] === 'string') {
    into.add(record.chain[1]);
  }
  if (record.node === 'ArrayAccess') {
    const array = record.array as { node?: unknown; chain?: unknown } | undefined;
    const property = record.property as { node?: unknown; value?: unknown } | undefined;
    if (array?.node === 'Field' && Array.isArray(array.chain) && array.chain.length === 1 && array.chain[0] === 'inputs') {
      if (property?.node === 'Constant' && typeof property.value === 'string') into.add(property.value);
    }
  }
  for (const value of Object.values(node)) if (value !== null && typeof value === 'object') collectInputs(value, into);
}

/**
 * The evaluation order of inputs: PostHog's Kahn sort, started from the schema's order, an input after
 * the inputs it uses. Throws on a cycle, with PostHog's message and the inputs involved.
 */
export function inputOrder(keys: readonly string[], dependencies: ReadonlyMap<string, ReadonlySet<string>>): Map<string, number> {
  const present = new Set(keys);
  const inDegree = new Map(keys.map((k) => [k, 0]));
  const dependents = new Map<string, string[]>(keys.map((k) => [k, []]));
  for (const key of keys) {
    for (const dep of dependencies.get(key) ?? []) {
      if (!present.has(dep) || dep === key) {
        if (dep === key) inDegree.set(key, (inDegree.get(key) ?? 0) + 1);
        continue;
      }
      dependents.get(dep)?.push(key);
      inDegree.set(key, (inDegree.get(key) ?? 0) + 1);
    }
  }
  const queue = keys.filter((k) => inDegree.get(k) === 0);
  const order = new Map<string, number>();
  while (queue.length > 0) {
    const key = queue.shift();
    if (key === undefined) break;
    order.set(key, order.size);
    for (const next of dependents.get(key) ?? []) {
      const degree = (inDegree.get(next) ?? 0) - 1;
      inDegree.set(next, degree);
      if (degree === 0) queue.push(next);
    }
  }
  if (order.size !== keys.length) {
    const cycle = keys.filter((k) => !order.has(k));
    throw new Error(`Circular dependency detected in input_deps. (${cycle.map((k) => `inputs.${k}`).join(', ')})`);
  }
  return order;
}
