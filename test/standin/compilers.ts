/**
 * The "compilers" behind validation: the Hog parser (@posthog/hogql-parser, WASM) and the
 * TypeScript transpiler for site_* code. Both are loaded lazily on first use so the stand-in
 * starts fast, and kept as process-wide singletons (the parser takes ~40 ms to initialise,
 * TypeScript a few hundred ms to load).
 */
import type { HogQLParser } from '@posthog/hogql-parser';

let parserPromise: Promise<HogQLParser> | null = null;

export function getHogParser(): Promise<HogQLParser> {
  if (!parserPromise) {
    parserPromise = import('@posthog/hogql-parser').then((mod) => mod.default());
    // Allow a retry if loading failed (e.g. a transient import problem).
    parserPromise.catch(() => {
      parserPromise = null;
    });
  }
  return parserPromise;
}

export interface AstNode {
  node?: string;
  [key: string]: unknown;
}

export type ParseOutcome = { ok: true; ast: AstNode } | { ok: false; message: string; offset: number };

function toOutcome(json: string): ParseOutcome {
  const parsed = JSON.parse(json) as AstNode & { error?: boolean; message?: string; start?: { offset?: number } };
  if (parsed.error === true) {
    return { ok: false, message: parsed.message ?? 'Syntax error', offset: parsed.start?.offset ?? 0 };
  }
  return { ok: true, ast: parsed };
}

export async function parseHogProgram(code: string): Promise<ParseOutcome> {
  const parser = await getHogParser();
  return toOutcome(parser.parseProgram(code, true));
}

/** Parses an input template the way PostHog's `parse_string_template` does (magic `F'` prefix). */
export async function parseHogTemplate(text: string): Promise<ParseOutcome> {
  const parser = await getHogParser();
  return toOutcome(parser.parseFullTemplateString(`F'${text}`, true));
}

/** True if any node below `root` (inclusive) is a `Placeholder`. */
export function containsPlaceholder(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...(value as unknown[]));
    } else if (typeof value === 'object' && value !== null) {
      const node = value as AstNode;
      if (node.node === 'Placeholder') return true;
      stack.push(...Object.values(node));
    }
  }
  return false;
}

/**
 * The Hog bytecode compiler rejects `{…}` placeholders that the parser accepts. In an internal
 * (position-free) template AST the template's own `{…}` holes are already unwrapped, so any
 * remaining Placeholder comes from `{{…}}`.
 */
export function templateHasNestedPlaceholder(ast: AstNode): boolean {
  return containsPlaceholder(ast);
}

type TypeScriptModule = typeof import('typescript');
let tsPromise: Promise<TypeScriptModule> | null = null;

function getTypeScript(): Promise<TypeScriptModule> {
  tsPromise ??= import('typescript');
  return tsPromise;
}

export type TranspileOutcome = { ok: true; js: string } | { ok: false; message: string };

/** Transpiles site_app / site_destination code; syntax errors fail like PostHog's TS check. */
export async function transpileTypeScript(code: string): Promise<TranspileOutcome> {
  const ts = await getTypeScript();
  const out = ts.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext },
  });
  const first = out.diagnostics?.[0];
  if (first) return { ok: false, message: ts.flattenDiagnosticMessageText(first.messageText, '\n') };
  return { ok: true, js: out.outputText };
}
