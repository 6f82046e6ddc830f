// The state changes a session store applies, as plain functions over SessionState and KeyState. The
// memory store runs them directly; the Redis store's Lua script (redis-script.ts) is a line-by-line
// mirror of them, and the shared store contract test holds the two to the same behaviour.

import type { KeyState, RecordRequest, SessionState, StoreAction, StoreRefusal, TurnRecord } from './types.ts';
import { REVOKED_TTL_MS } from './types.ts';

export const MINUTE_MS = 60_000;
/** Weight of the newest minute in a key's baseline: roughly the mean of the last half hour. */
export const BASELINE_ALPHA = 1 / 30;
/** Extraction attempts remembered per key. */
export const KEEP_PROBES = 32;

export function newSession(now: number): SessionState {
  return { turns: 0, blocked: 0, flagged: 0, probes: 0, refusals: 0, outputIncidents: 0, firstAt: now, lastAt: now, recent: [] };
}

export function newKey(now: number): KeyState {
  return {
    minute: Math.floor(now / MINUTE_MS),
    requests: 0,
    tokens: 0,
    detections: 0,
    baseRequests: 0,
    baseTokens: 0,
    warmMinutes: 0,
    sigs: [],
    probes: [],
  };
}

/**
 * Whether the turn must be refused before anything is recorded: a revoked key, an interrupted
 * session, a throttled key over its rate. A throttled key's admitted request is counted here.
 */
export function refusalOf(s: SessionState, k: KeyState, now: number): StoreRefusal | undefined {
  if (k.revokedRule !== undefined) return { kind: 'revoked', rule: k.revokedRule };
  if (s.interruptedUntil !== undefined && s.interruptedUntil > now) {
    return { kind: 'interrupted', until: s.interruptedUntil, rule: s.interruptRule ?? 'sessions' };
  }
  if (k.throttledUntil !== undefined && k.throttledUntil > now) {
    const minute = Math.floor(now / MINUTE_MS);
    if (k.throttleMinute !== minute) {
      k.throttleMinute = minute;
      k.throttleCount = 0;
    }
    if ((k.throttleCount ?? 0) >= (k.throttleRpm ?? 0)) {
      return { kind: 'throttled', until: k.throttledUntil, rule: k.throttleRule ?? 'sessions', retryAt: (minute + 1) * MINUTE_MS, rpm: k.throttleRpm ?? 0 };
    }
    k.throttleCount = (k.throttleCount ?? 0) + 1;
  }
  return undefined;
}

/** Folds the minutes that passed into the key's baseline and starts counting the current one. */
export function rollMinute(k: KeyState, now: number): void {
  const minute = Math.floor(now / MINUTE_MS);
  if (minute <= k.minute) return;
  const gap = minute - k.minute;
  k.baseRequests += BASELINE_ALPHA * (k.requests - k.baseRequests);
  k.baseTokens += BASELINE_ALPHA * (k.tokens - k.baseTokens);
  // Idle minutes count as zeros.
  if (gap > 1) {
    const f = Math.pow(1 - BASELINE_ALPHA, gap - 1);
    k.baseRequests *= f;
    k.baseTokens *= f;
  }
  k.warmMinutes = Math.min(k.warmMinutes + gap, 1_000_000);
  k.requests = 0;
  k.tokens = 0;
  k.detections = 0;
  k.minute = minute;
}

function appendTurn(s: SessionState, t: TurnRecord, keep: number): void {
  s.turns += 1;
  s.recent.push(t);
  while (s.recent.length > keep) s.recent.shift();
  if (t.action === 'block') s.blocked += 1;
  else if (t.action !== 'allow') s.flagged += 1;
  if (t.probe) s.probes += 1;
  if (t.refusedBefore) s.refusals += 1;
}

/** Records a turn that was not refused: the key's counters, signature and probe, then the session. */
export function recordTurn(s: SessionState, k: KeyState, r: RecordRequest): void {
  rollMinute(k, r.now);
  k.requests += 1;
  k.tokens += r.tokens;
  if (r.turn.action !== 'allow') k.detections += 1;
  if (r.turn.sig !== '') {
    k.sigs.push(r.turn.sig);
    while (k.sigs.length > r.keepSigs) k.sigs.shift();
  }
  if (r.turn.probe) {
    k.probes.push(r.now);
    while (k.probes.length > KEEP_PROBES) k.probes.shift();
  }
  // A session seen for the first time mid-conversation (a new fingerprint, expired state, another
  // instance's memory) still starts from the turns its history shows.
  if (s.turns === 0) for (const h of r.history) appendTurn(s, h, r.keep);
  appendTurn(s, r.turn, r.keep);
  s.lastAt = r.now;
}

export function applyToSession(s: SessionState, a: Extract<StoreAction, { kind: 'interrupt' | 'release' }>): void {
  if (a.kind === 'release') {
    delete s.interruptedUntil;
    delete s.interruptRule;
    return;
  }
  // Never shortens an interruption already in force.
  if (s.interruptedUntil === undefined || s.interruptedUntil < a.until) {
    s.interruptedUntil = a.until;
    s.interruptRule = a.rule;
  }
}

export function applyToKey(k: KeyState, a: Extract<StoreAction, { kind: 'throttle' | 'revoke' | 'unthrottle' }>): void {
  if (a.kind === 'unthrottle') {
    delete k.throttledUntil;
    delete k.throttleRpm;
    delete k.throttleRule;
    delete k.throttleMinute;
    delete k.throttleCount;
    return;
  }
  if (a.kind === 'revoke') {
    k.revokedRule = a.rule;
    return;
  }
  if (k.throttledUntil === undefined || k.throttledUntil < a.until) {
    k.throttledUntil = a.until;
    k.throttleRpm = a.requestsPerMinute;
    k.throttleRule = a.rule;
  }
}

/** How long a state must be kept from `now`: its ttl, or longer while an action is in force. */
export function sessionTtl(s: SessionState, now: number, ttlMs: number): number {
  return Math.max(ttlMs, (s.interruptedUntil ?? 0) - now);
}

export function keyTtl(k: KeyState, now: number, ttlMs: number): number {
  if (k.revokedRule !== undefined) return REVOKED_TTL_MS;
  return Math.max(ttlMs, (k.throttledUntil ?? 0) - now);
}
