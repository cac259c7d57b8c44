/**
 * A test run on PostHog (`POST …/invocations/`) as the read-only document shown beside the code. PostHog
 * writes a mocked call's arguments into its log lines as they were made — secret headers included — so
 * everything shown is masked here: header values whose name says credential, and every secret value the
 * unsaved inputs hold. Pure: no vscode.
 */
import { createTwoFilesPatch } from 'diff';
import type { InvocationResult } from '../api/schemas';
import { isJsonObject } from './json';

export interface TestReportContext {
  readonly functionName: string;
  readonly globalsSource: string;
  /** The event sent (a transformation's result is shown as a diff against it). */
  readonly inputEvent: unknown;
  readonly transformation: boolean;
  readonly mocked: boolean;
  readonly startedAt: Date;
  readonly elapsedMs: number;
  /** Values to mask wherever they appear (the secret inputs typed into the unsaved inputs). */
  readonly secrets: readonly string[];
}

export interface TestedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export const REDACTED = '***REDACTED***';
/** Header names that carry credentials, whatever input they came from. */
const CREDENTIAL_HEADER = /authorization|api[-_]?key|token|secret|password|cookie|signature|auth/i;

/** The calls PostHog's mocked `fetch` logged: `fetch('<url>', <JSON of the options>)`. */
export function mockedRequests(logs: InvocationResult['logs']): TestedRequest[] {
  const out: TestedRequest[] = [];
  for (const l of logs) {
    const m = /^fetch\('([^']*)', ([\s\S]*)\)$/.exec(l.message);
    if (!m) continue;
    let options: unknown = null;
    try {
      options = JSON.parse(m[2] ?? 'null');
    } catch {
      // an unparsable argument list: list the URL alone
    }
    const o = isJsonObject(options) ? options : {};
    const headers: Record<string, string> = {};
    if (isJsonObject(o.headers)) for (const [k, v] of Object.entries(o.headers)) if (typeof v === 'string') headers[k] = v;
    out.push({ url: m[1] ?? '', method: typeof o.method === 'string' && o.method ? o.method : 'POST', headers, body: o.body ?? null });
  }
  return out;
}

export function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join(REDACTED);
  // A credential header inside a logged call: `"Authorization": "Bearer …"`.
  return out.replace(/("([^"\\]*(?:\\.[^"\\]*)*)"\s*:\s*)"(?:[^"\\]|\\.)*"/g, (all, prefix: string, name: string) =>
    CREDENTIAL_HEADER.test(name) ? `${prefix}"${REDACTED}"` : all,
  );
}

function maskHeaders(headers: Record<string, string>, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = CREDENTIAL_HEADER.test(k) ? REDACTED : maskText(v, secrets);
  return out;
}

function fence(language: string, text: string): string {
  return `\`\`\`${language}\n${text.endsWith('\n') ? text : `${text}\n`}\`\`\``;
}

const json = (v: unknown): string => JSON.stringify(v ?? null, null, 2);

export function renderTestReport(res: InvocationResult, ctx: TestReportContext): string {
  const mark = res.status === 'success' ? '✔' : res.status === 'skipped' ? '⊘' : '✖';
  const L: string[] = [
    `# ${mark} Test of ${ctx.functionName} on PostHog: ${res.status}`,
    '',
    [
      `Ran at ${ctx.startedAt.toLocaleTimeString()}`,
      `globals: ${ctx.globalsSource}`,
      ctx.mocked ? 'fetch mocked by PostHog' : 'real requests sent by PostHog',
      `answered in ${Math.round(ctx.elapsedMs)} ms`,
    ].join(' · '),
    '',
    '_The unsaved code, inputs and filters, compiled and run by PostHog (`POST …/invocations/`); nothing was saved. This document updates on every test._',
  ];
  if (res.status === 'skipped') L.push('', "PostHog **skipped** the run: the event does not match the function's filters.");
  if (res.errors.length > 0) L.push('', '## Errors', '', ...res.errors.map((e) => `- ${maskText(e, ctx.secrets)}`));
  if (ctx.transformation && res.status === 'success') {
    L.push('', '## Event');
    if (res.result === null || res.result === undefined) L.push('', 'The transformation returned nothing: **the event is dropped**.');
    else {
      const before = maskText(`${json(ctx.inputEvent)}\n`, ctx.secrets);
      const after = maskText(`${json(res.result)}\n`, ctx.secrets);
      const patch = createTwoFilesPatch('event (input)', 'event (output)', before, after, '', '', { context: 3 }).split('\n').slice(1).join('\n').trim();
      L.push('', patch.includes('@@') ? fence('diff', patch) : 'The transformation returned the event unchanged.');
    }
  }
  const requests = mockedRequests(res.logs);
  if (requests.length > 0) {
    L.push('', `## Requests (${requests.length}, mocked)`);
    requests.forEach((r, i) => {
      L.push('', `### ${i + 1}. ${r.method} ${maskText(r.url, ctx.secrets)}`, '', 'Headers:', fence('json', json(maskHeaders(r.headers, ctx.secrets))));
      if (r.body !== null) L.push('Body:', fence('json', maskText(json(r.body), ctx.secrets)));
    });
  }
  L.push('', `## Logs (${res.logs.length})`, '');
  L.push(
    res.logs.length === 0
      ? '_PostHog returned no log lines._'
      : fence('log', res.logs.map((l) => `${l.timestamp.replace(/^.*T/, '').slice(0, 12)} ${l.level.toUpperCase().padEnd(5)} ${maskText(l.message, ctx.secrets)}`).join('\n')),
  );
  return `${L.join('\n')}\n`;
}
