// The part of every audit sink that is not about storage: queue on the request path, write in
// batches off it, keep and retry on failure, drain on close. A backend only supplies `prepare`
// (turn an event into its row, run inside write() so a malformed event is caught there and can
// never poison a batch) and `writeBatch` (store rows atomically: all or none).
import process from 'node:process';
import type { AuditEvent, AuditSink } from './types.ts';

export interface BatchWriter<Row> {
  prepare(event: AuditEvent): Row;
  /** Stores every row or none (one transaction); throws on failure. */
  writeBatch(rows: readonly Row[]): void | Promise<void>;
  close(): void | Promise<void>;
}

export interface BufferedSinkOptions {
  /** Longest an event waits in memory before a write is attempted. */
  intervalMs?: number;
  /** Queue length that triggers a write before the interval ends; also the largest transaction. */
  batchSize?: number;
  /** Longest wait between retries while the store keeps failing. */
  maxRetryDelayMs?: number;
  /**
   * Queue cap while the store is failing; beyond it the oldest events are dropped (and reported)
   * rather than exhaust the gateway's memory.
   */
  maxPending?: number;
  /** How long flush() and close() keep retrying before they give up. */
  drainTimeoutMs?: number;
  /** Where operational problems are reported; stderr by default. */
  log?: (message: string) => void;
}

const defaultLog = (message: string): void => {
  process.stderr.write(`parapet audit: ${message}\n`);
};

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class BufferedAuditSink<Row> implements AuditSink {
  readonly #writer: BatchWriter<Row>;
  readonly #intervalMs: number;
  readonly #batchSize: number;
  readonly #maxRetryDelayMs: number;
  readonly #maxPending: number;
  readonly #drainTimeoutMs: number;
  readonly #log: (message: string) => void;

  #pending: Row[] = [];
  #inFlight: Promise<boolean> | undefined;
  #timeout: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  // Counters rather than queue positions let flush() wait for "everything accepted before me"
  // while new events keep arriving behind it.
  #accepted = 0;
  #settled = 0;
  #failing = false;
  #retryDelayMs: number;
  #lastError: unknown;
  #dropped = 0;
  #rejected = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(writer: BatchWriter<Row>, options: BufferedSinkOptions = {}) {
    this.#writer = writer;
    this.#intervalMs = options.intervalMs ?? 25;
    this.#batchSize = options.batchSize ?? 256;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 1000;
    this.#maxPending = options.maxPending ?? 100_000;
    this.#drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
    this.#log = options.log ?? defaultLog;
    this.#retryDelayMs = this.#intervalMs;
  }

  /** Events accepted but not yet stored. */
  get pending(): number {
    return this.#accepted - this.#settled;
  }

  write(event: AuditEvent): void {
    try {
      if (this.#closed) {
        this.#reject('event written after close; dropped');
        return;
      }
      const row = this.#writer.prepare(event);
      this.#pending.push(row);
      this.#accepted++;
      this.#enforceCap();
      if (this.#failing) {
        if (!this.#scheduled()) this.#schedule(this.#retryDelayMs);
        return;
      }
      if (this.#pending.length >= this.#batchSize) this.#schedule(0);
      else if (!this.#scheduled()) this.#schedule(this.#intervalMs);
    } catch (err) {
      this.#reject(`malformed event dropped: ${describe(err)}`);
    }
  }

  async flush(): Promise<void> {
    const target = this.#accepted;
    const deadline = Date.now() + this.#drainTimeoutMs;
    let delay = this.#intervalMs;
    while (this.#settled < target) {
      const ok = await this.#writeChunk();
      if (ok) {
        delay = this.#intervalMs;
        if (this.#settled < target) await yieldToLoop();
        continue;
      }
      if (Date.now() >= deadline) {
        throw new Error(
          `audit: ${target - this.#settled} events still unwritten after ${this.#drainTimeoutMs} ms: ` +
            describe(this.#lastError),
        );
      }
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
      delay = Math.min(delay * 2, this.#maxRetryDelayMs);
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#clearTimer();
    let failure: unknown;
    try {
      await this.flush();
    } catch (err) {
      failure = err;
      this.#log(`closing with ${this.pending} events unwritten (lost): ${describe(err)}`);
    }
    // A write that was retrying in the background may still be running against the store.
    await this.#inFlight;
    await this.#writer.close();
    if (failure !== undefined) throw failure;
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    if (delayMs === 0) {
      if (this.#immediate !== undefined) return;
      this.#clearTimer();
      this.#immediate = setImmediate(() => this.#tick());
      return;
    }
    this.#clearTimer();
    this.#timeout = setTimeout(() => this.#tick(), delayMs);
    // Retries must not keep a process alive on a broken disk; a normal tick may, so a short-lived
    // process that forgot close() still gets its events out.
    if (this.#failing) this.#timeout.unref();
  }

  #scheduled(): boolean {
    return this.#timeout !== undefined || this.#immediate !== undefined;
  }

  #clearTimer(): void {
    if (this.#timeout !== undefined) clearTimeout(this.#timeout);
    if (this.#immediate !== undefined) clearImmediate(this.#immediate);
    this.#timeout = undefined;
    this.#immediate = undefined;
  }

  #tick(): void {
    this.#timeout = undefined;
    this.#immediate = undefined;
    void this.#writeChunk().then((ok) => {
      if (!ok || this.#scheduled() || this.#closed) return; // a failure schedules its own retry
      if (this.#pending.length >= this.#batchSize) this.#schedule(0);
      else if (this.#pending.length > 0) this.#schedule(this.#intervalMs);
    });
  }

  /** One transaction of up to batchSize oldest events; resolves false (never rejects) on failure. */
  #writeChunk(): Promise<boolean> {
    if (this.#inFlight) return this.#inFlight;
    if (this.#pending.length === 0) return Promise.resolve(true);
    const attempt = this.#attempt(this.#pending.splice(0, this.#batchSize));
    this.#inFlight = attempt;
    // Registered before any caller's await, so callers resume with #inFlight already cleared.
    void attempt.then(() => {
      if (this.#inFlight === attempt) this.#inFlight = undefined;
    });
    return attempt;
  }

  async #attempt(batch: Row[]): Promise<boolean> {
    try {
      await this.#writer.writeBatch(batch);
    } catch (err) {
      // Put the batch back in front: order is kept and nothing is written twice.
      this.#pending = batch.concat(this.#pending);
      this.#enforceCap();
      this.#failed(err, batch.length);
      return false;
    }
    this.#settled += batch.length;
    this.#succeeded();
    return true;
  }

  #succeeded(): void {
    this.#retryDelayMs = this.#intervalMs;
    if (!this.#failing) return;
    this.#failing = false;
    const dropped = this.#dropped > 0 ? `, ${this.#dropped} dropped while the queue was full` : '';
    this.#log(`audit store writable again (${this.pending} events still queued${dropped})`);
    this.#dropped = 0;
  }

  #failed(err: unknown, count: number): void {
    this.#lastError = err;
    const first = !this.#failing;
    this.#retryDelayMs = first ? this.#intervalMs : Math.min(this.#retryDelayMs * 2, this.#maxRetryDelayMs);
    this.#failing = true;
    if (!this.#scheduled()) this.#schedule(this.#retryDelayMs);
    if (first) this.#log(`could not write ${count} events (${describe(err)}); keeping them in memory and retrying`);
  }

  #enforceCap(): void {
    const excess = this.#pending.length - this.#maxPending;
    if (excess <= 0) return;
    this.#pending.splice(0, excess);
    this.#settled += excess;
    if (this.#dropped === 0) this.#log(`queue full (${this.#maxPending} events); dropping the oldest`);
    this.#dropped += excess;
  }

  #reject(message: string): void {
    this.#rejected++;
    // Every power of ten: a bug that rejects each event must not flood stderr, but must stay visible.
    if (/^10*$/.test(String(this.#rejected))) {
      this.#log(this.#rejected === 1 ? message : `${message} (${this.#rejected} so far)`);
    }
  }
}
