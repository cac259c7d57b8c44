/**
 * Worker thread that owns the WASM Hog parser (@posthog/hogql-parser). Bundled on its own as
 * dist/hogParserWorker.js: the parser is ~1 MB and can take seconds on call-heavy code (ANTLR prediction
 * over the whole HogQL grammar), so it must never run on the extension host's thread.
 *
 * Protocol (protocol.ts): one ParseRequestMessage in, one ParseResponseMessage out, in order. The parser
 * is created on the first request and kept: ANTLR's prediction cache makes later parses much faster.
 */
import { parentPort } from 'node:worker_threads';
import type { HogQLParser } from '@posthog/hogql-parser';
// The CJS entry must be required, not imported: with `import`, esbuild would pick the package's ESM build,
// which relies on import.meta.url and breaks inside a CJS bundle.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import hogqlParser = require('@posthog/hogql-parser');
import { outlineFromAst, type Chunk } from './incremental';
import { combineFindings } from './parserMessages';
import { scanHog } from './scanner';
import { parserErrorOffsetToUtf16, type HogSyntaxError, type ParseKind, type ParseRequestMessage, type ParseResponseMessage } from './protocol';

/** Full template strings are parsed after this magic prefix; the parser's offsets include it. */
const TEMPLATE_PREFIX = "F'";

interface ParserErrorJson {
  error: true;
  message: string;
  start?: { offset?: number };
}

function isParserError(value: unknown): value is ParserErrorJson {
  return typeof value === 'object' && value !== null && (value as { error?: unknown }).error === true;
}

/** What one parse found: its syntax errors (the parser reports at most one) and, without errors, the AST. */
export interface HogParseResult {
  readonly errors: HogSyntaxError[];
  /** The parser's JSON AST when there was no error (offsets in code points). */
  readonly ast?: unknown;
}

/**
 * Parses one document, or only code[range.start, range.end) of it as a program; error offsets are UTF-16
 * offsets into the whole code either way. Pure apart from the parser.
 */
export function parseHogSource(parser: HogQLParser, code: string, kind: ParseKind, range?: Chunk): HogParseResult {
  const source = range ? code.slice(range.start, range.end) : code;
  const prefixLength = kind === 'template' ? TEMPLATE_PREFIX.length : 0;
  const raw = kind === 'template' ? parser.parseFullTemplateString(TEMPLATE_PREFIX + source) : parser.parseProgram(source);
  const result: unknown = JSON.parse(raw);
  if (!isParserError(result)) return { errors: [], ast: result };
  const offset = Math.max(0, (result.start?.offset ?? 0) - prefixLength);
  return { errors: [{ message: result.message, offset: (range?.start ?? 0) + parserErrorOffsetToUtf16(source, offset, result.message) }] };
}

let parserPromise: Promise<HogQLParser> | undefined;

function getParser(): Promise<HogQLParser> {
  parserPromise ??= hogqlParser.default();
  return parserPromise;
}

async function handle(message: ParseRequestMessage): Promise<ParseResponseMessage> {
  const parser = await getParser();
  const started = performance.now();
  const range = message.kind === 'program' ? message.range : undefined;
  const { errors, ast } = message.skipParse ? { errors: [], ast: undefined } : parseHogSource(parser, message.code, message.kind, range);
  const parseMs = performance.now() - started;
  // The lints and the outline are cheap, but a linear scan of a 40 KB document is still better spent here
  // than on the extension host's thread.
  const program = message.kind === 'program';
  const tokens = program && (message.lint || message.outline) ? scanHog(message.code) : undefined;
  const findings = message.lint && tokens ? combineFindings(message.code, errors, tokens) : undefined;
  const outline = message.outline && tokens && !range && ast !== undefined ? outlineFromAst(ast, message.code, tokens) : undefined;
  return { id: message.id, ok: true, errors, parseMs, ...(findings ? { findings } : {}), ...(outline ? { outline } : {}) };
}

function isRange(value: unknown, length: number): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null) return false;
  const { start, end } = value as { start?: unknown; end?: unknown };
  return Number.isInteger(start) && Number.isInteger(end) && 0 <= Number(start) && Number(start) <= Number(end) && Number(end) <= length;
}

function isRequest(value: unknown): value is ParseRequestMessage {
  const v = value as Partial<ParseRequestMessage> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'number' &&
    typeof v.code === 'string' &&
    (v.kind === 'program' || v.kind === 'template') &&
    isRange(v.range, v.code.length)
  );
}

const port = parentPort;
if (port) {
  // Start compiling the WASM module while the first request is on its way.
  getParser().catch(() => undefined);

  port.on('message', (message: unknown) => {
    if (!isRequest(message)) {
      // Answer what can be answered, so that the sender does not wait for its time budget.
      const id = typeof message === 'object' && message !== null ? (message as { id?: unknown }).id : undefined;
      if (typeof id === 'number') port.postMessage({ id, ok: false, failure: 'invalid parse request' } satisfies ParseResponseMessage);
      return;
    }
    handle(message).then(
      (response) => {
        port.postMessage(response);
      },
      (err: unknown) => {
        const failure = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        port.postMessage({ id: message.id, ok: false, failure } satisfies ParseResponseMessage);
        // After a WASM trap (stack overflow, out of memory) the module's state is undefined: exit and let
        // the client start a fresh worker for the next request.
        if (err instanceof Error && err.name === 'RuntimeError') process.exit(1);
      },
    );
  });
}
