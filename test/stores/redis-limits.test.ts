import net from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { LimitRefusal, StoreLimiter } from '../../src/limits/index.ts';
import { openaiChatAdapter } from '../../src/providers/openai/index.ts';
import { RedisLimitStore } from '../../src/stores/redis/limits.ts';
import { startProxy } from './tcp-proxy.ts';
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

  it('keeps a window\'s running sum equal to its buckets while buckets age out, refunds included', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const s = open(prefix);
    const check = (amount: number) => ({ kind: 'window', key: 'sum', limit: 1e9, amount, windowMs: 400, bucketMs: 20 }) as const;
    const deadline = Date.now() + 1000;
    let i = 0;
    while (Date.now() < deadline) {
      const r = await s.reserve([check(1 + (i % 7))]);
      if (r.ok && i % 3 === 0) await s.adjust([{ kind: 'window', key: 'sum', at: r.at, delta: -1, windowMs: 400, bucketMs: 20 }]);
      if (i % 5 === 0) await s.adjust([{ kind: 'window', key: 'sum', at: 0, delta: 2, windowMs: 400, bucketMs: 20 }]);
      i++;
      await new Promise((r) => setTimeout(r, 3));
    }
    const hash = await s.redis.hgetall(`${prefix}:lim:sum`);
    const oldest = Number(hash['o']);
    const buckets = Object.entries(hash).filter(([k]) => /^\d+$/.test(k));
    expect(buckets.every(([k]) => Number(k) > oldest)).toBe(true);
    expect(buckets.reduce((n, [, v]) => n + Number(v), 0)).toBe(Number(hash['s']));
    expect(buckets.length).toBeLessThanOrEqual(21);
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

describe('StoreLimiter on Redis when Redis goes away', () => {
  it('fails closed with a logged 503 during the outage and recovers on its own', async () => {
    const proxy = await startProxy(6379);
    const prefix = testPrefix();
    prefixes.push(prefix);
    const logs: string[] = [];
    const store = new RedisLimitStore(`redis://127.0.0.1:${proxy.port}`, { prefix, connectTimeoutMs: 300, commandTimeoutMs: 300 });
    const limiter = new StoreLimiter({ store, log: (level, msg) => logs.push(`${level} ${msg}`) });
    const cfg = parseConfig('policies:\n  default:\n    limits:\n      rules:\n        - per: key\n          requests_per_minute: 1000\n', 'r.yaml', {});
    const policy = cfg.policies['default'];
    if (!policy) throw new Error('no policy');
    const admit = () =>
      limiter.admit({
        exchange: openaiChatAdapter.parseRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { requestId: 'r', route: '/v1/chat/completions' }),
        policy,
        principal: { keyId: 'key_a', app: 'a', policy: 'default' },
      });
    try {
      expect(await admit()).toBeDefined();
      await proxy.cut();
      const t0 = Date.now();
      const refused = await admit().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(LimitRefusal);
      expect((refused as LimitRefusal).status).toBe(503);
      expect(Date.now() - t0).toBeLessThan(1000);
      await admit().catch(() => undefined);
      expect(logs.filter((l) => l === 'error limit store unreachable')).toHaveLength(1);
      await proxy.restore();
      const deadline = Date.now() + 5000;
      let back = false;
      while (!back && Date.now() < deadline) {
        back = await admit().then(() => true, () => false);
        if (!back) await new Promise((r) => setTimeout(r, 50));
      }
      expect(back).toBe(true);
      expect(logs).toContain('info limit store reachable again');
    } finally {
      await limiter.close();
      await proxy.close();
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
