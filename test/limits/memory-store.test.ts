import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLimitStore } from '../../src/limits/memory.ts';
import { limitStoreContract } from './store-contract.ts';

const open: MemoryLimitStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

limitStoreContract('memory', () => {
  const shared = new MemoryLimitStore();
  open.push(shared);
  return { store: () => shared, peer: () => shared };
});

describe('MemoryLimitStore', () => {
  it('forgets idle counters once they expire', () => {
    let now = 1_000_000;
    const s = new MemoryLimitStore({ clock: () => now });
    open.push(s);
    const check = { kind: 'window', key: 'k', limit: 10, amount: 4, windowMs: 60_000, bucketMs: 1000 } as const;
    expect(s.reserveNow([check]).ok).toBe(true);
    expect(s.peek(check)).toBe(4);
    now += 30_000;
    s.sweep();
    expect(s.peek(check)).toBe(4);
    now += 31_500;
    expect(s.peek(check)).toBe(0);
    s.sweep();
    expect(s.reserveNow([{ ...check, amount: 10 }]).ok).toBe(true);
  });

  it('ages buckets out one second at a time, so nothing is forgiven at a minute boundary', () => {
    let now = 59_500;
    const s = new MemoryLimitStore({ clock: () => now });
    open.push(s);
    const check = (amount: number) => ({ kind: 'window', key: 'k', limit: 100, amount, windowMs: 60_000, bucketMs: 1000 }) as const;
    expect(s.reserveNow([check(100)]).ok).toBe(true);
    now = 61_000; // a fixed window would have reset at 60 000
    const r = s.reserveNow([check(1)]);
    expect(r.ok).toBe(false);
    expect(r.ok ? 0 : r.failures[0]?.retryAfterMs).toBe(58_000); // the bucket of 59.5 s leaves the window at 119 s
    now = 119_000;
    expect(s.reserveNow([check(100)]).ok).toBe(true);
  });
});
