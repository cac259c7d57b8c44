/**
 * Incremental syntax checking: after an edit, find the smallest part of the document that can be parsed on
 * its own and still tells whether the whole document parses.
 *
 * The WASM parser needs ~180 ms for a typical 2 KB function and seconds for 40 KB (its cost grows with the
 * number of calls, not just the size), while one statement takes a few milliseconds. Hog's grammar makes a
 * program and every `{ … }` block a plain list of declarations. So when the last version that parsed
 * without errors (the "base") and the new text differ only inside one statement list, replacing the changed
 * statements by the new text of that region gives the whole new program; if that region parses as a list of
 * declarations, the whole program does too, and an error in it is an error of the program at the same place.
 *
 * That argument holds when the region is self-contained: it cannot close a block, end a string or a comment
 * that started outside it. `planChunk` only proposes regions whose brackets balance and whose strings and
 * comments are terminated; anything else (and any doubt about the base's outline) means "parse it all".
 * One ambiguity of the grammar breaks the second half: `{ a : b }` is a dict, so a block whose whole content
 * becomes `key : value` pairs turns into an expression and the program may parse while the region alone does
 * not. Regions that are a block's whole content and hold a `:` outside brackets are therefore parsed in full,
 * and so are regions that start or end with an operator or a statement header: Hog has no statement
 * terminator, so `a.` (or `while (a)`) at the end of a region would continue into the next statement in the
 * program, and fail alone. Lexing must not depend on the neighbours either: a `//` comment that reaches
 * the region's end would swallow the rest of its line in the program, and the lexer's HogQLX tag detection
 * (`<name`) looks ahead across statements, so documents with tags get no quick checks at all.
 * The caller still runs the full parse and lets its answer replace the quick one.
 *
 * Pure (no vscode, no worker): offsets are UTF-16 offsets, as in lints.ts.
 */
import type { HogFinding } from './lints';
import { scanHog, type HogToken } from './scanner';

/** The statements of a program or of a `{ … }` block: `lo`..`hi` is the text they live in (inside the braces). */
export interface StatementList {
  readonly lo: number;
  readonly hi: number;
  readonly statements: readonly StatementSpan[];
}

export interface StatementSpan {
  readonly start: number;
  readonly end: number;
  /** The blocks inside this statement (a function's body, an if's branches, a lambda's body…), in order. */
  readonly lists: readonly StatementList[];
}

/** A version of a document that parsed without errors, with the outline of its statement lists. */
export interface ParseBase {
  readonly text: string;
  readonly outline: StatementList;
}

/** A region of the new text to parse on its own, [start, end). */
export interface Chunk {
  readonly start: number;
  readonly end: number;
}

/**
 * What a quick check can do with an edit: parse a region on its own, or, when the region's brackets do not
 * even add up, report that (a program whose `(` and `)` counts differ cannot parse, wherever the parser would
 * notice it) without parsing anything.
 */
export type QuickPlan = { readonly kind: 'parse'; readonly chunk: Chunk } | { readonly kind: 'unbalanced'; readonly finding: HogFinding };

export interface PlanOptions {
  /** Regions longer than this share of the document are not worth a separate parse (default 0.6). */
  readonly maxShare?: number;
  /**
   * Nor are regions longer than this many characters (default 4096): their parse would not be quick, and
   * checking them on the caller's thread (the extension host) would no longer be cheap.
   */
  readonly maxChars?: number;
}

// ─── outline from the parser's AST ──────────────────────────────────────────────────────────────

/** Maps the parser's code-point offsets to UTF-16 offsets; the identity when the code has no astral characters. */
function codePointMapper(code: string): (codePoints: number) => number {
  if (!/[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(code)) return (cp) => Math.min(Math.max(0, cp), code.length);
  const offsets: number[] = [];
  for (let i = 0; i < code.length;) {
    offsets.push(i);
    const c = code.charCodeAt(i);
    const next = code.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  offsets.push(code.length);
  return (cp) => offsets[Math.min(Math.max(0, cp), offsets.length - 1)] ?? code.length;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function offsetOf(position: unknown): number | undefined {
  if (!isRecord(position)) return undefined;
  const offset = position.offset;
  return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

class OutlineError extends Error {}

/**
 * The statement lists of a parsed program, from the JSON AST that `parseProgram` returns (offsets in code
 * points, converted here). Undefined when the AST is not a program or its spans do not describe the text
 * exactly (a span outside its block, overlapping statements, anything but whitespace, comments and `;`
 * between statements): the outline must be right or not be used at all.
 */
export function outlineFromAst(ast: unknown, code: string, tokens: readonly HogToken[] = scanHog(code)): StatementList | undefined {
  if (!isRecord(ast) || ast.node !== 'Program' || !Array.isArray(ast.declarations)) return undefined;
  // HogQLX tags (`<Sparkline …/>`) are lexed with lookahead across statements: no quick checks for such code.
  if (tokens.some((t, i) => isTagStart(t, tokens[i + 1]))) return undefined;
  const toUtf16 = codePointMapper(code);
  const checker = new GapChecker(code, tokens);

  const listOf = (declarations: readonly unknown[], lo: number, hi: number): StatementList => {
    const statements: StatementSpan[] = [];
    let previousEnd = lo;
    for (const declaration of declarations) {
      if (!isRecord(declaration)) throw new OutlineError('declaration is not an object');
      const startCp = offsetOf(declaration.start);
      const endCp = offsetOf(declaration.end);
      if (startCp === undefined || endCp === undefined) throw new OutlineError('declaration without offsets');
      const start = toUtf16(startCp);
      const end = toUtf16(endCp);
      if (start < previousEnd || end < start || end > hi) throw new OutlineError('declaration outside its block');
      if (!checker.onlyFiller(previousEnd, start)) throw new OutlineError('unexpected text between declarations');
      statements.push({ start, end, lists: blocksWithin(declaration, start, end) });
      previousEnd = end;
    }
    if (!checker.onlyFiller(previousEnd, hi)) throw new OutlineError('unexpected text after the last declaration');
    return { lo, hi, statements };
  };

  /** The Block nodes reachable from node without entering another Block (those belong to the inner list). */
  const blocksWithin = (node: unknown, start: number, end: number): StatementList[] => {
    const lists: StatementList[] = [];
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) {
        for (const item of value) visit(item);
        return;
      }
      if (!isRecord(value)) return;
      if (value.node === 'Block' && Array.isArray(value.declarations)) {
        const blockStartCp = offsetOf(value.start);
        const blockEndCp = offsetOf(value.end);
        if (blockStartCp === undefined || blockEndCp === undefined) throw new OutlineError('block without offsets');
        const blockStart = toUtf16(blockStartCp);
        const blockEnd = toUtf16(blockEndCp);
        if (blockStart < start || blockEnd > end || code[blockStart] !== '{' || code[blockEnd - 1] !== '}' || blockEnd - blockStart < 2) {
          throw new OutlineError('block span does not match its braces');
        }
        lists.push(listOf(value.declarations, blockStart + 1, blockEnd - 1));
        return;
      }
      for (const key of Object.keys(value)) {
        if (key !== 'start' && key !== 'end') visit(value[key]);
      }
    };
    visit(node);
    return lists.sort((a, b) => a.lo - b.lo);
  };

  try {
    return listOf(ast.declarations, 0, code.length);
  } catch (err) {
    if (err instanceof OutlineError) return undefined;
    throw err;
  }
}

/** Answers "is code[from, to) only whitespace, comments and semicolons?" with the tokens of the whole code. */
class GapChecker {
  constructor(
    private readonly code: string,
    private readonly tokens: readonly HogToken[],
  ) {}

  onlyFiller(from: number, to: number): boolean {
    if (to <= from) return true;
    // The first token that ends after `from`.
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.tokens[mid]?.end ?? 0) <= from) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < this.tokens.length; k++) {
      const t = this.tokens[k];
      if (!t || t.start >= to) break;
      if (t.start < from || t.end > to) return false; // a token crosses the edge of the gap
      if (t.kind !== 'comment' && t.text !== ';') return false;
    }
    return this.code.length >= to;
  }
}

// ─── planning ───────────────────────────────────────────────────────────────────────────────────

/**
 * The region of `text` to parse on its own after `base` changed into `text`, or undefined when the whole
 * text must be parsed (no usable region, or the region is most of the document anyway).
 */
export function planChunk(base: ParseBase, text: string, options: PlanOptions = {}): Chunk | undefined {
  const plan = planQuickCheck(base, text, options);
  return plan?.kind === 'parse' ? plan.chunk : undefined;
}

/** The quick check for `text` after `base`, or undefined when only the full parse can tell. */
export function planQuickCheck(base: ParseBase, text: string, options: PlanOptions = {}): QuickPlan | undefined {
  const old = base.text;
  const limit = Math.min(old.length, text.length);
  let prefix = 0;
  while (prefix < limit && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  // The change replaced old[a, b) by text[a, b + delta).
  const a = prefix;
  const b = old.length - suffix;
  const delta = text.length - old.length;

  const region = regionFor(base.outline, a, b, false);
  const chunk: Chunk = { start: region.start, end: region.end + delta };
  if (chunk.end < chunk.start) return undefined;
  const length = chunk.end - chunk.start;
  if (length > text.length * (options.maxShare ?? 0.6) || length > (options.maxChars ?? 4096)) return undefined;
  const source = text.slice(chunk.start, chunk.end);
  if (isSelfContained(source, region.wholeBlock)) return { kind: 'parse', chunk };
  // What was typed (or what is left where text was deleted), relative to the region.
  const finding = unbalancedBracket(source, { start: a - chunk.start, end: b + delta - chunk.start });
  return finding ? { kind: 'unbalanced', finding: { ...finding, start: finding.start + chunk.start, end: finding.end + chunk.start } } : undefined;
}

const BRACKET_PAIRS: readonly (readonly [string, string])[] = [
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
];

/**
 * When the region's strings and comments are all closed but it holds more of one bracket than of its
 * partner, the finding for the bracket without a partner (offsets into the region); otherwise undefined.
 * The rest of the program is unchanged and was balanced, so such a program cannot parse.
 *
 * Which `(` of `if (max(a) {` lacks its `)` is a guess: one in `changed` (the edited text) is preferred,
 * since that is what the user just typed; otherwise nesting decides.
 */
export function unbalancedBracket(region: string, changed?: Chunk): HogFinding | undefined {
  const tokens = scanHog(region);
  if (!lexesAlone(region, tokens)) return undefined;
  for (const [open, close] of BRACKET_PAIRS) {
    const openers: HogToken[] = [];
    let unopened: HogToken | undefined;
    for (const t of tokens) {
      if (t.kind !== 'op') continue;
      if (t.text === open) openers.push(t);
      else if (t.text === close && !openers.pop()) unopened ??= t;
    }
    const typed = (t: HogToken): boolean => changed !== undefined && changed.start <= t.start && t.end <= changed.end;
    const ofKind = (text: string) => tokens.filter((t) => t.kind === 'op' && t.text === text && typed(t));
    const unclosed = openers.length > 0 ? (ofKind(open).pop() ?? openers[openers.length - 1]) : undefined;
    if (unopened && !unclosed) {
      unopened = ofKind(close)[0] ?? unopened;
      return { code: 'unbalanced-bracket', severity: 'error', start: unopened.start, end: unopened.end, message: `Syntax error: '${close}' without a matching '${open}'.` };
    }
    if (unclosed && !unopened) {
      return { code: 'unbalanced-bracket', severity: 'error', start: unclosed.start, end: unclosed.end, message: `Syntax error: '${open}' is never closed.` };
    }
  }
  return undefined;
}

/**
 * The smallest run of whole statements (with the filler around them) of one list that covers old[a, b).
 * wholeBlock: the run is everything between a block's braces.
 */
function regionFor(list: StatementList, a: number, b: number, inBlock: boolean): { start: number; end: number; wholeBlock: boolean } {
  // Statements touched by the change, adjacency included: typing right after `print(1)` changes that statement.
  const touched = list.statements.filter((s) => s.start <= b && a <= s.end);
  if (touched.length === 1) {
    const only = touched[0];
    const inner = only?.lists.find((l) => l.lo <= a && b <= l.hi);
    if (inner) return regionFor(inner, a, b, true);
  }
  let start = list.lo;
  let end = list.hi;
  for (const s of list.statements) {
    if (s.end < a) start = s.end;
    else if (s.start > b) {
      end = s.start;
      break;
    }
  }
  return { start, end, wholeBlock: inBlock && start === list.lo && end === list.hi };
}

const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Whether the tokens of text are the tokens it has inside the program too: no string, f-string or block
 * comment runs past its end, no line comment reaches its end (in the program it would go on to the end of
 * that line: `{ // x }`), and no `<name` that the lexer might take for an HogQLX tag (it looks ahead past
 * the name, beyond the region's edge).
 */
function lexesAlone(text: string, tokens: readonly HogToken[]): boolean {
  const last = tokens[tokens.length - 1];
  if (last?.kind === 'comment' && !last.text.startsWith('/*') && last.end === text.length) return false;
  return !tokens.some((t, i) => t.unterminated === true || isTagStart(t, tokens[i + 1]));
}

/** `<` directly followed by a name: what the lexer checks for an HogQLX tag. */
export function isTagStart(t: HogToken, next: HogToken | undefined): boolean {
  return t.kind === 'op' && t.text === '<' && next?.kind === 'ident' && next.start === t.end;
}

/** Keywords whose `( … )` is followed by a body: a region ending right after the parenthesis is incomplete. */
const HEADER_WORDS = new Set(['if', 'while', 'for', 'catch']);

/** Whether the tokens end with a statement header (`while (a)`, `fun f(x)`) whose body would come after the region. */
function endsWithHeader(significant: readonly HogToken[]): boolean {
  if (significant[significant.length - 1]?.text !== ')') return false;
  let depth = 0;
  for (let k = significant.length - 1; k >= 0; k--) {
    const t = significant[k];
    if (t?.kind !== 'op') continue;
    if (t.text === ')') depth++;
    else if (t.text === '(' && --depth === 0) {
      const before = significant[k - 1];
      const word = before?.kind === 'ident' ? before.text.toLowerCase() : '';
      const fun = ['fun', 'fn'].includes(significant[k - 2]?.text.toLowerCase() ?? '');
      return HEADER_WORDS.has(word) || (before?.kind === 'ident' && fun);
    }
  }
  return false;
}

/** Punctuation a statement can start with without being the tail of the previous one. */
const STATEMENT_START_OPS = new Set(['(', '[', '{', ';', '-']);
/** Punctuation a statement can end with. */
const STATEMENT_END_OPS = new Set([')', ']', '}', ';']);
/** Words that join what is before them to what is after them: a region must neither start nor end with one. */
const JOINING_WORDS = new Set(['and', 'or', 'in', 'like', 'ilike', 'is', 'between', 'as', 'when', 'then', 'else', 'catch', 'finally', 'from', 'where']);
/** Words that open something a region must not end with: the next statement would complete it (`let` + `x := 1`). */
const OPENING_WORDS = new Set(['let', 'fun', 'fn', 'if', 'while', 'for', 'try', 'throw', 'not', 'case', 'interval', 'distinct', 'select']);

/**
 * Whether a region starting with t may be the tail of the statement before it (`.x`, `* 2`, `and y`,
 * `else {…}`): alone it fails, in the program it parses.
 */
function continuesBefore(t: HogToken): boolean {
  if (t.kind === 'op') return !STATEMENT_START_OPS.has(t.text);
  return t.kind === 'ident' && JOINING_WORDS.has(t.text.toLowerCase());
}

/** Whether a region ending with t may continue into the statement after it (`a.`, `x /`, `a and`, `let`). */
function continuesAfter(t: HogToken): boolean {
  if (t.kind === 'op') return !STATEMENT_END_OPS.has(t.text);
  const word = t.kind === 'ident' ? t.text.toLowerCase() : '';
  return JOINING_WORDS.has(word) || OPENING_WORDS.has(word);
}

/**
 * Brackets balance (strings and comments aside) and no string, f-string or comment runs past the end.
 * wholeBlock: the chunk is all a block holds; then a `:` outside brackets disqualifies it too, because
 * `{ a : b }` is a dict: with that text the braces around the chunk stop being a block at all.
 */
export function isSelfContained(chunk: string, wholeBlock = false): boolean {
  const tokens = scanHog(chunk);
  if (!lexesAlone(chunk, tokens)) return false;
  const significant = tokens.filter((t) => t.kind !== 'comment');
  const first = significant[0];
  const last = significant[significant.length - 1];
  if ((first && continuesBefore(first)) || (last && (continuesAfter(last) || endsWithHeader(significant)))) return false;
  const stack: string[] = [];
  for (const t of tokens) {
    if (wholeBlock && stack.length === 0 && t.kind === 'op' && t.text === ':') return false;
    if (t.kind === 'interp-start') stack.push('{');
    else if (t.kind === 'interp-end') {
      if (stack.pop() !== '{') return false;
    } else if (t.kind === 'op') {
      if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(t.text);
      else {
        const opening = CLOSING[t.text];
        if (opening !== undefined && stack.pop() !== opening) return false;
      }
    }
  }
  return stack.length === 0;
}
