/**
 * The request log: every `/api` request (and anything else not under `/__standin/`), including
 * failed and faulted ones. Authorization is never stored, only whether it was present and the
 * label of the key. Bounded so long benchmarks do not grow memory without limit.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RecordedRequest } from './types';

const MAX_ENTRIES = 20_000;

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? null);
}

export class RequestLog {
  private entries: RecordedRequest[] = [];
  private seq = 0;

  get all(): RecordedRequest[] {
    return this.entries;
  }

  get lastSeq(): number {
    return this.seq;
  }

  record(input: {
    method: string;
    path: string;
    query: Record<string, string>;
    body: unknown;
    headers: IncomingHttpHeaders;
    hasAuth: boolean;
    authKeyLabel: string | null;
  }): RecordedRequest {
    const { headers, ...rest } = input;
    const entry: RecordedRequest = {
      seq: ++this.seq,
      time: new Date().toISOString(),
      ...rest,
      headers: {
        'user-agent': header(headers, 'user-agent'),
        'x-posthog-client': header(headers, 'x-posthog-client'),
        'content-type': header(headers, 'content-type'),
      },
      status: null,
      fault: null,
    };
    // personal_api_key may also travel in the query: never keep it.
    if ('personal_api_key' in entry.query) entry.query.personal_api_key = '[redacted]';
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return entry;
  }

  since(seq: number): RecordedRequest[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  clear(): void {
    this.entries = [];
  }
}
