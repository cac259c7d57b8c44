/**
 * JSON that keeps what PostHog sent: numbers that a double cannot hold (ids above 2^53, long decimals)
 * stay as their literal text, and `"__proto__"` stays an ordinary key. Everything that reads JSON from
 * PostHog or from a document, and everything that writes JSON to PostHog, goes through here. Pure.
 */
import { isLosslessNumber, isSafeNumber, LosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';

export { isLosslessNumber, LosslessNumber };

/** A JSON object as read: own keys only; values may hold LosslessNumbers. */
export type JsonObject = Record<string, unknown>;

/**
 * A number literal a double might change, where JSON puts values (after `[`, `:` or `,`, or first in the
 * text): 16 or more digits (a decimal point may sit between them), or an exponent of 3 or more digits.
 * A double holds every literal of 15 significant digits and an exponent within ±99 exactly. Text inside
 * strings may match too (only the slower parser then, same result); a UUID's `e123` no longer does:
 * PostHog's ids are random hex, so matching anywhere sent nearly every list page to the slow parser.
 */
const MAY_LOSE_PRECISION = /(?:^|[[:,])[ \t\n\r]*-?(?:(?:\d\.?){16}|[\d.]+[eE][+-]?\d{3})/;

/** True when `text` may hold a number that JSON.parse would not keep exactly (see MAY_LOSE_PRECISION). */
export function mayLosePrecision(text: string): boolean {
  return MAY_LOSE_PRECISION.test(text);
}

/** Parses JSON; throws SyntaxError like JSON.parse. */
export function parseJson(text: string): unknown {
  // Otherwise the built-in JSON.parse (~10× faster than the lossless parser) gives the same result.
  if (!mayLosePrecision(text)) return JSON.parse(text) as unknown;
  return parseLossless(text, null, numberFromLiteral);
}

/** The value of a number literal: a plain number when exact, else the literal kept as a LosslessNumber. */
export function numberFromLiteral(literal: string): number | LosslessNumber {
  return isSafeNumber(literal) ? Number(literal) : new LosslessNumber(literal);
}

/** JSON.stringify that writes LosslessNumbers as their literal. `indent` as JSON.stringify's `space`. */
export function stringifyJson(value: unknown, indent?: number): string {
  if (!containsLossless(value)) return JSON.stringify(value, null, indent);
  return stringifyLossless(value, null, indent) ?? 'null';
}

/**
 * One text per value, independent of key order and formatting (Postgres jsonb reorders keys): keys
 * sorted at every depth, LosslessNumbers as their literal. For comparing, never for sending.
 */
export function canonicalJson(value: unknown): string {
  if (isLosslessNumber(value)) return value.toString();
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** Equal as JSON values (key order and number spelling aside). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isLosslessNumber(v);
}

/** Sets an own property, also for keys such as "__proto__" that plain assignment would misread. */
export function setOwn(o: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `o` without `key` (a new object; "__proto__" and friends stay ordinary keys). */
export function withoutKey(o: JsonObject, key: string): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(o)) if (k !== key) setOwn(out, k, o[k]);
  return out;
}

/** The own value of `key`, never an inherited one ("constructor", "toString", …). */
export function ownValue(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

function containsLossless(v: unknown): boolean {
  if (isLosslessNumber(v)) return true;
  if (Array.isArray(v)) return v.some(containsLossless);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(containsLossless);
  return false;
}
