/**
 * What a Hog program declares and where each name is used: variables (`let`), functions (`fun`/`fn`),
 * their parameters, lambda arguments, loop variables and caught errors, with Hog's block scoping (a
 * name is visible after its declaration, in its block and the blocks inside; an inner declaration hides
 * an outer one). Globals (`event`, `inputs`, …) and standard library functions are declared nowhere in the
 * program, so they resolve to nothing. Pure; ranges are UTF-16 offsets into the source.
 */
import { STATEMENT_KINDS, type Expr, type Program, type Statement } from './ast';
import { declaredNameRanges, type NameRange } from './parser';

export type HogSymbolKind = 'variable' | 'function' | 'parameter';

export interface HogSymbol {
  readonly name: string;
  readonly kind: HogSymbolKind;
  /** The name where it is declared. */
  readonly declaration: NameRange;
  /** The declaring statement or expression (for the outline). */
  readonly node: Statement | Expr;
  /** Every use of the name that resolves to this declaration (not the declaration itself). */
  readonly references: NameRange[];
  /** For the outline: the symbol this one is declared inside (a function), if any. */
  readonly container: HogSymbol | undefined;
  /** Declared at the top level of the program or of a function body (not in a nested block or loop). */
  readonly topLevel: boolean;
}

export interface HogSymbols {
  readonly symbols: readonly HogSymbol[];
  /** The symbol whose declaration or a reference covers `offset` (UTF-16), if any. */
  at(offset: number): HogSymbol | undefined;
}

type Scope = Map<string, HogSymbol>;

export function analyzeSymbols(program: Program, source: string): HogSymbols {
  const symbols: HogSymbol[] = [];
  const scopes: Scope[] = [new Map<string, HogSymbol>()];
  let container: HogSymbol | undefined;
  let depth = 0; // 0 = directly in the program or a function body

  const declare = (name: string, kind: HogSymbolKind, range: NameRange | undefined, node: Statement | Expr): HogSymbol | undefined => {
    if (!range || !name) return undefined;
    const symbol: HogSymbol = { name, kind, declaration: range, node, references: [], container, topLevel: depth === 0 && kind !== 'parameter' };
    symbols.push(symbol);
    scopes[scopes.length - 1]?.set(name, symbol);
    return symbol;
  };
  const lookup = (name: string): HogSymbol | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const found = scopes[i]?.get(name);
      if (found) return found;
    }
    return undefined;
  };
  /** A name used at `start` in the source; a quoted one ("body", `body`) is a use too: its inside is the range. */
  const use = (name: string, start: number | undefined): void => {
    if (start === undefined) return;
    const quote = source[start];
    const at = quote === '"' || quote === '`' ? start + 1 : start;
    if (source.slice(at, at + name.length) !== name) return;
    if (at !== start && source[at + name.length] !== quote) return;
    lookup(name)?.references.push([at, at + name.length]);
  };
  const inScope = (fn: () => void): void => {
    scopes.push(new Map<string, HogSymbol>());
    try {
      fn();
    } finally {
      scopes.pop();
    }
  };
  const nested = (fn: () => void): void => {
    depth++;
    try {
      inScope(fn);
    } finally {
      depth--;
    }
  };

  const statements = (list: readonly Statement[]): void => {
    for (const s of list) statement(s);
  };

  const statement = (s: Statement | null): void => {
    if (!s) return;
    switch (s.node) {
      case 'VariableDeclaration':
        expr(s.expr); // `let x := x + 1` reads the outer x
        declare(s.name, 'variable', declaredNameRanges(s)[0], s);
        return;
      case 'VariableAssignment':
        expr(s.left);
        expr(s.right);
        return;
      case 'ExprStatement':
      case 'ReturnStatement':
      case 'ThrowStatement':
        expr(s.expr);
        return;
      case 'IfStatement':
        expr(s.expr);
        nested(() => statement(s.then));
        nested(() => statement(s.else_));
        return;
      case 'WhileStatement':
        expr(s.expr);
        nested(() => statement(s.body));
        return;
      case 'ForStatement':
        nested(() => {
          clause(s.initializer);
          expr(s.condition);
          clause(s.increment);
          statement(s.body);
        });
        return;
      case 'ForInStatement': {
        expr(s.expr);
        const names = declaredNameRanges(s);
        nested(() => {
          if (s.keyVar !== null) declare(s.keyVar, 'variable', names[0], s);
          declare(s.valueVar, 'variable', names[s.keyVar !== null ? 1 : 0], s);
          statement(s.body);
        });
        return;
      }
      case 'Function': {
        const names = declaredNameRanges(s);
        const fn = declare(s.name, 'function', names[0], s); // visible in its own body: recursion
        const outer = container;
        const outerDepth = depth;
        container = fn ?? container;
        depth = 0;
        try {
          inScope(() => {
            s.params.forEach((p, i) => declare(p, 'parameter', names[i + 1], s));
            inScope(() => statements(s.body.declarations));
          });
        } finally {
          container = outer;
          depth = outerDepth;
        }
        return;
      }
      case 'TryCatchStatement': {
        nested(() => statements(s.try_stmt.declarations));
        const names = declaredNameRanges(s);
        let n = 0;
        for (const [name, , block] of s.catches) {
          const range = name !== null ? names[n++] : undefined;
          nested(() => {
            if (name !== null) declare(name, 'variable', range, s);
            statements(block.declarations);
          });
        }
        if (s.finally_stmt) {
          const fin = s.finally_stmt;
          nested(() => statements(fin.declarations));
        }
        return;
      }
      case 'Block':
        nested(() => statements(s.declarations));
        return;
    }
  };

  const clause = (c: Statement | Expr | null): void => {
    if (!c) return;
    if (isStatement(c)) statement(c);
    else expr(c);
  };

  const expr = (e: Expr | null | undefined): void => {
    if (!e) return;
    switch (e.node) {
      case 'Field': {
        const head = e.chain[0];
        if (typeof head === 'string') use(head, e.range?.[0]);
        return;
      }
      case 'Call':
        use(e.name, e.range?.[0]);
        for (const a of e.args) expr(a);
        for (const p of e.params ?? []) expr(p);
        return;
      case 'Lambda': {
        const names = declaredNameRanges(e);
        const body = e.expr;
        nested(() => {
          e.args.forEach((a, i) => declare(a, 'parameter', names[i], e));
          if (body.node === 'Block') statements(body.declarations);
          else expr(body);
        });
        return;
      }
      case 'SelectQuery' as string:
      case 'SelectSetQuery' as string:
        // Inside an embedded query, names are the query's columns and tables: only {placeholders} are Hog.
        placeholders(e);
        return;
      default:
        // Every other node: visit the expressions it holds.
        for (const value of Object.values(e)) visitValue(value);
    }
  };

  const placeholders = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) placeholders(v);
      return;
    }
    if (!value || typeof value !== 'object') return;
    if ('node' in value && value.node === 'Placeholder' && 'expr' in value) {
      expr((value as { expr: Expr }).expr);
      return;
    }
    for (const v of Object.values(value)) placeholders(v);
  };

  const visitValue = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visitValue(v);
      return;
    }
    if (value && typeof value === 'object' && 'node' in value) expr(value as Expr);
  };

  statements(program.declarations);

  return { symbols, at: (offset: number) => symbolAt(symbols, offset) };
}

/** The symbol whose declaration, else one of whose uses, covers `offset` (UTF-16), if any. */
export function symbolAt<S extends { readonly declaration: NameRange; readonly references: readonly NameRange[] }>(symbols: readonly S[], offset: number): S | undefined {
  const inside = (r: NameRange): boolean => r[0] <= offset && offset <= r[1];
  return symbols.find((s) => inside(s.declaration)) ?? symbols.find((s) => s.references.some(inside));
}

function isStatement(node: Statement | Expr): node is Statement {
  return STATEMENT_KINDS.has(node.node);
}
