/**
 * A small scanner for Hog that follows the lexer's modes (code, f-string, placeholder inside an
 * f-string) closely enough to know what is a string, a comment or an identifier. It never fails and is
 * linear in the size of the code, so it runs on the extension host's thread on every change. Pure.
 * Reference: posthog/hogql/grammar/HogQLLexer.common.g4.
 */
export type TokenKind =
  | 'ident'
  | 'number'
  | 'string' // '…'
  | 'fstring-start' // f'
  | 'fstring-text'
  | 'fstring-end' // the closing '
  | 'interp-start' // { inside an f-string
  | 'interp-end' // the } that closes it
  | 'dq-ident' // "…": a quoted identifier, not a string
  | 'bt-ident' // `…`
  | 'comment'
  | 'op' // operators and punctuation
  | 'invalid'; // characters the lexer rejects: ! & | and anything else it has no token for

export interface HogToken {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** A line break separates this token from the previous non-comment token. */
  readonly newlineBefore: boolean;
  /** Strings, f-strings, quoted identifiers and block comments: no closing delimiter before the end of the code. */
  readonly unterminated?: boolean;
}

const NUMBER = /0[xX][0-9a-fA-F]+(?:\.[0-9a-fA-F]*)?(?:[pP][+-]?[0-9]+)?|0[bBoO][0-9]+|[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?/y;
/** Operators by length, longest tried first. */
const OPERATORS_3 = new Set(['=~*', '!~*']);
const OPERATORS_2 = new Set([':=', '::', '==', '!=', '<>', '<=', '>=', '=~', '!~', '~*', '??', '?.', '->', '||']);
const OPERATORS_1 = new Set(['=', '<', '>', '~', '?', ':', '+', '-', '*', '/', '%', '(', ')', '[', ']', '{', '}', ',', ';', '.']);
/** Unicode White_Space beyond ASCII, as the lexer accepts it (plus the BOM). */
const UNICODE_SPACE = /[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

// Character codes, so that the hot loop compares numbers instead of running regexes.
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
const isAsciiSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const QUOTE = 39; // '
const BACKSLASH = 92;
const LBRACE = 123;
const NEWLINE = 10;
const CR = 13;

type Frame = { readonly mode: 'code'; depth: number; readonly interpolation: boolean } | { readonly mode: 'fstring' };

/** Splits Hog code into tokens. Whitespace is dropped; comments are kept (they matter for "is the cursor in a comment"). */
export function scanHog(code: string): HogToken[] {
  const tokens: HogToken[] = [];
  const stack: Frame[] = [{ mode: 'code', depth: 0, interpolation: false }];
  let i = 0;
  let newline = false;
  const n = code.length;

  const push = (kind: TokenKind, start: number, end: number, unterminated = false): void => {
    const token: HogToken = unterminated
      ? { kind, start, end, text: code.slice(start, end), newlineBefore: newline, unterminated }
      : { kind, start, end, text: code.slice(start, end), newlineBefore: newline };
    tokens.push(token);
    if (kind !== 'comment') newline = false;
  };

  /** Scans a quoted run from i (on the opening quote); returns the end offset and whether it was closed. */
  const quoted = (quote: number): { end: number; closed: boolean } => {
    let j = i + 1;
    while (j < n) {
      const c = code.charCodeAt(j);
      if (c === BACKSLASH) j += 2;
      else if (c === quote) {
        if (code.charCodeAt(j + 1) === quote) {
          j += 2;
        } // '' "" `` are escaped quotes
        else return { end: j + 1, closed: true };
      } else j++;
    }
    return { end: n, closed: false };
  };

  while (i < n) {
    const frame = stack[stack.length - 1] ?? { mode: 'code', depth: 0, interpolation: false };
    const c = code.charCodeAt(i);
    const c1 = code.charCodeAt(i + 1); // NaN at the end

    if (frame.mode === 'fstring') {
      if (c === QUOTE && c1 !== QUOTE) {
        push('fstring-end', i, i + 1);
        stack.pop();
        i++;
      } else if (c === LBRACE) {
        push('interp-start', i, i + 1);
        stack.push({ mode: 'code', depth: 0, interpolation: true });
        i++;
      } else {
        const start = i;
        while (i < n) {
          const d = code.charCodeAt(i);
          if (d === BACKSLASH) i += 2;
          else if (d === QUOTE && code.charCodeAt(i + 1) === QUOTE) i += 2;
          else if (d === QUOTE || d === LBRACE) break;
          else i++;
        }
        push('fstring-text', start, Math.min(i, n));
      }
      continue;
    }

    if (isAsciiSpace(c) || (c > 127 && UNICODE_SPACE.test(code[i] ?? ''))) {
      if (c === NEWLINE || c === CR) newline = true;
      i++;
      continue;
    }
    // Comments: /* */, //, --, # (the npm parser skips # lines too).
    if (c === 47 /* / */ && c1 === 42 /* * */) {
      const close = code.indexOf('*/', i + 2);
      push('comment', i, close < 0 ? n : close + 2, close < 0);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if ((c === 47 && c1 === 47) || (c === 45 /* - */ && c1 === 45) || c === 35 /* # */) {
      let j = i;
      while (j < n && code.charCodeAt(j) !== NEWLINE && code.charCodeAt(j) !== CR) j++;
      push('comment', i, j);
      i = j;
      continue;
    }
    if (c === 102 /* f */ && c1 === QUOTE) {
      push('fstring-start', i, i + 2);
      stack.push({ mode: 'fstring' });
      i += 2;
      continue;
    }
    if (c === QUOTE || c === 34 /* " */ || c === 96 /* ` */) {
      const { end, closed } = quoted(c);
      push(c === QUOTE ? 'string' : c === 34 ? 'dq-ident' : 'bt-ident', i, end, !closed);
      i = end;
      continue;
    }
    if (isDigit(c) || (c === 46 /* . */ && isDigit(c1))) {
      const prev = tokens[tokens.length - 1];
      // ".5" is a number, "t.1" is tuple access.
      const tupleAccess = c === 46 && prev?.end === i && (prev.kind === 'ident' || prev.text === ')' || prev.text === ']');
      if (!tupleAccess) {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(code);
        if (m) {
          push('number', i, i + m[0].length);
          i += m[0].length;
          continue;
        }
      }
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(code.charCodeAt(j))) j++;
      push('ident', i, j);
      i = j;
      continue;
    }
    // The f-string branch above always continues: here frame is a code frame.
    if (c === LBRACE) {
      frame.depth++;
    } else if (c === 125 /* } */) {
      if (frame.interpolation && frame.depth === 0) {
        push('interp-end', i, i + 1);
        stack.pop();
        i++;
        continue;
      }
      if (frame.depth > 0) frame.depth--;
    }
    const len = OPERATORS_3.has(code.slice(i, i + 3)) ? 3 : OPERATORS_2.has(code.slice(i, i + 2)) ? 2 : OPERATORS_1.has(code[i] ?? '') ? 1 : 0;
    if (len > 0) {
      push('op', i, i + len);
      i += len;
      continue;
    }
    // Not a Hog token: '!' alone, '&', '&&', a single '|', '@', '^', non-ASCII letters…
    const badLength = c === 38 /* & */ && c1 === 38 ? 2 : c >= 0xd800 && c <= 0xdbff && c1 >= 0xdc00 && c1 <= 0xdfff ? 2 : 1;
    push('invalid', i, i + badLength);
    i += badLength;
  }

  // Mark an f-string that never closed (the stack still holds its frame).
  if (stack.some((f) => f.mode === 'fstring')) {
    for (let k = tokens.length - 1; k >= 0; k--) {
      const t = tokens[k];
      if (t?.kind === 'fstring-start') {
        tokens[k] = { ...t, unterminated: true };
        break;
      }
    }
  }
  return tokens;
}

/** The token that contains offset (start <= offset < end), if any. Binary search: tokens are sorted. */
export function tokenAt(tokens: readonly HogToken[], offset: number): HogToken | undefined {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid];
    if (!t) break;
    if (offset < t.start) hi = mid - 1;
    else if (offset >= t.end) lo = mid + 1;
    else return t;
  }
  return undefined;
}

/** True when offset is inside a string, the text of an f-string or a comment (not inside a {placeholder}). */
export function isInStringOrComment(tokens: readonly HogToken[], offset: number): boolean {
  const t = tokenAt(tokens, offset) ?? (offset > 0 ? tokenAt(tokens, offset - 1) : undefined);
  if (!t) return false;
  switch (t.kind) {
    case 'comment':
      // Right after a line comment (end of line) is still in the comment; after "*/" it is not.
      return offset > t.start && (offset < t.end || !t.text.startsWith('/*') || t.unterminated === true);
    case 'string':
    case 'dq-ident':
    case 'bt-ident':
      return offset > t.start && (offset < t.end || t.unterminated === true);
    case 'fstring-text':
      return true;
    case 'fstring-start':
      return offset >= t.end;
    default:
      return false;
  }
}
