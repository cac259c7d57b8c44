/**
 * Checks for Hog mistakes that the parser accepts or reports badly, and readable versions of the parser's
 * own messages. Pure (no vscode): offsets are UTF-16 offsets into the code, fixes are text edits.
 *
 * Built on a small scanner that follows the lexer's modes (code, f-string, placeholder inside an f-string)
 * closely enough to know what is a string, a comment or an identifier. It never fails and is linear in the
 * size of the code, so it runs on the extension host's thread on every change.
 * Reference: posthog/hogql/grammar/HogQLLexer.common.g4.
 */

// ─── scanner ─────────────────────────────────────────────────────────────────────────────────────

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
        if (code.charCodeAt(j + 1) === quote) j += 2; // '' "" `` are escaped quotes
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

// ─── findings ────────────────────────────────────────────────────────────────────────────────────

export type FindingSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface HogFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface HogFinding {
  /** Stable id, shown as the diagnostic code (e.g. 'double-quoted-string'). 'syntax' for parser errors. */
  readonly code: string;
  readonly message: string;
  readonly severity: FindingSeverity;
  readonly start: number;
  readonly end: number;
  readonly fix?: HogFix;
}

const WORD_OPERATORS = new Set(['and', 'or', 'not', 'like', 'ilike', 'in', 'is', 'between']);
const COMPARISONS = new Set(['==', '!=', '<>', '<', '>', '<=', '>=', '=', '=~', '!~', '=~*', '!~*', '~', '~*']);
/** Tokens after which a new statement starts. */
const STATEMENT_BOUNDARY = new Set(['{', '}', ';']);

const lower = (t: HogToken | undefined): string => (t ? t.text.toLowerCase() : '');
const isOp = (t: HogToken | undefined, op: string, other?: string): boolean => t?.kind === 'op' && (t.text === op || t.text === other);

/** Finds the mistakes the parser accepts (and a few it rejects with an unhelpful message). */
export function lintHog(code: string, tokens: readonly HogToken[] = scanHog(code)): HogFinding[] {
  const findings: HogFinding[] = [];
  // Comments play no part in the checks below.
  const sig = tokens.filter((t) => t.kind !== 'comment');
  const inExpression = expressionContext(sig);

  for (let k = 0; k < sig.length; k++) {
    const t = sig[k];
    if (!t) continue;
    const prev = sig[k - 1];
    const next = sig[k + 1];
    // A new statement can only start outside (…) and […], and after a line break, '{', '}', ';', 'else' or 'if (…)'.
    const statementStart = !inExpression[k] && isStatementStart(prev, t);

    switch (t.kind) {
      case 'dq-ident': {
        // After a dot it is a legitimate quoted field name: event."my prop".
        if (isOp(prev, '.', '?.') || t.unterminated) break;
        const inner = t.text.slice(1, -1);
        const text = inner.replace(/""/g, '"').replace(/\\"/g, '"').replace(/(?<!\\)'/g, "\\'");
        findings.push({
          code: 'double-quoted-string',
          severity: 'warning',
          start: t.start,
          end: t.end,
          message: `${t.text} is an identifier in Hog (a variable or field named ${inner}), not a string. Strings use single quotes: '${text}'.`,
          fix: { title: `Use single quotes: '${text}'`, edits: [{ start: t.start, end: t.end, newText: `'${text}'` }] },
        });
        break;
      }
      case 'ident': {
        const word = lower(t);
        if ((word === 'break' || word === 'continue') && statementStart && isStatementEnd(next)) {
          findings.push({
            code: 'no-break-continue',
            severity: 'warning',
            start: t.start,
            end: t.end,
            message: `Hog has no '${word}' statement: '${t.text}' is read as a variable and fails at runtime. Put the condition in the loop (or return from a function) instead.`,
          });
        }
        if (word === 'let' && next?.kind === 'ident') {
          const after = sig[k + 2];
          if (isOp(after, '=') && after) {
            findings.push(assignWithEquals(after, 'error', `Use ':=' to assign in Hog: let ${next.text} := …`));
          }
        } else if (statementStart && !WORD_OPERATORS.has(word)) {
          // x = 1 / x.y = 1 / x['y'] = 1 at the start of a statement is a comparison whose result is thrown away.
          const eq = assignmentTargetEnd(sig, k);
          if (eq) findings.push(assignWithEquals(eq, 'warning', `'=' compares in Hog, so this line has no effect. Use ':=' to assign.`));
        }
        break;
      }
      case 'invalid':
        findings.push(invalidCharacter(code, t, prev, next));
        break;
      case 'op':
        if (t.text === '||' && isClearlyBoolean(sig, k)) {
          findings.push({
            code: 'pipes-as-or',
            severity: 'information',
            start: t.start,
            end: t.end,
            message: `'||' concatenates strings in Hog. For a boolean "or", use 'or'.`,
            fix: { title: "Replace '||' with 'or'", edits: [spacedReplacement(code, t, 'or')] },
          });
        }
        break;
      case 'string': {
        const liquid = liquidInString(t);
        if (liquid) findings.push(liquid);
        break;
      }
      case 'interp-start': {
        // f'…{{ x }}…': the inner braces make a placeholder inside the placeholder.
        if (isOp(next, '{') && next) {
          const close = matchingBrace(sig, k + 1);
          const end = close !== undefined ? sig[close + 1] : undefined;
          const first = sig[k + 2];
          const last = close !== undefined ? sig[close - 1] : undefined;
          // {{ x }} → {x}: drop the inner braces and the blanks inside them.
          const fix: HogFix | undefined =
            close !== undefined && close > k + 2 && end?.kind === 'interp-end' && first && last
              ? {
                  title: 'Use single braces: {expr}',
                  edits: [
                    { start: t.end, end: first.start, newText: '' },
                    { start: last.end, end: end.start, newText: '' },
                  ],
                }
              : undefined;
          findings.push({
            code: 'liquid-placeholder',
            severity: 'warning',
            start: t.start,
            end: end?.kind === 'interp-end' ? end.end : next.end,
            message: `'{{ … }}' in an f-string is a placeholder inside a placeholder. Hog f-strings use single braces: f'…{expr}…'.`,
            ...(fix ? { fix } : {}),
          });
        } else if (isOp(next, '%') && next) {
          findings.push({
            code: 'liquid-placeholder',
            severity: 'warning',
            start: t.start,
            end: next.end,
            message: `'{% … %}' is Liquid, not Hog. Use if/for statements in code, or Liquid templating in the function's inputs.`,
          });
        }
        break;
      }
      default:
        break;
    }
  }

  for (const t of tokens) {
    if (t.unterminated) findings.push(unterminated(code, t));
  }
  return findings.sort((a, b) => a.start - b.start);
}

/** For each token: whether it sits directly inside (…), […] or an f-string placeholder, where statements cannot start. */
function expressionContext(sig: readonly HogToken[]): boolean[] {
  const stack: string[] = [];
  return sig.map((t) => {
    const inside = stack.length > 0 && stack[stack.length - 1] !== '{';
    if (t.kind === 'interp-start') stack.push('(');
    else if (t.kind === 'interp-end') stack.pop();
    else if (t.kind === 'op') {
      if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(t.text === '{' ? '{' : '(');
      else if (t.text === ')' || t.text === ']' || t.text === '}') stack.pop();
    }
    return inside;
  });
}

function isStatementStart(prev: HogToken | undefined, t: HogToken): boolean {
  if (!prev || t.newlineBefore) return true;
  if (prev.kind === 'op' && STATEMENT_BOUNDARY.has(prev.text)) return true;
  if (isOp(prev, ')')) return true; // if (…) break
  return prev.kind === 'ident' && prev.text.toLowerCase() === 'else';
}

function isStatementEnd(next: HogToken | undefined): boolean {
  return !next || next.newlineBefore || isOp(next, ';', '}');
}

/** For `x = …`, `x.y = …`, `x['y'] = …` starting at sig[k]: the '=' token, if that is what follows the target. */
function assignmentTargetEnd(sig: readonly HogToken[], k: number): HogToken | undefined {
  let j = k + 1;
  for (;;) {
    const t = sig[j];
    if (!t || t.newlineBefore) return undefined;
    if (isOp(t, '.', '?.') && sig[j + 1]?.kind === 'ident') {
      j += 2;
    } else if (isOp(t, '[')) {
      let depth = 0;
      for (; j < sig.length; j++) {
        const u = sig[j];
        if (isOp(u, '[')) depth++;
        else if (isOp(u, ']') && --depth === 0) break;
      }
      if (j >= sig.length) return undefined;
      j++;
    } else {
      return isOp(t, '=') ? t : undefined;
    }
  }
}

function assignWithEquals(eq: HogToken, severity: FindingSeverity, message: string): HogFinding {
  return { code: 'assign-with-equals', severity, start: eq.start, end: eq.end, message, fix: { title: "Replace '=' with ':='", edits: [{ start: eq.start, end: eq.end, newText: ':=' }] } };
}

/** The replacement of token t by a word, with spaces added where the neighbours touch it ("a&&b" → "a and b"). */
function spacedReplacement(code: string, t: HogToken, word: string): TextEdit {
  const before = t.start > 0 && !/\s/.test(code[t.start - 1] ?? '') ? ' ' : '';
  const after = t.end < code.length && !/\s/.test(code[t.end] ?? '') ? ' ' : '';
  return { start: t.start, end: t.end, newText: `${before}${word}${after}` };
}

function invalidCharacter(code: string, t: HogToken, prev: HogToken | undefined, next: HogToken | undefined): HogFinding {
  const base = { severity: 'error' as const, start: t.start, end: t.end };
  switch (t.text) {
    case '!': {
      // "!x" → "not x"; "!(…)" → "not (…)".
      const after = next?.start === t.end ? ' ' : '';
      return {
        ...base,
        code: 'no-bang',
        message: "Hog has no '!' operator: use 'not' (not x, not (a and b)). '!=' and '!~' are fine.",
        fix: { title: "Replace '!' with 'not'", edits: [{ start: t.start, end: t.end, newText: `${prev?.end === t.start && prev.kind !== 'op' ? ' ' : ''}not${after}` }] },
      };
    }
    case '&&':
    case '&':
      return { ...base, code: 'no-ampersand', message: `Hog has no '${t.text}' operator: use 'and'.`, fix: { title: `Replace '${t.text}' with 'and'`, edits: [spacedReplacement(code, t, 'and')] } };
    case '|':
      return { ...base, code: 'single-pipe', message: "Hog has no '|' operator: use 'or' for logic, or '||' to join strings." };
    default: {
      const cp = t.text.codePointAt(0) ?? 0;
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      return { ...base, code: 'unexpected-character', message: `Unexpected character '${t.text}' (U+${hex}). Hog names use ASCII letters, digits, _ and $; text belongs in 'single quotes'.` };
    }
  }
}

const BOOLEAN_WORDS = new Set(['true', 'false', 'not']);
/** Tokens that end the operand search around '||'. */
const EXPRESSION_BOUNDARY = new Set(['(', ')', '[', ']', '{', '}', ',', ';', ':=', '?', ':', '||', '??']);

/** '||' with a comparison or a boolean literal as a direct operand: almost certainly meant as "or". */
function isClearlyBoolean(sig: readonly HogToken[], k: number): boolean {
  const scan = (from: number, step: 1 | -1): boolean => {
    for (let j = from, seen = 0; j >= 0 && j < sig.length && seen < 12; j += step, seen++) {
      const t = sig[j];
      if (!t) return false;
      if (t.kind === 'op' && EXPRESSION_BOUNDARY.has(t.text)) return false;
      if (t.kind === 'interp-start' || t.kind === 'interp-end') return false;
      if (t.kind === 'op' && COMPARISONS.has(t.text)) return true;
      if (t.kind === 'ident') {
        const w = t.text.toLowerCase();
        if (BOOLEAN_WORDS.has(w) || w === 'like' || w === 'ilike' || w === 'is' || w === 'in' || w === 'and' || w === 'or') return true;
        if (['if', 'return', 'let', 'while'].includes(w)) return false;
      }
    }
    return false;
  };
  return scan(k - 1, -1) || scan(k + 1, 1);
}

function matchingBrace(sig: readonly HogToken[], open: number): number | undefined {
  let depth = 0;
  for (let j = open; j < sig.length; j++) {
    const t = sig[j];
    if (isOp(t, '{')) depth++;
    else if (isOp(t, '}') && --depth === 0) return j;
    else if (t?.kind === 'interp-end') return undefined;
  }
  return undefined;
}

const LIQUID_OUTPUT = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** '{{ x }}' or '{% … %}' in a plain string: Liquid, which Hog never interpolates. */
function liquidInString(t: HogToken): HogFinding | undefined {
  if (!t.text.includes('{')) return undefined;
  const body = t.text.slice(1, t.unterminated ? undefined : -1);
  const hasTag = /\{%.*?%\}/s.test(body);
  const outputs = [...body.matchAll(LIQUID_OUTPUT)];
  if (!hasTag && outputs.length === 0) return undefined;
  const finding = {
    code: 'liquid-placeholder',
    severity: 'warning' as const,
    start: t.start,
    end: t.end,
    message: hasTag
      ? `Liquid ('{% … %}') is not evaluated in Hog strings. Use Hog code, or an f-string: f'…{expr}…'.`
      : `'{{ … }}' is not interpolated in a Hog string. Use an f-string: f'…{expr}…'.`,
  };
  // A fix only when every {{ … }} holds something that can be a Hog expression (no Liquid filters).
  if (hasTag || t.unterminated || outputs.some((m) => (m[1] ?? '').includes('|') || (m[1] ?? '') === '')) return finding;
  let converted = '';
  let last = 0;
  for (const m of outputs) {
    converted += escapeBraces(body.slice(last, m.index)) + `{${m[1] ?? ''}}`;
    last = m.index + m[0].length;
  }
  converted += escapeBraces(body.slice(last));
  return { ...finding, fix: { title: 'Convert to an f-string', edits: [{ start: t.start, end: t.end, newText: `f'${converted}'` }] } };
}

/** In an f-string a literal '{' must be written '\{'. */
function escapeBraces(text: string): string {
  return text.replace(/(?<!\\)\{/g, '\\{');
}

function unterminated(code: string, t: HogToken): HogFinding {
  const lineEnd = endOfLine(code, t.start);
  const what: Record<string, string> = {
    string: "Unterminated string: the closing ' is missing (a quote inside a string is written '' or \\').",
    'fstring-start': "Unterminated f-string: the closing ' is missing.",
    'dq-ident': 'Unterminated quoted identifier: the closing " is missing.',
    'bt-ident': 'Unterminated quoted identifier: the closing ` is missing.',
    comment: "Unterminated block comment: '*/' is missing.",
  };
  return { code: 'unterminated', severity: 'error', start: t.start, end: Math.max(lineEnd, t.start + 1), message: what[t.kind] ?? 'Unterminated token.' };
}

function endOfLine(code: string, offset: number): number {
  const m = /[\r\n]/.exec(code.slice(offset));
  return m ? offset + m.index : code.length;
}

// ─── parser errors ───────────────────────────────────────────────────────────────────────────────

/** Readable names for the lexer's token names in "expecting {…}" lists. */
const TOKEN_NAMES: Record<string, string> = {
  '<EOF>': 'end of input',
  IDENTIFIER: 'a name',
  STRING_LITERAL: 'a string',
  DECIMAL_LITERAL: 'a number',
  OCTAL_LITERAL: 'a number',
  HEXADECIMAL_LITERAL: 'a number',
  FLOATING_LITERAL: 'a number',
  BINARY_LITERAL: 'a number',
  QUOTE_SINGLE_TEMPLATE: "f'",
};
const MAX_EXPECTED = 6;

/** The offending input as quoted by ANTLR: '<EOF>' and ''' (a lone quote) read badly. */
function readableInput(tok: string): string {
  if (tok === "'<EOF>'") return 'end of input';
  if (tok === "'''") return 'quote (\')';
  return tok;
}

function readableToken(name: string): string {
  const trimmed = name.trim();
  if (trimmed in TOKEN_NAMES) return TOKEN_NAMES[trimmed] ?? trimmed;
  if (/^'.*'$/.test(trimmed)) return trimmed;
  if (/^[A-Z_]+$/.test(trimmed)) return `'${trimmed.toLowerCase()}'`;
  return trimmed;
}

/**
 * Rewrites an ANTLR message: "extraneous input '=' expecting {<EOF>, ALL, AND, …200 names…}" becomes
 * "Unexpected '='"; short lists are kept in readable form ("expecting one of: ')', ','").
 */
export function simplifyParserMessage(message: string): string {
  let m = message.trim();
  let expected = '';
  const list = /\s+expecting\s+(\{[^]*\}|'[^']*'|\S+)\s*$/.exec(m);
  if (list?.[1]) {
    m = m.slice(0, list.index);
    const raw = list[1];
    // Names are separated by ", " (a bare split on ',' would cut the ',' token itself).
    const names = raw.startsWith('{') ? raw.slice(1, -1).split(', ') : [raw];
    const readable = [...new Set(names.map(readableToken))];
    if (readable.length === 1) expected = `, expecting ${readable[0] ?? ''}`;
    else if (readable.length <= MAX_EXPECTED) expected = `, expecting one of: ${readable.join(', ')}`;
  }
  m = m
    // The quoted input ends at a quote followed by a blank: ''' is a lone quote, 'it''s' a string.
    .replace(/^(?:extraneous|mismatched) input ('[^]*?'(?=\s|$)|\S+)/, (_, tok: string) => `Unexpected ${readableInput(tok)}`)
    .replace(/^missing (\{[^}]*\}|'[^']*'|\S+) at ('[^]*?'(?=\s|$)|\S+)/, (_, what: string, at: string) => {
      const names = what.startsWith('{') ? [...new Set(what.slice(1, -1).split(', ').map(readableToken))].join(' or ') : readableToken(what);
      return `Missing ${names} before ${at === "'<EOF>'" ? 'the end' : at}`;
    })
    .replace(/^no viable alternative at input ('[^]*')$/, (_, input: string) => {
      const text = input.slice(1, -1).replace(/\s+/g, ' ');
      return `Cannot parse ${text.length > 40 ? `'…${text.slice(-40)}'` : `'${text}'`}`;
    })
    .replace(/<EOF>/g, 'end of input');
  return m + expected;
}

/**
 * A parser error as a finding: readable message, and a range covering the offending token (or the rest of
 * the line), since the parser only gives a reliable start offset.
 */
export function explainParseError(code: string, error: { readonly message: string; readonly offset: number }, tokens: readonly HogToken[] = scanHog(code)): HogFinding {
  const offset = Math.min(Math.max(0, error.offset), code.length);
  const token = tokenAt(tokens, offset);
  let start = offset;
  let end: number;
  if (offset >= code.length) {
    // Errors at the end of input ("missing '}'") underline the last character.
    start = Math.max(0, code.trimEnd().length - 1);
    end = Math.max(start + 1, code.trimEnd().length);
    end = Math.min(end, code.length);
  } else if (token && !/[\r\n]/.test(token.text)) {
    start = token.start;
    end = token.end;
  } else {
    end = Math.max(endOfLine(code, offset), offset + 1);
  }

  let message = simplifyParserMessage(error.message);
  const bad = /^Unexpected character '(.)'/.exec(error.message)?.[1];
  if (bad === '!') message = "Hog has no '!' operator: use 'not' (not x, not (a and b)).";
  else if (bad === '&') message = "Hog has no '&&' operator: use 'and'.";
  else if (bad === '|') message = "Hog has no '|' operator: use 'or' for logic, or '||' to join strings.";
  else if (token?.unterminated) message = `${unterminated(code, token).message} (${message})`;
  return { code: 'syntax', severity: 'error', start, end, message };
}

/**
 * Parser errors and lint findings for one document. A lint at the same place as the parser error explains
 * the same problem better (and may carry a fix), so the parser's version is dropped.
 */
export function combineFindings(code: string, parseErrors: readonly { readonly message: string; readonly offset: number }[], tokens: readonly HogToken[] = scanHog(code)): HogFinding[] {
  const lints = lintHog(code, tokens);
  const out: HogFinding[] = [...lints];
  for (const e of parseErrors) {
    const explained = explainParseError(code, e, tokens);
    const duplicate = lints.some((l) => l.severity === 'error' && l.start <= explained.start && explained.start < Math.max(l.end, l.start + 1));
    if (!duplicate) out.push(explained);
  }
  return out.sort((a, b) => a.start - b.start);
}
