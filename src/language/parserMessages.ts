/** PostHog's parser messages in readable words, placed on the right token, merged with the lints. Pure. */
import { endOfLine, lintHog, unterminated, type HogFinding } from './lints';
import { scanHog, tokenAt, type HogToken } from './scanner';

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
  if (tok === "'''") return "quote (')";
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
export function combineFindings(
  code: string,
  parseErrors: readonly { readonly message: string; readonly offset: number }[],
  tokens: readonly HogToken[] = scanHog(code),
): HogFinding[] {
  const lints = lintHog(code, tokens);
  const out: HogFinding[] = [...lints];
  for (const e of parseErrors) {
    const explained = explainParseError(code, e, tokens);
    const duplicate = lints.some((l) => l.severity === 'error' && l.start <= explained.start && explained.start < Math.max(l.end, l.start + 1));
    if (!duplicate) out.push(explained);
  }
  return out.sort((a, b) => a.start - b.start);
}
