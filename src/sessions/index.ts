// Sessions: session identity, per-session and per-key state, correlation rules and the actions they
// take. The gateway uses SessionGuard; stores implement SessionStore (memory here, Redis in redis.ts).
export { SessionGuard, SessionTurn, SESSIONS_DETECTOR, KEEP_TURNS } from './guard.ts';
export type { SessionGuardOptions, SessionTrace } from './guard.ts';
export { MemorySessionStore } from './memory.ts';
export { RedisSessionStore } from './redis.ts';
export { fingerprint, sessionIdOf, FINGERPRINT_PREFIX } from './identity.ts';
export { evaluate, cumulativeRisk } from './rules.ts';
export type { SessionFinding } from './rules.ts';
export type { KeyState, RecordRequest, RecordResult, SessionState, SessionStore, StoreAction, TurnRecord } from './types.ts';
