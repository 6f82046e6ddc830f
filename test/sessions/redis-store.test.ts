import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../../src/sessions/redis.ts';
import { REDIS_URL, dropPrefix, keysUnder, testPrefix } from '../stores/redis-helpers.ts';
import { sessionStoreContract, turn } from './store-contract.ts';

const stores: RedisSessionStore[] = [];
const prefixes: string[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(p);
});

function open(prefix: string): RedisSessionStore {
  const s = new RedisSessionStore(REDIS_URL, { prefix });
  stores.push(s);
  return s;
}

sessionStoreContract('redis', () => {
  const prefix = testPrefix();
  prefixes.push(prefix);
  return { store: () => open(prefix), peer: () => open(prefix) };
});

describe('RedisSessionStore', () => {
  it('keeps every key under its prefix, with an expiry that covers an interruption', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const s = open(prefix);
    const now = Date.now();
    await s.record({ session: 'key_1:fp_abc', key: 'key_1', now, turn: turn(), history: [], tokens: 1, keep: 4, keepSigs: 2, ttlMs: 60_000 });
    expect((await keysUnder(prefix)).sort()).toEqual([`${prefix}:ses:key_1:fp_abc`, `${prefix}:sk:key_1`]);
    expect(await s.redis.pttl(`${prefix}:ses:key_1:fp_abc`)).toBeGreaterThan(50_000);
    await s.act([{ kind: 'interrupt', session: 'key_1:fp_abc', until: now + 600_000, rule: 'r' }], now, 60_000);
    expect(await s.redis.pttl(`${prefix}:ses:key_1:fp_abc`)).toBeGreaterThan(500_000);
    await s.act([{ kind: 'revoke', key: 'key_1', rule: 'r' }], now, 60_000);
    expect(await s.redis.pttl(`${prefix}:sk:key_1`)).toBeGreaterThan(29 * 24 * 3_600_000);
  });

  it('fails fast when Redis is unreachable', async () => {
    const s = new RedisSessionStore('redis://127.0.0.1:1', { connectTimeoutMs: 200 });
    stores.push(s);
    const t = Date.now();
    await expect(s.record({ session: 'a', key: 'k', now: t, turn: turn(), history: [], tokens: 1, keep: 4, keepSigs: 0, ttlMs: 1000 })).rejects.toThrow();
    expect(Date.now() - t).toBeLessThan(2000);
  });
});
