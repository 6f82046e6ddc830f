// Window arithmetic shared by every LimitStore (the Redis script mirrors it in Lua).
//
// Per-minute limits are sliding windows of 60 one-second buckets: a request is admitted when the
// buckets of the last 60 seconds (the current one included) plus its amount stay within the limit,
// so no 59-second span ever holds more than the limit, and there is no burst at a minute boundary
// as fixed windows allow. Day and month budgets are calendar periods in UTC: a new counter each
// period, as a bill would count them.

export const MINUTE_MS = 60_000;
export const BUCKET_MS = 1000;

/** Time until enough of the window drains for `amount` more; undefined when it can never fit. */
export function windowRetryAfter(
  buckets: Iterable<readonly [index: number, value: number]>,
  used: number,
  amount: number,
  limit: number,
  now: number,
  windowMs: number,
  bucketMs: number,
): number | undefined {
  if (amount > limit) return undefined;
  const need = used + amount - limit;
  const span = windowMs / bucketMs;
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  let freed = 0;
  for (const [index, value] of sorted) {
    freed += value;
    if (freed >= need) return Math.max(1, (index + span) * bucketMs - now);
  }
  return windowMs;
}

export type Period = 'day' | 'month';

/** The period's id (part of its counter key) and the instant it ends. */
export function periodOf(period: Period, now: number): { id: string; end: number } {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'month') {
    return { id: `${y}-${String(m + 1).padStart(2, '0')}`, end: Date.UTC(y, m + 1, 1) };
  }
  const day = d.getUTCDate();
  return { id: `${y}-${String(m + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`, end: Date.UTC(y, m, day + 1) };
}
