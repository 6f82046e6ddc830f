// Incident alerts: a signed JSON POST to the operator's webhook for every session rule that acts.
// Sending never blocks traffic: send() queues and returns; delivery runs in the background, retried
// with exponential backoff on network errors, timeouts, 429 and 5xx, and dropped (with a log line)
// after the last attempt or when the queue is full.
//
// Signature: `x-parapet-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The
// timestamp is signed with the body, so a receiver that rejects old timestamps also rejects replays
// (see verifySignature).

import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AlertsConfig, SessionAction } from '../config/sessions.ts';

/** A turn as an alert shows it: scores, decision and its redacted opening. */
export interface AlertTurn {
  turn: number;
  at: string;
  request_id?: string;
  risk: number;
  scores: Record<string, number>;
  action: string;
  probe: boolean;
  refused_before: boolean;
  excerpt: string;
}

export interface AlertFinding {
  rule: string;
  action: SessionAction;
  category: string;
  score: number;
  turns: number[];
  explanation: string;
}

export interface SessionAlert {
  type: 'parapet.session.action';
  id: string;
  time: string;
  request_id: string;
  principal: { app?: string; key_id?: string; user?: string; policy?: string };
  session_id: string;
  /** What Parapet did: the strongest action, the rule that chose it, until when it holds. */
  decision: { action: SessionAction; rule: string; reason: string; until?: string; key_revoked?: boolean };
  findings: AlertFinding[];
  turns: AlertTurn[];
  session: { turns: number; blocked: number; flagged: number; probes: number; refusals: number; risk: number };
}

export interface AlertSink {
  /** Queues the alert; returns at once and never throws. */
  send(alert: SessionAlert): void;
  /**
   * False when send() would drop any alert right now (closed, or no destination configured), so a
   * caller can skip building one; a sink without it is taken to accept alerts.
   */
  active?(): boolean;
  /** Waits up to `timeoutMs` for queued deliveries, then gives up on the rest. */
  close(timeoutMs?: number): Promise<void>;
}

export function newAlertId(): string {
  return `alr_${randomUUID().replaceAll('-', '')}`;
}

export function signature(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/**
 * For receivers (and tests): true when `header` is a valid signature of `body` made with `secret`
 * no more than `toleranceSec` ago.
 */
export function verifySignature(secret: string, header: string, body: string, toleranceSec = 300, nowSec = Math.floor(Date.now() / 1000)): boolean {
  const fields = new Map(header.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1).trim()]));
  const t = Number(fields.get('t'));
  const v1 = fields.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(nowSec - t) > toleranceSec || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  return timingSafeEqual(expected, Buffer.from(v1));
}

type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export interface WebhookAlertsOptions {
  /** The current `alerts:` configuration (hot reload swaps it); nothing is sent while undefined. */
  config: () => AlertsConfig | undefined;
  log?: Log;
  /** First retry delay; doubles per attempt, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Alerts waiting for delivery, beyond which new ones are dropped. */
  maxQueue?: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
}

interface Job {
  alert: SessionAlert;
  body: string;
  attempt: number;
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export class WebhookAlerts implements AlertSink {
  readonly #config: () => AlertsConfig | undefined;
  readonly #log: Log;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxQueue: number;
  readonly #concurrency: number;
  readonly #ready: Job[] = [];
  readonly #timers = new Map<NodeJS.Timeout, Job>();
  readonly #inFlight = new Set<Promise<void>>();
  #waiting = 0;
  #closed = false;
  /** Deliveries that succeeded / were given up (tests and diagnostics). */
  delivered = 0;
  dropped = 0;

  constructor(options: WebhookAlertsOptions) {
    this.#config = options.config;
    this.#log = options.log ?? (() => {});
    this.#baseDelayMs = options.baseDelayMs ?? 1000;
    this.#maxDelayMs = options.maxDelayMs ?? 60_000;
    this.#maxQueue = options.maxQueue ?? 1000;
    this.#concurrency = options.concurrency ?? 4;
  }

  active(): boolean {
    return !this.#closed && this.#config() !== undefined;
  }

  send(alert: SessionAlert): void {
    if (!this.active()) return;
    if (this.#ready.length + this.#waiting + this.#inFlight.size >= this.#maxQueue) {
      this.dropped++;
      this.#log('error', 'alert dropped: delivery queue full', { alert: alert.id, queue: this.#maxQueue });
      return;
    }
    this.#ready.push({ alert, body: JSON.stringify(alert), attempt: 0 });
    // Not even the start of delivery (connection set-up included) runs on the caller's turn.
    setImmediate(() => this.#pump());
  }

  /** Queued, waiting for a retry, or in flight. */
  get pending(): number {
    return this.#ready.length + this.#waiting + this.#inFlight.size;
  }

  async close(timeoutMs = 5000): Promise<void> {
    this.#closed = true;
    // Retries still waiting go out now, once: better a last try than nothing at shutdown.
    for (const [t, job] of this.#timers) {
      clearTimeout(t);
      this.#ready.push(job);
    }
    this.#timers.clear();
    this.#waiting = 0;
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) {
      this.#pump();
      await Promise.race([Promise.allSettled([...this.#inFlight]), new Promise((r) => setTimeout(r, Math.max(1, deadline - Date.now())))]);
      if (this.#inFlight.size === 0 && this.#ready.length === 0) break;
    }
    const left = this.#ready.length + this.#inFlight.size;
    if (left > 0) {
      this.dropped += this.#ready.length;
      this.#log('warn', 'alerts not delivered before shutdown', { count: left });
      this.#ready.length = 0;
    }
  }

  #pump(): void {
    while (this.#inFlight.size < this.#concurrency && this.#ready.length > 0) {
      const job = this.#ready.shift() as Job;
      const p = this.#deliver(job).finally(() => {
        this.#inFlight.delete(p);
        this.#pump();
      });
      this.#inFlight.add(p);
    }
  }

  async #deliver(job: Job): Promise<void> {
    const cfg = this.#config();
    if (cfg === undefined) return;
    job.attempt++;
    let failure: string;
    try {
      const t = Math.floor(Date.now() / 1000);
      const res = await fetch(cfg.webhook, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'parapet-alerts/1',
          'x-parapet-alert-id': job.alert.id,
          'x-parapet-signature': signature(cfg.secret, t, job.body),
        },
        body: job.body,
        signal: AbortSignal.timeout(cfg.timeoutMs),
        redirect: 'manual',
      });
      // The body is not needed; reading it frees the connection.
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) {
        this.delivered++;
        return;
      }
      failure = `webhook answered ${res.status}`;
      if (!retryable(res.status)) {
        this.dropped++;
        this.#log('error', 'alert rejected by the webhook; not retried', { alert: job.alert.id, status: res.status });
        return;
      }
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
    if (job.attempt >= cfg.maxAttempts || this.#closed) {
      this.dropped++;
      this.#log('error', 'alert not delivered; giving up', { alert: job.alert.id, attempts: job.attempt, error: failure });
      return;
    }
    const delay = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (job.attempt - 1)) * (0.8 + Math.random() * 0.4);
    this.#log('warn', 'alert delivery failed; retrying', { alert: job.alert.id, attempt: job.attempt, retryInMs: Math.round(delay), error: failure });
    this.#waiting++;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#waiting--;
      this.#ready.push(job);
      this.#pump();
    }, delay);
    timer.unref();
    this.#timers.set(timer, job);
  }
}
