import net from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisLimitStore } from '../../src/stores/redis/limits.ts';
import { limitStoreContract } from '../limits/store-contract.ts';
import { REDIS_URL, dropPrefix, keysUnder, testPrefix } from './redis-helpers.ts';

const stores: RedisLimitStore[] = [];
const prefixes: string[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(p);
});

function open(prefix: string): RedisLimitStore {
  const s = new RedisLimitStore(REDIS_URL, { prefix });
  stores.push(s);
  return s;
}

limitStoreContract('redis', () => {
  const prefix = testPrefix();
  prefixes.push(prefix);
  return { store: () => open(prefix), peer: () => open(prefix) };
});

describe('RedisLimitStore', () => {
  it('keeps every key under its prefix, with an expiry', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const s = open(prefix);
    const r = await s.reserve([
      { kind: 'window', key: 'pol:rule:tpm:key=k1', limit: 100, amount: 5, windowMs: 60_000, bucketMs: 1000 },
      { kind: 'period', key: 'pol:rule:td:key=k1:2025-01-01', limit: 100, amount: 5, expiresAt: Date.now() + 60_000 },
      { kind: 'lease', key: 'pol:rule:cr:key=k1', limit: 3, leaseId: 'l1', ttlMs: 60_000 },
    ]);
    expect(r.ok).toBe(true);
    const keys = (await keysUnder(prefix)).sort();
    expect(keys).toEqual([`${prefix}:lim:pol:rule:cr:key=k1`, `${prefix}:lim:pol:rule:td:key=k1:2025-01-01`, `${prefix}:lim:pol:rule:tpm:key=k1`]);
    for (const k of keys) expect(await s.redis.pttl(k)).toBeGreaterThan(0);
  });

  it('reloads its scripts after SCRIPT FLUSH', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const s = open(prefix);
    const check = { kind: 'window', key: 'f', limit: 10, amount: 1, windowMs: 60_000, bucketMs: 1000 } as const;
    expect((await s.reserve([check])).ok).toBe(true);
    await s.redis.script('FLUSH');
    expect((await s.reserve([check])).ok).toBe(true);
  });

  it('fails fast while Redis is unreachable and works again once it is back', async () => {
    // A port that refuses connections, then a proxy to the real Redis on that same port.
    const port = await freePort();
    const prefix = testPrefix();
    prefixes.push(prefix);
    const s = new RedisLimitStore(`redis://127.0.0.1:${port}`, { prefix, connectTimeoutMs: 300 });
    stores.push(s);
    const check = { kind: 'window', key: 'down', limit: 10, amount: 1, windowMs: 60_000, bucketMs: 1000 } as const;
    const t0 = Date.now();
    await expect(s.reserve([check])).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(500);

    const proxy = net.createServer((client) => {
      const upstream = net.connect(6379, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    try {
      const deadline = Date.now() + 5000;
      let ok = false;
      while (!ok && Date.now() < deadline) {
        ok = await s.reserve([check]).then((r) => r.ok, () => false);
        if (!ok) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ok).toBe(true);
    } finally {
      await s.close();
      stores.splice(stores.indexOf(s), 1);
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
