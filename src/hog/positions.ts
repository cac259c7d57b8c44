import type { Position } from './ast';

/**
 * PostHog's positions from UTF-16 offsets (editors, JavaScript strings), as its ANTLR parser reports
 * them: `line` 1-based (only "\n" starts a line), `offset` in code points, and a `column` that is the
 * code-point column for a start but, for an end, the start column of the last token plus that token's
 * length in UTF-8 bytes (ANTLR's stop token; the end of a program is the EOF token, "<EOF>", 5 long).
 * ASCII sources (almost all Hog) take a fast path with no tables.
 */
export class PositionMapper {
  /** UTF-16 offsets where lines start. */
  private readonly lineStarts: number[] = [0];
  private readonly ascii: boolean;
  /** For non-ASCII sources: code points before each UTF-16 offset. */
  private readonly codePoints?: Uint32Array;

  constructor(private readonly source: string) {
    let ascii = true;
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      if (c > 127) ascii = false;
    }
    this.ascii = ascii;
    if (!ascii) {
      const n = source.length;
      const cps = new Uint32Array(n + 1);
      let cp = 0;
      for (let i = 0; i < n; i++) {
        cps[i] = cp;
        const c = source.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
          const d = source.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            cps[i + 1] = cp; // the middle of a pair maps to its start
            cp += 1;
            i++;
            continue;
          }
        }
        cp += 1;
      }
      cps[n] = cp;
      this.codePoints = cps;
    }
  }

  /** The line index (0-based) holding a UTF-16 offset. */
  lineIndex(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private cp(offset: number): number {
    return this.ascii || !this.codePoints ? offset : (this.codePoints[offset] ?? offset);
  }

  /** Where a token (or node) starts. */
  start(offset: number): Position {
    const line = this.lineIndex(offset);
    const lineStart = this.lineStarts[line] ?? 0;
    return { line: line + 1, column: this.cp(offset) - this.cp(lineStart), offset: this.cp(offset) };
  }

  /** Where a node whose last token is [start, end) ends; `text` overrides the token text (EOF). */
  end(start: number, end: number, text?: string): Position {
    const s = this.start(start);
    const tokenText = text ?? this.source.slice(start, end);
    return { line: s.line, column: s.column + utf8Length(tokenText), offset: this.cp(end) };
  }

  /** The UTF-16 offset of a code-point offset (what PostHog's errors carry). */
  fromCodePoints(codePointOffset: number): number {
    if (this.ascii || !this.codePoints) return Math.min(codePointOffset, this.source.length);
    let lo = 0;
    let hi = this.source.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.codePoints[mid] ?? 0) < codePointOffset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** 0-based line and UTF-16 character of an offset (for editors). */
  lineCharacter(offset: number): { line: number; character: number } {
    const line = this.lineIndex(offset);
    return { line, character: offset - (this.lineStarts[line] ?? 0) };
  }
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
