// In-process counters: the embedded default. One gateway process enforces its limits exactly; several
// processes each enforce their own (use Redis to share them). Everything runs synchronously inside
// one call, which is what makes a reservation atomic here.

import type { Adjustment, Check, CheckFailure, Lease, LimitStore, ReserveResult } from './types.ts';
import { windowRetryAfter } from './windows.ts';

interface Window {
  /** Ring of buckets: slot i holds bucket index idx[i] with value val[i]. */
  idx: Float64Array;
  val: Float64Array;
  bucketMs: number;
  windowMs: number;
  lastWrite: number;
}

interface Counter {
  value: number;
  expiresAt: number;
}

const SWEEP_MS = 30_000;

export interface MemoryLimitStoreOptions {
  /** Milliseconds since the epoch; tests move time with it. */
  clock?: () => number;
}

export class MemoryLimitStore implements LimitStore {
  readonly kind = 'memory' as const;
  readonly #clock: () => number;
  readonly #windows = new Map<string, Window>();
  readonly #periods = new Map<string, Counter>();
  readonly #leases = new Map<string, Map<string, number>>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: MemoryLimitStoreOptions = {}) {
    this.#clock = options.clock ?? Date.now;
    // Idle subjects (a key used once) must not stay in memory forever.
    this.#sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.#sweeper.unref();
  }

  reserve(checks: readonly Check[]): Promise<ReserveResult> {
    return Promise.resolve(this.reserveNow(checks));
  }

  /** reserve() without the promise, for callers (and benchmarks) that want the bare cost. */
  reserveNow(checks: readonly Check[]): ReserveResult {
    const now = this.#clock();
    let failures: CheckFailure[] | undefined;
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i] as Check;
      const failure = this.#evaluate(c, i, now);
      if (failure) (failures ??= []).push(failure);
    }
    if (failures) return { ok: false, failures };
    for (const c of checks) this.#apply(c, now);
    return { ok: true, at: now };
  }

  adjust(adjustments: readonly Adjustment[]): Promise<void> {
    this.adjustNow(adjustments);
    return Promise.resolve();
  }

  adjustNow(adjustments: readonly Adjustment[]): void {
    const now = this.#clock();
    for (const a of adjustments) {
      if (a.kind === 'release') {
        const set = this.#leases.get(a.key);
        set?.delete(a.leaseId);
        if (set?.size === 0) this.#leases.delete(a.key);
      } else if (a.kind === 'period') {
        const c = this.#periods.get(a.key);
        if (c) c.value = Math.max(0, c.value + a.delta);
        else if (a.delta > 0) this.#periods.set(a.key, { value: a.delta, expiresAt: a.expiresAt });
      } else {
        const w = this.#window(a.key, a.windowMs, a.bucketMs);
        const current = Math.floor(now / a.bucketMs);
        if (a.delta > 0) {
          this.#add(w, current, a.delta, now);
        } else if (a.delta < 0) {
          const reserved = Math.floor(a.at / a.bucketMs);
          const span = a.windowMs / a.bucketMs;
          if (reserved > current - span) {
            const slot = reserved % span;
            if (w.idx[slot] === reserved) w.val[slot] = Math.max(0, (w.val[slot] ?? 0) + a.delta);
          }
        }
      }
    }
  }

  renew(leases: readonly Lease[]): Promise<void> {
    const now = this.#clock();
    for (const l of leases) {
      const set = this.#leases.get(l.key);
      if (set?.has(l.leaseId)) set.set(l.leaseId, now + l.ttlMs);
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.#sweeper);
    return Promise.resolve();
  }

  /** Drops everything that has expired; runs on a timer, public for tests. */
  sweep(): void {
    const now = this.#clock();
    for (const [k, w] of this.#windows) if (w.lastWrite + w.windowMs + w.bucketMs < now) this.#windows.delete(k);
    for (const [k, c] of this.#periods) if (c.expiresAt < now) this.#periods.delete(k);
    for (const [k, set] of this.#leases) {
      for (const [id, exp] of set) if (exp <= now) set.delete(id);
      if (set.size === 0) this.#leases.delete(k);
    }
  }

  /** Current value of a counter (tests and diagnostics). */
  peek(check: Check): number {
    const now = this.#clock();
    if (check.kind === 'window') return this.#windowSum(this.#windows.get(check.key), now);
    if (check.kind === 'period') return this.#periods.get(check.key)?.value ?? 0;
    return this.#liveLeases(check.key, now);
  }

  #evaluate(c: Check, index: number, now: number): CheckFailure | undefined {
    if (c.kind === 'window') {
      const w = this.#windows.get(c.key);
      const used = this.#windowSum(w, now);
      if (used + c.amount <= c.limit) return undefined;
      const live = w ? this.#liveBuckets(w, now) : [];
      return { index, used, retryAfterMs: windowRetryAfter(live, used, c.amount, c.limit, now, c.windowMs, c.bucketMs) };
    }
    if (c.kind === 'period') {
      const counter = this.#periods.get(c.key);
      const used = counter && counter.expiresAt > now ? counter.value : 0;
      if (used + c.amount <= c.limit) return undefined;
      return { index, used, retryAfterMs: c.amount > c.limit ? undefined : Math.max(1, c.expiresAt - now) };
    }
    const used = this.#liveLeases(c.key, now);
    if (used + 1 <= c.limit) return undefined;
    return { index, used, retryAfterMs: 1000 };
  }

  #apply(c: Check, now: number): void {
    if (c.kind === 'window') {
      if (c.amount > 0) this.#add(this.#window(c.key, c.windowMs, c.bucketMs), Math.floor(now / c.bucketMs), c.amount, now);
    } else if (c.kind === 'period') {
      if (c.amount === 0) return;
      const counter = this.#periods.get(c.key);
      if (counter && counter.expiresAt > now) counter.value += c.amount;
      else this.#periods.set(c.key, { value: c.amount, expiresAt: c.expiresAt });
    } else {
      let set = this.#leases.get(c.key);
      if (!set) this.#leases.set(c.key, (set = new Map()));
      set.set(c.leaseId, now + c.ttlMs);
    }
  }

  #window(key: string, windowMs: number, bucketMs: number): Window {
    let w = this.#windows.get(key);
    if (!w) {
      const span = windowMs / bucketMs;
      w = { idx: new Float64Array(span).fill(-1), val: new Float64Array(span), bucketMs, windowMs, lastWrite: 0 };
      this.#windows.set(key, w);
    }
    return w;
  }

  #add(w: Window, bucket: number, amount: number, now: number): void {
    const slot = bucket % w.idx.length;
    if (w.idx[slot] !== bucket) {
      w.idx[slot] = bucket;
      w.val[slot] = 0;
    }
    w.val[slot] = (w.val[slot] ?? 0) + amount;
    w.lastWrite = now;
  }

  #windowSum(w: Window | undefined, now: number): number {
    if (!w) return 0;
    const oldest = Math.floor(now / w.bucketMs) - w.idx.length;
    let sum = 0;
    for (let i = 0; i < w.idx.length; i++) if ((w.idx[i] ?? -1) > oldest) sum += w.val[i] ?? 0;
    return sum;
  }

  #liveBuckets(w: Window, now: number): [number, number][] {
    const oldest = Math.floor(now / w.bucketMs) - w.idx.length;
    const out: [number, number][] = [];
    for (let i = 0; i < w.idx.length; i++) {
      const idx = w.idx[i] ?? -1;
      if (idx > oldest) out.push([idx, w.val[i] ?? 0]);
    }
    return out;
  }

  #liveLeases(key: string, now: number): number {
    const set = this.#leases.get(key);
    if (!set) return 0;
    let n = 0;
    for (const [id, exp] of set) {
      if (exp > now) n++;
      else set.delete(id);
    }
    return n;
  }
}
