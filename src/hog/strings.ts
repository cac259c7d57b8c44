/**
 * String and identifier literals as PostHog's parser reads them (common/hogql_parser/string.cpp):
 * the quotes removed, a doubled quote is one quote, and the escapes the lexer accepts are replaced.
 * `\x41` stays as written (PostHog keeps it), `\0` is dropped.
 */

/** The escapes the lexer accepts after a backslash (ESCAPE_CHAR_COMMON and the quotes). */
const ESCAPES: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  r: '\r',
  n: '\n',
  t: '\t',
  '0': '',
  a: '\u0007',
  v: '\u000b',
  '\\': '\\',
};

export interface UnescapeResult {
  readonly value: string;
  /** UTF-16 offsets (within the text given) of backslashes PostHog's lexer rejects. */
  readonly badEscapes: number[];
}

/**
 * The value of the text between the quotes. `quote` is the delimiter (doubled, it stands for itself;
 * after a backslash, too); `braces` allows `\{` (template strings).
 */
export function unescapeText(text: string, quote: string, braces = false): UnescapeResult {
  if (!text.includes('\\') && !text.includes(quote + quote)) return { value: text, badEscapes: [] };
  let out = '';
  const bad: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === quote && text[i + 1] === quote) {
      out += quote;
      i++;
      continue;
    }
    if (c !== '\\' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const next = text[i + 1] ?? '';
    if (next === 'x' || next === 'X') {
      // \xHH is accepted and kept as written.
      if (/^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
        out += text.slice(i, i + 4);
        i += 3;
      } else {
        bad.push(i);
        out += c;
      }
      continue;
    }
    const escaped = ESCAPES[next.toLowerCase()];
    if (escaped !== undefined) {
      out += escaped;
      i++;
    } else if (next === quote || (braces && next === '{')) {
      out += next;
      i++;
    } else {
      bad.push(i);
      out += c;
    }
  }
  return { value: out, badEscapes: bad };
}

/** The value of a '…' string token (with its quotes). */
export function stringValue(token: string): UnescapeResult {
  const inner = token.length >= 2 && token.endsWith("'") ? token.slice(1, -1) : token.slice(1);
  const r = unescapeText(inner, "'");
  return { value: r.value, badEscapes: r.badEscapes.map((o) => o + 1) };
}

/** The name in a `…` or "…" identifier token (with its quotes). */
export function quotedIdentifierValue(token: string): UnescapeResult {
  const q = token[0] ?? '`';
  const inner = token.length >= 2 && token.endsWith(q) ? token.slice(1, -1) : token.slice(1);
  const r = unescapeText(inner, q);
  return { value: r.value, badEscapes: r.badEscapes.map((o) => o + 1) };
}
