// A closed-loop load generator: `concurrency` workers each send the next request as soon as the
// previous answer is fully read. Latencies are per request, in milliseconds.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

/** A fixed request body, or one per request (the n-th request started gets body(n)). */
export type Body = string | ((n: number) => string);

export interface LoadResult {
  latencies: number[];
  seconds: number;
  errors: number;
}

export async function runLoad(url: string, path: string, headers: Record<string, string>, body: Body, requests: number, concurrency: number): Promise<LoadResult> {
  return runWhile(url, path, headers, body, concurrency, (started) => started < requests);
}

/** The workers' loop: each sends its next request while `more(started)` says so. */
async function runWhile(url: string, path: string, headers: Record<string, string>, body: Body, concurrency: number, more: (started: number) => boolean): Promise<LoadResult> {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let started = 0;
  const t0 = performance.now();
  async function worker(): Promise<void> {
    while (more(started)) {
      const payload = typeof body === 'string' ? body : body(started);
      started++;
      const s = performance.now();
      try {
        const res = await pool.request({ method: 'POST', path, headers, body: payload });
        await res.body.text();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - s);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  return { latencies, seconds, errors };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function summarize(latencies: number[]): { p50: number; p99: number; mean: number } {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length) };
}

/**
 * Like runLoad, but for a fixed time rather than a fixed count, so a slow path cannot stretch a
 * short benchmark run; at least `minRequests` are sent even when that takes longer.
 */
export async function runLoadFor(url: string, path: string, headers: Record<string, string>, body: Body, ms: number, concurrency: number, minRequests = 0): Promise<LoadResult> {
  const deadline = performance.now() + ms;
  return runWhile(url, path, headers, body, concurrency, (started) => performance.now() < deadline || started < minRequests);
}
