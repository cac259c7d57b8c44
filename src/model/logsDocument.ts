/**
 * A function's logs as a read-only `.log` document (VS Code colours levels and times in .log files):
 * newest first, one block per invocation (`instance_id`), the filter and tail state in the header. Pure.
 */
import type { LogEntry } from '../api/schemas';

export interface LogsViewState {
  readonly functionName: string;
  readonly entries: readonly LogEntry[];
  /** Upper-case levels shown (empty: all). */
  readonly levels: readonly string[];
  readonly search: string;
  readonly tailing: boolean;
  /** Whether older entries may exist (the last page was full). */
  readonly more: boolean;
  /** Why the last refresh failed, if it did (entries stay). */
  readonly problem?: string;
}

export const LOG_LEVELS = ['DEBUG', 'LOG', 'INFO', 'WARN', 'ERROR'] as const;

/** Newest first; entries already held (same instance, time, message) are not repeated. */
export function mergeEntries(existing: readonly LogEntry[], incoming: readonly LogEntry[]): LogEntry[] {
  const key = (e: LogEntry): string => `${e.instance_id ?? ''}\u0000${e.timestamp}\u0000${e.level}\u0000${e.message}`;
  const seen = new Set(existing.map(key));
  const all = [...existing];
  for (const e of incoming) {
    const k = key(e);
    if (seen.has(k)) continue;
    seen.add(k);
    all.push(e);
  }
  return all.sort((a, b) => (a.timestamp < b.timestamp ? 1 : a.timestamp > b.timestamp ? -1 : 0));
}

/** `2026-12-05T12:00:01.123456Z` → `2026-12-05 12:00:01.123` (UTC, as PostHog stores it). */
function time(ts: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d{1,3})?/.exec(ts);
  return m ? `${m[1] ?? ''} ${m[2] ?? ''}${(m[3] ?? '.000').padEnd(4, '0')}` : ts;
}

export function renderLogs(view: LogsViewState): string {
  const filters = [view.levels.length > 0 ? `levels ${view.levels.join(', ')}` : 'all levels', view.search ? `search "${view.search}"` : ''].filter(Boolean).join(' · ');
  const lines: string[] = [
    `# Logs of ${view.functionName}: ${view.entries.length} entr${view.entries.length === 1 ? 'y' : 'ies'}, newest first (UTC) · ${filters} · ${view.tailing ? 'live: new entries every 5 s while shown' : 'not live'}`,
    '# Filter Function Logs… / Search Function Logs… / Load Older Function Logs in the editor title.',
  ];
  if (view.problem) lines.push(`# WARN ${view.problem}`);
  lines.push('');
  if (view.entries.length === 0) lines.push(view.levels.length > 0 || view.search ? '(no entry matches the filters)' : '(no log entries yet)');
  let current: string | null | undefined;
  for (const e of view.entries) {
    const instance = e.instance_id ?? null;
    if (instance !== current) {
      if (current !== undefined) lines.push('');
      lines.push(`── invocation ${instance ?? '(none)'} ──`);
      current = instance;
    }
    const level = e.level.toUpperCase();
    lines.push(`${time(e.timestamp)} ${level.padEnd(5)} ${e.message.replace(/\n/g, '\n    ')}`);
  }
  if (view.more) lines.push('', '(older entries: Load Older Function Logs)');
  return `${lines.join('\n')}\n`;
}
