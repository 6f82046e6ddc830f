import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../src/sessions/memory.ts';
import { sessionStoreContract, turn } from './store-contract.ts';

sessionStoreContract('memory', () => {
  const shared = new MemorySessionStore();
  return { store: () => shared, peer: () => shared };
});

describe('MemorySessionStore', () => {
  it('holds at most maxEntries sessions, dropping the least recently used', async () => {
    const s = new MemorySessionStore({ maxEntries: 3 });
    const base = { key: 'k', now: Date.now(), history: [], tokens: 1, keep: 4, keepSigs: 0, ttlMs: 60_000 };
    for (const id of ['a', 'b', 'c']) await s.record({ ...base, session: id, turn: turn() });
    await s.record({ ...base, session: 'a', turn: turn() });
    await s.record({ ...base, session: 'd', turn: turn() });
    expect(s.sessions).toBe(3);
    // 'b' was least recently used: it starts over; 'a' kept its turns.
    const b = await s.record({ ...base, session: 'b', turn: turn() });
    expect(b.ok && b.session.turns).toBe(1);
    const a = await s.record({ ...base, session: 'a', turn: turn() });
    expect(a.ok && a.session.turns).toBe(3);
  });

  it('forgets a session after its ttl', async () => {
    const s = new MemorySessionStore();
    const base = { session: 's', key: 'k', history: [], tokens: 1, keep: 4, keepSigs: 0, ttlMs: 1000, turn: turn() };
    await s.record({ ...base, now: 0 });
    const r = await s.record({ ...base, now: 1001 });
    expect(r.ok && r.session.turns).toBe(1);
  });
});
