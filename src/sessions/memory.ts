// Session and key state in this process: the default, for one gateway process. Entries expire like
// their Redis counterparts, and the number of sessions is bounded (least recently used go first) so
// a flood of one-turn conversations cannot grow memory without limit.

import { OldestFirst } from '../collections/oldest-first.ts';
import { applyToKey, applyToSession, keyTtl, newKey, newSession, recordTurn, refusalOf, sessionTtl } from './state.ts';
import type { KeyState, OutputFacts, RecordRequest, RecordResult, SessionState, SessionStore, StoreAction } from './types.ts';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

export interface MemorySessionStoreOptions {
  /** Most sessions (and, separately, keys) kept; the least recently used are dropped past it. */
  maxEntries?: number;
}

class Bounded<T> {
  readonly #map = new Map<string, Entry<T>>();
  readonly #oldest = new OldestFirst(this.#map);
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }

  get(key: string, now: number): T | undefined {
    const e = this.#map.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= now) {
      this.#map.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T, expiresAt: number): void {
    // Re-inserting moves the entry to the end: Map order is then least recently used first.
    this.#map.delete(key);
    this.#map.set(key, { value, expiresAt });
    while (this.#map.size > this.#max) {
      if (this.#oldest.evict() === undefined) break;
    }
  }

  get size(): number {
    return this.#map.size;
  }
}

/**
 * Snapshots, so callers never see the store's own objects change under them (as with Redis, where
 * they are JSON). Only the containers are copied: turn records are never changed once appended, and
 * a deep copy per request was the largest single cost of the memory store (bench/profile.ts).
 */
function snapshotSession(s: SessionState): SessionState {
  return { ...s, recent: s.recent.slice() };
}

function snapshotKey(k: KeyState): KeyState {
  return { ...k, sigs: k.sigs.slice(), probes: k.probes.slice() };
}

export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory' as const;
  readonly #sessions: Bounded<SessionState>;
  readonly #keys: Bounded<KeyState>;

  constructor(options: MemorySessionStoreOptions = {}) {
    const max = options.maxEntries ?? 100_000;
    this.#sessions = new Bounded(max);
    this.#keys = new Bounded(max);
  }

  record(r: RecordRequest): Promise<RecordResult> {
    const now = r.now;
    const s = this.#sessions.get(r.session, now) ?? newSession(now);
    const k = this.#keys.get(r.key, now) ?? newKey(now);
    const refusal = refusalOf(s, k, now);
    if (refusal !== undefined) {
      // A throttled request still moved the throttle count.
      if (refusal.kind === 'throttled') this.#keys.set(r.key, k, now + keyTtl(k, now, r.ttlMs));
      return Promise.resolve({ ok: false, refusal });
    }
    recordTurn(s, k, r);
    this.#sessions.set(r.session, s, now + sessionTtl(s, now, r.ttlMs));
    this.#keys.set(r.key, k, now + keyTtl(k, now, r.ttlMs));
    return Promise.resolve({ ok: true, session: snapshotSession(s), key: snapshotKey(k) });
  }

  act(actions: readonly StoreAction[], now: number, ttlMs: number): Promise<void> {
    for (const a of actions) {
      // An operator lifting an action changes a state that exists, in place, keeping its expiry.
      if (a.kind === 'release') {
        const s = this.#sessions.get(a.session, now);
        if (s !== undefined) applyToSession(s, a);
        continue;
      }
      if (a.kind === 'unthrottle') {
        const k = this.#keys.get(a.key, now);
        if (k !== undefined) applyToKey(k, a);
        continue;
      }
      if (a.kind === 'interrupt') {
        const s = this.#sessions.get(a.session, now) ?? newSession(now);
        applyToSession(s, a);
        this.#sessions.set(a.session, s, now + sessionTtl(s, now, ttlMs));
      } else {
        const k = this.#keys.get(a.key, now) ?? newKey(now);
        applyToKey(k, a);
        this.#keys.set(a.key, k, now + keyTtl(k, now, ttlMs));
      }
    }
    return Promise.resolve();
  }

  output(facts: OutputFacts): Promise<void> {
    const now = facts.now;
    const s = this.#sessions.get(facts.session, now);
    if (s !== undefined && facts.incident) {
      s.outputIncidents += 1;
      this.#sessions.set(facts.session, s, now + sessionTtl(s, now, facts.ttlMs));
    }
    return Promise.resolve();
  }

  /** Sessions held (tests and diagnostics). */
  get sessions(): number {
    return this.#sessions.size;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
