/**
 * The Hog parser: recursive descent over src/hog/lexer.ts tokens, producing the AST PostHog's parser
 * returns (src/hog/ast.ts) — including its desugarings and the choices ANTLR's prediction makes where
 * the grammar is ambiguous (`f(a, x -> x)` is one lambda of two parameters; `{}` at statement start is
 * a block; `x := 1` at statement start is an assignment, elsewhere a named argument).
 *
 * Error tolerant: it never throws and always returns a Program. Each syntax error is recorded with its
 * UTF-16 range and a message in plain words; the parser then skips to the next statement, so a program
 * with several broken statements reports each (at most one error per statement). Linear time: every
 * loop consumes a token or stops, and where ANTLR would try alternatives (block or dict, loop or call,
 * statement or call of `if`) a bounded look at the tokens ahead decides; nothing is parsed twice.
 */
import type {
  ArraySlice,
  AstNode,
  Block,
  Call,
  Constant,
  Expr,
  Field,
  HogQLXAttribute,
  HogQLXTag,
  Lambda,
  Opaque,
  Position,
  Program,
  Spanned,
  Statement,
  SyntaxErrorNode,
} from './ast';
import { tokenize, type Token } from './lexer';
import { PositionMapper } from './positions';
import { quotedIdentifierValue, stringValue, unescapeText } from './strings';

export interface HogSyntaxError {
  readonly message: string;
  /** UTF-16 offsets into the source. */
  readonly start: number;
  readonly end: number;
  /** The bracket, quote or tag the error is about, when it is elsewhere (editors show it as related). */
  readonly related?: { readonly start: number; readonly end: number; readonly message: string };
}

export interface ParseResult {
  readonly program: Program;
  readonly errors: HogSyntaxError[];
}

/** Deeper nesting is reported instead of parsed (recursion would exhaust the stack). */
const MAX_DEPTH = 300;

/**
 * Keywords that are never identifiers (PostHog 1.3.x: every other keyword can name a variable, a
 * property or a function — `let name := …`, `event.values`, `if(a, b, c)`).
 */
const RESERVED = new Set(['FN', 'FUN', 'LET', 'TRY', 'CATCH', 'THROW', 'WHILE', 'FINALLY', 'INF', 'NAN', 'NULL', 'EXCEPT', 'INTERSECT', 'MATERIALIZED', 'WITHIN']);
const INTERVAL_UNITS: Readonly<Record<string, string>> = {
  SECOND: 'Second',
  MINUTE: 'Minute',
  HOUR: 'Hour',
  DAY: 'Day',
  WEEK: 'Week',
  MONTH: 'Month',
  QUARTER: 'Quarter',
  YEAR: 'Year',
};

/** Precedence levels, loosest first (HogQLParser.g4's columnExpr alternatives, bottom to top). */
const Prec = {
  Lowest: 0, // and `as` aliases
  Ternary: 1,
  Or: 2,
  And: 3,
  Not: 4,
  Between: 5,
  Nullish: 6,
  IsNull: 7,
  Compare: 8,
  Additive: 9,
  Multiplicative: 10,
  Negate: 11,
  Postfix: 12,
} as const;
type Prec = number;

const COMPARE_OPS: Readonly<Record<string, string>> = {
  '==': '==',
  '=': '==',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '=~': '=~',
  '~': '=~',
  '!~': '!~',
  '~*': '=~*',
  '=~*': '=~*',
  '!~*': '!~*',
};

export function parseProgram(source: string): ParseResult {
  return new Parser(source).program();
}

/** Parses a template ("full" F'…' string without the prefix): the inputs' `{…}` templating. */
export function parseTemplate(source: string): { expr: Expr; errors: HogSyntaxError[] } {
  return new Parser(source, true).fullTemplate();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private readonly errors: HogSyntaxError[] = [];
  private readonly positions: PositionMapper;
  /** The statement being parsed already has an error (at most one per statement). */
  private statementFailed = false;
  /** Expression nesting right now (bounded: the parser recurses). */
  private depth = 0;
  /** Every error found, reported or not (a try notices its own). */
  private failures = 0;
  /** Lambda bodies at `{` (by token index): a placeholder expression (true) or a block. */
  private readonly placeholderBodies = new Map<number, boolean>();

  constructor(
    private readonly source: string,
    fullTemplate = false,
  ) {
    this.tokens = tokenize(source, { fullTemplate });
    this.positions = new PositionMapper(source);
  }

  // ───────────────────────────── program and statements ─────────────────────────────

  program(): ParseResult {
    const first = this.peek();
    const declarations = this.statementsUntil(() => this.at('eof'));
    const eof = this.peek();
    const program: Program = { node: 'Program', declarations };
    this.spanTokens(program, first, eof);
    return { program, errors: this.errors };
  }

  fullTemplate(): { expr: Expr; errors: HogSyntaxError[] } {
    const start = this.next(); // the synthetic F' token
    const expr = this.templateBody(start, true);
    return { expr, errors: this.errors };
  }

  /** Declarations until `stop()` holds (or the end); error recovery happens here. */
  private statementsUntil(stop: () => boolean): Statement[] {
    const out: Statement[] = [];
    // Statements inside a block recover on their own: the enclosing statement's state is kept.
    const outer = this.statementFailed;
    while (!this.at('eof') && !stop()) {
      const before = this.pos;
      this.statementFailed = false;
      const s = this.declaration();
      if (s && !(s.node === 'ExprStatement' && s.expr === null)) out.push(s);
      if (this.hasFailed()) this.recover();
      if (this.pos === before) this.next(); // never loop without consuming
    }
    this.statementFailed = outer;
    return out;
  }

  private hasFailed(): boolean {
    return this.statementFailed;
  }

  /** After an error: skip to where the next statement can start. */
  private recover(): void {
    let depth = 0;
    while (!this.at('eof')) {
      const t = this.peek();
      if (depth === 0 && t.text === ';' && t.kind === 'punctuation') {
        this.next();
        return;
      }
      if (depth === 0 && t.text === '}' && t.kind === 'punctuation') return;
      if (depth === 0 && t.newlineBefore && isStatementKeyword(t)) return;
      if (t.kind === 'punctuation' && (t.text === '{' || t.text === '(' || t.text === '[')) depth++;
      if (t.kind === 'punctuation' && (t.text === '}' || t.text === ')' || t.text === ']')) depth = Math.max(0, depth - 1);
      this.next();
    }
  }

  private declaration(): Statement | null {
    if (this.depth >= MAX_DEPTH) {
      const node = this.tooDeep();
      return this.spanTokens({ node: 'ExprStatement', expr: node }, this.previous(), this.previous());
    }
    this.depth++;
    try {
      return this.declarationAt();
    } finally {
      this.depth--;
    }
  }

  private declarationAt(): Statement | null {
    const t = this.peek();
    if (t.kind === 'identifier') {
      switch (t.keyword) {
        case 'LET':
          return this.varDecl();
        case 'RETURN':
        case 'THROW':
          return this.returnOrThrow();
        case 'TRY':
          return this.tryCatch();
        case 'IF':
          if (this.isIfStatement()) return this.ifStatement();
          break;
        case 'WHILE':
          return this.whileStatement();
        case 'FOR':
          // A loop (`for (let x in …)` or with two ";"); else the call of a function "for" (valid, if odd).
          if (this.isForStatement()) return this.forStatement();
          break;
        case 'FN':
        case 'FUN':
          return this.functionDeclaration();
        default:
          break;
      }
    }
    // A block, unless it reads as a dict (`{'a': 1}` as a statement).
    if (this.isPunct('{') && !this.looksLikeDict()) return this.block();
    // A closing bracket where a statement starts closes nothing.
    if (t.kind === 'punctuation' && (t.text === '}' || t.text === ')' || t.text === ']')) {
      this.next();
      const open = t.text === '}' ? '{' : t.text === ')' ? '(' : '[';
      this.fail(t, `unexpected "${t.text}": there is no "${open}" open here`);
      return null;
    }
    if (this.isPunct(';')) {
      const semi = this.next();
      return this.spanTokens({ node: 'ExprStatement', expr: null }, semi, semi);
    }
    return this.assignmentOrExpression(true);
  }

  /** varAssignment | exprStmt (with the optional `;`). */
  private assignmentOrExpression(allowSemicolon: boolean): Statement {
    const first = this.peek();
    const left = this.expression({ namedArgument: false });
    if (this.isPunct(':=')) {
      this.next();
      const right = this.expression();
      if (allowSemicolon && this.isPunct(';')) this.next();
      return this.spanTokens({ node: 'VariableAssignment', left, right }, first, this.previous());
    }
    if (allowSemicolon && this.isPunct(';')) this.next();
    return this.spanTokens({ node: 'ExprStatement', expr: left }, first, this.previous());
  }

  private varDecl(): Statement {
    const start = this.next(); // let
    const name = this.identifier('a variable name after "let"');
    const names = this.nameRange(name);
    let expr: Expr | null = null;
    if (this.isPunct(':=')) {
      this.next();
      expr = this.expression();
    } else if (this.isPunct('=') || this.isPunct('==')) {
      this.fail(this.peek(), `Hog assigns with ":=": write "let ${name} := …"`);
    }
    return withNames(this.spanTokens({ node: 'VariableDeclaration', name, expr }, start, this.previous()), names);
  }

  private returnOrThrow(): Statement {
    const start = this.next();
    const isReturn = start.keyword === 'RETURN';
    let expr: Expr | null = null;
    if (this.startsExpression()) expr = this.expression();
    else if (!isReturn) this.fail(this.peek(), 'expected the value to throw after "throw"');
    if (this.isPunct(';')) this.next();
    const node: Statement = isReturn ? { node: 'ReturnStatement', expr } : { node: 'ThrowStatement', expr };
    return this.spanTokens(node, start, this.previous());
  }

  private tryCatch(): Statement {
    const start = this.next(); // try
    const tryStmt = this.block('"try"');
    const catches: [string | null, string | null, Block][] = [];
    const names: NameRange[] = [];
    while (this.isKeyword('CATCH')) {
      this.next();
      let name: string | null = null;
      let type: string | null = null;
      if (this.isPunct('(')) {
        const open = this.next();
        name = this.identifier('the name of the caught error');
        names.push(...this.nameRange(name));
        if (this.isPunct(':')) {
          this.next();
          type = this.identifier('an error type after ":"');
        }
        this.close(')', open);
      }
      catches.push([name, type, this.block('"catch"')]);
    }
    let finallyStmt: Block | null = null;
    if (this.isKeyword('FINALLY')) {
      this.next();
      finallyStmt = this.block('"finally"');
    }
    if (catches.length === 0 && !finallyStmt) this.fail(this.peek(), 'expected "catch" or "finally" after the "try" block');
    return withNames(this.spanTokens({ node: 'TryCatchStatement', try_stmt: tryStmt, catches, finally_stmt: finallyStmt }, start, this.previous()), names);
  }

  /**
   * At a `{`: true when the braces read as a dict — a ":" (not ":=", not a ternary's) at their top level
   * before any ";" or statement keyword. Decided by looking ahead, never by parsing twice (linear time).
   */
  private looksLikeDict(): boolean {
    let depth = 0;
    let ternaries = 0;
    for (let i = this.pos + 1; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (!t || t.kind === 'eof') return false;
      if (depth === 0 && t.kind === 'identifier' && isStatementKeyword(t)) return false;
      if (t.kind !== 'punctuation' && t.kind !== 'holeStart') continue;
      if (t.text === '(' || t.text === '[' || t.text === '{' || t.kind === 'holeStart') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        if (depth === 0) return false;
        depth--;
      } else if (depth === 0) {
        if (t.text === ';' || t.text === ':=') return false;
        if (t.text === '?') ternaries++;
        else if (t.text === ':') {
          if (ternaries === 0) return true;
          ternaries--;
        }
      }
    }
    return false;
  }

  /** At `for`: a loop when `(let x in` / `(let k, v in` follows, or the parentheses hold a ";". */
  private isForStatement(): boolean {
    if (this.peekAt(1)?.text !== '(') return false;
    let depth = 0;
    for (let i = this.pos + 1; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (!t || t.kind === 'eof') return true;
      if (depth === 1 && t.kind === 'identifier' && t.keyword === 'LET') return true;
      if (t.kind !== 'punctuation' && t.kind !== 'holeStart') continue;
      if (t.text === '(' || t.text === '[' || t.text === '{' || t.kind === 'holeStart') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        depth--;
        if (depth === 0) return false;
      } else if (t.text === ';' && depth === 1) return true;
    }
    return true;
  }

  /** `if (` … `)` with a single expression inside is a statement; `if(a, b, c)` is a call. */
  private isIfStatement(): boolean {
    const open = this.tokens[this.pos + 1];
    if (open?.kind !== 'punctuation' || open.text !== '(') return false;
    if (this.tokens[this.pos + 2]?.text === ')') return false; // if() is a call
    let depth = 0;
    for (let i = this.pos + 1; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (!t || t.kind === 'eof') return true;
      if (t.kind !== 'punctuation' && t.kind !== 'holeStart') continue;
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        depth--;
        if (depth === 0) return true;
      } else if (t.text === ',' && depth === 1) return false;
    }
    return true;
  }

  private ifStatement(): Statement {
    const start = this.next(); // if
    const open = this.expect('(', 'expected "(" after "if"');
    const expr = this.expression();
    this.closeHeader(open);
    const then = this.statement('the "if"');
    let elseStmt: Statement | null = null;
    if (this.isKeyword('ELSE')) {
      this.next();
      elseStmt = this.statement('"else"');
    }
    return this.spanTokens({ node: 'IfStatement', expr, then, else_: elseStmt }, start, this.previous());
  }

  private whileStatement(): Statement {
    const start = this.next();
    const open = this.expect('(', 'expected "(" after "while"');
    const expr = this.expression();
    this.closeHeader(open);
    const body = this.statement('the "while"');
    if (this.isPunct(';')) this.next();
    return this.spanTokens({ node: 'WhileStatement', expr, body }, start, this.previous());
  }

  private forStatement(): Statement {
    const start = this.next(); // for
    const open = this.expect('(', 'expected "(" after "for"');
    // for (let k, v in expr) / for (let v in expr)
    if (this.isKeyword('LET')) {
      const save = this.pos;
      this.next();
      const first = this.tryIdentifier();
      const names = first === undefined ? [] : this.nameRange(first);
      if (first !== undefined) {
        let second: string | undefined;
        if (this.isPunct(',')) {
          this.next();
          second = this.tryIdentifier();
          if (second !== undefined) names.push(...this.nameRange(second));
        }
        if (this.isKeyword('IN')) {
          this.next();
          const expr = this.expression();
          this.close(')', open);
          const body = this.statement('the "for"');
          if (this.isPunct(';')) this.next();
          const keyVar = second === undefined ? null : first;
          const valueVar = second ?? first;
          return withNames(this.spanTokens({ node: 'ForInStatement', keyVar, valueVar, expr, body }, start, this.previous()), names);
        }
      }
      this.pos = save;
    }
    const initializer = this.isPunct(';') ? null : this.forClause();
    this.expect(';', 'expected ";" after the loop initializer');
    const condition = this.isPunct(';') ? null : this.expression();
    this.expect(';', 'expected ";" after the loop condition');
    const increment = this.isPunct(')') ? null : this.forClause();
    this.close(')', open);
    const body = this.statement('the "for"');
    if (this.isPunct(';')) this.next();
    return this.spanTokens({ node: 'ForStatement', initializer, condition, increment, body }, start, this.previous());
  }

  /** varDecl | varAssignment | expression, inside `for (…;…;…)`. */
  private forClause(): Statement | Expr {
    if (this.isKeyword('LET')) return this.varDecl();
    const first = this.peek();
    const left = this.expression({ namedArgument: false });
    if (this.isPunct(':=')) {
      this.next();
      const right = this.expression();
      return this.spanTokens({ node: 'VariableAssignment', left, right }, first, this.previous());
    }
    return left;
  }

  private functionDeclaration(): Statement {
    const start = this.next(); // fn / fun
    const name = this.identifier(`a function name after "${start.text}"`);
    const names = this.nameRange(name);
    const open = this.expect('(', `expected "(" after the function name "${name}"`);
    const params: string[] = [];
    while (!this.isPunct(')') && !this.at('eof')) {
      const param = this.identifier('a parameter name');
      params.push(param);
      names.push(...this.nameRange(param));
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.close(')', open);
    const body = this.block(`the function "${name}"`);
    return withNames(this.spanTokens({ node: 'Function', name, params, body }, start, this.previous()), names);
  }

  /** A statement where the grammar wants one (if/while/for bodies). */
  private statement(owner: string): Statement {
    if (this.at('eof')) {
      this.fail(this.peek(), `expected a statement after ${owner}`);
      return this.spanTokens({ node: 'ExprStatement', expr: null }, this.peek(), this.peek());
    }
    return this.declaration() ?? this.spanTokens({ node: 'ExprStatement', expr: null }, this.peek(), this.peek());
  }

  private block(owner?: string): Block {
    const open = this.peek();
    if (!this.isPunct('{')) {
      this.fail(open, owner ? `expected "{" to start the body of ${owner}` : 'expected "{"');
      return this.spanTokens({ node: 'Block', declarations: [] }, open, open);
    }
    this.next();
    const declarations = this.statementsUntil(() => this.isPunct('}'));
    this.close('}', open);
    return this.spanTokens({ node: 'Block', declarations }, open, this.previous());
  }

  // ───────────────────────────── expressions ─────────────────────────────

  private expression(options: { namedArgument?: boolean } = {}): Expr {
    return this.binary(Prec.Lowest, options.namedArgument ?? true);
  }

  private binary(minPrec: Prec, namedArgument = true): Expr {
    const first = this.peek();
    if (this.depth >= MAX_DEPTH) return this.tooDeep();
    this.depth++;
    try {
      return this.binaryAt(minPrec, namedArgument, first);
    } finally {
      this.depth--;
    }
  }

  /** Nesting beyond MAX_DEPTH: one error, and the rest of the code is skipped (PostHog's parser overflows there too). */
  private tooDeep(): Expr {
    const t = this.peek();
    this.fail(t, `the code is nested too deeply here (more than ${MAX_DEPTH} levels of brackets, blocks and operators)`);
    const node = this.errorNode(t);
    this.pos = this.tokens.length - 1;
    return node;
  }

  private binaryAt(minPrec: Prec, namedArgument: boolean, first: Token): Expr {
    let left = this.unary(namedArgument);
    for (;;) {
      const t = this.peek();
      const kw = t.kind === 'identifier' ? t.keyword : undefined;
      const p = t.kind === 'punctuation' ? t.text : undefined;
      // Postfix: calls, access, casts.
      if (minPrec <= Prec.Postfix && p !== undefined && (p === '(' || p === '[' || p === '.' || p === '?.' || p === '::')) {
        const next = this.postfix(left, first);
        if (!next) break;
        left = next;
        continue;
      }
      if (minPrec <= Prec.Multiplicative && (p === '*' || p === '/' || p === '%')) {
        this.next();
        const right = this.binary(Prec.Multiplicative + 1);
        left = this.spanTokens({ node: 'ArithmeticOperation', op: p, left, right }, first, this.previous());
        continue;
      }
      if (minPrec <= Prec.Additive && (p === '+' || p === '-' || p === '||')) {
        this.next();
        const right = this.binary(Prec.Additive + 1);
        if (p === '||') {
          const args = left.node === 'Call' && left.name === 'concat' && (left as Spanned & { fromConcatOperator?: boolean }).fromConcatOperator ? left.args : [left];
          const call: Call & { fromConcatOperator?: boolean } = { node: 'Call', name: 'concat', args: [...args, right] };
          this.spanTokens(call, first, this.previous());
          Object.defineProperty(call, 'fromConcatOperator', { value: true, enumerable: false });
          left = call;
        } else left = this.spanTokens({ node: 'ArithmeticOperation', op: p, left, right }, first, this.previous());
        continue;
      }
      if (minPrec <= Prec.Compare) {
        const op = this.compareOperator();
        if (op) {
          const right = this.binary(Prec.Compare + 1);
          left = this.spanTokens({ node: 'CompareOperation', op, left, right }, first, this.previous());
          continue;
        }
      }
      if (minPrec <= Prec.IsNull && kw === 'IS') {
        const notNull = this.tokens[this.pos + 1]?.keyword === 'NOT';
        const distinct = this.tokens[this.pos + (notNull ? 2 : 1)];
        if (distinct?.keyword === 'DISTINCT' && this.tokens[this.pos + (notNull ? 3 : 2)]?.keyword === 'FROM') {
          this.pos += notNull ? 4 : 3;
          const right = this.binary(Prec.IsNull + 1);
          left = this.spanTokens({ node: 'IsDistinctFrom', left, right, negated: notNull }, first, this.previous());
          continue;
        }
        const nullTok = this.tokens[this.pos + (notNull ? 2 : 1)];
        if (nullTok?.keyword === 'NULL') {
          this.pos += notNull ? 3 : 2;
          left = this.spanTokens(
            { node: 'CompareOperation', op: notNull ? '!=' : '==', left, right: { node: 'Constant', value: null }, is_null_comparison_style: true },
            first,
            this.previous(),
          );
          continue;
        }
      }
      if (minPrec <= Prec.IsNull && p === '<=>') {
        this.next();
        const right = this.binary(Prec.IsNull + 1);
        left = this.spanTokens({ node: 'IsDistinctFrom', left, right, negated: true }, first, this.previous());
        continue;
      }
      if (minPrec <= Prec.Nullish && p === '??') {
        this.next();
        const right = this.binary(Prec.Nullish + 1);
        left = this.spanTokens({ node: 'Call', name: 'ifNull', args: [left, right] }, first, this.previous());
        continue;
      }
      if (minPrec <= Prec.And && kw === 'AND') {
        this.next();
        const right = this.binary(Prec.And + 1);
        left = this.spanTokens({ node: 'And', exprs: [...flatten(left, 'And'), ...flatten(right, 'And')] }, first, this.previous());
        continue;
      }
      if (minPrec <= Prec.Or && kw === 'OR') {
        this.next();
        const right = this.binary(Prec.Or + 1);
        left = this.spanTokens({ node: 'Or', exprs: [...flatten(left, 'Or'), ...flatten(right, 'Or')] }, first, this.previous());
        continue;
      }
      if (minPrec <= Prec.Between && (kw === 'BETWEEN' || (kw === 'NOT' && this.tokens[this.pos + 1]?.keyword === 'BETWEEN'))) {
        const negated = kw === 'NOT';
        this.pos += negated ? 2 : 1;
        const low = this.binary(Prec.Nullish);
        if (!this.isKeyword('AND')) this.fail(this.peek(), 'expected "and" in "between … and …"');
        else this.next();
        const high = this.binary(Prec.Nullish);
        left = this.spanTokens({ node: 'BetweenExpr', expr: left, low, high, negated }, first, this.previous());
        continue;
      }
      if (minPrec <= Prec.Ternary && p === '?') {
        const q = this.next();
        const then = this.expression();
        if (!this.isPunct(':')) {
          this.fail(this.peek(), `expected ":" to go with the "?" at ${this.where(q)}`);
          break;
        }
        this.next();
        const otherwise = this.binary(Prec.Ternary);
        left = this.spanTokens({ node: 'Call', name: 'if', args: [left, then, otherwise] }, first, this.previous());
        continue;
      }
      if (minPrec <= Prec.Lowest && kw === 'AS') {
        this.next();
        const a = this.peek();
        let alias: string;
        if (a.kind === 'string') {
          this.next();
          alias = stringValue(a.text).value;
        } else alias = this.identifier('an alias after "as"');
        left = this.spanTokens({ node: 'Alias', alias, expr: left }, first, this.previous());
        continue;
      }
      break;
    }
    return left;
  }

  /** A comparison operator at the cursor (consumed), as PostHog names it. */
  private compareOperator(): string | undefined {
    const t = this.peek();
    // `a <b and c`: the lexer took "<" for a tag, but no tag closes — the grammar reads a comparison.
    if (t.kind === 'tagOpen' && !this.tagCloses()) {
      this.next();
      return '<';
    }
    if (t.kind === 'punctuation') {
      const op = COMPARE_OPS[t.text];
      if (op) this.next();
      return op;
    }
    if (t.kind !== 'identifier') return undefined;
    let i = this.pos;
    let not = false;
    if (t.keyword === 'NOT') {
      not = true;
      i++;
    }
    const k = this.tokens[i]?.keyword;
    if (k === 'IN') {
      const cohort = this.tokens[i + 1]?.keyword === 'COHORT';
      this.pos = i + (cohort ? 2 : 1);
      return `${not ? 'not ' : ''}in${cohort ? ' cohort' : ''}`;
    }
    if (k === 'LIKE' || k === 'ILIKE') {
      this.pos = i + 1;
      return `${not ? 'not ' : ''}${k.toLowerCase()}`;
    }
    return undefined;
  }

  /** One postfix operation on `left`, or undefined when the token does not continue it. */
  private postfix(left: Expr, first: Token): Expr | undefined {
    const t = this.peek();
    switch (t.text) {
      case '(': {
        // A lambda on the next line is its own statement, not arguments.
        if (this.isLambdaAhead()) return undefined;
        const open = this.next();
        const args = this.expressionList(')', open);
        return this.spanTokens({ node: 'ExprCall', expr: left, args }, first, this.previous());
      }
      case '[': {
        const open = this.next();
        return this.indexOrSlice(left, first, open, false);
      }
      case '.': {
        const after = this.tokens[this.pos + 1];
        if (after && (after.kind === 'decimal' || after.kind === 'octal')) {
          this.pos += 2;
          return this.spanTokens({ node: 'TupleAccess', tuple: left, index: Number(after.text) }, first, after);
        }
        if (after && this.isIdentifierToken(after)) {
          this.pos += 2;
          return this.spanTokens({ node: 'ArrayAccess', array: left, property: { node: 'Constant', value: this.identifierValue(after) } }, first, after);
        }
        this.next();
        this.fail(this.peek(), 'expected a property name after "."');
        return left;
      }
      case '?.': {
        const after = this.tokens[this.pos + 1];
        if (after?.kind === 'punctuation' && after.text === '[') {
          this.pos += 2;
          return this.indexOrSlice(left, first, after, true);
        }
        if (after && (after.kind === 'decimal' || after.kind === 'octal')) {
          this.pos += 2;
          return this.spanTokens({ node: 'TupleAccess', tuple: left, index: Number(after.text), nullish: true }, first, after);
        }
        if (after && this.isIdentifierToken(after)) {
          this.pos += 2;
          return this.spanTokens({ node: 'ArrayAccess', array: left, property: { node: 'Constant', value: this.identifierValue(after) }, nullish: true }, first, after);
        }
        this.next();
        this.fail(this.peek(), 'expected a property name after "?."');
        return left;
      }
      case '::': {
        this.next();
        const type = this.identifier('a type after "::"');
        return this.spanTokens({ node: 'TypeCast', expr: left, type_name: type.toLowerCase() }, first, this.previous());
      }
      default:
        return undefined;
    }
  }

  private indexOrSlice(left: Expr, first: Token, open: Token, nullish: boolean): Expr {
    let startExpr: Expr | null = null;
    if (!this.isPunct(':')) startExpr = this.expression();
    if (this.isPunct(':')) {
      this.next();
      const endExpr = this.isPunct(']') ? null : this.expression();
      this.close(']', open);
      const slice: ArraySlice = { node: 'ArraySlice', array: left };
      if (startExpr) slice.start_expr = startExpr;
      if (endExpr) slice.end_expr = endExpr;
      return this.spanTokens(slice, first, this.previous());
    }
    this.close(']', open);
    const property = startExpr ?? this.errorNode(this.previous());
    const access: Expr = nullish ? { node: 'ArrayAccess', array: left, property, nullish: true } : { node: 'ArrayAccess', array: left, property };
    return this.spanTokens(access, first, this.previous());
  }

  /** Prefix operators, then a primary. */
  private unary(namedArgument = true): Expr {
    const t = this.peek();
    // `not (x)` is a call of the function "not" (ANTLR prefers the call); `not x` is Not.
    if (t.kind === 'identifier' && t.keyword === 'NOT' && !this.isLambdaAhead() && this.peekAt(1)?.text !== '(') {
      this.next();
      const expr = this.binary(Prec.Not);
      return this.spanTokens({ node: 'Not', expr }, t, this.previous());
    }
    if (t.kind === 'punctuation' && (t.text === '-' || t.text === '+')) {
      const number = this.signedNumber();
      if (number) return this.postfixLoop(number, t);
      if (t.text === '-') {
        this.next();
        const expr = this.binary(Prec.Negate);
        return this.spanTokens({ node: 'ArithmeticOperation', op: '-', left: { node: 'Constant', value: 0 }, right: expr }, t, this.previous());
      }
    }
    return this.primary(namedArgument);
  }

  /** Postfix operators after a literal primary (a signed number: `-1.5`, then `.x`?). */
  private postfixLoop(expr: Expr, first: Token): Expr {
    let left = expr;
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punctuation' || !['(', '[', '.', '?.', '::'].includes(t.text)) return left;
      const next = this.postfix(left, first);
      if (!next) return left;
      left = next;
    }
  }

  private primary(namedArgument = true): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'decimal':
      case 'octal':
      case 'hexadecimal':
      case 'binary':
      case 'float':
      case 'badNumber':
        return this.numberLiteral(undefined);
      case 'string': {
        this.next();
        const { value, badEscapes } = stringValue(t.text);
        if (t.unterminated) this.fail(t, "this string is never closed: add the closing quote (')", { start: t.start, end: t.start + 1 });
        else if (badEscapes.length) this.badEscape(t, badEscapes);
        return this.spanTokens({ node: 'Constant', value }, t, t);
      }
      case 'templateStart':
        this.next();
        return this.templateBody(t, false);
      case 'tagOpen':
        return this.tag();
      case 'quotedIdentifier':
      case 'identifier':
        return this.identifierExpression(namedArgument);
      case 'punctuation':
        return this.punctuationPrimary(t);
      case 'unexpected':
        this.next();
        this.fail(t, unexpectedCharacterMessage(t.text));
        return this.errorNode(t);
      case 'eof':
        this.fail(t, 'expected an expression, found the end of the code');
        return this.errorNode(t);
      default:
        this.next();
        this.fail(t, `unexpected ${describe(t)}`);
        return this.errorNode(t);
    }
  }

  private punctuationPrimary(t: Token): Expr {
    switch (t.text) {
      case '(': {
        if (this.isLambdaAhead()) return this.lambda();
        const open = this.next();
        if (this.queryAhead(this.pos)) return this.subquery(open);
        if (this.isPunct(')')) {
          this.next();
          this.fail(t, 'empty parentheses: an empty tuple is not allowed (did you mean "() -> …"?)');
          return this.errorNode(t);
        }
        const first = this.expression();
        if (this.isPunct(')')) {
          this.next();
          return first;
        }
        if (!this.isPunct(',')) {
          this.close(')', open);
          return first;
        }
        const exprs = [first];
        while (this.isPunct(',')) {
          this.next();
          if (this.isPunct(')')) break;
          exprs.push(this.expression());
        }
        this.close(')', open);
        return this.spanTokens({ node: 'Tuple', exprs }, open, this.previous());
      }
      case '[': {
        const open = this.next();
        const exprs = this.expressionList(']', open);
        return this.spanTokens({ node: 'Array', exprs }, open, this.previous());
      }
      case '{': {
        const open = this.next();
        if (this.isPunct('}')) {
          this.next();
          return this.spanTokens({ node: 'Dict', items: [] }, open, this.previous());
        }
        const key = this.expression();
        if (this.isPunct('}')) {
          this.next();
          return this.spanTokens({ node: 'Placeholder', expr: key }, open, this.previous());
        }
        const items: [Expr, Expr][] = [];
        let k: Expr | undefined = key;
        for (;;) {
          if (!k) break;
          if (!this.isPunct(':')) {
            this.fail(this.peek(), `expected ":" after the key of the dictionary opened at ${this.where(open)}`, undefined, open);
            break;
          }
          this.next();
          items.push([k, this.expression()]);
          if (this.missingComma('}', 'entries', open)) return this.spanTokens({ node: 'Dict', items }, open, this.previous());
          if (!this.isPunct(',')) break;
          this.next();
          k = this.isPunct('}') ? undefined : this.expression();
        }
        this.close('}', open);
        return this.spanTokens({ node: 'Dict', items }, open, this.previous());
      }
      case '*': {
        this.next();
        return this.spanTokens({ node: 'Field', chain: ['*'] }, t, t);
      }
      case '.': {
        // .5 — a float without its leading zero.
        const after = this.tokens[this.pos + 1];
        if (after && (after.kind === 'decimal' || after.kind === 'octal')) return this.numberLiteral(undefined);
        break;
      }
      case '#': {
        const after = this.tokens[this.pos + 1];
        if (after?.kind === 'decimal') {
          this.pos += 2;
          return this.spanTokens({ node: 'PositionalRef', index: Number(after.text) }, t, after);
        }
        break;
      }
      default:
        break;
    }
    // A closing bracket is left for whoever opened it (consuming it would unbalance every block around).
    if (!(t.text === ')' || t.text === ']' || t.text === '}')) this.next();
    this.fail(t, this.unexpectedPunctuationMessage(t));
    return this.errorNode(t);
  }

  private atCloser(): boolean {
    const t = this.peek();
    return t.kind === 'punctuation' && (t.text === ')' || t.text === ']' || t.text === '}');
  }

  /** Identifier-led primaries: keywords with their own syntax, lambdas, calls, named arguments, fields. */
  private identifierExpression(namedArgument: boolean): Expr {
    const t = this.peek();
    if (this.isLambdaAhead()) return this.lambda();
    const kw = t.kind === 'identifier' ? t.keyword : undefined;
    switch (kw) {
      case 'NULL':
        this.next();
        return this.spanTokens({ node: 'Constant', value: null }, t, t);
      case 'INF':
      case 'NAN':
        return this.numberLiteral(undefined);
      case 'CASE':
        return this.caseExpression();
      case 'CAST':
        if (this.peekAt(1)?.text === '(') return this.castExpression();
        break;
      case 'INTERVAL': {
        const save = this.pos;
        this.next();
        const value = this.binary(Prec.Postfix);
        const unit = this.peek();
        if (unit.kind === 'identifier' && unit.keyword && INTERVAL_UNITS[unit.keyword]) {
          this.next();
          return this.spanTokens({ node: 'Call', name: `toInterval${INTERVAL_UNITS[unit.keyword] ?? ''}`, args: [value] }, t, unit);
        }
        this.pos = save;
        break;
      }
      case 'LAMBDA': {
        // lambda x, y: expr
        const save = this.pos;
        this.next();
        const args: string[] = [];
        while (!this.isPunct(':')) {
          const name = this.tryIdentifier();
          if (name === undefined) break;
          args.push(name);
          if (!this.isPunct(',')) break;
          this.next();
        }
        if (this.isPunct(':')) {
          this.next();
          const body = this.expression();
          return this.spanTokens({ node: 'Lambda', args, expr: body }, t, this.previous());
        }
        this.pos = save;
        break;
      }
      case 'TRIM': {
        // trim(leading|trailing|both 'x' from expr)
        const side = this.peekAt(2)?.keyword;
        if (this.peekAt(1)?.text === '(' && (side === 'LEADING' || side === 'TRAILING' || side === 'BOTH')) {
          this.next();
          const open = this.next();
          this.next();
          const chars = this.primary();
          if (!this.isKeyword('FROM')) this.fail(this.peek(), 'expected "from" in "trim(… from …)"');
          else this.next();
          const expr = this.expression();
          this.close(')', open);
          const name = side === 'LEADING' ? 'trimLeft' : side === 'TRAILING' ? 'trimRight' : 'trim';
          return this.spanTokens({ node: 'Call', name, args: [expr, chars] }, t, this.previous());
        }
        break;
      }
      case 'ARRAY':
        if (this.peekAt(1)?.text === '[') {
          // array[1, 2] is [1, 2]
          this.next();
          const open = this.next();
          const exprs = this.expressionList(']', open);
          return this.spanTokens({ node: 'Array', exprs }, t, this.previous());
        }
        break;
      default:
        break;
    }
    const next = this.peekAt(1);
    // Named argument: name := value (not at the start of a statement, where it is an assignment).
    if (namedArgument && next?.kind === 'punctuation' && next.text === ':=' && this.isIdentifierToken(t)) {
      this.next();
      this.next();
      const value = this.expression();
      return { node: 'NamedArgument', name: this.identifierValue(t), value };
    }
    // Function call: name(args) or name(params)(args).
    if (next?.kind === 'punctuation' && next.text === '(' && this.isIdentifierToken(t)) return this.call();
    // Field chain: a.b.c (identifiers only; `.1` and anything after a call are access nodes).
    if (!this.isIdentifierToken(t) && t.kind !== 'quotedIdentifier') {
      this.next();
      this.fail(t, `"${t.text}" is a keyword here: expected an expression`);
      return this.errorNode(t);
    }
    this.next();
    const chain: string[] = [this.identifierValue(t)];
    let last = t;
    while (this.isPunct('.')) {
      const after = this.peekAt(1);
      if (!after || !(this.isIdentifierToken(after) || after.kind === 'quotedIdentifier')) break;
      // `a.b(` — the call applies to the whole chain: ExprCall(Field a.b).
      this.pos += 2;
      chain.push(this.identifierValue(after));
      last = after;
    }
    if (chain.length === 1 && t.kind === 'identifier') {
      const lower = t.text.toLowerCase();
      if (lower === 'true' || lower === 'false') return this.spanTokens({ node: 'Constant', value: lower === 'true' }, t, t);
    }
    const field: Field = { node: 'Field', chain };
    return this.spanTokens(field, t, last);
  }

  private call(): Expr {
    const nameTok = this.next();
    const name = this.identifierValue(nameTok);
    const open = this.next(); // (
    if (this.selectStartsAt(this.pos, true) || (this.isKeyword('WITH') && this.selectAtLevel(this.pos + 1))) {
      // `run(select …)`: the query is the one argument (PostHog's Call then has only name and args).
      const query = this.selectSet() as unknown as Expr;
      this.close(')', open);
      return this.spanTokens({ node: 'Call', name, args: [query] }, nameTok, this.previous());
    }
    let distinct = false;
    if (this.isKeyword('DISTINCT') && !this.isLambdaAheadAt(this.pos)) {
      this.next();
      distinct = true;
    }
    let args = this.expressionList(')', open);
    let params: Expr[] | null = null;
    if (this.isPunct('(')) {
      // name(params)(args): HogQL's parametric functions.
      const open2 = this.next();
      params = args;
      if (this.isKeyword('DISTINCT')) {
        this.next();
        distinct = true;
      }
      args = this.expressionList(')', open2);
    }
    if (this.isKeyword('OVER')) {
      // A window function: `sum(x) over (partition by …)` or `over w` (a named window).
      this.next();
      const fn: Opaque = { node: 'WindowFunction', name, exprs: params ?? args, args: params ? args : [] };
      if (this.isPunct('(')) {
        const open2 = this.next();
        fn.over_expr = this.windowExpr();
        this.close(')', open2);
      } else fn.over_identifier = this.identifier('a window name or "(…)" after "over"');
      return this.spanTokens(fn, nameTok, this.previous()) as unknown as Expr;
    }
    const call: Call = { node: 'Call', name, args, params, distinct, filter_expr: null, order_by: null };
    return this.spanTokens(call, nameTok, this.previous());
  }

  /** Expressions separated by commas (a trailing comma allowed) up to the closing `close`. */
  private expressionList(close: string, open: Token): Expr[] {
    const out: Expr[] = [];
    while (!this.isPunct(close)) {
      if (this.at('eof') || this.atCloser()) break; // another bracket closes: this one was left open
      out.push(this.expression());
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      if (this.missingComma(close, close === ']' ? 'elements' : 'arguments', open)) return out;
      break;
    }
    this.close(close, open);
    return out;
  }

  /** At a tagOpen token: does the opening tag end (with ">" or "/>") before anything a tag cannot hold? */
  private tagCloses(): boolean {
    let depth = 0;
    for (let i = this.pos + 1; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (!t || t.kind === 'eof') return false;
      if (t.kind !== 'punctuation') {
        if (depth === 0 && t.kind !== 'identifier' && t.kind !== 'string') return false;
        continue;
      }
      if (t.text === '{') depth++;
      else if (t.text === '}') depth--;
      else if (depth === 0) return t.text === '>' || t.text === '/>' || t.text === '=';
    }
    return false;
  }

  /** True when a lambda starts here: `x ->`, `x, y ->`, `(x, y) ->`, `() ->`. */
  private isLambdaAhead(): boolean {
    return this.isLambdaAheadAt(this.pos);
  }

  private isLambdaAheadAt(at: number): boolean {
    let i = at;
    const t = this.tokens[i];
    if (!t) return false;
    const paren = t.kind === 'punctuation' && t.text === '(';
    if (paren) i++;
    if (paren && this.tokens[i]?.text === ')' && this.tokens[i]?.kind === 'punctuation') return this.tokens[i + 1]?.text === '->';
    for (;;) {
      const id = this.tokens[i];
      if (!id || !this.isIdentifierToken(id)) return false;
      i++;
      const sep = this.tokens[i];
      if (sep?.kind === 'punctuation' && sep.text === ',') {
        i++;
        const after = this.tokens[i];
        if (after?.kind === 'punctuation' && (after.text === '->' || after.text === ')')) {
          if (paren && after.text === ')') return this.tokens[i + 1]?.text === '->';
          return !paren && after.text === '->';
        }
        continue;
      }
      if (paren) return sep?.kind === 'punctuation' && sep.text === ')' && this.tokens[i + 1]?.text === '->';
      return sep?.kind === 'punctuation' && sep.text === '->';
    }
  }

  private lambda(): Lambda {
    const first = this.peek();
    const paren = this.isPunct('(');
    if (paren) this.next();
    const args: string[] = [];
    const names: NameRange[] = [];
    while (!this.isPunct('->') && !this.isPunct(')')) {
      const arg = this.next();
      args.push(this.identifierValue(arg));
      names.push([arg.start, arg.end]);
      if (this.isPunct(',')) this.next();
    }
    if (paren) this.next(); // )
    this.next(); // ->
    let body: Expr | Block;
    if (this.isPunct('{')) {
      // PostHog tries an expression first: `{}` and `{k: v}` are dicts, `{ expr }` a placeholder;
      // anything else is a block. The try is remembered per position, so nested lambdas stay linear.
      const at = this.pos;
      const empty = this.peekAt(1)?.text === '}';
      let asExpression = empty || this.looksLikeDict();
      if (!asExpression) {
        asExpression = this.placeholderBodies.get(at) ?? this.tryPlaceholder();
        this.placeholderBodies.set(at, asExpression);
      }
      body = asExpression ? this.expression() : this.block('the lambda');
    } else body = this.expression();
    return withNames(this.spanTokens({ node: 'Lambda', args, expr: body }, first, this.previous()), names);
  }

  private caseExpression(): Expr {
    const start = this.next(); // case
    let subject: Expr | undefined;
    if (!this.isKeyword('WHEN')) subject = this.expression();
    const parts: Expr[] = [];
    while (this.isKeyword('WHEN')) {
      this.next();
      parts.push(this.expression());
      if (!this.isKeyword('THEN')) {
        this.fail(this.peek(), 'expected "then" after the "when" condition');
        break;
      }
      this.next();
      parts.push(this.expression());
    }
    let otherwise: Expr = { node: 'Constant', value: null };
    if (this.isKeyword('ELSE')) {
      this.next();
      otherwise = this.expression();
    }
    if (!this.isKeyword('END')) this.fail(this.peek(), `expected "end" to close the "case" at ${this.where(start)}`);
    else this.next();
    if (subject) {
      return this.spanTokens({ node: 'Call', name: '_caseWithExpression', args: [subject, ...parts, otherwise] }, start, this.previous());
    }
    const name = parts.length > 2 ? 'multiIf' : 'if';
    return this.spanTokens({ node: 'Call', name, args: [...parts, otherwise] }, start, this.previous());
  }

  private castExpression(): Expr {
    const start = this.next(); // cast
    const open = this.next(); // (
    const expr = this.binary(Prec.Ternary); // not an alias: "as" starts the type
    if (!this.isKeyword('AS')) this.fail(this.peek(), 'expected "as" and a type in "cast(… as Type)"');
    else this.next();
    const type = this.identifier('a type name');
    this.close(')', open);
    return this.spanTokens({ node: 'TypeCast', expr, type_name: type.toLowerCase() }, start, this.previous());
  }

  /**
   * Whether a query starts at token `i` (just inside a parenthesis): `select`, `with … select` (a `with`
   * whose parenthesis holds a `select` at its own level; `with` alone can name a variable), or a query in
   * parentheses followed by `union`/`intersect`/`except`. Bounded by the parenthesis' length.
   */
  private queryAhead(i: number): boolean {
    let j = i;
    while (this.tokens[j]?.kind === 'punctuation' && this.tokens[j]?.text === '(') j++;
    const t = this.tokens[j];
    const startsQuery = this.selectStartsAt(j) || (t?.keyword === 'WITH' && this.selectAtLevel(j + 1));
    if (!startsQuery || j === i) return startsQuery;
    // `((select …) union all …)`: a parenthesised query, then a set operator.
    const close = this.matchingClose(i);
    const after = close === undefined ? undefined : this.tokens[close + 1]?.keyword;
    return after === 'UNION' || after === 'INTERSECT' || after === 'EXCEPT';
  }

  /** Whether token `i` is a `select` that starts a query: not the name `select` (`print(select, from)`, `select.x`). */
  private selectStartsAt(i: number, inCall = false): boolean {
    if (this.tokens[i]?.keyword !== 'SELECT') return false;
    const after = this.tokens[i + 1];
    if (!after || after.kind === 'eof') return false;
    // As a call's argument, `select[1]` indexes a variable named select; in parentheses it starts a query.
    return !(after.kind === 'punctuation' && [',', ')', ']', '}', ';', ':=', '.', '?.', ...(inCall ? ['['] : [])].includes(after.text));
  }

  /** Whether a `select` follows at the bracket level of token `i`, before that level closes. */
  private selectAtLevel(i: number): boolean {
    for (let k = i, depth = 0; k < this.tokens.length; k++) {
      const u = this.tokens[k];
      if (!u || u.kind === 'eof') return false;
      if (u.kind === 'punctuation' && u.text === '(') depth++;
      else if (u.kind === 'punctuation' && u.text === ')') {
        if (depth === 0) return false;
        depth--;
      } else if (depth === 0 && this.selectStartsAt(k)) return true;
    }
    return false;
  }

  /** The index of the `)` closing the `(` at token `i`, if it is closed. */
  private matchingClose(i: number): number | undefined {
    for (let k = i + 1, depth = 0; k < this.tokens.length; k++) {
      const u = this.tokens[k];
      if (!u || u.kind === 'eof') return undefined;
      if (u.kind === 'punctuation' && u.text === '(') depth++;
      else if (u.kind === 'punctuation' && u.text === ')') {
        if (depth === 0) return k;
        depth--;
      }
    }
    return undefined;
  }

  /** `(select …)` in Hog: the query (or a set of queries) as PostHog's parser returns it; the parentheses are not part of it. */
  private subquery(open: Token): Expr {
    const query = this.selectSet();
    this.close(')', open);
    return query as unknown as Expr;
  }

  // ───────────────────────────── embedded HogQL SELECT ─────────────────────────────

  /** selectSetStmt: a query, then `union all` / `union distinct` / `intersect` / `except` queries. */
  private selectSet(): Opaque {
    const first = this.peek();
    const initial = this.selectWithParens();
    const subsequent: Opaque[] = [];
    for (;;) {
      const op = this.setOperator();
      if (!op) break;
      subsequent.push({ node: 'SelectSetNode', select_query: this.selectWithParens(), set_operator: op });
    }
    if (subsequent.length === 0) return initial;
    return this.spanTokens({ node: 'SelectSetQuery', initial_select_query: initial, subsequent_select_queries: subsequent }, first, this.previous());
  }

  /** `union [all|distinct] [by name]` (plain: distinct), `intersect [all|distinct] [by name]`, `except [all] [by name]`, consumed. */
  private setOperator(): string | undefined {
    const t = this.peek();
    if (t.keyword !== 'UNION' && t.keyword !== 'INTERSECT' && t.keyword !== 'EXCEPT') return undefined;
    const words = [t.keyword];
    let i = this.pos + 1;
    const quantifier = this.tokens[i]?.keyword;
    if (quantifier === 'ALL' || (quantifier === 'DISTINCT' && t.keyword !== 'EXCEPT')) {
      words.push(quantifier);
      i++;
    } else if (t.keyword === 'UNION') words.push('DISTINCT'); // a plain union is a distinct one
    if (this.tokens[i]?.keyword === 'BY' && this.tokens[i + 1]?.keyword === 'NAME') {
      words.push('BY', 'NAME');
      i += 2;
    }
    this.pos = i;
    return words.join(' ');
  }

  /** selectStmtWithParens: `select …`, `with … select …`, `(` a set `)` or a `{placeholder}`. */
  private selectWithParens(): Opaque {
    if (this.isPunct('(')) {
      const open = this.next();
      const inner = this.selectSet();
      this.close(')', open);
      return inner;
    }
    if (this.isPunct('{')) return this.primary() as unknown as Opaque;
    return this.selectStatement();
  }

  private selectStatement(): Opaque {
    const first = this.peek();
    const ctes = this.isKeyword('WITH') ? this.withClause() : null;
    if (!this.isKeyword('SELECT')) {
      this.fail(this.peek(), `expected "select", found ${describe(this.peek())}`);
      return this.spanTokens({ node: 'SelectQuery', select: [] }, first, this.previous());
    }
    this.next();
    let distinct: boolean | null = null;
    if (this.isKeyword('DISTINCT')) {
      this.next();
      distinct = true;
    }
    const select = this.columnList();
    const query: Opaque = { node: 'SelectQuery', ctes, distinct, select, select_from: null, prewhere: null, where: null, group_by: null, having: null, qualify: null };
    if (this.isKeyword('FROM')) {
      this.next();
      query.select_from = this.joinExpr();
    }
    const arrayJoin = this.arrayJoinOperator();
    if (arrayJoin) {
      query.array_join_op = arrayJoin;
      const list = this.columnList();
      const unnamed = list.find((e) => e.node !== 'Alias');
      if (unnamed) this.failAt(unnamed, 'each array of an "array join" needs a name: "… as name"');
      query.array_join_list = list;
    }
    if (this.isKeyword('PREWHERE')) {
      this.next();
      query.prewhere = this.expression();
    }
    if (this.isKeyword('WHERE')) {
      this.next();
      query.where = this.expression();
    }
    if (this.isKeyword('GROUP') && this.tokens[this.pos + 1]?.keyword === 'BY') {
      this.pos += 2;
      query.group_by = this.columnList();
    }
    if (this.isKeyword('HAVING')) {
      this.next();
      query.having = this.expression();
    }
    if (this.isKeyword('QUALIFY')) {
      this.next();
      query.qualify = this.expression();
    }
    if (this.isKeyword('WINDOW')) {
      this.next();
      const windows: Record<string, Opaque> = {};
      do {
        if (Object.keys(windows).length > 0) this.next(); // ,
        const name = this.identifier('a window name');
        if (!this.isKeyword('AS')) this.fail(this.peek(), 'expected "as (…)" after the window name');
        else this.next();
        const open = this.expect('(', 'expected "(" to open the window');
        windows[name] = this.windowExpr();
        this.close(')', open);
      } while (this.isPunct(','));
      query.window_exprs = windows;
    }
    if (this.isKeyword('ORDER') && this.tokens[this.pos + 1]?.keyword === 'BY') {
      this.pos += 2;
      query.order_by = this.orderList();
    }
    const end = this.limitClauses(query);
    const t = this.peek();
    if (t.keyword === 'SETTINGS') this.fail(t, 'PostHog does not support "settings" in a query');
    else if (t.keyword && ['ARRAY', 'WITH', 'TOP', 'INTO', 'LIMIT'].includes(t.keyword)) {
      this.fail(t, `"${t.text}" here in a query is not supported by this extension's parser yet`);
    }
    return this.spanTokens(query, first, end ?? this.previous());
  }

  /** An error over a parsed node's source range. */
  private failAt(node: Expr, message: string): void {
    const range = (Object.getOwnPropertyDescriptor(node, 'range')?.value ?? [0, 0]) as readonly [number, number];
    this.fail(this.peek(), message, { start: range[0], end: range[1] });
  }

  /** `limit n [offset m | , m] [with ties]`, `limit n [offset m] by exprs` (then maybe another limit), `offset m`. */
  private limitClauses(query: Opaque): Token | undefined {
    let end: Token | undefined;
    for (let round = 0; round < 2 && (this.isKeyword('LIMIT') || this.isKeyword('OFFSET')); round++) {
      if (this.isKeyword('OFFSET')) {
        this.next();
        query.offset = this.expression();
        return end;
      }
      const first = this.next(); // limit
      const n = this.expression();
      const limitEnd = this.previous();
      let second: Expr | undefined;
      const viaOffset = this.isKeyword('OFFSET');
      if (this.isPunct(',') || viaOffset) {
        this.next();
        second = this.expression();
      }
      if (this.isKeyword('BY')) {
        this.next();
        const exprs = this.columnList();
        query.limit_by = this.spanTokens({ node: 'LimitByExpr', n, offset_value: second ?? null, exprs }, first, this.previous());
        continue;
      }
      query.limit = n;
      if (second) query.offset = second;
      // PostHog's span of the query then ends at the limit when "offset" (not ",") followed it.
      if (second && viaOffset) end = limitEnd;
      if (this.isKeyword('WITH') && this.tokens[this.pos + 1]?.keyword === 'TIES') {
        this.pos += 2;
        query.limit_with_ties = true;
      }
      return end;
    }
    return end;
  }

  /** `array join` / `left array join` / `inner array join`, consumed; undefined when none is here. */
  private arrayJoinOperator(): string | undefined {
    const t = this.peek();
    const lead = t.keyword === 'LEFT' || t.keyword === 'INNER' ? `${t.keyword} ` : '';
    const i = this.pos + (lead ? 1 : 0);
    if (this.tokens[i]?.keyword !== 'ARRAY' || this.tokens[i + 1]?.keyword !== 'JOIN') return undefined;
    this.pos = i + 2;
    return `${lead}ARRAY JOIN`;
  }

  /** The inside of `over (…)` / `window w as (…)`: partition by, order by (frames are not modelled yet). */
  private windowExpr(): Opaque {
    const first = this.peek();
    const node: Opaque = { node: 'WindowExpr', partition_by: null, order_by: null, frame_start: null, frame_end: null };
    if (this.isKeyword('PARTITION') && this.tokens[this.pos + 1]?.keyword === 'BY') {
      this.pos += 2;
      node.partition_by = this.columnList();
    }
    if (this.isKeyword('ORDER') && this.tokens[this.pos + 1]?.keyword === 'BY') {
      this.pos += 2;
      node.order_by = this.orderList();
    }
    if (this.isKeyword('ROWS') || this.isKeyword('RANGE')) this.fail(this.peek(), 'window frames ("rows …", "range …") are not supported by this extension\'s parser yet');
    return this.spanTokens(node, first, this.previous());
  }

  /** `with name as (select …), expr as name, …` */
  private withClause(): Opaque[] {
    this.next(); // with
    const ctes: Opaque[] = [];
    do {
      if (ctes.length > 0) this.next(); // ,
      const first = this.peek();
      const after = this.tokens[this.pos + 1];
      if (this.isIdentifierToken(first) && after?.keyword === 'AS' && this.tokens[this.pos + 2]?.text === '(') {
        const name = this.identifier('a name');
        this.next(); // as
        const open = this.next(); // (
        const expr = this.selectSet();
        this.close(')', open);
        ctes.push(this.spanTokens({ node: 'CTE', name, expr, cte_type: 'subquery', columns: null, materialized: null, using_key: null }, first, this.previous()));
      } else {
        const expr = this.binary(Prec.Ternary);
        if (!this.isKeyword('AS')) this.fail(this.peek(), 'expected "as" and a name in "with … as name"');
        else this.next();
        const name = this.identifier('a name after "as"');
        ctes.push(this.spanTokens({ node: 'CTE', name, expr, cte_type: 'column' }, first, this.previous()));
      }
    } while (this.isPunct(','));
    return ctes;
  }

  /** Columns separated by commas; `expr alias` (without "as") names a column too. */
  private columnList(): Expr[] {
    const out: Expr[] = [];
    for (;;) {
      const first = this.peek();
      let e = this.expression();
      const t = this.peek();
      if (t.kind === 'quotedIdentifier' || (t.kind === 'identifier' && t.keyword === undefined)) {
        this.next();
        e = this.spanTokens({ node: 'Alias', alias: this.identifierValue(t), expr: e }, first, t);
      }
      out.push(e);
      if (!this.isPunct(',')) return out;
      this.next();
    }
  }

  private orderList(): Opaque[] {
    const out: Opaque[] = [];
    for (;;) {
      const first = this.peek();
      const expr = this.expression();
      let order = 'ASC';
      if (this.isKeyword('ASCENDING')) this.next();
      else if (this.isKeyword('DESC') || this.isKeyword('DESCENDING')) {
        this.next();
        order = 'DESC';
      }
      if (this.isKeyword('NULLS') && (this.tokens[this.pos + 1]?.keyword === 'FIRST' || this.tokens[this.pos + 1]?.keyword === 'LAST')) this.pos += 2;
      out.push(this.spanTokens({ node: 'OrderExpr', expr, order }, first, this.previous()));
      if (!this.isPunct(',')) return out;
      this.next();
    }
  }

  /** The FROM clause: a table, then joins, as PostHog's linked list of JoinExpr (`next_join`). */
  private joinExpr(): Opaque {
    const head = this.joinTable();
    let last = head;
    for (;;) {
      if (this.isPunct(',') || (this.isKeyword('CROSS') && this.tokens[this.pos + 1]?.keyword === 'JOIN')) {
        this.pos += this.isPunct(',') ? 1 : 2;
        const next = this.joinTable();
        next.join_type = 'CROSS JOIN';
        last.next_join = next;
        last = next;
        continue;
      }
      const type = this.joinOperator();
      if (type === undefined) return head;
      const next = this.joinTable();
      next.join_type = `${type}JOIN`;
      const constraint = this.joinConstraint();
      if (constraint) next.constraint = constraint;
      last.next_join = next;
      last = next;
    }
  }

  /** The operator before JOIN ("LEFT ", "ANY INNER ", "" …), consumed with the JOIN; undefined when no join follows. */
  private joinOperator(): string | undefined {
    let i = this.pos;
    const word = (k: number): string => {
      const t = this.tokens[k];
      return t?.kind === 'identifier' ? t.text.toUpperCase() : '';
    };
    if (word(i) === 'GLOBAL' || word(i) === 'LOCAL') i++;
    const words: string[] = [];
    while (['INNER', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'SEMI', 'ANTI', 'ANY', 'ALL', 'ASOF'].includes(word(i)) && words.length < 4) words.push(word(i++));
    if (word(i) !== 'JOIN') return undefined;
    this.pos = i + 1;
    if (words.length === 0) return '';
    const side = words.find((w) => w === 'LEFT' || w === 'RIGHT' || w === 'FULL');
    const outer = words.includes('OUTER') ? ' OUTER' : '';
    const modifier = words.find((w) => ['SEMI', 'ANTI', 'ANY', 'ALL', 'ASOF'].includes(w));
    if (side) return `${side}${outer}${modifier ? ` ${modifier}` : ''} `;
    return modifier ? `${modifier} INNER ` : 'INNER ';
  }

  private joinConstraint(): Opaque | undefined {
    const t = this.peek();
    if (t.keyword !== 'ON' && t.keyword !== 'USING') {
      this.fail(t, `expected "on …" or "using (…)" after the join, found ${describe(t)}`);
      return undefined;
    }
    this.next();
    let expr: Expr;
    if (t.keyword === 'USING' && this.isPunct('(')) {
      const open = this.next();
      const list = this.columnList();
      this.close(')', open);
      expr = list[0] ?? this.errorNode(open);
      if (list.length > 1) this.fail(open, 'PostHog supports one column in "using (…)"');
    } else {
      const list = this.columnList();
      expr = list[0] ?? this.errorNode(t);
      if (list.length > 1) this.fail(t, 'PostHog does not support a join "on" several expressions separated by commas: combine them with "and"');
    }
    return this.spanTokens({ node: 'JoinConstraint', expr, constraint_type: t.keyword }, t, this.previous());
  }

  /** tableExpr FINAL? (SAMPLE ratio (OFFSET ratio)?)?, with its alias. */
  private joinTable(): Opaque {
    const first = this.peek();
    let table: Expr;
    if (this.isPunct('(') && (this.tokens[this.pos + 1]?.keyword === 'SELECT' || this.tokens[this.pos + 1]?.keyword === 'WITH')) {
      const open = this.next();
      table = this.selectSet() as unknown as Expr;
      this.close(')', open);
    } else if (this.isPunct('{')) {
      table = this.primary();
    } else {
      table = this.tableName();
    }
    const node: Opaque = { node: 'JoinExpr', table, alias: null, table_final: null, sample: null, next_join: null };
    if (table.node === 'Field' && table.chain.length === 1 && this.isPunct('(')) {
      // A table function, `numbers(10)`: PostHog keeps its name as a Field without a position.
      const open = this.next();
      node.table = { node: 'Field', chain: table.chain };
      node.table_args = this.expressionList(')', open);
      // PostHog's span of a table function ends at its ")", whatever follows.
      const end = this.previous();
      this.tableAlias(node);
      if (this.isKeyword('FINAL')) {
        this.next();
        node.table_final = true;
      }
      if (this.isKeyword('SAMPLE')) node.sample = this.sampleClause();
      return this.spanTokens(node, first, end);
    }
    this.tableAlias(node);
    // PostHog's span: with an alias, the table and its alias (FINAL and SAMPLE after it are left out).
    const aliased = node.alias !== null ? this.previous() : undefined;
    if (this.isKeyword('FINAL')) {
      this.next();
      node.table_final = true;
    }
    if (this.isKeyword('SAMPLE')) node.sample = this.sampleClause();
    return this.spanTokens(node, first, aliased ?? this.previous());
  }

  /** `as name` or a bare name after a table. */
  private tableAlias(node: Opaque): void {
    const a = this.peek();
    if (a.keyword === 'AS') {
      this.next();
      node.alias = this.identifier('an alias after "as"');
      node.column_aliases = null;
    } else if (a.kind === 'quotedIdentifier' || (a.kind === 'identifier' && a.keyword === undefined && !['GLOBAL', 'LOCAL'].includes(a.text.toUpperCase()))) {
      this.next();
      node.alias = this.identifierValue(a);
      node.column_aliases = null;
    }
  }

  /** A table: a dotted name (a table function's name before its arguments). */
  private tableName(): Field {
    const first = this.peek();
    const chain: string[] = [this.identifier('a table name')];
    while (this.isPunct('.') && this.isIdentifierToken(this.tokens[this.pos + 1] ?? this.peek())) {
      this.next();
      chain.push(this.identifierValue(this.next()));
    }
    return this.spanTokens({ node: 'Field', chain }, first, this.previous());
  }

  private sampleClause(): Opaque {
    const first = this.next(); // sample
    const sample_value = this.ratio();
    let offset_value: Opaque | null = null;
    if (this.isKeyword('OFFSET')) {
      this.next();
      offset_value = this.ratio();
    }
    return this.spanTokens({ node: 'SampleExpr', sample_value, offset_value }, first, this.previous());
  }

  private ratioNumber(): Expr {
    const t = this.peek();
    const after = this.tokens[this.pos + 1];
    if (
      ['decimal', 'octal', 'hexadecimal', 'binary', 'float'].includes(t.kind) ||
      (t.kind === 'punctuation' && t.text === '.' && (after?.kind === 'decimal' || after?.kind === 'octal'))
    ) {
      return this.numberLiteral(undefined);
    }
    this.fail(t, `expected a number in "sample", found ${describe(t)}`);
    return this.errorNode(t);
  }

  /** numberLiteral ("/" numberLiteral)? */
  private ratio(): Opaque {
    const first = this.peek();
    const left = this.ratioNumber();
    let right: Expr | null = null;
    if (this.isPunct('/')) {
      this.next();
      right = this.ratioNumber();
    }
    return this.spanTokens({ node: 'RatioExpr', left, right }, first, this.previous());
  }

  private tag(): HogQLXTag {
    const open = this.next(); // <
    const kind = this.identifier('a tag name after "<"');
    const attributes: HogQLXAttribute[] = [];
    while (this.peek().kind === 'identifier') {
      const nameTok = this.next();
      if (!this.isPunct('=')) {
        attributes.push(this.spanTokens({ node: 'HogQLXAttribute', name: nameTok.text, value: { node: 'Constant', value: true } }, nameTok, nameTok));
        continue;
      }
      this.next();
      let value: Expr;
      const v = this.peek();
      if (v.kind === 'string') {
        this.next();
        value = this.spanTokens({ node: 'Constant', value: stringValue(v.text).value }, v, v);
      } else if (this.isPunct('{')) {
        const brace = this.next();
        value = this.expression();
        this.close('}', brace);
      } else {
        this.fail(v, `expected a value for the attribute "${nameTok.text}"`);
        value = this.errorNode(v);
      }
      attributes.push(this.spanTokens({ node: 'HogQLXAttribute', name: nameTok.text, value }, nameTok, this.previous()));
    }
    if (this.isPunct('/>')) {
      this.next();
      return this.spanTokens({ node: 'HogQLXTag', kind, attributes }, open, this.previous());
    }
    this.expect('>', `expected ">" or "/>" to end the tag <${kind}>`);
    const children: Expr[] = [];
    while (!this.isPunct('</') && !this.at('eof')) {
      const c = this.peek();
      if (c.kind === 'tagOpen') children.push(this.tag());
      else if (c.kind === 'punctuation' && c.text === '{') {
        const brace = this.next();
        children.push(this.expression());
        this.close('}', brace);
      } else if (c.kind === 'tagText') {
        this.next();
        const text = c.text.trim();
        if (text) children.push(this.spanTokens({ node: 'Constant', value: text }, c, c));
      } else {
        this.next();
        this.fail(c, `unexpected ${describe(c)} inside <${kind}>`);
      }
    }
    if (children.length) {
      const value = children;
      attributes.push({ node: 'HogQLXAttribute', name: 'children', value });
    }
    if (this.isPunct('</')) {
      this.next();
      const closing = this.identifier(`the closing tag name </${kind}>`);
      if (closing !== kind) this.fail(this.previous(), `the tag <${kind}> is closed by </${closing}>`);
      this.expect('>', `expected ">" to end </${closing}>`);
    } else this.fail(this.peek(), `the tag <${kind}> opened at ${this.where(open)} is never closed`, undefined, open);
    return this.spanTokens({ node: 'HogQLXTag', kind, attributes }, open, this.previous());
  }

  /** The parts of an f'…' (or full) template after its start token, up to and with its end. */
  private templateBody(start: Token, full: boolean): Expr {
    const parts: Expr[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'templateText') {
        this.next();
        const { value, badEscapes } = unescapeText(t.text, full ? '\u0000' : "'", true);
        if (badEscapes.length) this.badEscape(t, badEscapes);
        parts.push(this.spanTokens({ node: 'Constant', value }, t, t));
        continue;
      }
      if (t.kind === 'holeStart') {
        this.next();
        if (this.isPunct('}')) {
          this.fail(t, 'empty "{}" in a template string: put an expression inside, or write "\\{" for a brace');
          this.next();
          continue;
        }
        parts.push(this.expression());
        if (!this.isPunct('}')) {
          this.fail(this.peek(), `expected "}" to close the "{" at ${this.where(t)} in the template string`);
          // Resynchronise on the template's text.
          while (!this.at('eof') && !this.isPunct('}') && this.peek().kind !== 'templateEnd') this.next();
          if (this.isPunct('}')) this.next();
        } else this.next();
        continue;
      }
      if (t.kind === 'templateEnd') {
        this.next();
        break;
      }
      if (full && t.kind === 'eof') break;
      if (t.kind === 'eof') {
        this.fail(start, "this template string is never closed: add the closing quote (')", { start: start.start, end: start.end });
        break;
      }
      break;
    }
    const end = this.previous();
    if (parts.length === 0) return this.spanTokens({ node: 'Constant', value: '' }, start, end);
    if (parts.length === 1 && parts[0]) return parts[0];
    return this.spanTokens({ node: 'Call', name: 'concat', args: parts }, start, end);
  }

  /** A number literal, with the sign token before it if any. */
  private numberLiteral(sign: Token | undefined): Expr {
    const first = sign ?? this.peek();
    const t = this.peek();
    let value: number | string;
    let valueType: 'number' | undefined;
    let last = t;
    if (t.kind === 'identifier' && (t.keyword === 'INF' || t.keyword === 'NAN')) {
      this.next();
      value = t.keyword === 'INF' ? (sign?.text === '-' ? '-Infinity' : 'Infinity') : 'NaN';
      return this.spanTokens({ node: 'Constant', value, value_type: 'number' }, first, t);
    }
    if (t.kind === 'punctuation' && t.text === '.') {
      // .5
      this.next();
      const frac = this.next();
      last = frac;
      value = Number(`0.${frac.text}`);
    } else {
      this.next();
      switch (t.kind) {
        case 'hexadecimal':
          value = parseInt(t.text.slice(2), 16);
          break;
        case 'binary':
          value = parseInt(t.text.slice(2), 2);
          break;
        case 'float':
          value = t.text.toLowerCase().startsWith('0x') ? hexFloat(t.text) : Number(t.text);
          break;
        case 'badNumber':
          this.fail(t, t.text.toLowerCase().startsWith('0o') ? `"${t.text}": octal literals with "0o" are not supported` : `"${t.text}" is not a binary number`);
          value = 0;
          break;
        default: {
          // decimal or octal (PostHog reads "010" as 10); "1." and "1.5" join the following dot and digits.
          const dot = this.peek();
          const frac = this.peekAt(1);
          if (dot.kind === 'punctuation' && dot.text === '.' && !(frac && this.isIdentifierToken(frac))) {
            if (frac && (frac.kind === 'decimal' || frac.kind === 'octal')) {
              this.pos += 2;
              last = frac;
              value = Number(`${t.text}.${frac.text}`);
            } else {
              this.next();
              last = dot;
              value = Number(t.text);
            }
          } else {
            const big = BigInt(t.text);
            if (big > 9223372036854775807n) {
              value = t.text.replace(/^0+(?=\d)/, '');
              valueType = 'number';
            } else value = Number(t.text);
          }
        }
      }
    }
    if (sign?.text === '-') value = typeof value === 'number' ? -value : `-${value}`;
    const c: Constant = valueType ? { node: 'Constant', value, value_type: valueType } : { node: 'Constant', value };
    // PostHog prints floats as doubles ("1.0", "0.10000000000000001"): remember which numbers are.
    const isFloat = t.kind === 'float' || last !== t || (t.kind === 'punctuation' && t.text === '.');
    if (isFloat) Object.defineProperty(c, 'isFloat', { value: true, enumerable: false });
    return this.spanTokens(c, first, last);
  }

  /** `-1`, `+2.5`, `-inf`: a sign directly before a number is part of the literal. */
  private signedNumber(): Expr | undefined {
    const sign = this.peek();
    const n = this.peekAt(1);
    if (!n) return undefined;
    const numeric =
      n.kind === 'decimal' ||
      n.kind === 'octal' ||
      n.kind === 'hexadecimal' ||
      n.kind === 'binary' ||
      n.kind === 'float' ||
      (n.kind === 'identifier' && (n.keyword === 'INF' || n.keyword === 'NAN')) ||
      (n.kind === 'punctuation' && n.text === '.' && (this.peekAt(2)?.kind === 'decimal' || this.peekAt(2)?.kind === 'octal'));
    if (!numeric) return undefined;
    this.next();
    return this.numberLiteral(sign);
  }

  // ───────────────────────────── tokens ─────────────────────────────

  private peek(): Token {
    return this.tokens[this.pos] ?? this.eofToken();
  }

  private peekAt(k: number): Token | undefined {
    return this.tokens[this.pos + k];
  }

  private previous(): Token {
    return this.tokens[this.pos - 1] ?? this.peek();
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private eofToken(): Token {
    const n = this.source.length;
    return { kind: 'eof', start: n, end: n, text: '', newlineBefore: false };
  }

  private at(kind: Token['kind']): boolean {
    return this.peek().kind === kind;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === 'punctuation' && t.text === text;
  }

  private isKeyword(keyword: string): boolean {
    const t = this.peek();
    return t.kind === 'identifier' && t.keyword === keyword;
  }

  /** Tokens the grammar's `identifier` rule accepts (plain names, most keywords, quoted names). */
  private isIdentifierToken(t: Token): boolean {
    if (t.kind === 'quotedIdentifier') return true;
    if (t.kind !== 'identifier') return false;
    return t.keyword === undefined || !RESERVED.has(t.keyword);
  }

  private identifierValue(t: Token): string {
    if (t.kind === 'quotedIdentifier') {
      const r = quotedIdentifierValue(t.text);
      if (t.unterminated) this.fail(t, `this quoted name is never closed: add the closing ${t.text[0] ?? '`'}`, { start: t.start, end: t.start + 1 });
      else if (r.badEscapes.length) this.badEscape(t, r.badEscapes);
      return r.value;
    }
    return t.text;
  }

  /** The source range of the identifier just consumed as `name` (none when it was missing). */
  private nameRange(name: string | null): NameRange[] {
    const t = this.previous();
    return name && (t.kind === 'identifier' || t.kind === 'quotedIdentifier') ? [[t.start, t.end]] : [];
  }

  private tryIdentifier(): string | undefined {
    const t = this.peek();
    if (!this.isIdentifierToken(t)) return undefined;
    this.next();
    return this.identifierValue(t);
  }

  /** An identifier, or an error naming `what` was expected. */
  private identifier(what: string): string {
    const t = this.peek();
    if (this.isIdentifierToken(t)) {
      this.next();
      return this.identifierValue(t);
    }
    if (t.kind === 'identifier' && t.keyword) this.fail(t, `expected ${what}; "${t.text}" is a reserved word`);
    else this.fail(t, `expected ${what}, found ${describe(t)}`);
    return '';
  }

  private startsExpression(): boolean {
    const t = this.peek();
    switch (t.kind) {
      case 'eof':
        return false;
      case 'punctuation':
        return ['(', '[', '{', '-', '+', '*', '.', '#'].includes(t.text);
      case 'identifier':
        return !['ELSE', 'CATCH', 'FINALLY'].includes(t.keyword ?? '') || this.isIdentifierToken(t);
      default:
        return true;
    }
  }

  /** Expects punctuation `text`; on a mismatch records `message` (the token is not consumed). */
  private expect(text: string, message: string): Token {
    const t = this.peek();
    if (t.kind === 'punctuation' && t.text === text) return this.next();
    this.fail(t, `${message}, found ${describe(t)}`);
    return t;
  }

  /**
   * The `)` ending an if/while header. After an error in the header, skips to that `)` (or to the body's
   * `{`), so the body is still parsed and its own mistakes are reported.
   */
  private closeHeader(open: Token): void {
    if (this.isPunct(')')) {
      this.next();
      return;
    }
    this.close(')', open);
    let depth = 0;
    while (!this.at('eof')) {
      const t = this.peek();
      if (t.kind === 'punctuation') {
        if (depth === 0 && t.text === ')') {
          this.next();
          return;
        }
        if (depth === 0 && t.text === '{') return;
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      }
      if (depth < 0 || (t.newlineBefore && isStatementKeyword(t))) return;
      this.next();
    }
  }

  /** The closing bracket for `open`: an error names where it was opened. */
  private close(text: string, open: Token): void {
    const t = this.peek();
    if (t.kind === 'punctuation' && t.text === text) {
      this.next();
      return;
    }
    if (t.kind === 'eof') {
      this.fail(open, `"${open.text}" is never closed: expected "${text}" before the end of the code`, { start: open.start, end: open.end });
      return;
    }
    const prev = this.previous();
    if (t.newlineBefore && prev.end > open.start) {
      // The next line goes on with something else: the bracket was left open at the end of this one.
      this.fail(prev, `expected "${text}" to close the "${open.text}" opened at ${this.where(open)}`, { start: Math.max(prev.start, prev.end - 1), end: prev.end }, open);
      return;
    }
    this.fail(t, `expected "${text}" to close the "${open.text}" opened at ${this.where(open)}, found ${describe(t)}`, undefined, open);
  }

  /** After an element of a list: the next one started without a comma? Then say so, at the gap. */
  private missingComma(close: string, what: string, open: Token): boolean {
    const t = this.peek();
    if (this.isPunct(close) || t.kind === 'eof' || !this.startsExpression() || t.newlineBefore) return false;
    // "{" after an argument is a block more often than a dict: the bracket was left open.
    if (t.kind === 'punctuation' && !['(', '[', '-', '+'].includes(t.text)) return false;
    this.fail(t, `expected "," between the ${what} of the "${open.text}" opened at ${this.where(open)}, found ${describe(t)}`, undefined, open);
    return true;
  }

  private where(t: Token): string {
    const { line, character } = this.positions.lineCharacter(t.start);
    return `${line + 1}:${character + 1}`;
  }

  private badEscape(t: Token, offsets: number[]): void {
    const at = t.start + (offsets[0] ?? 0);
    const seq = this.source.slice(at, at + 2);
    if (t.kind === 'quotedIdentifier' && t.text.startsWith('"')) {
      this.fail(t, `strings use single quotes: ${t.text.length > 24 ? `${t.text.slice(0, 24)}…"` : t.text} is a name (an identifier), and "${seq}" is no escape in it`, {
        start: t.start,
        end: t.end,
      });
      return;
    }
    this.fail(t, `unknown escape "${seq}" in a string: use \\n, \\t, \\r, \\\\, \\' or \\xHH`, { start: at, end: at + 2 });
  }

  private unexpectedPunctuationMessage(t: Token): string {
    switch (t.text) {
      case '}':
      case ')':
      case ']':
        return `expected an expression, found "${t.text}"`;
      case '=':
        return 'unexpected "=": Hog assigns with ":=" and compares with "=="';
      case ';':
        return 'expected an expression before ";"';
      default:
        return `unexpected "${t.text}": expected an expression`;
    }
  }

  /** Records an error (one per statement); `opened` is the bracket it is about, if elsewhere. */
  private fail(t: Token, message: string, range?: { start: number; end: number }, opened?: Token): void {
    this.failures++;
    if (this.statementFailed) return;
    this.statementFailed = true;
    const start = range?.start ?? t.start;
    const end = range?.end ?? Math.max(t.end, t.start + (t.kind === 'eof' ? 0 : 1));
    const related = opened && opened.start !== start ? { start: opened.start, end: opened.end, message: `the "${opened.text}" opened here` } : undefined;
    this.errors.push(related ? { message, start, end, related } : { message, start, end });
  }

  /** At `{`: does `{ expression }` parse without an error? Rewinds either way. */
  private tryPlaceholder(): boolean {
    const save = { pos: this.pos, errors: this.errors.length, failed: this.statementFailed, failures: this.failures };
    this.statementFailed = true; // errors of the try are not reported
    this.next();
    this.expression();
    const ok = this.failures === save.failures && this.isPunct('}');
    this.pos = save.pos;
    this.errors.length = save.errors;
    this.statementFailed = save.failed;
    this.failures = save.failures;
    return ok;
  }

  private errorNode(t: Token): SyntaxErrorNode {
    return this.spanTokens({ node: 'SyntaxError' }, t, t);
  }

  /** Gives a node PostHog's span: from its first token's start to its last token's end. */
  private spanTokens<N extends AstNode | Opaque>(node: N, first: Token, last: Token): N {
    const stop = last.start < first.start ? first : last;
    node.start = this.positions.start(first.start);
    node.end = stop.kind === 'eof' ? this.positions.end(stop.start, stop.end, '<EOF>') : this.positions.end(stop.start, stop.end);
    Object.defineProperty(node, 'range', { value: [first.start, Math.max(first.start, stop.end)] as const, enumerable: false, writable: true });
    return node;
  }
}

/**
 * Why `name` cannot name a variable, function or parameter (undefined when it can): it must be one plain
 * identifier token, not a reserved word, and not a word that reads as something else where a name is
 * used (`true`, `false` are constants; `if`, `else`, `for`, `return` start statements).
 */
export function nameProblem(name: string): 'not-a-name' | 'reserved' | undefined {
  const [token, after] = tokenize(name);
  if (token?.kind !== 'identifier' || token.text !== name || after?.kind !== 'eof') return 'not-a-name';
  if (token.keyword && RESERVED.has(token.keyword)) return 'reserved';
  if (['TRUE', 'FALSE', 'IF', 'ELSE', 'FOR', 'RETURN'].includes(name.toUpperCase())) return 'reserved';
  return undefined;
}

/** UTF-16 [start, end) of a name in the source. */
export type NameRange = readonly [number, number];

/**
 * The ranges of the names a node declares, in order: a let's name; a function's name then its
 * parameters; a for-in's variables; a lambda's arguments; a try's caught-error names (not in PostHog's
 * JSON: a non-enumerable property, for outline, go to definition and rename).
 */
export function declaredNameRanges(node: object): readonly NameRange[] {
  const value: unknown = Object.getOwnPropertyDescriptor(node, 'nameRanges')?.value;
  return Array.isArray(value) ? (value as NameRange[]) : [];
}

function withNames<N extends object>(node: N, names: readonly NameRange[]): N {
  Object.defineProperty(node, 'nameRanges', { value: names, enumerable: false });
  return node;
}

function flatten(e: Expr, kind: 'And' | 'Or'): Expr[] {
  return e.node === kind ? e.exprs : [e];
}

function hexFloat(text: string): number {
  const m = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(text);
  if (!m) return NaN;
  const int = parseInt(m[1] || '0', 16);
  const frac = m[2] ? parseInt(m[2], 16) / 16 ** m[2].length : 0;
  return (int + frac) * 2 ** Number(m[3]);
}

function isStatementKeyword(t: Token): boolean {
  return t.kind === 'identifier' && ['LET', 'RETURN', 'IF', 'WHILE', 'FOR', 'FN', 'FUN', 'TRY', 'THROW'].includes(t.keyword ?? '');
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'the end of the code';
    case 'string':
      return `the string ${t.text.length > 20 ? `${t.text.slice(0, 20)}…` : t.text}`;
    case 'identifier':
      return `"${t.text}"`;
    case 'quotedIdentifier':
      return `the name ${t.text}`;
    default:
      return `"${t.text.length > 20 ? `${t.text.slice(0, 20)}…` : t.text}"`;
  }
}

function unexpectedCharacterMessage(ch: string): string {
  switch (ch) {
    case '!':
      return 'unexpected "!": Hog negates with "not" and compares with "!="';
    case '&':
      return 'unexpected "&": Hog uses "and" ("&&" is not an operator)';
    case '|':
      return 'unexpected "|": Hog uses "or" ("||" joins strings)';
    case '"':
      return "unexpected '\"'";
    default:
      return `unexpected character "${ch}"`;
  }
}

/** Positions as PostHog's JSON carries them (for the CLI and tests). */
export type { Position };
