/**
 * A local run's result as the read-only document shown beside the code (Markdown: VS Code highlights its
 * fenced JSON and diff blocks). Pure: no vscode.
 */
import { createTwoFilesPatch } from 'diff';
import type { FetchCall, RunProblem, RunResult } from '../hog/runner/types';

export interface RunReportContext {
  readonly functionName: string;
  /** Where the globals came from: "Example event ($pageview)", "fixtures/signup.event.json", … */
  readonly globalsSource: string;
  /** The code that ran (to put problems on lines). */
  readonly code: string;
  /** When the command started, and how long until the result was shown (ms). */
  readonly startedAt: Date;
  readonly elapsedMs?: number;
  readonly fetchMode: 'mock' | 'real';
}

const ms = (v: number): string => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;

/** 1-based line and column of a UTF-16 offset. */
export function lineColumn(code: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < code.length; i++) {
    if (code.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function fence(language: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${text.endsWith('\n') ? text : `${text}\n`}${ticks}`;
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null, null, 2);
}

function problemLine(p: RunProblem, ctx: RunReportContext): string {
  if (p.input !== undefined) return `- **input \`${p.input}\`**: ${p.message}`;
  if (p.start !== undefined) {
    const { line, column } = lineColumn(ctx.code, p.start);
    return `- **line ${line}, column ${column}**: ${p.message}`;
  }
  return `- ${p.message}`;
}

function request(call: FetchCall, index: number): string {
  const parts = [`### ${index + 1}. ${call.method} ${call.url}${call.mocked ? ' (mocked)' : ''} → ${call.response.status}`, '', 'Headers:', fence('json', json(call.headers))];
  if (call.body !== null && call.body !== undefined) parts.push('Body:', fence('json', json(call.body)));
  if (!call.mocked) parts.push('Response body:', fence('json', json(call.response.body)));
  return parts.join('\n');
}

export function renderRunReport(result: RunResult, ctx: RunReportContext): string {
  const ok = result.status === 'success';
  const s = result.stats;
  const lines: string[] = [
    `# ${ok ? '✔' : '✖'} Local run of ${ctx.functionName}: ${ok ? 'success' : 'error'}`,
    '',
    [
      `Ran at ${ctx.startedAt.toLocaleTimeString()}`,
      `globals: ${ctx.globalsSource}`,
      ctx.fetchMode === 'mock' ? 'fetch mocked' : 'fetch sent for real',
      `compile ${ms(s.compileMs)}, inputs ${ms(s.inputsMs)}, run ${ms(s.runMs)}${ctx.elapsedMs !== undefined ? `, shown after ${ms(ctx.elapsedMs)}` : ''}`,
      `${s.ops} ops, ${(s.memoryBytes / 1024).toFixed(1)} KiB`,
    ].join(' · '),
    '',
    "_Unsaved code and inputs, run offline in PostHog's VM (@posthog/hogvm) as PostHog's CDP runs them. This document updates on every run._",
  ];
  if (result.problems.length > 0) lines.push('', '## Problems', '', ...result.problems.map((p) => problemLine(p, ctx)));
  if (result.transformation) {
    const { before, after } = result.transformation;
    lines.push('', '## Event');
    if (after === null) lines.push('', 'The transformation returned nothing: **the event is dropped**.');
    else {
      const patch = createTwoFilesPatch('event (input)', 'event (output)', `${json(before)}\n`, `${json(after)}\n`, '', '', { context: 3 });
      const body = patch.split('\n').slice(1).join('\n').trim();
      lines.push('', body.includes('@@') ? fence('diff', body) : 'The transformation returned the event unchanged.');
    }
  } else if (ok) {
    lines.push('', '## Returned', '', fence('json', json(result.returned)));
  }
  if (result.fetches.length > 0) {
    lines.push('', `## Requests (${result.fetches.length})`, '', result.fetches.map(request).join('\n\n'));
  }
  lines.push('', `## Logs (${result.logs.length})`, '');
  lines.push(
    result.logs.length === 0
      ? '_Nothing was logged._'
      : fence(
          'log',
          result.logs
            .map((l) => {
              const time = l.timestamp.slice(11, 23);
              return `${time} ${l.level.toUpperCase().padEnd(5)} ${l.message}`;
            })
            .join('\n'),
        ),
  );
  if (result.captures.length > 0) lines.push('', `## Captured events (${result.captures.length})`, '', fence('json', json(result.captures)));
  if (Object.keys(result.inputs).length > 0) lines.push('', '## Inputs (evaluated)', '', fence('json', json(result.inputs)));
  return `${lines.join('\n')}\n`;
}
