/** The code document: a hog function's `hog` as plain text. Pure. */
import type { Problem } from './inputsDocument';

/** PostHog refuses `hog` above 100 KiB. */
export const MAX_HOG_BYTES = 100 * 1024;

export function serializeCode(hog: string | null | undefined): string {
  return hog ?? '';
}

export function parseCodeDocument(text: string): { hog: string | undefined; problems: Problem[] } {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_HOG_BYTES) {
    return { hog: undefined, problems: [{ message: `The code is ${(bytes / 1024).toFixed(1)} KB; PostHog accepts at most 100 KB.`, offset: 0, length: 0, severity: 'error' }] };
  }
  return { hog: text, problems: [] };
}

/** PostHog stores `hog` trimmed at both ends (DRF CharField): code that differs only there is the same code. */
export function canonicalCode(text: string): string {
  return text.trim();
}
