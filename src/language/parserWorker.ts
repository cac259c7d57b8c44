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
import { combineFindings } from './lints';
import { codePointToUtf16Offset, type HogSyntaxError, type ParseKind, type ParseRequestMessage, type ParseResponseMessage } from './protocol';

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

/** Parses one document and returns its syntax errors (the parser reports at most one). Pure apart from the parser. */
export function parseHog(parser: HogQLParser, code: string, kind: ParseKind): HogSyntaxError[] {
  const prefixLength = kind === 'template' ? TEMPLATE_PREFIX.length : 0;
  const raw = kind === 'template' ? parser.parseFullTemplateString(TEMPLATE_PREFIX + code) : parser.parseProgram(code);
  const result: unknown = JSON.parse(raw);
  if (!isParserError(result)) return [];
  const codePoints = Math.max(0, (result.start?.offset ?? 0) - prefixLength);
  return [{ message: result.message, offset: codePointToUtf16Offset(code, codePoints) }];
}

let parserPromise: Promise<HogQLParser> | undefined;

function getParser(): Promise<HogQLParser> {
  parserPromise ??= hogqlParser.default();
  return parserPromise;
}

async function handle(message: ParseRequestMessage): Promise<ParseResponseMessage> {
  const parser = await getParser();
  const started = performance.now();
  const errors = parseHog(parser, message.code, message.kind);
  const parseMs = performance.now() - started;
  // The lints are cheap, but a linear scan of a 40 KB document is still better spent here than on the
  // extension host's thread.
  const findings = message.lint && message.kind === 'program' ? combineFindings(message.code, errors) : undefined;
  return { id: message.id, ok: true, errors, parseMs, ...(findings ? { findings } : {}) };
}

function isRequest(value: unknown): value is ParseRequestMessage {
  const v = value as Partial<ParseRequestMessage> | null;
  return typeof v === 'object' && v !== null && typeof v.id === 'number' && typeof v.code === 'string' && (v.kind === 'program' || v.kind === 'template');
}

const port = parentPort;
if (port) {
  // Start compiling the WASM module while the first request is on its way.
  getParser().catch(() => undefined);

  port.on('message', (message: unknown) => {
    if (!isRequest(message)) return;
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
