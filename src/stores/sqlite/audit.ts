// The audit log in SQLite: a batching sink for the gateway and a reader for `parapet audit`.
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { BufferedAuditSink } from '../../audit/buffered-sink.ts';
import type { BatchWriter, BufferedSinkOptions } from '../../audit/buffered-sink.ts';
import { DEFAULT_AUDIT_LIMIT, eventCategories } from '../../audit/types.ts';
import type { AuditDecision, AuditEvent, AuditFinding, AuditQuery, AuditReader } from '../../audit/types.ts';
import { openDatabase, sessionBucketSql } from './database.ts';
import { optionalInteger, optionalText, requiredNumber, requiredText } from '../../audit/fields.ts';
import { ThreadBatchWriter } from './audit-thread.ts';

/**
 * Busy timeout for a sink that opens its own file: it runs on the gateway's event loop, so it waits
 * only briefly for a lock and retries later instead.
 */
export const SINK_BUSY_TIMEOUT_MS = 100;

const EVENT_COLUMNS = [
  'id',
  'time',
  'time_ms',
  'request_id',
  'app',
  'key_id',
  'end_user',
  'session_id',
  'provider',
  'model',
  'route',
  'streamed',
  'status',
  'input_tokens',
  'output_tokens',
  'latency_ms',
  'added_latency_ms',
  'decision',
  'rule',
  'reason',
  'error',
  'findings',
] as const;

/** An event as bound parameters, built on write() so the flush only talks to the database. */
export interface AuditRow {
  values: SQLInputValue[];
  categories: string[];
}

export function toRow(event: AuditEvent): AuditRow {
  const time = requiredText(event.time, 'time');
  const parsed = Date.parse(time);
  if (!Array.isArray(event.findings)) throw new Error('findings must be an array');
  const values: SQLInputValue[] = [
    requiredText(event.id, 'id'),
    time,
    // An unparseable time must not lose the event; file it under the moment it arrived.
    Number.isNaN(parsed) ? Date.now() : parsed,
    requiredText(event.request_id, 'request_id'),
    optionalText(event.app, 'app'),
    optionalText(event.key_id, 'key_id'),
    optionalText(event.user, 'user'),
    optionalText(event.session_id, 'session_id'),
    requiredText(event.provider, 'provider'),
    optionalText(event.model, 'model'),
    requiredText(event.route, 'route'),
    event.streamed ? 1 : 0,
    Math.round(requiredNumber(event.status, 'status')),
    optionalInteger(event.input_tokens, 'input_tokens'),
    optionalInteger(event.output_tokens, 'output_tokens'),
    requiredNumber(event.latency_ms, 'latency_ms'),
    requiredNumber(event.added_latency_ms, 'added_latency_ms'),
    requiredText(event.decision, 'decision'),
    optionalText(event.rule, 'rule'),
    optionalText(event.reason, 'reason'),
    optionalText(event.error, 'error'),
    JSON.stringify(event.findings),
  ];
  return { values, categories: eventCategories(event).filter((c) => typeof c === 'string') };
}

export class SqliteBatchWriter implements BatchWriter<AuditRow> {
  readonly #db: DatabaseSync;
  readonly #ownsDb: boolean;
  readonly #insertEvent: StatementSync;
  readonly #insertCategory: StatementSync;

  constructor(db: DatabaseSync, ownsDb: boolean) {
    this.#db = db;
    this.#ownsDb = ownsDb;
    // OR IGNORE: an event id seen twice (a retried write) is the same event, and must not fail the batch forever.
    const placeholders = EVENT_COLUMNS.map(() => '?').join(', ');
    this.#insertEvent = db.prepare(
      `INSERT OR IGNORE INTO audit_events (${EVENT_COLUMNS.join(', ')}) VALUES (${placeholders})`,
    );
    this.#insertCategory = db.prepare('INSERT OR IGNORE INTO audit_categories (category, event_seq) VALUES (?, ?)');
  }

  prepare(event: AuditEvent): AuditRow {
    return toRow(event);
  }

  writeBatch(rows: readonly AuditRow[]): void {
    // IMMEDIATE: wait for the write lock up front (within busy_timeout) rather than fail at COMMIT.
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const row of rows) {
        const result = this.#insertEvent.run(...row.values);
        if (Number(result.changes) === 0) continue;
        for (const category of row.categories) this.#insertCategory.run(category, result.lastInsertRowid);
      }
      this.#db.exec('COMMIT');
    } catch (err) {
      // Some failures (SQLITE_FULL, IOERR) already roll back on their own.
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    if (this.#ownsDb && this.#db.isOpen) this.#db.close();
  }
}

/**
 * Batching audit sink on SQLite. write() only validates and queues; rows reach the file in one
 * transaction per batch, every `intervalMs` (25 ms) or `batchSize` events, and on flush()/close().
 * Given a path it opens its own connection with a short busy timeout (see SINK_BUSY_TIMEOUT_MS);
 * given a handle it shares it, and leaves closing it to the caller.
 */
export class SqliteAuditSink extends BufferedAuditSink<AuditRow> {
  constructor(database: DatabaseSync | string, options: SqliteSinkOptions = {}) {
    if (typeof database === 'string' && options.thread !== false) {
      super(new ThreadBatchWriter(database, toRow), options);
      return;
    }
    const owns = typeof database === 'string';
    const db = typeof database === 'string' ? openDatabase(database, { busyTimeoutMs: SINK_BUSY_TIMEOUT_MS }) : database;
    super(new SqliteBatchWriter(db, owns), options);
  }
}

export interface SqliteSinkOptions extends BufferedSinkOptions {
  /**
   * Given a path, write from a worker thread with its own connection (default): the transaction and
   * its index updates were the largest cost of Parapet's own on the request thread (bench/profile.ts).
   */
  thread?: boolean;
}

/**
 * The reader's condition for one session (the id bound three times): the bucket comparison is what
 * lets SQLite search audit_events_session_bucket (see database.ts) instead of reading every event.
 */
export const SESSION_CONDITION = `${sessionBucketSql('e.session_id')} = ${sessionBucketSql('?')} AND e.session_id = ?`;

function parseTime(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`audit query: ${field} is not a valid ISO 8601 time: ${value}`);
  return ms;
}

function toEvent(row: Record<string, unknown>): AuditEvent {
  const event: AuditEvent = {
    id: row['id'] as string,
    time: row['time'] as string,
    request_id: row['request_id'] as string,
    provider: row['provider'] as string,
    route: row['route'] as string,
    streamed: row['streamed'] === 1,
    status: row['status'] as number,
    latency_ms: row['latency_ms'] as number,
    added_latency_ms: row['added_latency_ms'] as number,
    decision: row['decision'] as AuditDecision,
    findings: JSON.parse(row['findings'] as string) as AuditFinding[],
  };
  const optional = [
    ['app', 'app'],
    ['key_id', 'key_id'],
    ['user', 'end_user'],
    ['session_id', 'session_id'],
    ['model', 'model'],
    ['input_tokens', 'input_tokens'],
    ['output_tokens', 'output_tokens'],
    ['rule', 'rule'],
    ['reason', 'reason'],
    ['error', 'error'],
  ] as const;
  const target = event as unknown as Record<string, unknown>;
  for (const [field, column] of optional) if (row[column] != null) target[field] = row[column];
  return event;
}

export class SqliteAuditReader implements AuditReader {
  readonly #db: DatabaseSync;
  readonly #ownsDb: boolean;

  constructor(database: DatabaseSync | string) {
    this.#ownsDb = typeof database === 'string';
    this.#db = typeof database === 'string' ? openDatabase(database) : database;
  }

  query(q: AuditQuery): AuditEvent[] {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (q.since !== undefined) {
      where.push('e.time_ms >= ?');
      params.push(parseTime(q.since, 'since'));
    }
    if (q.until !== undefined) {
      where.push('e.time_ms < ?');
      params.push(parseTime(q.until, 'until'));
    }
    if (q.app !== undefined) {
      where.push('e.app = ?');
      params.push(q.app);
    }
    if (q.keyId !== undefined) {
      where.push('e.key_id = ?');
      params.push(q.keyId);
    }
    if (q.decision !== undefined) {
      where.push('e.decision = ?');
      params.push(q.decision);
    }
    if (q.sessionId !== undefined) {
      where.push(SESSION_CONDITION);
      params.push(q.sessionId, q.sessionId, q.sessionId);
    }
    if (q.category !== undefined) {
      where.push('EXISTS (SELECT 1 FROM audit_categories c WHERE c.category = ? AND c.event_seq = e.seq)');
      params.push(q.category);
    }
    const limit = q.limit ?? DEFAULT_AUDIT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(`audit query: limit must be a positive integer, got ${limit}`);
    }
    params.push(limit);
    const sql =
      `SELECT e.* FROM audit_events e${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}` +
      ' ORDER BY e.time_ms DESC, e.seq DESC LIMIT ?';
    return this.#db
      .prepare(sql)
      .all(...params)
      .map(toEvent);
  }

  close(): void {
    if (this.#ownsDb && this.#db.isOpen) this.#db.close();
  }
}
