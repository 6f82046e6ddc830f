// The behaviour every SessionStore must have, run against the in-memory store and against Redis:
// the Lua script mirrors state.ts, and these cases hold the two to the same results.
import { describe, expect, it } from 'vitest';
import { BASELINE_ALPHA, MINUTE_MS } from '../../src/sessions/state.ts';
import type { RecordRequest, SessionStore, TurnRecord } from '../../src/sessions/types.ts';

export interface SessionStoreFixture {
  /** A fresh store whose keys no other test sees. */
  store(): SessionStore;
  /** A second handle on the same state, as another gateway instance would have. */
  peer(): SessionStore;
}

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

export function turn(over: Partial<TurnRecord> = {}): TurnRecord {
  return { at: T0, req: 'req_1', risk: 0, scores: {}, action: 'allow', probe: false, refusedBefore: false, sig: '', excerpt: '', ...over };
}

function request(over: Partial<RecordRequest> = {}): RecordRequest {
  return { session: 'k1:s1', key: 'k1', now: T0, turn: turn(), history: [], tokens: 10, keep: 4, keepSigs: 3, ttlMs: 60_000, ...over };
}

export function sessionStoreContract(name: string, fixture: () => SessionStoreFixture): void {
  describe(`${name}: SessionStore contract`, () => {
    it('records turns with their counters, keeping the last few', async () => {
      const s = fixture().store();
      const actions = ['allow', 'flag', 'block', 'redact', 'allow', 'block'] as const;
      let last;
      for (const [i, action] of actions.entries()) {
        last = await s.record(request({ now: T0 + i, turn: turn({ action, risk: i / 10, scores: { harmful: i / 10 }, probe: i === 2, refusedBefore: i === 3, req: `req_${i}` }) }));
      }
      expect(last?.ok).toBe(true);
      if (!last?.ok) return;
      const st = last.session;
      expect(st).toMatchObject({ turns: 6, blocked: 2, flagged: 2, probes: 1, refusals: 1, outputIncidents: 0, firstAt: T0, lastAt: T0 + 5 });
      expect(st.recent.map((t) => t.req)).toEqual(['req_2', 'req_3', 'req_4', 'req_5']);
      expect(st.recent[0]).toEqual(turn({ action: 'block', risk: 0.2, scores: { harmful: 0.2 }, probe: true, req: 'req_2' }));
      expect(st.recent[1]?.scores).toEqual({ harmful: 0.3 });
      expect(st.interruptedUntil).toBeUndefined();
    });

    it('backfills the history only when the session is new', async () => {
      const s = fixture().store();
      const history = [turn({ req: '', risk: 0.3, action: 'flag' }), turn({ req: '', risk: 0.4 })];
      const first = await s.record(request({ history, turn: turn({ req: 'a' }) }));
      expect(first.ok && first.session.recent.map((t) => [t.req, t.risk])).toEqual([
        ['', 0.3],
        ['', 0.4],
        ['a', 0],
      ]);
      expect(first.ok && first.session).toMatchObject({ turns: 3, flagged: 1 });
      const second = await s.record(request({ history, turn: turn({ req: 'b' }) }));
      expect(second.ok && second.session.turns).toBe(4);
    });

    it("keeps the key's counters, signatures and probes across its sessions", async () => {
      const s = fixture().store();
      await s.record(request({ session: 'k1:a', turn: turn({ sig: '00000000000000aa', probe: true }), tokens: 100 }));
      await s.record(request({ session: 'k1:b', turn: turn({ sig: '00000000000000bb', action: 'flag' }), tokens: 50, now: T0 + 5 }));
      await s.record(request({ session: 'k1:c', turn: turn({ sig: '', probe: true }), tokens: 1, now: T0 + 6 }));
      const r = await s.record(request({ session: 'k1:d', turn: turn({ sig: '00000000000000dd' }), tokens: 2, now: T0 + 7 }));
      if (!r.ok) throw new Error('refused');
      expect(r.key).toMatchObject({ minute: Math.floor(T0 / MINUTE_MS), requests: 4, tokens: 153, detections: 1, baseRequests: 0, warmMinutes: 0 });
      // keepSigs 3: the oldest went; a turn without a signature adds none.
      expect(r.key.sigs).toEqual(['00000000000000aa', '00000000000000bb', '00000000000000dd'].slice(-3));
      expect(r.key.probes).toEqual([T0, T0 + 6]);
      // Another key is another state.
      const other = await s.record(request({ session: 'k2:a', key: 'k2' }));
      expect(other.ok && other.key.requests).toBe(1);
    });

    it("folds finished minutes into the key's baseline, idle minutes as zeros", async () => {
      const s = fixture().store();
      const ttlMs = 10 * MINUTE_MS;
      for (let i = 0; i < 6; i++) await s.record(request({ now: T0 + i, tokens: 10, ttlMs }));
      // Three minutes later: the busy minute and two idle ones are folded in.
      const r = await s.record(request({ now: T0 + 3 * MINUTE_MS, tokens: 10, ttlMs }));
      if (!r.ok) throw new Error('refused');
      const expected = 6 * BASELINE_ALPHA * (1 - BASELINE_ALPHA) ** 2;
      expect(r.key.baseRequests).toBeCloseTo(expected, 9);
      expect(r.key.baseTokens).toBeCloseTo(expected * 10, 9);
      expect(r.key).toMatchObject({ requests: 1, tokens: 10, warmMinutes: 3 });
    });

    it('refuses every turn of an interrupted session until the interruption ends, on every instance', async () => {
      const f = fixture();
      const s = f.store();
      const peer = f.peer();
      await s.record(request());
      await s.act([{ kind: 'interrupt', session: 'k1:s1', until: T0 + 1000, rule: 'sessions.escalation' }], T0, 60_000);
      for (const store of [s, peer]) {
        expect(await store.record(request({ now: T0 + 10 }))).toEqual({ ok: false, refusal: { kind: 'interrupted', until: T0 + 1000, rule: 'sessions.escalation' } });
      }
      // Another session of the key goes on; a shorter interruption does not shorten this one.
      expect((await peer.record(request({ session: 'k1:s2', now: T0 + 10 }))).ok).toBe(true);
      await peer.act([{ kind: 'interrupt', session: 'k1:s1', until: T0 + 500, rule: 'x' }], T0, 60_000);
      const after = await s.record(request({ now: T0 + 1000 }));
      expect(after.ok && after.session.turns).toBe(2);
    });

    it('throttles a key to its rate per minute until the throttle ends', async () => {
      const s = fixture().store();
      const start = Math.ceil(T0 / MINUTE_MS) * MINUTE_MS;
      await s.act([{ kind: 'throttle', key: 'k1', until: start + 2 * MINUTE_MS, requestsPerMinute: 2, rule: 'sessions.anomaly' }], start, 60_000);
      expect((await s.record(request({ now: start + 1 }))).ok).toBe(true);
      expect((await s.record(request({ session: 'k1:other', now: start + 2 }))).ok).toBe(true);
      expect(await s.record(request({ now: start + 3 }))).toEqual({
        ok: false,
        refusal: { kind: 'throttled', until: start + 2 * MINUTE_MS, rule: 'sessions.anomaly', retryAt: start + MINUTE_MS, rpm: 2 },
      });
      // The next minute has two more.
      expect((await s.record(request({ now: start + MINUTE_MS }))).ok).toBe(true);
      expect((await s.record(request({ now: start + MINUTE_MS + 1 }))).ok).toBe(true);
      expect((await s.record(request({ now: start + MINUTE_MS + 2 }))).ok).toBe(false);
      // Past the throttle: no cap.
      for (let i = 0; i < 4; i++) expect((await s.record(request({ now: start + 2 * MINUTE_MS + i }))).ok).toBe(true);
    });

    it('an operator lifts an interruption and a throttle on any instance; the history stays, a revocation stays', async () => {
      const f = fixture();
      const s = f.store();
      const peer = f.peer();
      const start = Math.ceil(T0 / MINUTE_MS) * MINUTE_MS;
      await s.record(request({ now: start }));
      await s.act([{ kind: 'interrupt', session: 'k1:s1', until: start + 10 * MINUTE_MS, rule: 'sessions.escalation' }], start, 60_000);
      await s.act([{ kind: 'throttle', key: 'k2', until: start + 10 * MINUTE_MS, requestsPerMinute: 1, rule: 'sessions.anomaly' }], start, 60_000);
      expect((await s.record(request({ now: start + 1 }))).ok).toBe(false);
      await peer.act([{ kind: 'release', session: 'k1:s1' }], start + 2, 60_000);
      const after = await s.record(request({ now: start + 3 }));
      expect(after.ok && after.session.turns).toBe(2);
      expect((await s.record(request({ session: 'k2:a', key: 'k2', now: start + 4 }))).ok).toBe(true);
      expect((await s.record(request({ session: 'k2:a', key: 'k2', now: start + 5 }))).ok).toBe(false);
      await peer.act([{ kind: 'unthrottle', key: 'k2' }], start + 6, 60_000);
      expect((await s.record(request({ session: 'k2:a', key: 'k2', now: start + 7 }))).ok).toBe(true);
      // Lifting what does not exist creates nothing; a revoked key is not un-revoked by it.
      await s.act([{ kind: 'revoke', key: 'k3', rule: 'sessions.extraction' }], start, 60_000);
      await s.act([{ kind: 'unthrottle', key: 'k3' }, { kind: 'release', session: 'k9:none' }], start + 8, 60_000);
      expect((await s.record(request({ session: 'k3:a', key: 'k3', now: start + 9 }))).ok).toBe(false);
    });

    it('refuses a revoked key in every session', async () => {
      const s = fixture().store();
      await s.act([{ kind: 'revoke', key: 'k1', rule: 'sessions.extraction' }], T0, 60_000);
      expect(await s.record(request({ session: 'k1:any' }))).toEqual({ ok: false, refusal: { kind: 'revoked', rule: 'sessions.extraction' } });
      expect((await s.record(request({ session: 'k2:any', key: 'k2' }))).ok).toBe(true);
    });

    it('counts output incidents of known sessions only', async () => {
      const s = fixture().store();
      await s.record(request());
      await s.output({ session: 'k1:s1', now: T0, incident: true, ttlMs: 60_000 });
      await s.output({ session: 'k1:unknown', now: T0, incident: true, ttlMs: 60_000 });
      const r = await s.record(request({ now: T0 + 1 }));
      expect(r.ok && r.session.outputIncidents).toBe(1);
    });

    it('keeps text as given: unicode, quotes and slashes in excerpts survive a round trip', async () => {
      const s = fixture().store();
      const excerpt = 'Ääkköset «quoted» "x"/\\ 東京 🚀 [REDACTED:email]';
      const r = await s.record(request({ turn: turn({ excerpt, scores: { jailbreak: 0.123, harmful: 0.5 } }) }));
      expect(r.ok && r.session.recent[0]).toEqual(turn({ excerpt, scores: { jailbreak: 0.123, harmful: 0.5 } }));
    });
  });
}
