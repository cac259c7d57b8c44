/**
 * Checks of a function's `hog` source: Hog programs through the real parser, site_* code as
 * TypeScript. PostHog throws the parser's message away ("Hog code has errors."), so the stand-in
 * does too; only the hyphen detector produces a specific message.
 */
import { compileFunction } from './bytecode';
import { containsPlaceholder, parseHogProgram, transpileTypeScript } from './compilers';
import { JAVASCRIPT_TYPES } from './inputs';
import { validationError } from './http';

export const MAX_HOG_CODE_SIZE_BYTES = 100 * 1024;

const HYPHEN_RE = /(?<![\w$.])((?:event|person|groups|inputs|source|project|request)(?:\.[A-Za-z_$][\w$]*)+)-([A-Za-z_$][\w$]*)/;

/**
 * Replaces string literals, quoted identifiers and comments by spaces (keeping offsets), so a
 * regex only sees code. Hog strings use single quotes with `\'` or `''` escapes.
 */
export function blankNonCode(code: string): string {
  const out = code.split('');
  let i = 0;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < code.length) {
    const c = code[i];
    const two = code.slice(i, i + 2);
    if (two === '//' || two === '--' || c === '#') {
      const end = code.indexOf('\n', i);
      const stop = end === -1 ? code.length : end;
      blank(i, stop);
      i = stop;
    } else if (two === '/*') {
      const end = code.indexOf('*/', i + 2);
      const stop = end === -1 ? code.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < code.length) {
        if (code[j] === '\\') j += 2;
        else if (code[j] === c && code[j + 1] === c) j += 2;
        else if (code[j] === c) break;
        else j++;
      }
      blank(i, j + 1);
      i = j + 1;
    } else {
      i++;
    }
  }
  return out.join('');
}

/** PostHog's hint for `event.properties.utm-source`, which Hog reads as a subtraction. */
export function hyphenHint(code: string): string | null {
  const m = HYPHEN_RE.exec(blankNonCode(code));
  if (!m?.[1] || !m[2]) return null;
  const chain = m[1];
  const dot = chain.lastIndexOf('.');
  const parent = chain.slice(0, dot);
  const last = chain.slice(dot + 1);
  return `Hyphens are not supported in identifiers: "${chain}-${m[2]}" is read as a subtraction. ` + `Use bracket notation: ${parent}['${last}-${m[2]}']`;
}

export interface CompiledCode {
  /** Hog placeholder bytecode is computed by the caller; here only the transpiled JS for site_*. */
  transpiled: string | null;
}

/** Validates `hog` for the function type; throws a 400 ApiError with attr `hog`. */
export async function checkHogCode(hog: string, type: string): Promise<CompiledCode> {
  if (Buffer.byteLength(hog, 'utf8') > MAX_HOG_CODE_SIZE_BYTES) {
    throw validationError(`Hog code is too large (${Buffer.byteLength(hog, 'utf8')} bytes). The maximum is ${MAX_HOG_CODE_SIZE_BYTES} bytes.`, 'hog');
  }
  if (JAVASCRIPT_TYPES.has(type)) {
    const out = await transpileTypeScript(hog);
    if (!out.ok) throw validationError('Error in TypeScript code', 'hog');
    return { transpiled: out.js };
  }
  const hint = hyphenHint(hog);
  if (hint) throw validationError(hint, 'hog');
  const parsed = await parseHogProgram(hog);
  // The bytecode compiler rejects `{…}` placeholders that the parser accepts.
  if (!parsed.ok || containsPlaceholder(parsed.ast)) throw validationError('Hog code has errors.', 'hog');
  // What PostHog's compiler raises on (a variable declared twice, an assignment to a global, …).
  if (compileFunction(hog, type).problems.length > 0) throw validationError('Hog code has errors.', 'hog');
  return { transpiled: null };
}
