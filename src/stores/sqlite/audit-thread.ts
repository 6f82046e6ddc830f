// The SQLite audit writer on a worker thread. The request thread still validates and queues events
// (BufferedAuditSink) and turns them into rows; only the transaction runs here, on the worker's own
// connection, so a batch's index updates never stall request handling.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { BatchWriter } from '../../audit/buffered-sink.ts';
import type { AuditEvent } from '../../audit/types.ts';
import type { AuditRow } from './audit.ts';

type Request = { id: number; rows: readonly AuditRow[] } | { id: number; close: true };
type Reply = { id: number; ok: true } | { id: number; ok: false; error: string };

/** Main-thread side: one worker per sink; batches are answered in order. */
export class ThreadBatchWriter implements BatchWriter<AuditRow> {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  #next = 0;
  #dead: Error | undefined;
  readonly #toRow: (e: AuditEvent) => AuditRow;

  /** `toRow` runs on the request thread (a malformed event is refused at write(), as before). */
  constructor(path: string, toRow: (e: AuditEvent) => AuditRow) {
    this.#toRow = toRow;
    this.#worker = new Worker(new URL(import.meta.url), { workerData: { parapetAuditPath: path } });
    // Idle, the worker must not keep a process alive; a batch in flight must (see #call).
    this.#worker.unref();
    this.#worker.on('message', (m: Reply) => {
      const w = this.#waiting.get(m.id);
      if (w === undefined) return;
      this.#waiting.delete(m.id);
      if (this.#waiting.size === 0) this.#worker.unref();
      if (m.ok) w.resolve();
      else w.reject(new Error(m.error));
    });
    const fail = (err: Error): void => {
      this.#dead = err;
      for (const w of this.#waiting.values()) w.reject(err);
      this.#waiting.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`audit writer thread exited (code ${code})`)));
  }

  prepare(event: AuditEvent): AuditRow {
    return this.#toRow(event);
  }

  writeBatch(rows: readonly AuditRow[]): Promise<void> {
    return this.#call({ id: ++this.#next, rows });
  }

  async close(): Promise<void> {
    if (this.#dead === undefined) {
      try {
        await this.#call({ id: ++this.#next, close: true });
      } catch {
        // Already gone: nothing left to close.
      }
    }
    await this.#worker.terminate();
  }

  #call(req: Request): Promise<void> {
    if (this.#dead !== undefined) return Promise.reject(this.#dead);
    return new Promise<void>((resolve, reject) => {
      this.#waiting.set(req.id, { resolve, reject });
      this.#worker.ref();
      this.#worker.postMessage(req);
    });
  }
}

async function serveWorker(path: string): Promise<void> {
  // Imported here, in the worker only: audit.ts imports this module.
  const { SqliteBatchWriter, SINK_BUSY_TIMEOUT_MS } = await import('./audit.ts');
  const { openDatabase } = await import('./database.ts');
  const writer = new SqliteBatchWriter(openDatabase(path, { busyTimeoutMs: SINK_BUSY_TIMEOUT_MS }), true);
  const port = parentPort;
  if (port === null) return;
  port.on('message', (req: Request) => {
    let reply: Reply;
    try {
      if ('close' in req) writer.close();
      else writer.writeBatch(req.rows);
      reply = { id: req.id, ok: true };
    } catch (err) {
      reply = { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
}

const auditPath: unknown = isMainThread ? undefined : (workerData as { parapetAuditPath?: unknown } | null)?.parapetAuditPath;
if (typeof auditPath === 'string') void serveWorker(auditPath);
