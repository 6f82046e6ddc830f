// Sessions: what is kept per session and per key, and the contract of the store that keeps it. The
// store only applies small, atomic state changes (record a turn, set an interruption, …); judging the
// state (the correlation rules in rules.ts) happens in the gateway process, so the memory and the
// Redis store share every decision and differ only in where the state lives.

import type { Action, Category } from '../exchange/types.ts';

/**
 * One turn as the session remembers it: scores and facts, never the raw text (only an excerpt with
 * secrets and personal data masked, for alerts). Short field names: this is stored per turn.
 */
export interface TurnRecord {
  /** When the gateway saw it (ms since the epoch). */
  at: number;
  /** Request id of the exchange that carried it ('' for turns backfilled from a resent history). */
  req: string;
  /** Turn risk: the highest score among the policy's risk categories. */
  risk: number;
  /** Highest score per category among the turn's messages (categories with a finding only). */
  scores: Partial<Record<Category, number>>;
  /** What the per-turn input policy decided. */
  action: Action;
  /** The turn asked for the system prompt or hidden instructions. */
  probe: boolean;
  /** The model's answer just before this turn was a refusal. */
  refusedBefore: boolean;
  /** 64-bit prompt signature (hex), for near-duplicate detection; '' when the turn has no user text. */
  sig: string;
  /** Redacted opening of the turn's user text; '' when the policy keeps no text. */
  excerpt: string;
}

export interface SessionState {
  /** Turns recorded so far (backfilled ones included). */
  turns: number;
  blocked: number;
  flagged: number;
  probes: number;
  refusals: number;
  /** Outputs that leaked the system prompt or were blocked on the way out. */
  outputIncidents: number;
  firstAt: number;
  lastAt: number;
  /** The last turns, oldest first; the last one is turn number `turns`. */
  recent: TurnRecord[];
  /** Refused until this time (ms) by `interruptRule`. */
  interruptedUntil?: number;
  interruptRule?: string;
}

export interface KeyState {
  /** Minute (ms / 60000) the current counters belong to. */
  minute: number;
  requests: number;
  tokens: number;
  detections: number;
  /** Exponentially weighted requests and tokens per minute over the key's past minutes. */
  baseRequests: number;
  baseTokens: number;
  /** Minutes of history behind the baseline. */
  warmMinutes: number;
  /** Signatures of the key's recent prompts, oldest first (the current one last, when it has one). */
  sigs: string[];
  /** Times of the key's recent extraction attempts, oldest first. */
  probes: number[];
  throttledUntil?: number;
  throttleRpm?: number;
  throttleRule?: string;
  /** Requests counted in the current throttle minute. */
  throttleMinute?: number;
  throttleCount?: number;
  /** Set once a rule revoked the key; the store refuses it from then on. */
  revokedRule?: string;
}

/** Why the store refused a turn without recording it. */
export type StoreRefusal =
  | { kind: 'interrupted'; until: number; rule: string }
  | { kind: 'throttled'; until: number; rule: string; retryAt: number; rpm: number }
  | { kind: 'revoked'; rule: string };

export interface RecordRequest {
  /** Store key of the session (principal-scoped, see identity.ts). */
  session: string;
  /** Store key of the principal's key. */
  key: string;
  now: number;
  turn: TurnRecord;
  /** Earlier turns found in the request's history, recorded first when the session is new. */
  history: readonly TurnRecord[];
  /** Estimated tokens of the request, for the key's baseline. */
  tokens: number;
  /** Turns kept per session. */
  keep: number;
  /** Signatures kept per key. */
  keepSigs: number;
  ttlMs: number;
}

export type RecordResult = { ok: true; session: SessionState; key: KeyState } | { ok: false; refusal: StoreRefusal };

export type StoreAction =
  | { kind: 'interrupt'; session: string; until: number; rule: string }
  | { kind: 'throttle'; key: string; until: number; requestsPerMinute: number; rule: string }
  | { kind: 'revoke'; key: string; rule: string }
  /** An operator lifts a session's interruption before it ends (admin API). */
  | { kind: 'release'; session: string }
  /** An operator lifts a key's throttle before it ends (admin API); a revocation is not lifted. */
  | { kind: 'unthrottle'; key: string };

/** What became known once the answer was out. */
export interface OutputFacts {
  session: string;
  now: number;
  /** The output leaked the system prompt or was blocked. */
  incident: boolean;
  ttlMs: number;
}

/**
 * Per-session and per-key state shared by everything that uses the same store. record() is atomic as
 * a whole: the refusal checks, the key's counters and the session's turn happen with nothing else
 * in between, so two gateway instances never lose a turn or a probe.
 */
export interface SessionStore {
  readonly kind: 'memory' | 'redis';
  /** Refuses (interrupted session, throttled or revoked key) or records the turn; one round trip. */
  record(request: RecordRequest): Promise<RecordResult>;
  /** Applies what the rules decided; only called when a rule acts. */
  act(actions: readonly StoreAction[], now: number, ttlMs: number): Promise<void>;
  /** Output facts of a turn; only called when there is one to record. */
  output(facts: OutputFacts): Promise<void>;
  close(): Promise<void>;
}

/** How long revocation state outlives a key's last request: the key store is the real record. */
export const REVOKED_TTL_MS = 30 * 24 * 3_600_000;
