/**
 * Everything the editor reports about a Hog document: our parser's syntax errors (src/hog, in plain words,
 * one per statement, each at its place), the lints of lints.ts and, for a program without syntax errors,
 * what PostHog's compiler says (src/hog/compiler: errors for which PostHog refuses the code, warnings for
 * calls that fail when it runs). Pure and fast (a 40 KB function in a few ms), so it runs on the
 * extension host's thread after the debounce.
 */
import { compileProgram } from '../hog/compiler/compiler';
import { STL_ARITY, supportedFunctions } from '../hog/compiler/stl';
import { parseProgram, type ParseResult } from '../hog/parser';
import { lintHog, type HogFinding } from './lints';
import { scanHog, type HogToken } from './scanner';

/**
 * The findings of a program (`parsed`: its parse, when the caller has it), sorted by position. A lint at the same place as a syntax error explains the
 * same problem in Hog's terms (and may carry a quick fix), so the parser's error there is dropped.
 */
export function hogFindings(
  code: string,
  parsed: ParseResult = parseProgram(code),
  tokens: readonly HogToken[] = scanHog(code),
  options: { readonly functionType?: string } = {},
): HogFinding[] {
  const lints = lintHog(code, tokens);
  const out: HogFinding[] = [...lints];
  if (parsed.errors.length === 0 && !lints.some((l) => l.severity === 'error')) {
    const compiled = compileProgram(parsed.program, { supportedFunctions: supportedFunctions(options.functionType), stl: STL_ARITY });
    for (const p of compiled.problems) {
      const { start, end } = visibleRange(code, p.start, p.end);
      out.push(
        p.refusedByPostHog
          ? { code: 'compile', severity: 'error', start, end, message: `${p.message} (PostHog refuses to save this code).` }
          : { code: 'runtime', severity: 'warning', start, end, message: /\bthe run fails\b/.test(p.message) ? p.message : `${p.message}: the run fails at this call.` },
      );
    }
  }
  for (const e of parsed.errors) {
    const { start, end } = visibleRange(code, e.start, e.end);
    const duplicate = lints.some((l) => l.severity === 'error' && l.start <= start && start < Math.max(l.end, l.start + 1));
    if (duplicate) continue;
    const finding: HogFinding = { code: 'syntax', severity: 'error', start, end, message: e.message };
    out.push(e.related ? { ...finding, related: e.related } : finding);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** An error at the very end (nothing left to underline) marks the last character of the code instead. */
function visibleRange(code: string, start: number, end: number): { start: number; end: number } {
  if (end > start) return { start, end };
  if (start < code.length) return { start, end: start + 1 };
  const last = code.trimEnd().length;
  return last === 0 ? { start: 0, end: 0 } : { start: last - 1, end: last };
}
