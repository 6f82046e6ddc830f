// Limits: what the gateway asks (Limiter) and what a counter backend provides (LimitStore). The
// limiter turns a policy's rules into checks; the store applies all checks of one request atomically.

import type { PolicyConfig } from '../config/index.ts';
import type { Exchange, Principal } from '../exchange/types.ts';

/** What the gateway knows about a request when it asks for admission. */
export interface LimitRequest {
  /** Its wire body may be rewritten: a max-output cap is written into `exchange.body`. */
  exchange: Exchange;
  policy: PolicyConfig;
  principal: Principal;
}

/** What the exchange consumed, as far as the gateway learned it. */
export interface LimitUsage {
  /** As the upstream reported them; undefined when it did not. */
  inputTokens?: number;
  outputTokens?: number;
  /** Characters of streamed output: the fallback measure when a stream reports no usage. */
  outputChars?: number;
  /** HTTP status the client got (0 when nothing was sent). */
  status: number;
}

/** A granted request: what it reserved, so settle() can replace the reservation with actual usage. */
export interface Admission {
  readonly id: string;
  /** Estimated input tokens (tokenizer count or estimate) reserved at admission. */
  readonly inputTokens: number;
  /** Output tokens reserved: the (capped) max output the request may produce; 0 when unbounded. */
  readonly outputTokens: number;
  /** Whether the input count came from the model's real tokenizer (else a documented estimate). */
  readonly exactInput: boolean;
}

export interface Limiter {
  /**
   * Admits the request, reserving its estimated consumption in every counter that applies, or throws
   * LimitRefusal. Undefined when nothing is counted for it (the policy has no limits that apply).
   */
  admit(request: LimitRequest): Promise<Admission | undefined>;
  /**
   * Replaces the reservation with actual usage and frees concurrency slots. Call exactly once per
   * admission, when the exchange has ended; a second call is ignored. Never throws.
   */
  settle(admission: Admission, usage: LimitUsage): void;
  /** Waits for outstanding settlements and releases the store. */
  close(): Promise<void>;
}

// ---- the store contract ----------------------------------------------------------------------

/**
 * One counter test-and-add. `window`: a sliding window of `windowMs` kept as buckets of `bucketMs`
 * (the sum of the buckets younger than the window); `period`: a calendar period whose counter key
 * ends with the period (a UTC day or month) and expires after `expiresAt`; `lease`: concurrency,
 * one member per in-flight request that lapses `ttlMs` after its last renewal.
 */
export type Check =
  | { kind: 'window'; key: string; limit: number; amount: number; windowMs: number; bucketMs: number }
  | { kind: 'period'; key: string; limit: number; amount: number; expiresAt: number }
  | { kind: 'lease'; key: string; limit: number; leaseId: string; ttlMs: number };

export interface CheckFailure {
  /** Index of the check in the request. */
  index: number;
  /** What the counter held before this request (live leases for `lease`). */
  used: number;
  /** When enough will have drained for this request to fit; undefined when it never can (amount > limit). */
  retryAfterMs?: number;
}

export type ReserveResult =
  | { ok: true; /** The store's clock when it reserved (window buckets are relative to it). */ at: number }
  | { ok: false; failures: CheckFailure[] };

export type Adjustment =
  /** Adds `delta` to a window: a refund goes to the bucket reserved `at`, more usage to the current one. */
  | { kind: 'window'; key: string; at: number; delta: number; windowMs: number; bucketMs: number }
  | { kind: 'period'; key: string; delta: number; expiresAt: number }
  /** Frees a concurrency slot. */
  | { kind: 'release'; key: string; leaseId: string };

export interface Lease {
  key: string;
  leaseId: string;
  ttlMs: number;
}

/**
 * Counters shared by everything that uses the same store. Every method is atomic as a whole: either
 * every check of reserve() passed and all were applied, or none was.
 */
export interface LimitStore {
  readonly kind: 'memory' | 'redis';
  reserve(checks: readonly Check[]): Promise<ReserveResult>;
  adjust(adjustments: readonly Adjustment[]): Promise<void>;
  /** Extends live leases so a long stream keeps its slot; leases of a crashed instance lapse. */
  renew(leases: readonly Lease[]): Promise<void>;
  close(): Promise<void>;
}
