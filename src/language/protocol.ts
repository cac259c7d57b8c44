/**
 * Messages between the extension host (HogParserClient) and the parser worker (parserWorker.ts).
 * Pure: imported by both bundles (dist/extension.js and dist/hogParserWorker.js) and by plain-Node tests.
 */
import type { HogFinding } from './lints';

/** 'program': a hog function's code. 'template': an input value in hog templating (text with {expr} holes). */
export type ParseKind = 'program' | 'template';

export interface ParseRequestMessage {
  readonly id: number;
  readonly code: string;
  readonly kind: ParseKind;
  /** Also run the lints (lints.ts) in the worker and answer with the combined findings (programs only). */
  readonly lint?: boolean;
}

export interface HogSyntaxError {
  /** The parser's message, unmodified (lints.ts turns it into something readable). */
  readonly message: string;
  /**
   * UTF-16 offset into the code, i.e. what vscode's TextDocument.positionAt expects. The parser counts code
   * points and only its start offset is reliable (line/column are 0 and end is usually the end of input).
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
