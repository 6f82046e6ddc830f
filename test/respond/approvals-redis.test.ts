// The Redis approval registry against the machine's Redis: a request held by one instance is listed
// and decided from another, exactly once however many operators answer at the same moment; timeouts
// and cancellations take it out of the list; with Redis gone, a request is denied, never let through.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisApprovals, UNREACHABLE } from '../../src/respond/approvals-redis.ts';
import type { NewApproval } from '../../src/respond/approvals.ts';
import { REDIS_URL, dropPrefix, keysUnder, testPrefix } from '../stores/redis-helpers.ts';
import { startProxy } from '../stores/tcp-proxy.ts';

const ASK: NewApproval = { requestId: 'req_1', app: 'billing', keyId: 'key_1', provider: 'openai', model: 'gpt-4o-mini', tool: 'transfer_funds', arguments: '{"to":"ACME","amount":120}', reason: 'needs approval' };

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await what();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition never met');
}

describe('RedisApprovals', () => {
  let prefix: string;
  const open: RedisApprovals[] = [];
  const registry = (target: string | Redis = REDIS_URL, options: { connectTimeoutMs?: number; commandTimeoutMs?: number } = {}): RedisApprovals => {
    const r = new RedisApprovals(target, { prefix, ...options });
    open.push(r);
    return r;
  };

  beforeAll(() => {
    prefix = testPrefix();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  afterAll(async () => {
    await dropPrefix(prefix);
  });

  it('is listed and decided from another instance, and the holder hears the decision', async () => {
    const holder = registry();
    const other = registry();
    const { id, decision } = holder.request(ASK, 20_000);
    const [listed] = await until(() => other.list(), (l) => l.length === 1);
    expect(listed).toMatchObject({ id, tool: 'transfer_funds', app: 'billing', arguments: ASK.arguments });
    expect(Date.parse(listed!.expiresAt) - Date.parse(listed!.createdAt)).toBe(20_000);
    expect(await other.get(id)).toMatchObject({ id });
    expect(holder.size).toBe(1);
    expect(await other.decide(id, 'approved', 'admin:alice')).toBe(true);
    expect(await decision).toEqual({ outcome: 'approved', by: 'admin:alice' });
    expect(holder.size).toBe(0);
    expect(await other.list()).toEqual([]);
    expect(await holder.decide(id, 'denied')).toBe(false);
    expect(await keysUnder(prefix)).toEqual([]);
  });

  it('decides exactly once when two operators answer at the same moment', async () => {
    const holder = registry();
    const a = registry();
    const b = registry();
    for (let i = 0; i < 20; i++) {
      const { id, decision } = holder.request({ ...ASK, requestId: `req_${i}` }, 20_000);
      await until(() => a.get(id), (r) => r !== undefined);
      const [byA, byB] = await Promise.all([a.decide(id, 'approved', 'admin:a'), b.decide(id, 'denied', 'admin:b')]);
      expect(Number(byA) + Number(byB)).toBe(1);
      expect(await decision).toEqual(byA ? { outcome: 'approved', by: 'admin:a' } : { outcome: 'denied', by: 'admin:b' });
    }
    expect(await a.list()).toEqual([]);
  });

  it('times out to a denial and leaves nothing behind', async () => {
    const holder = registry();
    const other = registry();
    const { id, decision } = holder.request(ASK, 300);
    await until(() => other.list(), (l) => l.length === 1);
    expect(await decision).toEqual({ outcome: 'timeout' });
    expect(await other.list()).toEqual([]);
    expect(await other.decide(id, 'approved')).toBe(false);
    expect(await keysUnder(prefix)).toEqual([]);
  });

  it('a cancelled request (the client went away) leaves the list', async () => {
    const holder = registry();
    const other = registry();
    const abort = new AbortController();
    const { id, decision } = holder.request(ASK, 20_000, abort.signal);
    await until(() => other.list(), (l) => l.length === 1);
    abort.abort();
    expect(await decision).toEqual({ outcome: 'cancelled' });
    await until(() => other.list(), (l) => l.length === 0);
    expect(await other.decide(id, 'approved')).toBe(false);
  });

  it('denyAll settles what this instance holds and removes it from Redis', async () => {
    const holder = registry();
    const other = registry();
    const held = [holder.request(ASK, 20_000), holder.request(ASK, 20_000)];
    await until(() => other.list(), (l) => l.length === 2);
    await holder.denyAll('parapet: gateway shutting down');
    for (const h of held) expect(await h.decision).toEqual({ outcome: 'denied', by: 'parapet: gateway shutting down' });
    expect(await other.list()).toEqual([]);
  });

  it('cuts the arguments at 4 KB and shares one connection when given a client', async () => {
    const shared = new Redis(REDIS_URL);
    try {
      const holder = registry(shared);
      const { id, decision } = holder.request({ ...ASK, arguments: 'x'.repeat(10_000) }, 20_000);
      const r = await until(() => holder.get(id), (v) => v !== undefined);
      expect(r?.arguments).toBe(`${'x'.repeat(4096)}…`);
      expect(await holder.decide(id, 'denied')).toBe(true);
      expect(await decision).toEqual({ outcome: 'denied' });
      await holder.close();
      expect(shared.status).toBe('ready');
    } finally {
      shared.disconnect();
    }
  });

  it('denies (fails closed) while Redis is unreachable, and works again once it is back', async () => {
    const proxy = await startProxy(6379);
    try {
      const holder = registry(`redis://127.0.0.1:${proxy.port}`, { connectTimeoutMs: 300, commandTimeoutMs: 300 });
      const first = holder.request(ASK, 20_000);
      await until(() => holder.list(), (l) => l.length === 1);
      expect(await holder.decide(first.id, 'approved')).toBe(true);
      expect((await first.decision).outcome).toBe('approved');

      await proxy.cut();
      const down = holder.request(ASK, 20_000);
      expect(await down.decision).toEqual(UNREACHABLE);
      expect(holder.size).toBe(0);
      await expect(holder.list()).rejects.toThrow();

      await proxy.restore();
      const back = await until(
        async () => {
          const r = holder.request(ASK, 20_000);
          const settled = await Promise.race([r.decision, new Promise<undefined>((res) => setTimeout(() => res(undefined), 200))]);
          return { r, settled };
        },
        ({ settled }) => settled === undefined,
      );
      expect(await registry().decide(back.r.id, 'approved', 'admin:bob')).toBe(true);
      expect(await back.r.decision).toEqual({ outcome: 'approved', by: 'admin:bob' });
    } finally {
      await proxy.close();
    }
  });
});
