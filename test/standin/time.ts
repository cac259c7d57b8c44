/**
 * Microsecond timestamps.
 *
 * PostHog serialises `updated_at` with microseconds (`2026-09-01T10:00:00.123456Z`) and compares
 * `base_updated_at` exactly. JS `Date` only has milliseconds, so everything here works on
 * `bigint` microseconds since the epoch and only uses `Date` for the calendar part.
 */

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Formats epoch microseconds as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six fraction digits). */
export function formatMicros(us: bigint): string {
  const ms = us / 1000n;
  const micros = us % 1_000_000n;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  return `${base}.${micros.toString().padStart(6, '0')}Z`;
}

/**
 * Parses an ISO-8601 datetime (as DRF's DateTimeField accepts it) into epoch microseconds.
 * Fractions beyond six digits are truncated, a missing offset means UTC. Returns null if invalid.
 */
export function parseIsoMicros(text: string): bigint | null {
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? '0'));
  if (Number.isNaN(ms)) return null;
  let us = BigInt(ms) * 1000n + BigInt((frac ?? '').padEnd(6, '0').slice(0, 6));
  if (tz !== undefined && tz.toUpperCase() !== 'Z') {
    const sign = tz.startsWith('-') ? -1n : 1n;
    const digits = tz.slice(1).replace(':', '');
    const offsetMinutes = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    us -= sign * offsetMinutes * 60_000_000n;
  }
  return us;
}

/** Epoch microseconds of `Date.now()`, with a sub-millisecond part from the high-resolution clock. */
function realNowMicros(): bigint {
  return BigInt(Date.now()) * 1000n + ((process.hrtime.bigint() / 1000n) % 1000n);
}

/**
 * Issues strictly increasing timestamps. `next(after)` is also strictly later than `after`, so an
 * `updated_at` bump is visible even if the seeded value lies in the future of the machine clock.
 */
export class MicroClock {
  private last = 0n;

  next(after?: string | null): string {
    let candidate = realNowMicros();
    if (candidate <= this.last) candidate = this.last + 1n;
    const floor = after ? parseIsoMicros(after) : null;
    if (floor !== null && candidate <= floor) candidate = floor + 1n;
    this.last = candidate;
    return formatMicros(candidate);
  }
}
