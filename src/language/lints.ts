/**
 * Checks for Hog mistakes that the parser accepts or reports badly. Pure (no vscode): offsets are UTF-16
 * offsets into the code, fixes are text edits. Built on the scanner (scanner.ts); findings.ts adds the
 * parser's syntax errors.
 */
import { scanHog, type HogToken } from './scanner';

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
  /** Another place the finding is about (the bracket a syntax error names), shown as related information. */
  readonly related?: { readonly start: number; readonly end: number; readonly message: string };
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
        const text = inner
          .replace(/""/g, '"')
          .replace(/\\"/g, '"')
          .replace(/(?<!\\)'/g, "\\'");
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
  return {
    code: 'assign-with-equals',
    severity,
    start: eq.start,
    end: eq.end,
    message,
    fix: { title: "Replace '=' with ':='", edits: [{ start: eq.start, end: eq.end, newText: ':=' }] },
  };
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
      return {
        ...base,
        code: 'no-ampersand',
        message: `Hog has no '${t.text}' operator: use 'and'.`,
        fix: { title: `Replace '${t.text}' with 'and'`, edits: [spacedReplacement(code, t, 'and')] },
      };
    case '|':
      return { ...base, code: 'single-pipe', message: "Hog has no '|' operator: use 'or' for logic, or '||' to join strings." };
    default: {
      const cp = t.text.codePointAt(0) ?? 0;
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      return {
        ...base,
        code: 'unexpected-character',
        message: `Unexpected character '${t.text}' (U+${hex}). Hog names use ASCII letters, digits, _ and $; text belongs in 'single quotes'.`,
      };
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

export function unterminated(code: string, t: HogToken): HogFinding {
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

export function endOfLine(code: string, offset: number): number {
  const m = /[\r\n]/.exec(code.slice(offset));
  return m ? offset + m.index : code.length;
}
