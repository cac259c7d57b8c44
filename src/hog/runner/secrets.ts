/**
 * The string values of secret inputs (and of dicts and lists in them): what must never be shown. Longest
 * first, so a secret containing another is masked whole. No heavy imports: the editor's commands use it
 * too, without loading the VM.
 */
import type { RunInput } from './types';

export function secretValues(inputs: Readonly<Record<string, RunInput>>, valueOf: (key: string, input: RunInput) => unknown = (_key, input) => input.value): string[] {
  const out: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string' && v.trim() !== '') out.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
  };
  for (const [key, input] of Object.entries(inputs)) if (input.secret === true) collect(valueOf(key, input));
  return out.sort((a, b) => b.length - a.length);
}
