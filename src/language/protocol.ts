/**
 * Messages between the extension host (HogParserClient) and the parser worker (parserWorker.ts).
 * Pure: imported by both bundles (dist/extension.js and dist/hogParserWorker.js) and by plain-Node tests.
 */
import type { Chunk, StatementList } from './incremental';
import type { HogFinding } from './lints';

/** 'program': a hog function's code. 'template': an input value in hog templating (text with {expr} holes). */
export type ParseKind = 'program' | 'template';

export interface ParseRequestMessage {
  readonly id: number;
  readonly code: string;
  readonly kind: ParseKind;
  /** Also run the lints (lints.ts) in the worker and answer with the combined findings (programs only). */
  readonly lint?: boolean;
  /**
   * Parse only code[range.start, range.end) as a program (incremental.ts planChunk); errors are still reported
   * as offsets into the whole code, and the lints still cover the whole code.
   */
  readonly range?: Chunk;
  /** When the whole program parses without errors, answer with its outline (incremental.ts). */
  readonly outline?: boolean;
  /** Do not parse at all, only lint (the caller already knows the syntax error: incremental.ts 'unbalanced'). */
  readonly skipParse?: boolean;
}

export interface HogSyntaxError {
  /** The parser's message, unmodified (lints.ts turns it into something readable). */
  readonly message: string;
  /**
   * UTF-16 offset into the code, i.e. what vscode's TextDocument.positionAt expects (converted from the
   * parser's own units by parserErrorOffsetToUtf16). Only the parser's start offset is reliable (line/column
   * are 0 and end is usually the end of input).
   */
  readonly offset: number;
}

export type ParseResponseMessage =
  | {
      readonly id: number;
      readonly ok: true;
      readonly errors: readonly HogSyntaxError[];
      readonly parseMs: number;
      /** With lint: the parser errors made readable plus the lint findings (lints.ts combineFindings). */
      readonly findings?: readonly HogFinding[];
      /** With outline, when the program parsed without errors and its AST describes the text exactly. */
      readonly outline?: StatementList;
    }
  | { readonly id: number; readonly ok: false; readonly failure: string };

/** Converts an offset in code points (the parser's unit) to an offset in UTF-16 code units (JavaScript's). */
export function codePointToUtf16Offset(text: string, codePoints: number): number {
  if (codePoints <= 0) return 0;
  let utf16 = 0;
  let seen = 0;
  while (utf16 < text.length && seen < codePoints) {
    const c = text.charCodeAt(utf16);
    const next = text.charCodeAt(utf16 + 1); // NaN past the end
    // A high surrogate followed by a low surrogate is one code point made of two UTF-16 units.
    utf16 += c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    seen++;
  }
  return utf16;
}

/** Converts an offset in UTF-8 bytes to an offset in UTF-16 code units; a byte inside a character counts as that character. */
export function utf8ByteToUtf16Offset(text: string, bytes: number): number {
  let utf16 = 0;
  let seen = 0;
  while (utf16 < text.length && seen < bytes) {
    const c = text.charCodeAt(utf16);
    const next = text.charCodeAt(utf16 + 1); // NaN past the end
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      utf16 += 2;
      seen += 4;
    } else {
      utf16 += 1;
      seen += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
  }
  return utf16;
}

/** The offending token quoted at the start of an ANTLR message: "mismatched input ')' expecting …" → ")". */
const QUOTED_TOKEN = /^(?:mismatched input|extraneous input|Unexpected character) '(.+?)'(?=\s|$)/;

/**
 * Converts the offset of a parser error to a UTF-16 offset into text. The WASM parser is not consistent:
 * lexer errors ("Unexpected character …") count code points, parser errors ("mismatched input …",
 * "no viable alternative …") count UTF-8 bytes, and the AST counts code points. The two readings only differ
 * after non-ASCII text; then the one where the quoted token actually is wins, else the message kind decides.
 */
export function parserErrorOffsetToUtf16(text: string, offset: number, message: string): number {
  const fromBytes = utf8ByteToUtf16Offset(text, offset);
  const fromCodePoints = codePointToUtf16Offset(text, offset);
  if (fromBytes === fromCodePoints) return fromBytes;
  const token = QUOTED_TOKEN.exec(message)?.[1];
  const tokenAt = (at: number): boolean => (token === '<EOF>' ? at >= text.length : token !== undefined && text.startsWith(token, at));
  if (tokenAt(fromBytes) !== tokenAt(fromCodePoints)) return tokenAt(fromBytes) ? fromBytes : fromCodePoints;
  return message.startsWith('Unexpected character') ? fromCodePoints : fromBytes;
}
