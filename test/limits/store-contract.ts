// The behaviour every LimitStore must have, run against the in-memory store and against Redis.
// Windows here are short (a second or two) so expiry is observed in real time: Redis keeps its own
// clock, which a test cannot move.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Check, LimitStore } from '../../src/limits/types.ts';

export interface StoreFixture {
  /** A fresh store whose keys no other test sees. */
  store(): LimitStore;
  /** A second handle on the same counters, as another gateway instance would have. */
  peer(): LimitStore;
}

const win = (key: string, limit: number, amount: number, windowMs = 1000, bucketMs = 100): Check => ({
  kind: 'window',
  key,
  limit,
  amount,
  windowMs,
  bucketMs,
});

export function limitStoreContract(name: string, fixture: () => StoreFixture): void {
  describe(`${name}: LimitStore contract`, () => {
    it('admits up to the limit of a window and refuses past it, with what was used and when it frees', async () => {
      const s = fixture().store();
      for (let i = 0; i < 3; i++) expect((await s.reserve([win('w', 10, 3)])).ok).toBe(true);
      const r = await s.reserve([win('w', 10, 3)]);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.failures).toHaveLength(1);
      expect(r.failures[0]?.index).toBe(0);
      expect(r.failures[0]?.used).toBe(9);
      expect(r.failures[0]?.retryAfterMs).toBeGreaterThan(0);
      expect(r.failures[0]?.retryAfterMs).toBeLessThanOrEqual(1000);
      // Exactly up to the limit is still fine.
      expect((await s.reserve([win('w', 10, 1)])).ok).toBe(true);
    });

    it('applies every check of a request or none of them', async () => {
      const s = fixture().store();
      expect((await s.reserve([win('b', 5, 5)])).ok).toBe(true);
      const r = await s.reserve([win('a', 100, 7), win('b', 5, 1), { kind: 'period', key: 'p', limit: 100, amount: 9, expiresAt: Date.now() + 60_000 }]);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.failures.map((f) => f.index)).toEqual([1]);
      // Nothing of the refused request stuck: 'a' and 'p' still have their whole limit.
      expect((await s.reserve([win('a', 100, 100)])).ok).toBe(true);
      expect((await s.reserve([{ kind: 'period', key: 'p', limit: 100, amount: 100, expiresAt: Date.now() + 60_000 }])).ok).toBe(true);
    });

    it('reports every failing check, and "never" for a request larger than the limit', async () => {
      const s = fixture().store();
      const r = await s.reserve([win('x', 10, 11), { kind: 'period', key: 'y', limit: 3, amount: 4, expiresAt: Date.now() + 60_000 }, win('z', 10, 1)]);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.failures.map((f) => [f.index, f.used, f.retryAfterMs])).toEqual([
        [0, 0, undefined],
        [1, 0, undefined],
      ]);
    });

    it('slides: usage leaves the window as its buckets age out', async () => {
      const s = fixture().store();
      expect((await s.reserve([win('s', 10, 10, 600, 100)])).ok).toBe(true);
      const refused = await s.reserve([win('s', 10, 4, 600, 100)]);
      expect(refused.ok).toBe(false);
      const wait = refused.ok ? 0 : (refused.failures[0]?.retryAfterMs ?? 0);
      expect(wait).toBeGreaterThan(0);
      await sleep(wait + 30);
      expect((await s.reserve([win('s', 10, 4, 600, 100)])).ok).toBe(true);
    });

    it('settles: a refund goes back to the window, extra usage is added, periods never go below zero', async () => {
      const s = fixture().store();
      const r = await s.reserve([win('t', 100, 80), { kind: 'period', key: 'd', limit: 100, amount: 80, expiresAt: Date.now() + 60_000 }]);
      expect(r.ok).toBe(true);
      const at = r.ok ? r.at : 0;
      expect((await s.reserve([win('t', 100, 30)])).ok).toBe(false);
      await s.adjust([
        { kind: 'window', key: 't', at, delta: -60, windowMs: 1000, bucketMs: 100 },
        { kind: 'period', key: 'd', delta: -500, expiresAt: Date.now() + 60_000 },
      ]);
      // 20 left in the window, 0 in the period (clamped).
      expect((await s.reserve([win('t', 100, 80)])).ok).toBe(true);
      expect((await s.reserve([win('t', 100, 1)])).ok).toBe(false);
      expect((await s.reserve([{ kind: 'period', key: 'd', limit: 100, amount: 100, expiresAt: Date.now() + 60_000 }])).ok).toBe(true);
      await s.adjust([{ kind: 'period', key: 'd', delta: 5, expiresAt: Date.now() + 60_000 }]);
      const over = await s.reserve([{ kind: 'period', key: 'd', limit: 200, amount: 96, expiresAt: Date.now() + 60_000 }]);
      expect(over.ok ? undefined : over.failures[0]?.used).toBe(105);
    });

    it('counts concurrency with leases: a release frees a slot, a lapsed lease frees it too', async () => {
      const s = fixture().store();
      const lease = (id: string, ttlMs = 60_000): Check => ({ kind: 'lease', key: 'c', limit: 2, leaseId: id, ttlMs });
      expect((await s.reserve([lease('a')])).ok).toBe(true);
      expect((await s.reserve([lease('b', 300)])).ok).toBe(true);
      const full = await s.reserve([lease('c')]);
      expect(full.ok ? undefined : full.failures[0]?.used).toBe(2);
      await s.adjust([{ kind: 'release', key: 'c', leaseId: 'a' }]);
      expect((await s.reserve([lease('c')])).ok).toBe(true);
      expect((await s.reserve([lease('d')])).ok).toBe(false);
      // 'b' is never released (its instance "crashed"): it lapses after its TTL.
      await sleep(350);
      expect((await s.reserve([lease('d')])).ok).toBe(true);
    });

    it('keeps renewed leases alive past their TTL', async () => {
      const s = fixture().store();
      const check: Check = { kind: 'lease', key: 'r', limit: 1, leaseId: 'long', ttlMs: 250 };
      expect((await s.reserve([check])).ok).toBe(true);
      for (let i = 0; i < 4; i++) {
        await sleep(100);
        await s.renew([{ key: 'r', leaseId: 'long', ttlMs: 250 }]);
      }
      expect((await s.reserve([{ ...check, leaseId: 'other' }])).ok).toBe(false);
    });

    it('is exact under concurrent reservations from two handles', async () => {
      const f = fixture();
      const a = f.store();
      const b = f.peer();
      const attempts = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).reserve([win('race', 25, 1, 60_000, 1000), win('race-tokens', 1000, 40, 60_000, 1000)]));
      const results = await Promise.all(attempts);
      expect(results.filter((r) => r.ok)).toHaveLength(25);
    });
  });
}
