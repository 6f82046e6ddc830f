// Limit counters in Redis, shared by every gateway instance: one script call per reservation (all
// rules of a request in one atomic step), one per settlement, one per lease renewal round.
//
// Keys: <prefix>:lim:<policy>:<rule>:<metric>:<scope=value,...>[:<period>]. Redis Cluster is not
// supported: the keys of one request live in different hash slots.

import type { Redis } from 'ioredis';
import { ScriptRunner } from './lua.ts';
import type { Adjustment, Check, CheckFailure, Lease, LimitStore, ReserveResult } from '../../limits/types.ts';
import { connectRedis } from './client.ts';
import type { RedisConnectionOptions } from './client.ts';
import { ADJUST, RENEW, RESERVE } from './scripts.ts';

export interface RedisLimitStoreOptions extends RedisConnectionOptions {
  /** Key prefix (storage.redis_prefix); ':lim:' follows it. */
  prefix?: string;
}

function toNumber(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new Error(`redis limits: unexpected reply value ${String(v)}`);
  return n;
}

export class RedisLimitStore implements LimitStore {
  readonly kind = 'redis' as const;
  readonly redis: Redis;
  readonly #prefix: string;
  readonly #owns: boolean;
  readonly #scripts: ScriptRunner;

  /** Given a URL the store opens (and closes) its own connection; given a client it shares it. */
  constructor(target: string | Redis, options: RedisLimitStoreOptions = {}) {
    this.#owns = typeof target === 'string';
    this.redis = typeof target === 'string' ? connectRedis(target, options) : target;
    this.#prefix = `${options.prefix ?? 'parapet'}:lim:`;
    this.#scripts = new ScriptRunner(this.redis, options.connectTimeoutMs ?? 2000);
  }

  async reserve(checks: readonly Check[]): Promise<ReserveResult> {
    if (checks.length === 0) return { ok: true, at: Date.now() };
    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const c of checks) {
      keys.push(this.#prefix + c.key);
      if (c.kind === 'window') args.push('w', c.limit, c.amount, c.windowMs, c.bucketMs);
      else if (c.kind === 'period') args.push('p', c.limit, c.amount, c.expiresAt, 0);
      else args.push('c', c.limit, c.leaseId, c.ttlMs, 0);
    }
    const reply = await this.#scripts.run(RESERVE, keys, args);
    if (!Array.isArray(reply) || reply.length < 2) throw new Error('redis limits: unexpected reply to reserve');
    if (toNumber(reply[0]) === 1) return { ok: true, at: toNumber(reply[1]) };
    const failures: CheckFailure[] = [];
    for (let i = 1; i + 2 < reply.length; i += 3) {
      const retry = toNumber(reply[i + 2]);
      const f: CheckFailure = { index: toNumber(reply[i]), used: toNumber(reply[i + 1]) };
      if (retry >= 0) f.retryAfterMs = retry;
      failures.push(f);
    }
    return { ok: false, failures };
  }

  async adjust(adjustments: readonly Adjustment[]): Promise<void> {
    if (adjustments.length === 0) return;
    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const a of adjustments) {
      keys.push(this.#prefix + a.key);
      if (a.kind === 'window') args.push('w', a.at, a.delta, a.windowMs, a.bucketMs);
      else if (a.kind === 'period') args.push('p', a.delta, a.expiresAt, 0, 0);
      else args.push('r', a.leaseId, 0, 0, 0);
    }
    await this.#scripts.run(ADJUST, keys, args);
  }

  async renew(leases: readonly Lease[]): Promise<void> {
    if (leases.length === 0) return;
    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const l of leases) {
      keys.push(this.#prefix + l.key);
      args.push(l.leaseId, l.ttlMs);
    }
    await this.#scripts.run(RENEW, keys, args);
  }

  async close(): Promise<void> {
    if (!this.#owns) return;
    try {
      await this.redis.quit();
    } catch {
      // Already gone (Redis down): nothing left to release but the socket.
      this.redis.disconnect();
    }
  }

}
