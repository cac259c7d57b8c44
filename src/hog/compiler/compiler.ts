/**
 * Hog → HogVM bytecode, operation for operation what PostHog's compiler
 * (`posthog/hogql/compiler/bytecode.py`) emits for the same AST: the same locals and upvalues, the same
 * scopes and jumps, the same desugarings (`if`, `multiIf`, `ifNull`, `and`, `or`, `not` as calls), so a
 * program compiled here runs in `@posthog/hogvm` exactly as the server's copy does.
 *
 * Where PostHog's compiler raises (a variable declared twice in one scope, an assignment to a global,
 * `arr[0]`, `finally`, …) this one records a problem at the node's place and carries on, so the editor can
 * show every such error at once; the bytecode is only meaningful when there are no errors.
 */
import {
  STATEMENT_KINDS,
  type BetweenExpr,
  type Block,
  type Call,
  type Constant,
  type Expr,
  type Field,
  type ForInStatement,
  type ForStatement,
  type FunctionDeclaration,
  type HogQLXTag,
  type IfStatement,
  type Lambda,
  type Program,
  type Spanned,
  type Statement,
  type TryCatchStatement,
  type VariableAssignment,
} from '../ast';
import { ARITHMETIC_OPS, BYTECODE_IDENTIFIER, BYTECODE_VERSION, COMPARE_OPS, Op } from './operations';

/** One element of the bytecode: an operation, an operand (number, string, boolean) or null. */
export type BytecodeItem = string | number | boolean | null;

export interface CompileProblem {
  readonly message: string;
  /** UTF-16 offsets into the source (the node the problem is about, or the closest enclosing one). */
  readonly start: number;
  readonly end: number;
  /**
   * true: PostHog's compiler raises here, so the server refuses to save the code. false: PostHog
   * compiles it, and the run fails (an unknown function, a wrong number of arguments to the STL).
   */
  readonly refusedByPostHog: boolean;
}

export interface CompileOptions {
  /** Functions the runtime provides besides the standard library (`fetch`, `postHogCapture`, …). */
  readonly supportedFunctions?: Iterable<string>;
  /** Standard library functions by name, with their arity (checked: the VM would throw at runtime). */
  readonly stl?: ReadonlyMap<string, { readonly minArgs: number; readonly maxArgs: number | null }>;
}

export interface CompileResult {
  /** `["_H", 1, …]`. Meaningful only when `problems` has no error. */
  readonly bytecode: BytecodeItem[];
  /** Indexes in `bytecode` of FLOAT operands (JSON cannot tell 1.0 from 1; PostHog prints "1.0"). */
  readonly floats: ReadonlySet<number>;
  /**
   * Where operations came from: `[index, start, end]` (UTF-16 offsets), ascending by index — the first
   * operation of each statement and every operation that can fail at runtime (calls, property and global
   * reads, arithmetic, comparisons, throw). PostHog's bytecode has no such table; the runner uses it to
   * put a runtime error on its line.
   */
  readonly sourceMap: readonly (readonly [number, number, number])[];
  readonly problems: CompileProblem[];
}

/** A FLOAT operand while compiling (replaced by its number, its index remembered, at the end). */
class HogFloat {
  constructor(readonly value: number) {}
}
/** An operation that can fail at runtime, with the source it came from (becomes a source map entry). */
class Traced {
  constructor(
    readonly op: number,
    readonly range: readonly [number, number],
  ) {}
}
type Item = BytecodeItem | HogFloat | Traced;
type Code = Item[];

interface Local {
  readonly name: string;
  readonly depth: number;
  captured: boolean;
}
interface UpValue {
  readonly index: number;
  readonly isLocal: boolean;
}

/** What PostHog's compiler has no rule for, in words (it says "Visitor has no method visit_…"). */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  Alias: "an alias ('AS name')",
  ArraySlice: "a slice ('x[a:b]')",
  IsDistinctFrom: "'IS DISTINCT FROM'",
  TypeCast: "a type cast ('::')",
  NamedArgument: "a named argument ('name => value')",
  PositionalRef: 'a positional reference',
};

type AnyNode = (Expr | Statement | Program) & Spanned;

/** The shared state of one compilation: problems found by every (nested) function compiler. */
interface Unit {
  readonly problems: CompileProblem[];
  readonly supported: ReadonlySet<string>;
  readonly stl: CompileOptions['stl'];
}

export function compileProgram(program: Program, options: CompileOptions = {}): CompileResult {
  const unit: Unit = { problems: [], supported: new Set(options.supportedFunctions ?? []), stl: options.stl };
  const compiler = new FunctionCompiler(unit, undefined, undefined, program.range);
  const code: Code = [BYTECODE_IDENTIFIER, BYTECODE_VERSION, ...compiler.visit(program)];
  return finish(code, unit.problems);
}

/** An expression on its own (an input's template, a filter): `["_H", 1, …expr]`. */
export function compileExpression(expr: Expr, options: CompileOptions = {}): CompileResult {
  const unit: Unit = { problems: [], supported: new Set(options.supportedFunctions ?? []), stl: options.stl };
  const compiler = new FunctionCompiler(unit, undefined, undefined, expr.range);
  const code: Code = [BYTECODE_IDENTIFIER, BYTECODE_VERSION, ...compiler.visit(expr)];
  return finish(code, unit.problems);
}

function finish(code: Code, problems: CompileProblem[]): CompileResult {
  const floats = new Set<number>();
  const sourceMap: [number, number, number][] = [];
  const bytecode = code.map((item, i): BytecodeItem => {
    if (item instanceof HogFloat) {
      floats.add(i);
      return item.value;
    }
    if (item instanceof Traced) {
      sourceMap.push([i, item.range[0], item.range[1]]);
      return item.op;
    }
    return item;
  });
  problems.sort((a, b) => a.start - b.start);
  return { bytecode, floats, sourceMap, problems };
}

class FunctionCompiler {
  private readonly locals: Local[] = [];
  readonly upvalues: UpValue[] = [];
  private scopeDepth = 0;
  /** The innermost node with a source range (where a problem about a desugared node is shown). */
  private here: readonly [number, number];

  constructor(
    private readonly unit: Unit,
    private readonly enclosing: FunctionCompiler | undefined,
    params: readonly string[] | undefined,
    range: readonly [number, number] | undefined,
  ) {
    this.here = range ?? enclosing?.here ?? [0, 0];
    for (const param of params ?? []) this.declareLocal(param);
  }

  // ── scopes ────────────────────────────────────────────────────────────────────────────────────

  private startScope(): void {
    this.scopeDepth += 1;
  }

  private endScope(): Code {
    this.scopeDepth -= 1;
    const code: Code = [];
    for (let i = this.locals.length - 1; i >= 0; i--) {
      const local = this.locals[i];
      if (!local || local.depth <= this.scopeDepth) break;
      this.locals.pop();
      code.push(local.captured ? Op.CLOSE_UPVALUE : Op.POP);
    }
    return code;
  }

  private declareLocal(name: string): number {
    for (let i = this.locals.length - 1; i >= 0; i--) {
      const local = this.locals[i];
      if (!local || local.depth < this.scopeDepth) break;
      if (local.name === name) this.fail(`Variable \`${name}\` already declared in this scope`);
    }
    this.locals.push({ name, depth: this.scopeDepth, captured: false });
    return this.locals.length - 1;
  }

  private localIndex(name: string): number {
    for (let i = this.locals.length - 1; i >= 0; i--) if (this.locals[i]?.name === name) return i;
    return -1;
  }

  private addUpvalue(index: number, isLocal: boolean): number {
    const found = this.upvalues.findIndex((u) => u.index === index && u.isLocal === isLocal);
    if (found !== -1) return found;
    this.upvalues.push({ index, isLocal });
    return this.upvalues.length - 1;
  }

  private resolveUpvalue(name: string): number {
    const outer = this.enclosing;
    if (!outer) return -1;
    const index = outer.localIndex(name);
    if (index !== -1) {
      const local = outer.locals[index];
      if (local) local.captured = true;
      return this.addUpvalue(index, true);
    }
    const upvalue = outer.resolveUpvalue(name);
    return upvalue === -1 ? -1 : this.addUpvalue(upvalue, false);
  }

  // ── problems ──────────────────────────────────────────────────────────────────────────────────

  private fail(message: string, refusedByPostHog = true, node?: Spanned): void {
    const [start, end] = node?.range ?? this.here;
    this.unit.problems.push({ message, start, end, refusedByPostHog });
  }

  /** An operation that can fail at runtime, traced to the node being compiled. */
  private traced(op: number): Traced {
    return new Traced(op, this.here);
  }

  // ── dispatch ──────────────────────────────────────────────────────────────────────────────────

  visit(node: AnyNode | null | undefined): Code {
    if (!node) return [];
    const outer = this.here;
    if (node.range) this.here = node.range;
    try {
      const code = this.dispatch(node);
      // A statement's first operation marks where it starts (unless an expression in it already does).
      const first = code[0];
      if (node.range && STATEMENT_KINDS.has(node.node) && typeof first === 'number') code[0] = new Traced(first, node.range);
      return code;
    } finally {
      this.here = outer;
    }
  }

  private dispatch(node: AnyNode): Code {
    switch (node.node) {
      case 'Program':
      case 'Block':
        return this.block(node.declarations);
      case 'And':
      case 'Or':
        return [...node.exprs.flatMap((e) => this.visit(e)), node.node === 'And' ? Op.AND : Op.OR, node.exprs.length];
      case 'Not':
        return [...this.visit(node.expr), Op.NOT];
      case 'CompareOperation':
        return this.compare(node.op, node.left, node.right, node);
      case 'BetweenExpr':
        return this.between(node);
      case 'ArithmeticOperation': {
        const op = ARITHMETIC_OPS[node.op];
        if (op === undefined) this.fail(`Unknown operator '${node.op}'`);
        return [...this.visit(node.right), ...this.visit(node.left), this.traced(op ?? Op.PLUS)];
      }
      case 'Field':
        return this.field(node);
      case 'TupleAccess':
        return [...this.visit(node.tuple), Op.INTEGER, node.index, this.traced(node.nullish ? Op.GET_PROPERTY_NULLISH : Op.GET_PROPERTY)];
      case 'ArrayAccess':
        if (node.property.node === 'Constant' && node.property.value === 0 && !isFloat(node.property)) {
          this.fail('Array access starts from 1', true, node.property);
        }
        return [...this.visit(node.array), ...this.visit(node.property), this.traced(node.nullish ? Op.GET_PROPERTY_NULLISH : Op.GET_PROPERTY)];
      case 'Constant':
        return this.constant(node);
      case 'Call':
        return this.call(node);
      case 'ExprCall':
        return [...node.args.flatMap((a) => this.visit(a)), ...this.visit(node.expr), this.traced(Op.CALL_LOCAL), node.args.length];
      case 'ExprStatement':
        return node.expr ? [...this.visit(node.expr), Op.POP] : [];
      case 'ReturnStatement':
        return [...(node.expr ? this.visit(node.expr) : [Op.NULL]), Op.RETURN];
      case 'ThrowStatement':
        return [...this.visit(node.expr), this.traced(Op.THROW)];
      case 'TryCatchStatement':
        return this.tryCatch(node);
      case 'IfStatement':
        return this.ifStatement(node);
      case 'WhileStatement': {
        const expr = this.visit(node.expr);
        const body = this.visit(node.body);
        const code: Code = [...expr, Op.JUMP_IF_FALSE, body.length + 2, ...body];
        code.push(Op.JUMP, -code.length - 2);
        return code;
      }
      case 'ForStatement':
        return this.forStatement(node);
      case 'ForInStatement':
        return this.forIn(node);
      case 'VariableDeclaration':
        this.declareLocal(node.name);
        return node.expr ? this.visit(node.expr) : [Op.NULL];
      case 'VariableAssignment':
        return this.assignment(node);
      case 'Function':
        return this.functionDeclaration(node);
      case 'Lambda':
        return this.lambda(node);
      case 'Dict':
        return [...node.items.flatMap(([k, v]) => [...this.visit(k), ...this.visit(v)]), Op.DICT, node.items.length];
      case 'Array':
        return [...node.exprs.flatMap((e) => this.visit(e)), Op.ARRAY, node.exprs.length];
      case 'Tuple':
        return [...node.exprs.flatMap((e) => this.visit(e)), Op.TUPLE, node.exprs.length];
      case 'HogQLXTag':
        return this.tag(node);
      case 'Placeholder':
        this.fail('Placeholders are not allowed in this context');
        return [Op.NULL];
      case 'SyntaxError':
        this.fail('Syntax error');
        return [Op.NULL];
      default: {
        const kind: string = node.node;
        const what = UNSUPPORTED[kind];
        if (what) this.fail(`Hog cannot compile ${what}: PostHog's compiler has no rule for it (only HogQL queries do).`);
        else if (kind === 'SelectQuery' || kind === 'SelectSetQuery') this.fail(SQL_NOT_YET);
        else this.fail(`Hog cannot compile a ${kind} node`);
        return [Op.NULL];
      }
    }
  }

  private block(statements: readonly Statement[]): Code {
    this.startScope();
    const code = statements.flatMap((s) => this.visit(s));
    code.push(...this.endScope());
    return code;
  }

  // ── expressions ───────────────────────────────────────────────────────────────────────────────

  private compare(opText: string, left: Expr, right: Expr, node?: Spanned): Code {
    const op = COMPARE_OPS[opText];
    if (op === Op.IN_COHORT || op === Op.NOT_IN_COHORT) {
      let cohort = '';
      if (right.node === 'Constant') {
        cohort = typeof right.value === 'number' && !isFloat(right) ? ` (cohort id=${right.value})` : ` (cohort: ${pyStr(right.value)})`;
      }
      this.fail(`Can't use cohorts in real-time filters. Please inline the relevant expressions${cohort}.`, true, node);
    } else if (op === undefined) {
      this.fail(`Unknown comparison '${opText}'`, true, node);
    }
    return [...this.visit(right), ...this.visit(left), this.traced(op ?? Op.EQ)];
  }

  /**
   * `x [not] between low and high`, null-safe: false when any side is null. Each side is evaluated once
   * into a temporary local; the result takes a slot that stays on the stack as the expression's value.
   */
  private between(node: BetweenExpr): Code {
    this.startScope();
    const result = this.declareLocal('__H_between_result__');
    const code: Code = [Op.NULL];
    this.startScope();
    code.push(...this.visit(node.expr));
    const expr = this.declareLocal('__H_between_expr__');
    code.push(...this.visit(node.low));
    const low = this.declareLocal('__H_between_low__');
    code.push(...this.visit(node.high));
    const high = this.declareLocal('__H_between_high__');
    const notNull: Code = [Op.GET_LOCAL, low, Op.NULL, Op.NOT_EQ, Op.GET_LOCAL, high, Op.NULL, Op.NOT_EQ, Op.GET_LOCAL, expr, Op.NULL, Op.NOT_EQ, Op.AND, 3];
    const test: Code = node.negated
      ? [Op.GET_LOCAL, low, Op.GET_LOCAL, expr, Op.LT, Op.GET_LOCAL, high, Op.GET_LOCAL, expr, Op.GT, Op.OR, 2]
      : [Op.GET_LOCAL, low, Op.GET_LOCAL, expr, Op.GT_EQ, Op.GET_LOCAL, high, Op.GET_LOCAL, expr, Op.LT_EQ, Op.AND, 2];
    code.push(...notNull, Op.JUMP_IF_FALSE, test.length + 2, ...test, Op.JUMP, 1, Op.FALSE, Op.SET_LOCAL, result);
    code.push(...this.endScope());
    // The result's slot is the expression's value: forget the local without popping it.
    this.scopeDepth -= 1;
    this.locals.pop();
    return code;
  }

  private constant(node: Constant): Code {
    const { value } = node;
    if (value === true) return [Op.TRUE];
    if (value === false) return [Op.FALSE];
    if (value === null) return [Op.NULL];
    if (typeof value === 'string') {
      // inf, nan and integers beyond 64 bits arrive as text with value_type "number".
      if (node.value_type === 'number') return [Op.FLOAT, new HogFloat(Number(value))];
      return [Op.STRING, value];
    }
    if (isFloat(node) || !Number.isSafeInteger(value)) return [Op.FLOAT, new HogFloat(value)];
    return [Op.INTEGER, value];
  }

  private field(node: Field): Code {
    const [first, ...rest] = node.chain;
    const name = String(first);
    let code: Code | undefined;
    const local = this.localIndex(name);
    if (local !== -1) code = [Op.GET_LOCAL, local];
    else {
      const upvalue = this.resolveUpvalue(name);
      if (upvalue !== -1) code = [Op.GET_UPVALUE, upvalue];
    }
    if (code) {
      for (const element of rest) code.push(...propertyKey(element), this.traced(Op.GET_PROPERTY));
      return code;
    }
    // Neither a local nor an upvalue: a global (`event.properties.x` → its chain, reversed).
    const global: Code = [];
    for (let i = node.chain.length - 1; i >= 0; i--) global.push(Op.STRING, node.chain[i] ?? null);
    return [...global, this.traced(Op.GET_GLOBAL), node.chain.length];
  }

  private call(node: Call): Code {
    const { name, args } = node;
    if (name === 'not' && args.length === 1) return [...this.visit(args[0]), Op.NOT];
    if ((name === 'and' || name === 'or') && args.length > 1) {
      return [...args.flatMap((a) => this.visit(a)), name === 'and' ? Op.AND : Op.OR, args.length];
    }
    if (name === 'if' && args.length >= 2) return this.conditional(args[0], args[1], args.length === 3 ? args[2] : undefined);
    if (name === 'multiIf' && args.length >= 2) return this.multiIf(args);
    if (name === 'ifNull' && args.length === 2) {
      const ifNull = this.visit(args[1]);
      return [...this.visit(args[0]), Op.JUMP_IF_STACK_NOT_NULL, ifNull.length + 1, Op.POP, ...ifNull];
    }
    if (name === 'sql' && args.length === 1) {
      this.fail(SQL_NOT_YET, true, node);
      return [Op.NULL];
    }

    // HogQL functions can take two argument lists, `f(params)(args)`: the first is called first.
    const first = node.params ?? args;
    let code: Code = first.flatMap((a) => this.visit(a));
    if (this.localIndex(name) !== -1) {
      code.push(...this.field({ node: 'Field', chain: [name] }), this.traced(Op.CALL_LOCAL), first.length);
    } else {
      const upvalue = this.resolveUpvalue(name);
      if (upvalue !== -1) code.push(Op.GET_UPVALUE, upvalue, this.traced(Op.CALL_LOCAL), first.length);
      else {
        this.checkGlobalCall(name, first.length, node);
        code.push(this.traced(Op.CALL_GLOBAL), name, first.length);
      }
    }
    if (node.params) code = [...args.flatMap((a) => this.visit(a)), ...code, this.traced(Op.CALL_LOCAL), args.length];
    return code;
  }

  private checkGlobalCall(name: string, count: number, node: Call): void {
    const stl = this.unit.stl;
    if (this.unit.supported.has(name)) return;
    const spec = stl?.get(name);
    if (!spec) {
      if (stl) this.fail(`Hog function \`${name}\` is not implemented`, false, node);
      return;
    }
    const { minArgs, maxArgs } = spec;
    if (count < minArgs || (maxArgs !== null && count > maxArgs)) {
      const wanted = maxArgs === null ? `at least ${minArgs}` : minArgs === maxArgs ? `${minArgs}` : `${minArgs} to ${maxArgs}`;
      this.fail(`\`${name}\` takes ${wanted} argument${wanted === '1' ? '' : 's'}, not ${count}: the run fails here.`, false, node);
    }
  }

  /** `if(cond, then, else)`, the ternary, and an if statement's shape: the else part only when it has code. */
  private conditional(cond: Expr | undefined, thenNode: AnyNode | undefined, elseNode: AnyNode | null | undefined): Code {
    const expr = this.visit(cond);
    const then = this.visit(thenNode);
    const otherwise = elseNode ? this.visit(elseNode) : [];
    const code: Code = [...expr, Op.JUMP_IF_FALSE, then.length + (otherwise.length > 0 ? 2 : 0), ...then];
    if (otherwise.length > 0) code.push(Op.JUMP, otherwise.length, ...otherwise);
    return code;
  }

  private multiIf(args: readonly Expr[]): Code {
    if (args.length <= 3) return this.conditional(args[0], args[1], args.length === 3 ? args[2] : undefined);
    let prev: Code | undefined = args.length % 2 === 0 ? undefined : this.visit(args[args.length - 1]);
    for (let i = args.length - 2 - (args.length % 2); i >= 0; i -= 2) {
      const expr = this.visit(args[i]);
      const then = this.visit(args[i + 1]);
      const code: Code = [...expr, Op.JUMP_IF_FALSE, then.length + (prev && prev.length > 0 ? 2 : 0), ...then];
      if (prev && prev.length > 0) code.push(Op.JUMP, prev.length, ...prev);
      prev = code;
    }
    return prev ?? [];
  }

  private tag(node: HogQLXTag): Code {
    const callable = this.localIndex(node.kind) !== -1 || this.resolveUpvalue(node.kind) !== -1;
    const attributes: Code = [];
    for (const attribute of node.attributes) {
      attributes.push(Op.STRING, attribute.name);
      const { value } = attribute;
      if (Array.isArray(value)) attributes.push(...value.flatMap((v) => this.visit(v)), Op.ARRAY, value.length);
      else attributes.push(...this.visit(value));
    }
    if (callable) {
      return [...attributes, Op.DICT, node.attributes.length, ...this.field({ node: 'Field', chain: [node.kind] }), this.traced(Op.CALL_LOCAL), 1];
    }
    return [Op.STRING, '__hx_tag', Op.STRING, node.kind, ...attributes, Op.DICT, node.attributes.length + 1];
  }

  // ── statements ────────────────────────────────────────────────────────────────────────────────

  private ifStatement(node: IfStatement): Code {
    return this.conditional(node.expr, node.then, node.else_);
  }

  private forStatement(node: ForStatement): Code {
    if (node.initializer) this.startScope();
    const initializer = this.visit(node.initializer);
    const condition = this.visit(node.condition);
    const increment = this.visit(node.increment);
    const body = this.visit(node.body);
    const code: Code = [
      ...initializer,
      ...condition,
      Op.JUMP_IF_FALSE,
      body.length + increment.length + 2,
      ...body,
      ...increment,
      Op.JUMP,
      -increment.length - body.length - 2 - condition.length - 2,
    ];
    if (node.initializer) code.push(...this.endScope());
    return code;
  }

  private forIn(node: ForInStatement): Code {
    const code: Code = [];
    this.startScope();
    const exprLocal = this.declareLocal('__H_expr_H__');
    code.push(...this.visit(node.expr));
    let keysLocal = -1;
    if (node.keyVar !== null) {
      keysLocal = this.declareLocal('__H_keys_H__');
      code.push(Op.GET_LOCAL, exprLocal, Op.CALL_GLOBAL, 'keys', 1);
    }
    const valuesLocal = this.declareLocal('__H_values_H__');
    code.push(Op.GET_LOCAL, exprLocal, Op.CALL_GLOBAL, 'values', 1);
    const indexLocal = this.declareLocal('__H_index_H__');
    code.push(Op.INTEGER, 1);
    const limitLocal = this.declareLocal('__H_limit_H__');
    code.push(Op.GET_LOCAL, valuesLocal, Op.CALL_GLOBAL, 'length', 1);
    let keyLocal = -1;
    if (node.keyVar !== null) {
      keyLocal = this.declareLocal(node.keyVar);
      code.push(Op.NULL);
    }
    const valueLocal = this.declareLocal(node.valueVar);
    code.push(Op.NULL);

    const condition: Code = [Op.GET_LOCAL, limitLocal, Op.GET_LOCAL, indexLocal, Op.LT_EQ];
    const body: Code = [];
    if (node.keyVar !== null) body.push(Op.GET_LOCAL, keysLocal, Op.GET_LOCAL, indexLocal, Op.GET_PROPERTY, Op.SET_LOCAL, keyLocal);
    body.push(Op.GET_LOCAL, valuesLocal, Op.GET_LOCAL, indexLocal, Op.GET_PROPERTY, Op.SET_LOCAL, valueLocal);
    body.push(...this.visit(node.body));
    const increment: Code = [Op.GET_LOCAL, indexLocal, Op.INTEGER, 1, Op.PLUS, Op.SET_LOCAL, indexLocal];
    code.push(...condition, Op.JUMP_IF_FALSE, body.length + increment.length + 2, ...body, ...increment);
    code.push(Op.JUMP, -increment.length - body.length - 2 - condition.length - 2);
    code.push(...this.endScope());
    return code;
  }

  private assignment(node: VariableAssignment): Code {
    const { left, right } = node;
    if (left.node === 'TupleAccess') return [...this.visit(left.tuple), Op.INTEGER, left.index, ...this.visit(right), this.traced(Op.SET_PROPERTY)];
    if (left.node === 'ArrayAccess') {
      return [...this.visit(left.array), ...this.visit(left.property), ...this.visit(right), this.traced(Op.SET_PROPERTY)];
    }
    if (left.node === 'Field' && left.chain.length >= 1) {
      const [first, ...rest] = left.chain;
      const name = String(first);
      const local = this.localIndex(name);
      const upvalue = local === -1 ? this.resolveUpvalue(name) : -1;
      if (local === -1 && upvalue === -1) {
        this.fail(`Variable "${name}" not declared in this scope. Can not assign to globals.`, true, left);
        return [...this.visit(right), Op.POP];
      }
      if (rest.length === 0) return [...this.visit(right), local !== -1 ? Op.SET_LOCAL : Op.SET_UPVALUE, local !== -1 ? local : upvalue];
      const code: Code = local !== -1 ? [Op.GET_LOCAL, local] : [Op.GET_UPVALUE, upvalue];
      for (const element of rest.slice(0, -1)) code.push(...propertyKey(element), this.traced(Op.GET_PROPERTY));
      code.push(...propertyKey(rest[rest.length - 1] ?? ''), ...this.visit(right), this.traced(Op.SET_PROPERTY));
      return code;
    }
    this.fail('Can not assign to this type of expression', true, left);
    return [...this.visit(right), Op.POP];
  }

  private tryCatch(node: TryCatchStatement): Code {
    if (node.finally_stmt) this.fail('finally blocks are not yet supported', true, node.finally_stmt);
    if (node.catches.length === 0) this.fail('try statement must have at least one catch block');

    const tryCode = this.visit(node.try_stmt);
    const code: Code = [Op.TRY, tryCode.length + 2 + 2, ...tryCode, Op.POP_TRY];

    const endJumps: number[] = [];
    const catches: Code = [];
    this.startScope();
    this.declareLocal('e'); // the error, shared by every catch
    catches.push(...this.field({ node: 'Field', chain: ['e', 'type'] }));
    this.declareLocal('type');
    for (const [variable, type, body] of node.catches) {
      const catchVar = variable ?? 'e';
      const catchType = type ?? 'Error';
      this.startScope();
      if (catchType === 'Error') {
        // Catches everything: run the block, then jump past the rest.
        if (catchVar !== 'e') {
          this.declareLocal(catchVar);
          catches.push(...this.field({ node: 'Field', chain: ['e'] }));
        }
        catches.push(...this.visit(body), ...this.endScope(), Op.JUMP, null);
        endJumps.push(catches.length - 1);
      } else {
        // `catch (e: RetryError)`: compare the type, skip the block when it differs.
        catches.push(...this.compare('==', { node: 'Field', chain: ['type'] }, { node: 'Constant', value: catchType }), Op.JUMP_IF_FALSE);
        const block: Code = [];
        if (catchVar !== 'e') {
          this.declareLocal(catchVar);
          block.push(...this.field({ node: 'Field', chain: ['e'] }));
        }
        block.push(...this.visit(body));
        const endScope = this.endScope();
        block.push(...endScope);
        catches.push(block.length + 2 - endScope.length, ...block, Op.JUMP, null);
        endJumps.push(catches.length - 1);
      }
    }
    catches.push(Op.POP, Op.THROW); // nothing matched: pop the type, throw the error again
    const endScope = this.endScope();
    catches.push(...endScope);
    for (const position of endJumps) catches[position] = catches.length - position - endScope.length - 1;
    code.push(Op.JUMP, catches.length, ...catches);
    return code;
  }

  private functionDeclaration(node: FunctionDeclaration): Code {
    const body = node.body as Block | Statement | { node: 'Placeholder'; expr: Expr };
    let wrapped: AnyNode;
    if (body.node === 'Placeholder') wrapped = blockOf([{ node: 'ExprStatement', expr: body.expr }, RETURN_NULL]);
    else if (body.node === 'Block') {
      const last = body.declarations[body.declarations.length - 1];
      wrapped = last?.node === 'ReturnStatement' ? body : blockOf([...body.declarations, RETURN_NULL]);
    } else wrapped = body.node === 'ReturnStatement' ? body : blockOf([body, RETURN_NULL]);
    this.declareLocal(node.name);
    return this.callable(node.name, node.params, wrapped, node);
  }

  private lambda(node: Lambda): Code {
    const expr = node.expr as Expr | Statement;
    let wrapped: AnyNode;
    if (expr.node === 'Placeholder') wrapped = blockOf([{ node: 'ExprStatement', expr: expr.expr }, RETURN_NULL]);
    else if (expr.node === 'Block') {
      const last = expr.declarations[expr.declarations.length - 1];
      wrapped = last?.node === 'ReturnStatement' ? expr : blockOf([...expr.declarations, RETURN_NULL]);
    } else if (expr.node === 'ReturnStatement') wrapped = expr;
    else if (STATEMENT_KINDS.has(expr.node)) wrapped = blockOf([expr as Statement, RETURN_NULL]);
    else wrapped = { node: 'ReturnStatement', expr: expr as Expr, range: expr.range };
    return this.callable('lambda', node.args, wrapped, node);
  }

  private callable(name: string, params: readonly string[], body: AnyNode, node: Spanned): Code {
    const inner = new FunctionCompiler(this.unit, this, params, node.range ?? this.here);
    const code = inner.visit(body);
    const closure: Code = [Op.CALLABLE, name, params.length, inner.upvalues.length, code.length, ...code, Op.CLOSURE, inner.upvalues.length];
    for (const upvalue of inner.upvalues) closure.push(upvalue.isLocal, upvalue.index);
    return closure;
  }
}

const SQL_NOT_YET = 'sql(…) and SELECT queries build HogQL ASTs; compiling them locally is not supported yet.';
const RETURN_NULL: Statement = { node: 'ReturnStatement', expr: null };

function blockOf(declarations: Statement[]): Block {
  return { node: 'Block', declarations };
}

function isFloat(node: object): boolean {
  return Object.getOwnPropertyDescriptor(node, 'isFloat')?.value === true;
}

function propertyKey(element: string | number): Code {
  return typeof element === 'number' ? [Op.INTEGER, element] : [Op.STRING, element];
}

/** Python's str() of a constant, for messages that quote one. */
function pyStr(value: Constant['value']): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}
