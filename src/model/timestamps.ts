/**
 * Compares PostHog timestamps at full (microsecond) precision. `Date` would truncate to ms and make
 * equal values look different, so compare the normalised strings instead.
 */
export function compareTimestamps(a: string, b: string): number {
  const na = normaliseTimestamp(a);
  const nb = normaliseTimestamp(b);
  return na < nb ? -1 : na > nb ? 1 : 0;
}

function normaliseTimestamp(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(t.trim());
  if (!m) return t;
  const [, date, time, frac = '', zone = 'Z'] = m;
  if (zone !== 'Z' && zone !== '+00:00' && zone !== '+0000') {
    // Rare: convert through Date for the offset, keeping the sub-millisecond digits.
    const ms = Date.parse(`${date}T${time}${zone}`);
    return `${new Date(ms).toISOString().slice(0, 19)}.${frac.padEnd(9, '0')}`;
  }
  return `${date}T${time}.${frac.padEnd(9, '0')}`;
}
