// One Redis connection per process, shared by everything stored in Redis (limits now; sessions and
// revocations later). Tuned to fail fast: a request must never wait on a Redis that is gone, so
// there is no offline queue and no per-command retry; reconnection runs in the background and its
// success is noticed by the next command.

import { Redis } from 'ioredis';
import { redactUrl } from '../url.ts';

export interface RedisConnectionOptions {
  /** Longest a single command may take before it counts as a failure. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export function connectRedis(url: string, options: RedisConnectionOptions = {}): Redis {
  const log = options.log ?? (() => {});
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    // Reconnect forever, quickly at first: recovery is automatic once Redis is back.
    retryStrategy: (times) => Math.min(50 * times, 1000),
    lazyConnect: false,
  });
  let healthy = false;
  let reported = false;
  redis.on('ready', () => {
    if (reported) log('info', 'redis connection restored', { url: redactUrl(url) });
    healthy = true;
    reported = false;
  });
  // Without a listener ioredis prints every reconnect failure; one line per outage is enough.
  redis.on('error', (err: Error) => {
    if (reported) return;
    reported = true;
    log(healthy ? 'error' : 'warn', 'redis connection failed; retrying in the background', { url: redactUrl(url), error: err.message });
    healthy = false;
  });
  return redis;
}

/** Resolves true once connected, false when `timeoutMs` passes first (the connection keeps trying). */
export function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}
