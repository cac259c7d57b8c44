/**
 * A hog function's stored `inputs` as PostHog sends them, checked, and as a PATCH may send them back.
 * Pure, and apart from the inputs document's parser (inputsDocument.ts): the store resends inputs from
 * the extension's own bundle, the document text is handled in the documents bundle.
 */
import type { HogFunction } from '../api/schemas';
import { isJsonObject, setOwn } from './json';

const SERVER_DERIVED = new Set(['bytecode', 'order', 'transpiled']);

export type InputsRecord = Record<string, Record<string, unknown> | null>;

/**
 * `inputs` as PostHog sent it, checked: an object whose values are objects (or null). Throws a sentence
 * otherwise (the full schema leaves `inputs` unchecked so an odd value only stops this document).
 */
export function readInputs(value: unknown): InputsRecord {
  if (value === null || value === undefined) return {};
  if (!isJsonObject(value)) throw new Error("PostHog sent this function's inputs in a shape this extension does not know (not an object); edit them in PostHog.");
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && !isJsonObject(v)) throw new Error(`PostHog sent input "${k}" in a shape this extension does not know (not an object); edit it in PostHog.`);
  }
  return value as InputsRecord;
}

export function normaliseInput(input: Record<string, unknown> | null): unknown {
  if (input === null) return null;
  if (input.secret === true && !Object.hasOwn(input, 'value')) return { secret: true };
  const cleaned: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (!SERVER_DERIVED.has(k)) setOwn(cleaned, k, v);
  return cleaned;
}

/** The function's stored inputs as PostHog returned them (for writes that resend every input). */
export function storedInputs(fn: HogFunction): Record<string, Record<string, unknown> | null> {
  return readInputs(fn.inputs);
}

/** Every stored input as a PATCH may send it back: server-derived fields dropped, secrets as `{"secret": true}`. */
export function normalisedInputs(fn: HogFunction): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(storedInputs(fn))) if (v) setOwn(out, k, normaliseInput(v));
  return out;
}
