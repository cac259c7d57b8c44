/**
 * The Hog AST, node for node what PostHog's parser (`@posthog/hogql-parser`, parseProgram) returns as
 * JSON: the same `node` kinds, field names and values, so PostHog's parser is the oracle of ours.
 * Desugarings are PostHog's too (`a ?? b` is Call ifNull, `c ? a : b` is Call if, f-strings are
 * Call concat, `-x` is `0 - x`, `a.b` after anything but a field is ArrayAccess with a string Constant).
 *
 * Positions: `line` 1-based, `column` in UTF-8 bytes from the line start, `offset` in code points
 * (what the C++ parser reports). Nodes PostHog builds without a source span (desugared parts) have none.
 * `Syntax error` nodes are ours: where the source has no valid construct (never in a valid program).
 */

export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Spanned {
  start?: Position;
  end?: Position;
  /** UTF-16 offsets into the source (not part of PostHog's JSON; dropped by toPostHogJson). */
  range?: readonly [number, number];
}

export type ConstantValue = string | number | boolean | null;

export interface Constant extends Spanned {
  node: 'Constant';
  value: ConstantValue;
  /** "number" for values PostHog keeps as text: inf, nan, integers beyond 64 bits. */
  value_type?: 'number';
}
export interface Field extends Spanned {
  node: 'Field';
  chain: (string | number)[];
}
export interface ArithmeticOperation extends Spanned {
  node: 'ArithmeticOperation';
  op: '+' | '-' | '*' | '/' | '%';
  left: Expr;
  right: Expr;
}
export interface CompareOperation extends Spanned {
  node: 'CompareOperation';
  op: string;
  left: Expr;
  right: Expr;
  is_null_comparison_style?: boolean;
}
export interface And extends Spanned {
  node: 'And';
  exprs: Expr[];
}
export interface Or extends Spanned {
  node: 'Or';
  exprs: Expr[];
}
export interface Not extends Spanned {
  node: 'Not';
  expr: Expr;
}
export interface Call extends Spanned {
  node: 'Call';
  name: string;
  args: Expr[];
  params?: Expr[] | null;
  distinct?: boolean;
  filter_expr?: Expr | null;
  order_by?: unknown;
}
export interface ExprCall extends Spanned {
  node: 'ExprCall';
  expr: Expr;
  args: Expr[];
}
export interface Lambda extends Spanned {
  node: 'Lambda';
  args: string[];
  expr: Expr | Block;
}
export interface ArrayNode extends Spanned {
  node: 'Array';
  exprs: Expr[];
}
export interface Tuple extends Spanned {
  node: 'Tuple';
  exprs: Expr[];
}
export interface Dict extends Spanned {
  node: 'Dict';
  items: [Expr, Expr][];
}
export interface ArrayAccess extends Spanned {
  node: 'ArrayAccess';
  array: Expr;
  property: Expr;
  nullish?: boolean;
}
export interface ArraySlice extends Spanned {
  node: 'ArraySlice';
  array: Expr;
  start_expr?: Expr;
  end_expr?: Expr;
}
export interface TupleAccess extends Spanned {
  node: 'TupleAccess';
  tuple: Expr;
  index: number;
  nullish?: boolean;
}
export interface Alias extends Spanned {
  node: 'Alias';
  alias: string;
  expr: Expr;
}
export interface BetweenExpr extends Spanned {
  node: 'BetweenExpr';
  expr: Expr;
  low: Expr;
  high: Expr;
  negated: boolean;
}
export interface IsDistinctFrom extends Spanned {
  node: 'IsDistinctFrom';
  left: Expr;
  right: Expr;
  negated: boolean;
}
export interface TypeCast extends Spanned {
  node: 'TypeCast';
  expr: Expr;
  type_name: string;
}
export interface NamedArgument extends Spanned {
  node: 'NamedArgument';
  name: string;
  value: Expr;
}
export interface Placeholder extends Spanned {
  node: 'Placeholder';
  expr: Expr;
}
export interface PositionalRef extends Spanned {
  node: 'PositionalRef';
  index: number;
}
export interface HogQLXAttribute extends Spanned {
  node: 'HogQLXAttribute';
  name: string;
  value: Expr | Expr[];
}
export interface HogQLXTag extends Spanned {
  node: 'HogQLXTag';
  kind: string;
  attributes: HogQLXAttribute[];
}
/** A construct our parser understands but PostHog's JSON for it is not modelled (embedded SELECT). */
export interface Opaque extends Spanned {
  node: string;
  [field: string]: unknown;
}
/** Ours only: the place where the source has no valid expression. */
export interface SyntaxErrorNode extends Spanned {
  node: 'SyntaxError';
}

export type Expr =
  | Constant
  | Field
  | ArithmeticOperation
  | CompareOperation
  | And
  | Or
  | Not
  | Call
  | ExprCall
  | Lambda
  | ArrayNode
  | Tuple
  | Dict
  | ArrayAccess
  | ArraySlice
  | TupleAccess
  | Alias
  | BetweenExpr
  | IsDistinctFrom
  | TypeCast
  | NamedArgument
  | Placeholder
  | PositionalRef
  | HogQLXTag
  | SyntaxErrorNode;

export interface Program extends Spanned {
  node: 'Program';
  declarations: Statement[];
}
export interface Block extends Spanned {
  node: 'Block';
  declarations: Statement[];
}
export interface VariableDeclaration extends Spanned {
  node: 'VariableDeclaration';
  name: string;
  expr: Expr | null;
}
export interface VariableAssignment extends Spanned {
  node: 'VariableAssignment';
  left: Expr;
  right: Expr;
}
export interface ExprStatement extends Spanned {
  node: 'ExprStatement';
  expr: Expr | null;
}
export interface ReturnStatement extends Spanned {
  node: 'ReturnStatement';
  expr: Expr | null;
}
export interface ThrowStatement extends Spanned {
  node: 'ThrowStatement';
  expr: Expr | null;
}
export interface IfStatement extends Spanned {
  node: 'IfStatement';
  expr: Expr;
  then: Statement;
  else_: Statement | null;
}
export interface WhileStatement extends Spanned {
  node: 'WhileStatement';
  expr: Expr;
  body: Statement;
}
export interface ForStatement extends Spanned {
  node: 'ForStatement';
  initializer: Statement | Expr | null;
  condition: Expr | null;
  increment: Statement | Expr | null;
  body: Statement;
}
export interface ForInStatement extends Spanned {
  node: 'ForInStatement';
  keyVar: string | null;
  valueVar: string;
  expr: Expr;
  body: Statement;
}
export interface FunctionDeclaration extends Spanned {
  node: 'Function';
  name: string;
  params: string[];
  body: Block;
}
export interface TryCatchStatement extends Spanned {
  node: 'TryCatchStatement';
  try_stmt: Block;
  catches: [string | null, string | null, Block][];
  finally_stmt: Block | null;
}

export type Statement =
  | VariableDeclaration
  | VariableAssignment
  | ExprStatement
  | ReturnStatement
  | ThrowStatement
  | IfStatement
  | WhileStatement
  | ForStatement
  | ForInStatement
  | FunctionDeclaration
  | TryCatchStatement
  | Block;

export type AstNode = Program | Statement | Expr | HogQLXAttribute;

/** The `node` kinds that are statements. */
export const STATEMENT_KINDS: ReadonlySet<string> = new Set([
  'VariableDeclaration',
  'VariableAssignment',
  'ExprStatement',
  'ReturnStatement',
  'ThrowStatement',
  'IfStatement',
  'WhileStatement',
  'ForStatement',
  'ForInStatement',
  'Function',
  'TryCatchStatement',
  'Block',
]);
