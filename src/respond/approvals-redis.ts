// Pending approvals in Redis, shared by every gateway instance: the instance that holds the client's
// response stores the request and listens for decisions; any instance lists and decides them, so an
// operator's answer reaches the holder whichever instance the admin API call lands on.
//
// Keys: <prefix>:apr:<id> (the request as JSON, expiring with its timeout) and <prefix>:apr:pending
// (a sorted set of ids by expiry, so a listing reads only what is pending, not a SCAN of the whole
// keyspace). Decisions travel on the channel <prefix>:apr:decisions, on a connection of their own.
// A decision is taken by one script that deletes the request key and publishes only if it existed:
// of two operators answering at once, or an operator and the holder's timeout, exactly one wins.

import type { Redis } from 'ioredis';
import { connectRedis, waitForRedis } from '../stores/redis/client.ts';
import { ScriptRunner, script } from '../stores/redis/lua.ts';
import type { RedisConnectionOptions } from '../stores/redis/client.ts';
import { MAX_PENDING, approvalRequest, newApprovalId } from './approvals.ts';
import type { ApprovalDecision, ApprovalRegistry, ApprovalRequest, NewApproval } from './approvals.ts';

export interface RedisApprovalsOptions extends RedisConnectionOptions {
  /** Key prefix (storage.redis_prefix); ':apr:' follows it. */
  prefix?: string;
}

// KEYS[1] request key, KEYS[2] pending set; ARGV[1] id, ARGV[2] decision to publish ('' for none),
// ARGV[3] channel. 1 when this call took the request, 0 when it was already gone.
const CLAIM_LUA = `
local gone = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if gone == 0 then return 0 end
if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[2]) end
return 1
`;
const CLAIM = script(CLAIM_LUA);

/** How long a holder whose timeout lost to an operator's decision waits for that decision to arrive. */
const DECISION_GRACE_MS = 1000;

/** The decision of a request Redis could not hold: never let through. */
export const UNREACHABLE: ApprovalDecision = { outcome: 'denied', by: 'parapet: the approval store (Redis) is unreachable, so nobody could approve' };

interface Held {
  settle: (d: ApprovalDecision) => void;
  timer: NodeJS.Timeout;
}

function parseRequest(json: string | null): ApprovalRequest | undefined {
  if (json === null) return undefined;
  try {
    const r = JSON.parse(json) as ApprovalRequest;
    return typeof r === 'object' && r !== null && typeof r.id === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}

export class RedisApprovals implements ApprovalRegistry {
  readonly kind = 'redis' as const;
  readonly redis: Redis;
  /** Subscriber mode takes a connection for itself. */
  readonly #sub: Redis;
  readonly #owns: boolean;
  readonly #keyPrefix: string;
  readonly #pendingKey: string;
  readonly #channel: string;
  readonly #connectMs: number;
  readonly #scripts: ScriptRunner;
  readonly #log: NonNullable<RedisConnectionOptions['log']>;
  readonly #held = new Map<string, Held>();
  #subscribed: Promise<void> | undefined;
  #waited = false;
  #closed = false;

  /** Given a URL the registry opens (and closes) its own connection; given a client it shares it. */
  constructor(target: string | Redis, options: RedisApprovalsOptions = {}) {
    this.#owns = typeof target === 'string';
    this.redis = typeof target === 'string' ? connectRedis(target, options) : target;
    this.#sub = typeof target === 'string' ? connectRedis(target, { ...options, log: () => {} }) : target.duplicate();
    // Reconnect failures are reported once by the main connection's listener; the subscriber's are the same outage.
    this.#sub.on('error', () => {});
    this.#sub.on('message', (channel: string, message: string) => {
      if (channel === this.#channel) this.#onDecision(message);
    });
    const prefix = options.prefix ?? 'parapet';
    this.#keyPrefix = `${prefix}:apr:`;
    this.#pendingKey = `${prefix}:apr:pending`;
    this.#channel = `${prefix}:apr:decisions`;
    this.#connectMs = options.connectTimeoutMs ?? 2000;
    this.#scripts = new ScriptRunner(this.redis, this.#connectMs);
    this.#log = options.log ?? (() => {});
  }

  request(input: NewApproval, timeoutMs: number, signal?: AbortSignal): { id: string; decision: Promise<ApprovalDecision> } {
    const id = newApprovalId();
    if (this.#held.size >= MAX_PENDING) return { id, decision: Promise.resolve({ outcome: 'denied', by: 'parapet: too many pending approvals' }) };
    const request = approvalRequest(input, id, Date.now(), timeoutMs);
    const decision = new Promise<ApprovalDecision>((resolve) => {
      let grace: NodeJS.Timeout | undefined;
      const finish = (d: ApprovalDecision): void => {
        const h = this.#held.get(id);
        if (h === undefined) return;
        clearTimeout(h.timer);
        clearTimeout(grace);
        this.#held.delete(id);
        signal?.removeEventListener('abort', onAbort);
        resolve(d);
      };
      const onAbort = (): void => {
        finish({ outcome: 'cancelled' });
        this.#release(id);
      };
      const timer = setTimeout(() => {
        this.#claim(id, '').then(
          (won) => {
            if (won) finish({ outcome: 'timeout' });
            // An operator decided at the last moment: the decision is on its way.
            else grace = setTimeout(() => finish({ outcome: 'timeout' }), DECISION_GRACE_MS);
          },
          () => finish({ outcome: 'timeout' }),
        );
      }, timeoutMs);
      this.#held.set(id, { settle: finish, timer });
      if (signal?.aborted) {
        finish({ outcome: 'cancelled' });
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#store(request, timeoutMs).then(
        () => {
          // Settled while it was being stored (cancelled, a very short timeout): take it back out.
          if (!this.#held.has(id)) this.#release(id);
        },
        (err: unknown) => {
          this.#log('error', 'approval store unreachable; the held tool call is denied', { id, error: err instanceof Error ? err.message : String(err) });
          finish(UNREACHABLE);
        },
      );
    });
    return { id, decision };
  }

  async list(): Promise<ApprovalRequest[]> {
    await this.#ready();
    const ids = await this.redis.zrangebyscore(this.#pendingKey, Date.now(), '+inf');
    if (ids.length === 0) return [];
    const values = await this.redis.mget(ids.map((id) => this.#keyPrefix + id));
    const out: ApprovalRequest[] = [];
    const stale: string[] = [];
    ids.forEach((id, i) => {
      const r = parseRequest(values[i] ?? null);
      if (r === undefined) stale.push(id);
      else out.push(r);
    });
    // Expired keys leave their id behind (a holder that died): tidy up while here.
    if (stale.length > 0) await this.redis.zrem(this.#pendingKey, ...stale).catch(() => undefined);
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async get(id: string): Promise<ApprovalRequest | undefined> {
    await this.#ready();
    return parseRequest(await this.redis.get(this.#keyPrefix + id));
  }

  async decide(id: string, outcome: 'approved' | 'denied', by?: string): Promise<boolean> {
    const d: ApprovalDecision = by === undefined ? { outcome } : { outcome, by };
    return this.#claim(id, JSON.stringify({ id, ...d }));
  }

  denyAll(by: string): Promise<void> {
    const ids = [...this.#held.keys()];
    for (const id of ids) this.#held.get(id)?.settle({ outcome: 'denied', by });
    return Promise.allSettled(ids.map((id) => this.#claim(id, ''))).then(() => undefined);
  }

  get size(): number {
    return this.#held.size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.denyAll('parapet: approvals closed');
    this.#sub.disconnect();
    if (!this.#owns) return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  #onDecision(message: string): void {
    let m: unknown;
    try {
      m = JSON.parse(message);
    } catch {
      return;
    }
    if (typeof m !== 'object' || m === null) return;
    const { id, outcome, by } = m as { id?: unknown; outcome?: unknown; by?: unknown };
    if (typeof id !== 'string' || (outcome !== 'approved' && outcome !== 'denied')) return;
    this.#held.get(id)?.settle(typeof by === 'string' ? { outcome, by } : { outcome });
  }

  /** Only the very first connection is waited for; during an outage commands fail at once. */
  async #ready(): Promise<void> {
    if (this.#waited) return;
    if (this.redis.status !== 'ready') await waitForRedis(this.redis, this.#connectMs);
    this.#waited = true;
  }

  /** Listening before anything is stored, so no decision can be published before the holder hears it. */
  #listen(): Promise<void> {
    if (this.#subscribed === undefined) {
      const p = (async (): Promise<void> => {
        if (this.#sub.status !== 'ready' && !(await waitForRedis(this.#sub, this.#connectMs))) throw new Error('redis subscriber not connected');
        await this.#sub.subscribe(this.#channel);
      })();
      this.#subscribed = p;
      p.catch(() => {
        if (this.#subscribed === p) this.#subscribed = undefined;
      });
    }
    return this.#subscribed;
  }

  async #store(request: ApprovalRequest, timeoutMs: number): Promise<void> {
    if (this.#closed) throw new Error('approvals closed');
    await Promise.all([this.#ready(), this.#listen()]);
    // ioredis re-subscribes by itself after a reconnect; until it has, a decision could be lost.
    if (this.#sub.status !== 'ready') throw new Error('redis subscriber not connected');
    const expires = Date.parse(request.expiresAt);
    const replies = await this.redis
      .multi()
      .set(this.#keyPrefix + request.id, JSON.stringify(request), 'PX', Math.max(1, Math.ceil(timeoutMs)))
      .zremrangebyscore(this.#pendingKey, '-inf', `(${Date.now()}`)
      .zadd(this.#pendingKey, expires, request.id)
      .exec();
    if (replies === null) throw new Error('redis transaction aborted');
    for (const [err] of replies) if (err) throw err;
  }

  /** Takes the request out of Redis; true when this call is the one that did (it decides). */
  async #claim(id: string, payload: string): Promise<boolean> {
    await this.#ready();
    const keys = [this.#keyPrefix + id, this.#pendingKey];
    const args = [id, payload, this.#channel];
    const reply = await this.#scripts.run(CLAIM, keys, args);
    return Number(reply) === 1;
  }

  /** Best effort: a request settled here no longer waits for anyone (its key expires anyway). */
  #release(id: string): void {
    this.#claim(id, '').catch(() => undefined);
  }
}
