/**
 * The Hog lexer: PostHog's HogQLLexer (posthog/hogql/grammar/HogQLLexer.common.g4 and .cpp.g4) by
 * hand, with its modes — code, f'…' template strings, HogQLX tags — and its maximal munch. It never
 * fails: a character no rule accepts becomes an `unexpected` token (as the grammar's catch-all does),
 * an unclosed string or comment is flagged on its token. Linear in the length of the source. Pure.
 *
 * Offsets are UTF-16 indexes into the source (what editors use); the parser converts them to PostHog's
 * positions (code points) when it builds the AST.
 */

export type TokenKind =
  /** Letters, digits, `_` and `$`; also every keyword (see `keyword`). */
  | 'identifier'
  /** `…` or "…" (a quoted identifier, never a string). */
  | 'quotedIdentifier'
  | 'decimal'
  | 'octal'
  | 'hexadecimal'
  | 'binary'
  /** A number with an exponent (`1e5`, `1.5e-3`, `.5e2`, hex floats). `1.5` is decimal · dot · decimal. */
  | 'float'
  /** `0o17`, `0b29`: tokens PostHog's parser rejects. */
  | 'badNumber'
  | 'string'
  /** f' — the start of a template string (then templateText / holeStart … holeEnd, then templateEnd). */
  | 'templateStart'
  /** F' — the start of a "full" template (the inputs' templating), only at the start of the source. */
  | 'fullTemplateStart'
  | 'templateText'
  /** `{` opening a hole in a template string (its `}` is a plain `}` token). */
  | 'holeStart'
  | 'templateEnd'
  /** `<` opening a HogQLX tag (`<Sparkline`), as the lexer's isOpeningTag() decides. */
  | 'tagOpen'
  /** Text between HogQLX tags. */
  | 'tagText'
  | 'punctuation'
  | 'unexpected'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** UTF-16 offsets into the source: [start, end). */
  readonly start: number;
  readonly end: number;
  /** The source text of the token (for punctuation, the operator itself). */
  readonly text: string;
  /** The keyword this identifier spells (upper case), if any: keywords are case-insensitive. */
  readonly keyword?: string;
  /** A string, quoted identifier or template without its closing quote; a block comment never closed. */
  readonly unterminated?: boolean;
  /** A line break (or a comment) separates it from the previous token. */
  readonly newlineBefore: boolean;
}

/** The grammar's keywords (HogQLLexer.common.g4); an identifier spelling one (any case) carries it. */
const KEYWORDS = new Set(
  (
    'ALL AND ANTI ANY ARRAY AS ASC ASCENDING ASOF BETWEEN BOTH BY CASE CAST CATCH COHORT COLLATE COLUMNS CROSS CUBE ' +
    'CURRENT DATE DAY DESC DESCENDING DISTINCT ELSE END EXCEPT EXCLUDE EXTRACT FINAL FILL FILTER FINALLY FIRST FN ' +
    'FOLLOWING FOR FROM FULL FUN GROUP GROUPING HAVING HOUR ID IF ILIKE IGNORE INCLUDE IN INF INFINITY INNER INTERSECT ' +
    'INTERPOLATE INTERVAL IS JOIN KEY LAMBDA LAST LEADING LEFT LET LIKE LIMIT MATERIALIZED MINUTE MONTH NAME NATURAL NAN ' +
    'NOT NULL NULLS OFFSET ON OR ORDER OUTER OVER PARTITION PIVOT POSITIONAL PRECEDING PREWHERE QUALIFY QUARTER RANGE ' +
    'RECURSIVE REPLACE RETURN RIGHT ROLLUP ROW ROWS SAMPLE SECOND SELECT SEMI SETS SETTINGS STEP SUBSTRING THEN THROW ' +
    'TIES TIMESTAMP TIME LOCAL ZONE TO TOP TOTALS TRAILING TRIM TRUNCATE TRY TRY_CAST UNBOUNDED UNION UNPIVOT USING ' +
    'VALUES WEEK WHEN WHERE WHILE WINDOW WITH WITHIN YEAR YYYY'
  ).split(' '),
);
/** Spellings that are another keyword's token (ASC → ASCENDING, INFINITY → INF, YYYY → YEAR). */
const KEYWORD_ALIASES: Readonly<Record<string, string>> = { ASC: 'ASCENDING', INFINITY: 'INF', YYYY: 'YEAR' };

/** Operators and punctuation of the code mode, longest first within each first character. */
const OPERATORS = [
  '<=>',
  '=~*',
  '!~*',
  '->',
  '::',
  ':=',
  '||',
  '==',
  '>=',
  '~*',
  '<=',
  '</',
  '!=',
  '<>',
  '!~',
  '?.',
  '??',
  '=~',
  '/>',
  '*',
  ':',
  ',',
  '-',
  '$',
  '.',
  '=',
  '>',
  '#',
  '{',
  '[',
  '(',
  '<',
  '%',
  '+',
  '?',
  '~',
  '}',
  ']',
  ')',
  ';',
  '/',
  '\\',
];
const OPERATORS_BY_FIRST = new Map<number, string[]>();
for (const op of OPERATORS) {
  const list = OPERATORS_BY_FIRST.get(op.charCodeAt(0)) ?? [];
  list.push(op);
  OPERATORS_BY_FIRST.set(op.charCodeAt(0), list);
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isIdentStart = (c: number): boolean => isLetter(c) || c === 95 || c === 36;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isOctDigit = (c: number): boolean => c >= 48 && c <= 55;
const isTagNamePart = (c: number): boolean => isLetter(c) || isDigit(c) || c === 95 || c === 45;
/** C's isspace (the lexer's tag lookahead uses it). */
const isCSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
/** The lexer's WHITESPACE: Unicode White_Space and the BOM. */
export function isHogWhitespace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const enum Mode {
  Code,
  Template,
  FullTemplate,
  TagOpen,
  TagClose,
  TagText,
}

/** Splits a Hog source into tokens (comments and whitespace dropped), ending with one `eof` token. */
export function tokenize(source: string, options: { fullTemplate?: boolean } = {}): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  const modes: Mode[] = [Mode.Code];
  let i = 0;
  let newline = false;
  const push = (kind: TokenKind, start: number, end: number, extra?: { keyword?: string; unterminated?: boolean }): void => {
    const token: Token = { kind, start, end, text: source.slice(start, end), newlineBefore: newline, ...extra };
    tokens.push(token);
    newline = false;
  };
  const mode = (): Mode => modes[modes.length - 1] ?? Mode.Code;
  const pop = (): void => {
    if (modes.length > 1) modes.pop();
  };

  if (options.fullTemplate) {
    push('fullTemplateStart', 0, 0);
    modes.push(Mode.FullTemplate);
  }

  while (i < n) {
    const m = mode();
    const c = source.charCodeAt(i);

    if (m === Mode.Template || m === Mode.FullTemplate) {
      if (c === 123 /* { */) {
        push('holeStart', i, i + 1);
        modes.push(Mode.Code);
        i++;
        continue;
      }
      if (m === Mode.Template && c === 39 /* ' */ && source.charCodeAt(i + 1) !== 39) {
        push('templateEnd', i, i + 1);
        pop();
        i++;
        continue;
      }
      const start = i;
      while (i < n) {
        const d = source.charCodeAt(i);
        if (d === 123) break;
        if (d === 92 /* \ */ && i + 1 < n) {
          i += 2;
          continue;
        }
        if (m === Mode.Template && d === 39) {
          if (source.charCodeAt(i + 1) === 39) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      push('templateText', start, i);
      continue;
    }

    if (m === Mode.TagText) {
      if (isCSpace(c)) {
        if (c === 10 || c === 13) newline = true;
        i++;
        continue;
      }
      if (c === 123) {
        push('punctuation', i, i + 1);
        modes.push(Mode.Code);
        i++;
        continue;
      }
      if (c === 60 /* < */) {
        if (source.charCodeAt(i + 1) === 47 /* / */) {
          push('punctuation', i, i + 2);
          pop();
          modes.push(Mode.TagClose);
          i += 2;
        } else {
          push('tagOpen', i, i + 1);
          modes.push(Mode.TagOpen);
          i++;
        }
        continue;
      }
      const start = i;
      while (i < n && source.charCodeAt(i) !== 60 && source.charCodeAt(i) !== 123) i++;
      // Text keeps its inner spaces; trailing whitespace before '<' or '{' is part of it too (as ANTLR's ~[<{]+).
      push('tagText', start, i);
      continue;
    }

    if (m === Mode.TagOpen || m === Mode.TagClose) {
      if (isCSpace(c)) {
        if (c === 10 || c === 13) newline = true;
        i++;
        continue;
      }
      if (c === 62 /* > */) {
        push('punctuation', i, i + 1);
        pop();
        if (m === Mode.TagOpen) modes.push(Mode.TagText);
        i++;
        continue;
      }
      if (m === Mode.TagOpen && c === 47 && source.charCodeAt(i + 1) === 62) {
        push('punctuation', i, i + 2);
        pop();
        i += 2;
        continue;
      }
      if (isLetter(c) || c === 95) {
        const start = i;
        while (i < n && isTagNamePart(source.charCodeAt(i))) i++;
        push('identifier', start, i);
        continue;
      }
      if (m === Mode.TagOpen && c === 61 /* = */) {
        push('punctuation', i, i + 1);
        i++;
        continue;
      }
      if (m === Mode.TagOpen && c === 39) {
        const start = i;
        const closed = skipQuoted(source, i, 39);
        i = closed.end;
        push('string', start, i, closed.terminated ? undefined : { unterminated: true });
        continue;
      }
      if (m === Mode.TagOpen && c === 123) {
        push('punctuation', i, i + 1);
        modes.push(Mode.Code);
        i++;
        continue;
      }
      push('unexpected', i, i + 1);
      i++;
      continue;
    }

    // ── code mode ──
    if (isHogWhitespace(c)) {
      if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) newline = true;
      i++;
      continue;
    }
    // Comments: // and -- to the end of the line; /* … */ (an unclosed one is not a comment: '/' then '*').
    if ((c === 47 && source.charCodeAt(i + 1) === 47) || (c === 45 && source.charCodeAt(i + 1) === 45)) {
      while (i < n && source.charCodeAt(i) !== 10 && source.charCodeAt(i) !== 13) i++;
      newline = true;
      continue;
    }
    if (c === 47 && source.charCodeAt(i + 1) === 42) {
      const close = source.indexOf('*/', i + 2);
      if (close >= 0) {
        if (/[\n\r]/.test(source.slice(i, close))) newline = true;
        i = close + 2;
        continue;
      }
    }
    // f' and F' (maximal munch: longer than the identifier `f`).
    if ((c === 102 || c === 70) && source.charCodeAt(i + 1) === 39) {
      if (c === 102) {
        push('templateStart', i, i + 2);
        modes.push(Mode.Template);
      } else {
        push('fullTemplateStart', i, i + 2);
        modes.push(Mode.FullTemplate);
      }
      i += 2;
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      i++;
      while (i < n && isIdentPart(source.charCodeAt(i))) i++;
      const upper = source.slice(start, i).toUpperCase();
      const keyword = KEYWORDS.has(upper) ? (KEYWORD_ALIASES[upper] ?? upper) : undefined;
      push('identifier', start, i, keyword ? { keyword } : undefined);
      continue;
    }
    if (isDigit(c) || (c === 46 /* . */ && isDigit(source.charCodeAt(i + 1)))) {
      const start = i;
      const kind = scanNumber(source, i);
      i = kind.end;
      push(kind.kind, start, i);
      continue;
    }
    if (c === 39 || c === 96 /* ` */ || c === 34 /* " */) {
      const start = i;
      const closed = skipQuoted(source, i, c);
      i = closed.end;
      push(c === 39 ? 'string' : 'quotedIdentifier', start, i, closed.terminated ? undefined : { unterminated: true });
      continue;
    }
    if (c === 60 && source.charCodeAt(i + 1) !== 47 && isOpeningTag(source, i + 1)) {
      push('tagOpen', i, i + 1);
      modes.push(Mode.TagOpen);
      i++;
      continue;
    }
    const ops = OPERATORS_BY_FIRST.get(c);
    const op = ops?.find((o) => source.startsWith(o, i));
    if (op) {
      push('punctuation', i, i + op.length);
      i += op.length;
      if (op === '{') modes.push(Mode.Code);
      else if (op === '}') pop();
      else if (op === '</') modes.push(Mode.TagClose);
      continue;
    }
    // A surrogate pair is one character (one code point) for the lexer.
    const width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    push('unexpected', i, i + width);
    i += width;
  }
  const m = mode();
  if (m === Mode.Template || m === Mode.FullTemplate) {
    // An f-string still open at the end: its start token says so.
    for (let k = tokens.length - 1; k >= 0; k--) {
      const t = tokens[k];
      if (t && (t.kind === 'templateStart' || t.kind === 'fullTemplateStart')) {
        if (m === Mode.Template) tokens[k] = { ...t, unterminated: true };
        break;
      }
    }
  }
  tokens.push({ kind: 'eof', start: n, end: n, text: '', newlineBefore: newline });
  return tokens;
}

/** Skips a '…', `…` or "…" run (escapes, doubled quotes); `end` is past the closing quote, or the end. */
function skipQuoted(source: string, start: number, quote: number): { end: number; terminated: boolean } {
  let i = start + 1;
  const n = source.length;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 92 && i + 1 < n) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (source.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return { end: i + 1, terminated: true };
    }
    i++;
  }
  return { end: n, terminated: false };
}

/** The longest number token at `start` (FLOATING/BINARY/OCTAL/DECIMAL/HEXADECIMAL_LITERAL rules). */
function scanNumber(source: string, start: number): { kind: TokenKind; end: number } {
  const n = source.length;
  const digitsFrom = (i: number, test: (c: number) => boolean): number => {
    while (i < n && test(source.charCodeAt(i))) i++;
    return i;
  };
  /** An exponent (e/E or p/P, sign, digits) at i: its end, or -1. */
  const exponent = (i: number, letter: number): number => {
    if ((source.charCodeAt(i) | 32) !== letter) return -1;
    let j = i + 1;
    const sign = source.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    const end = digitsFrom(j, isDigit);
    return end > j ? end : -1;
  };
  const c0 = source.charCodeAt(start);
  if (c0 === 46) {
    // .5e3 (a float); a bare .5 is dot · decimal for the parser.
    const digits = digitsFrom(start + 1, isDigit);
    const e = exponent(digits, 101);
    return e > 0 ? { kind: 'float', end: e } : { kind: 'punctuation', end: start + 1 };
  }
  const c1 = source.charCodeAt(start + 1) | 32;
  if (c0 === 48 && c1 === 120 && isHexDigit(source.charCodeAt(start + 2))) {
    const hexEnd = digitsFrom(start + 2, isHexDigit);
    if (source.charCodeAt(hexEnd) === 46) {
      const fracEnd = digitsFrom(hexEnd + 1, isHexDigit);
      const e = exponent(fracEnd, 112);
      if (e > 0) return { kind: 'float', end: e };
    }
    const e = exponent(hexEnd, 112);
    if (e > 0) return { kind: 'float', end: e };
    return { kind: 'hexadecimal', end: hexEnd };
  }
  if (c0 === 48 && c1 === 98 && isDigit(source.charCodeAt(start + 2))) {
    const binEnd = digitsFrom(start + 2, (c) => c === 48 || c === 49);
    const decEnd = digitsFrom(start + 2, isDigit);
    return decEnd > binEnd ? { kind: 'badNumber', end: decEnd } : { kind: 'binary', end: binEnd };
  }
  if (c0 === 48 && c1 === 111 && isDigit(source.charCodeAt(start + 2))) return { kind: 'badNumber', end: digitsFrom(start + 2, isDigit) };
  const decEnd = digitsFrom(start, isDigit);
  // 1.5e3 and 1.e3 are one float token; 1.5 is not (the parser joins decimal · dot · decimal).
  if (source.charCodeAt(decEnd) === 46) {
    const fracEnd = digitsFrom(decEnd + 1, isDigit);
    const e = exponent(fracEnd, 101);
    if (e > 0) return { kind: 'float', end: e };
  }
  const e = exponent(decEnd, 101);
  if (e > 0) return { kind: 'float', end: e };
  if (c0 === 48) {
    const octEnd = digitsFrom(start + 1, isOctDigit);
    if (octEnd > start + 1 && octEnd >= decEnd) return { kind: 'octal', end: octEnd };
  }
  return { kind: 'decimal', end: decEnd };
}

/**
 * The lexer's isOpeningTag(): after '<', a letter or '_', a tag name, then '>' or '/' — or whitespace
 * (and comments) followed by a letter, digit, '_', '>' or '/'. So `a < b` is a comparison and `<b x` a tag.
 */
function isOpeningTag(source: string, at: number): boolean {
  const c = source.charCodeAt(at);
  if (!isLetter(c) && c !== 95) return false;
  let i = at + 1;
  while (i < source.length && isTagNamePart(source.charCodeAt(i))) i++;
  let ch = source.charCodeAt(i);
  if (ch === 62 || ch === 47) return true;
  if (!isCSpace(ch)) return false;
  i++;
  for (;;) {
    ch = source.charCodeAt(i);
    if (isCSpace(ch)) {
      i++;
      continue;
    }
    if ((ch === 47 && source.charCodeAt(i + 1) === 47) || (ch === 45 && source.charCodeAt(i + 1) === 45)) i += 2;
    else if (ch === 35) i++;
    else break;
    while (i < source.length && source.charCodeAt(i) !== 10 && source.charCodeAt(i) !== 13) i++;
  }
  return isLetter(ch) || isDigit(ch) || ch === 95 || ch === 62 || ch === 47;
}
