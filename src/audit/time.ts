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

/** Millisecond suffixes ".000Z" … ".999Z" of an ISO 8601 UTC time. */
const MS_SUFFIX: readonly string[] = Array.from({ length: 1000 }, (_, ms) => `.${String(ms).padStart(3, '0')}Z`);
/** The largest time value a Date holds (ECMA-262, TimeClip). */
const MAX_TIME_MS = 8.64e15;
let isoSecond = Number.NaN;
let isoPrefix = '';

/**
 * `new Date(ms).toISOString()`, for the audit event every exchange writes: everything up to the
 * seconds is taken from the last call when it fell in the same second, which it nearly always does
 * under load, and Date's own formatting cost a measurable share of writing the event.
 */
export function isoTime(ms: number): string {
  const t = Math.trunc(ms);
  // Outside Date's range (or NaN) toISOString throws: let it, exactly as before.
  if (!(Math.abs(t) <= MAX_TIME_MS)) return new Date(t).toISOString();
  const second = Math.floor(t / 1000);
  if (second !== isoSecond) {
    isoPrefix = new Date(second * 1000).toISOString().slice(0, -5);
    isoSecond = second;
  }
  return isoPrefix + (MS_SUFFIX[t - second * 1000] as string);
}
