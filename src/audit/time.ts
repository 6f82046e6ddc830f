// Time bounds for audit queries: operators think "the last 15 minutes", storage wants an instant.

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const DURATION = /^(\d+(?:\.\d+)?)([smhdw])$/;
// Date.parse accepts many loose spellings ("1", "March 7"); only take ISO-looking input.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * An ISO 8601 instant from either an ISO time ("2025-06-01", "2025-06-01T12:00:00Z") or a duration
 * back from `now` ("90s", "15m", "2h", "7d", "1w"). Undefined when the text is neither.
 */
export function parseTimeBound(text: string, now: number = Date.now()): string | undefined {
  const value = text.trim();
  const duration = DURATION.exec(value);
  if (duration) {
    const amount = Number(duration[1]);
    const unit = UNIT_MS[duration[2] ?? ''];
    if (unit === undefined) return undefined;
    return new Date(now - amount * unit).toISOString();
  }
  if (!ISO.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
