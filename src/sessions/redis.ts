// Session and key state in Redis, shared by every gateway instance: one script call per turn (refusal
// checks, the key's counters and the session's turn, atomically), one more only when a rule acts or
// an output incident is recorded.
//
// Keys: <prefix>:ses:<key id>:<session id> and <prefix>:sk:<key id>, each a JSON string with an
// expiry. Like the limits, Redis Cluster is not supported (one turn touches two hash slots).

import type { Redis } from 'ioredis';
import { ScriptRunner } from '../stores/redis/lua.ts';
import { connectRedis } from '../stores/redis/client.ts';
import type { RedisConnectionOptions } from '../stores/redis/client.ts';
import { ACT, OUTPUT, RECORD } from './redis-script.ts';
import { BASELINE_ALPHA, KEEP_PROBES } from './state.ts';
import type { KeyState, OutputFacts, RecordRequest, RecordResult, SessionState, SessionStore, StoreAction, StoreRefusal, TurnRecord } from './types.ts';
import { REVOKED_TTL_MS } from './types.ts';

export interface RedisSessionStoreOptions extends RedisConnectionOptions {
  /** Key prefix (storage.redis_prefix); ':ses:' and ':sk:' follow it. */
  prefix?: string;
}

// cjson writes an empty Lua table as {}: lists come back as objects when they are empty.
function list<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

function parseTurn(t: TurnRecord): TurnRecord {
  return { ...t, scores: t.scores && typeof t.scores === 'object' && !Array.isArray(t.scores) ? t.scores : {} };
}

function parseSession(json: string): SessionState {
  const s = JSON.parse(json) as SessionState;
  s.recent = list<TurnRecord>(s.recent).map(parseTurn);
  return s;
}

function parseKey(json: string): KeyState {
  const k = JSON.parse(json) as KeyState;
  k.sigs = list<string>(k.sigs);
  k.probes = list<number>(k.probes);
  return k;
}

export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis' as const;
  readonly redis: Redis;
  readonly #sessionPrefix: string;
  readonly #keyPrefix: string;
  readonly #owns: boolean;
  readonly #scripts: ScriptRunner;

  /** Given a URL the store opens (and closes) its own connection; given a client it shares it. */
  constructor(target: string | Redis, options: RedisSessionStoreOptions = {}) {
    this.#owns = typeof target === 'string';
    this.redis = typeof target === 'string' ? connectRedis(target, options) : target;
    const prefix = options.prefix ?? 'parapet';
    this.#sessionPrefix = `${prefix}:ses:`;
    this.#keyPrefix = `${prefix}:sk:`;
    this.#scripts = new ScriptRunner(this.redis, options.connectTimeoutMs ?? 2000);
  }

  async record(r: RecordRequest): Promise<RecordResult> {
    const reply = await this.#scripts.run(
      RECORD,
      [this.#sessionPrefix + r.session, this.#keyPrefix + r.key],
      [r.now, JSON.stringify(r.turn), JSON.stringify(r.history), r.tokens, r.keep, r.keepSigs, Math.ceil(r.ttlMs), KEEP_PROBES, BASELINE_ALPHA, REVOKED_TTL_MS],
    );
    if (!Array.isArray(reply) || reply.length < 2) throw new Error('redis sessions: unexpected reply to record');
    if (Number(reply[0]) !== 1) return { ok: false, refusal: JSON.parse(String(reply[1])) as StoreRefusal };
    return { ok: true, session: parseSession(String(reply[1])), key: parseKey(String(reply[2])) };
  }

  async act(actions: readonly StoreAction[], now: number, ttlMs: number): Promise<void> {
    if (actions.length === 0) return;
    const keys: string[] = [];
    const args: (string | number)[] = [now, Math.ceil(ttlMs), REVOKED_TTL_MS];
    for (const a of actions) {
      if (a.kind === 'interrupt') {
        keys.push(this.#sessionPrefix + a.session);
        args.push('interrupt', a.until, 0, a.rule);
      } else if (a.kind === 'release') {
        keys.push(this.#sessionPrefix + a.session);
        args.push('release', 0, 0, '');
      } else if (a.kind === 'unthrottle') {
        keys.push(this.#keyPrefix + a.key);
        args.push('unthrottle', 0, 0, '');
      } else if (a.kind === 'throttle') {
        keys.push(this.#keyPrefix + a.key);
        args.push('throttle', a.until, a.requestsPerMinute, a.rule);
      } else {
        keys.push(this.#keyPrefix + a.key);
        args.push('revoke', 0, 0, a.rule);
      }
    }
    await this.#scripts.run(ACT, keys, args);
  }

  async output(facts: OutputFacts): Promise<void> {
    if (!facts.incident) return;
    await this.#scripts.run(OUTPUT, [this.#sessionPrefix + facts.session], [facts.now, Math.ceil(facts.ttlMs)]);
  }

  async close(): Promise<void> {
    if (!this.#owns) return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

}
