// The gateway's side of sessions: which session a turn belongs to (begin), recording the turn and
// acting on what the correlation rules find (record), and what the output revealed (finish). One
// store round trip per turn; a second only when a rule acts or the output leaked.

import type { AuditFinding } from '../audit/index.ts';
import { OldestFirst } from '../collections/oldest-first.ts';
import type { PolicyConfig } from '../config/index.ts';
import { defaultSessionPolicy } from '../config/sessions.ts';
import type { SessionAction, SessionPolicy } from '../config/sessions.ts';
import type { Verdict } from '../enforce/inspect.ts';
import type { Action, Exchange, Principal, Severity } from '../exchange/types.ts';
import { newAlertId } from '../respond/alerts.ts';
import type { AlertSink, AlertTurn, SessionAlert } from '../respond/alerts.ts';
import { keyStoreKey, sessionIdOf, sessionStoreKey } from './identity.ts';
import { blockedError, interruptedError, revokedError, revokedNowError, storeDownError, throttledError } from './refusals.ts';
import type { HeaderSink } from './refusals.ts';
import { cumulativeRisk, evaluate, strongestAction } from './rules.ts';
import type { SessionFinding } from './rules.ts';
import { turnsOf } from './turn.ts';
import type { SessionState, SessionStore, StoreAction, StoreRefusal } from './types.ts';

/** Turns kept per session: the look-back of every rule (escalation needs at most 16). */
export const KEEP_TURNS = 16;
/** Interruptions this process remembers, to refuse their turns without a store round trip. */
const MAX_KNOWN = 10_000;
/**
 * How long this process refuses an interrupted session from its own memory before asking the store
 * again: an operator may lift the interruption on another instance (admin API).
 */
const LOCAL_TRUST_MS = 5_000;
/** Sessions this process remembers having recorded. */
const MAX_SEEN = 50_000;

export const SESSIONS_DETECTOR = 'sessions';

type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/** The parts of the gateway's per-exchange trace that sessions read and write. */
export interface SessionTrace {
  requestId: string;
  sessionId?: string;
  app?: string;
  keyId?: string;
  user?: string;
  action: Action | 'error';
  rule?: string;
  reason?: string;
  findings: AuditFinding[];
}

export interface SessionGuardOptions {
  store: SessionStore;
  /**
   * Revokes a key in the key store (the same as `parapet keys revoke`); resolves false when it could
   * not (a static key from the configuration file). The store refuses the key either way.
   */
  revokeKey?: (keyId: string) => boolean | Promise<boolean>;
  alerts?: AlertSink;
  clock?: () => number;
  log?: Log;
}

const SEVERITY: Record<SessionAction, Severity> = { flag: 'low', alert: 'medium', block: 'medium', throttle: 'medium', interrupt: 'high', revoke: 'critical' };

function auditFinding(f: SessionFinding): AuditFinding {
  return {
    detector: SESSIONS_DETECTOR,
    category: f.category,
    rule: `sessions.${f.rule}`,
    score: f.score,
    severity: SEVERITY[f.action],
    owasp: f.owasp,
    explanation: `${f.explanation} Action: ${f.action}.`,
    direction: 'input',
    turns: f.turns,
  };
}

export class SessionGuard {
  readonly store: SessionStore;
  readonly #revokeKey: SessionGuardOptions['revokeKey'];
  readonly #alerts: AlertSink | undefined;
  readonly #clock: () => number;
  readonly #log: Log;
  /** Session store key → interruption known to this process. */
  readonly #interrupted = new Map<string, { until: number; rule: string; at: number }>();
  readonly #interruptedOldest = new OldestFirst(this.#interrupted);
  /** Keys this process revoked by rule (static keys cannot be revoked in the key store). */
  readonly #revoked = new Set<string>();
  /**
   * Sessions this process recorded a turn of, and when: their history need not travel to the store
   * again (the store only backfills a session it does not know), which keeps the round trip small.
   */
  readonly #seen = new Map<string, number>();
  readonly #seenOldest = new OldestFirst(this.#seen);
  #storeDown = false;

  constructor(options: SessionGuardOptions) {
    this.store = options.store;
    this.#revokeKey = options.revokeKey;
    this.#alerts = options.alerts;
    this.#clock = options.clock ?? Date.now;
    this.#log = options.log ?? (() => {});
  }

  /**
   * Right after identify/parse: settles the turn's session id (the client's, or the conversation
   * fingerprint) into the trace and the exchange, and refuses at once, with no store round trip, a
   * turn of a session this process already interrupted or of a key it revoked. Undefined when the
   * policy keeps no sessions.
   */
  begin(ex: Exchange, principal: Principal, policy: PolicyConfig, trace: SessionTrace, reply: HeaderSink): SessionTurn | undefined {
    const sp = policy.sessions ?? defaultSessionPolicy(policy.failMode);
    if (!sp.enabled) return undefined;
    const sessionId = sessionIdOf(ex, principal.keyId, trace.sessionId);
    trace.sessionId = sessionId;
    ex.sessionId = sessionId;
    const skey = sessionStoreKey(principal.keyId, sessionId);
    if (this.#revoked.has(principal.keyId)) throw revokedError();
    const known = this.#interrupted.get(skey);
    const now = this.#clock();
    if (known !== undefined) {
      if (known.until > now && now - known.at < LOCAL_TRUST_MS) {
        trace.rule = `${known.rule}.interrupted`;
        throw interruptedError(known.until, known.rule, now, reply);
      }
      this.#interrupted.delete(skey);
    }
    return new SessionTurn(this, { ex, principal, policy, sp, trace, reply, skey, kkey: keyStoreKey(principal.keyId) });
  }

  get clock(): () => number {
    return this.#clock;
  }

  async close(): Promise<void> {
    await this.#alerts?.close();
    await this.store.close();
  }

  // ---- used by SessionTurn -------------------------------------------------------------------

  /** @internal */
  noteInterrupted(skey: string, until: number, rule: string): void {
    if (this.#interrupted.size >= MAX_KNOWN) this.#interruptedOldest.evict();
    this.#interrupted.set(skey, { until, rule, at: this.#clock() });
  }

  /** An operator lifts the interruption of one session of a key (admin API). */
  async release(keyId: string, sessionId: string): Promise<void> {
    const skey = sessionStoreKey(keyId, sessionId);
    await this.store.act([{ kind: 'release', session: skey }], this.#clock(), 0);
    this.#interrupted.delete(skey);
  }

  /** An operator lifts a key's throttle (admin API). A revoked key stays revoked. */
  async unthrottle(keyId: string): Promise<void> {
    await this.store.act([{ kind: 'unthrottle', key: keyStoreKey(keyId) }], this.#clock(), 0);
  }

  /** @internal Whether the store should be sent this session's history (not recorded here lately). */
  needsHistory(skey: string, now: number, ttlMs: number): boolean {
    const at = this.#seen.get(skey);
    return at === undefined || now - at >= ttlMs;
  }

  /** @internal */
  noteSeen(skey: string, now: number): void {
    this.#seen.delete(skey);
    if (this.#seen.size >= MAX_SEEN) this.#seenOldest.evict();
    this.#seen.set(skey, now);
  }

  /** @internal */
  async revoke(keyId: string): Promise<boolean> {
    this.#revoked.add(keyId);
    if (this.#revokeKey === undefined) return false;
    try {
      return await this.#revokeKey(keyId);
    } catch (err) {
      this.#log('error', 'session rule could not revoke the key in the key store', { keyId, error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  /** @internal Whether an alert would go anywhere (a sink is configured and has a destination now). */
  get alerting(): boolean {
    return this.#alerts !== undefined && (this.#alerts.active?.() ?? true);
  }

  /** @internal */
  alert(alert: SessionAlert): void {
    this.#alerts?.send(alert);
  }

  /** @internal */
  down(err: unknown, sp: SessionPolicy): void {
    if (this.#storeDown) return;
    this.#storeDown = true;
    this.#log('error', 'session store unreachable', {
      store: this.store.kind,
      error: err instanceof Error ? err.message : String(err),
      effect: sp.failMode === 'closed' ? 'refusing requests of policies that fail closed' : 'serving without session correlation',
    });
  }

  /** @internal */
  up(): void {
    if (!this.#storeDown) return;
    this.#storeDown = false;
    this.#log('info', 'session store reachable again', { store: this.store.kind });
  }
}

interface TurnContext {
  ex: Exchange;
  principal: Principal;
  policy: PolicyConfig;
  sp: SessionPolicy;
  trace: SessionTrace;
  reply: HeaderSink;
  skey: string;
  kkey: string;
}

/** One request's turn in its session. */
export class SessionTurn {
  readonly #guard: SessionGuard;
  readonly #c: TurnContext;
  #recorded = false;

  constructor(guard: SessionGuard, context: TurnContext) {
    this.#guard = guard;
    this.#c = context;
  }

  /**
   * After input inspection, before the per-turn decision is enforced (a blocked turn counts too):
   * records the turn and runs the correlation rules. Throws the client's error when the turn must
   * not be answered: the session is (or is now) interrupted, the key is throttled or revoked, or a
   * rule blocks it.
   */
  async record(input: Verdict): Promise<void> {
    const { ex, policy, sp, trace, reply, skey, kkey } = this.#c;
    const now = this.#guard.clock();
    const turns = turnsOf(ex, input.located, policy, sp, now, this.#guard.needsHistory(skey, now, sp.ttlMs));
    let result;
    try {
      result = await this.#guard.store.record({
        session: skey,
        key: kkey,
        now,
        turn: turns.current,
        history: turns.history,
        tokens: turns.tokens,
        keep: KEEP_TURNS,
        keepSigs: sp.rules.duplicates ? sp.rules.duplicates.of + 1 : 0,
        ttlMs: sp.ttlMs,
      });
      this.#guard.up();
    } catch (err) {
      this.#guard.down(err, sp);
      if (sp.failMode === 'open') return;
      trace.rule = 'sessions.fail_mode.closed';
      throw storeDownError(reply);
    }
    if (!result.ok) throw this.#refused(result.refusal, now);
    this.#recorded = true;
    this.#guard.noteSeen(skey, now);

    const findings = evaluate(result.session, result.key, sp, now);
    if (findings.length === 0) return;
    for (const f of findings) trace.findings.push(auditFinding(f));
    await this.#act(findings, result.session, now);
  }

  /** When the exchange has ended: an output that leaked the system prompt counts against the session. */
  finish(trace: SessionTrace): void {
    if (!this.#recorded) return;
    const incident = trace.findings.some((f) => f.direction === 'output' && f.category === 'leakage');
    if (!incident) return;
    const { sp, skey } = this.#c;
    this.#guard.store.output({ session: skey, now: this.#guard.clock(), incident, ttlMs: sp.ttlMs }).then(
      () => this.#guard.up(),
      (err: unknown) => this.#guard.down(err, sp),
    );
  }

  #refused(r: StoreRefusal, now: number): Error {
    const { trace, reply, skey } = this.#c;
    if (r.kind === 'interrupted') {
      this.#guard.noteInterrupted(skey, r.until, r.rule);
      trace.rule = `${r.rule}.interrupted`;
      return interruptedError(r.until, r.rule, now, reply);
    }
    if (r.kind === 'throttled') return throttledError(r.until, r.retryAt, r.rpm, r.rule, now);
    trace.rule = `${r.rule}.revoked`;
    return revokedError();
  }

  async #act(findings: SessionFinding[], s: SessionState, now: number): Promise<void> {
    const { principal, sp, trace, reply, skey, kkey } = this.#c;
    const strongest = strongestAction(findings) ?? 'flag';
    const lead = findings.find((f) => f.action === strongest) ?? (findings[0] as SessionFinding);
    const rule = `sessions.${lead.rule}`;
    const wants = (a: SessionAction): SessionFinding | undefined => findings.find((f) => f.action === a);

    const actions: StoreAction[] = [];
    const interrupt = wants('interrupt');
    const interruptUntil = now + sp.interruptMs;
    if (interrupt !== undefined) {
      actions.push({ kind: 'interrupt', session: skey, until: interruptUntil, rule: `sessions.${interrupt.rule}` });
      this.#guard.noteInterrupted(skey, interruptUntil, `sessions.${interrupt.rule}`);
    }
    const throttle = wants('throttle');
    const throttleUntil = now + sp.throttle.durationMs;
    if (throttle !== undefined) {
      actions.push({ kind: 'throttle', key: kkey, until: throttleUntil, requestsPerMinute: sp.throttle.requestsPerMinute, rule: `sessions.${throttle.rule}` });
    }
    const revoke = wants('revoke');
    let keyRevoked = false;
    if (revoke !== undefined) {
      actions.push({ kind: 'revoke', key: kkey, rule: `sessions.${revoke.rule}` });
      keyRevoked = await this.#guard.revoke(principal.keyId);
    }
    if (actions.length > 0) {
      try {
        await this.#guard.store.act(actions, now, sp.ttlMs);
      } catch (err) {
        // This turn is refused regardless; later turns rely on this process's memory until the store is back.
        this.#guard.down(err, sp);
      }
    }

    const reason = `${lead.explanation}${strongest === 'flag' || strongest === 'alert' ? '' : ` Action: ${strongest}.`}`;
    const until = strongest === 'interrupt' ? interruptUntil : strongest === 'throttle' ? throttleUntil : undefined;
    // Building the alert (turn excerpts, ISO times, a random id) is a measurable share of a request
    // when a rule keeps firing, and is thrown away when no alert sink is configured: skip it then.
    if (strongest !== 'flag' && this.#guard.alerting) this.#guard.alert(this.#alert(findings, s, strongest, rule, reason, until, keyRevoked, now));

    // The audit event names the session rule that acted; flags and alerts ride along with the
    // per-turn decision unless nothing else was found.
    if (strongest === 'flag' || strongest === 'alert') {
      if (trace.action === 'allow') {
        trace.action = 'flag';
        trace.rule = `${rule}.${strongest}`;
        trace.reason = reason;
      }
      return;
    }
    trace.rule = `${rule}.${strongest}`;
    trace.reason = reason;
    if (strongest === 'revoke') throw revokedNowError(rule, lead.explanation);
    if (interrupt !== undefined) throw interruptedError(interruptUntil, `sessions.${interrupt.rule}`, now, reply, interrupt.explanation);
    if (wants('block') !== undefined) throw blockedError(rule, lead.explanation);
    // throttle alone: this turn goes on; the key's later requests are capped.
  }

  #alert(findings: SessionFinding[], s: SessionState, action: SessionAction, rule: string, reason: string, until: number | undefined, keyRevoked: boolean, now: number): SessionAlert {
    const { principal, sp, trace } = this.#c;
    const wanted = new Set(findings.flatMap((f) => f.turns));
    const turns: AlertTurn[] = [];
    s.recent.forEach((t, i) => {
      const n = s.turns - (s.recent.length - 1 - i);
      if (!wanted.has(n)) return;
      const turn: AlertTurn = {
        turn: n,
        at: new Date(t.at).toISOString(),
        risk: t.risk,
        scores: { ...t.scores },
        action: t.action,
        probe: t.probe,
        refused_before: t.refusedBefore,
        excerpt: t.excerpt,
      };
      if (t.req !== '') turn.request_id = t.req;
      turns.push(turn);
    });
    const decision: SessionAlert['decision'] = { action, rule, reason };
    if (until !== undefined) decision.until = new Date(until).toISOString();
    if (action === 'revoke') decision.key_revoked = keyRevoked;
    const principalOut: SessionAlert['principal'] = { policy: principal.policy };
    if (trace.app !== undefined) principalOut.app = trace.app;
    if (trace.keyId !== undefined) principalOut.key_id = trace.keyId;
    if (trace.user !== undefined) principalOut.user = trace.user;
    return {
      type: 'parapet.session.action',
      id: newAlertId(),
      time: new Date(now).toISOString(),
      request_id: trace.requestId,
      principal: principalOut,
      session_id: trace.sessionId ?? '',
      decision,
      findings: findings.map((f) => ({ rule: `sessions.${f.rule}`, action: f.action, category: f.category, score: f.score, turns: f.turns, explanation: f.explanation })),
      turns,
      session: {
        turns: s.turns,
        blocked: s.blocked,
        flagged: s.flagged,
        probes: s.probes,
        refusals: s.refusals,
        risk: Math.round(cumulativeRisk(s.recent, sp.decay) * 1000) / 1000,
      },
    };
  }
}
