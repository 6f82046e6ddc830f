// The audit log in PostgreSQL: the same batching sink as SQLite (queue on the request path, one
// INSERT per batch off it, retry with the batch kept in order while the database is away) and a
// reader for `parapet audit query`.
//
// A batch is a single INSERT … SELECT FROM unnest(…) statement: atomic on its own, one round trip,
// and one statement text whatever the batch size. ON CONFLICT (id) DO NOTHING makes a retry of a
// batch whose commit was acknowledged too late (the connection died after COMMIT) harmless.

import type { Pool } from 'pg';
import { BufferedAuditSink } from '../../audit/buffered-sink.ts';
import type { BatchWriter, BufferedSinkOptions } from '../../audit/buffered-sink.ts';
import { DEFAULT_AUDIT_LIMIT, eventCategories } from '../../audit/types.ts';
import type { AuditDecision, AuditEvent, AuditFinding, AuditQuery } from '../../audit/types.ts';
import { optionalInteger, optionalText, requiredNumber, requiredText } from '../../audit/fields.ts';

/** Column name, SQL array type of its parameter, and the expression that reads it in the SELECT. */
const COLUMNS: readonly (readonly [string, string, string?])[] = [
  ['id', 'text'],
  ['at', 'timestamptz'],
  ['time_text', 'text'],
  ['request_id', 'text'],
  ['app', 'text'],
  ['key_id', 'text'],
  ['end_user', 'text'],
  ['session_id', 'text'],
  ['provider', 'text'],
  ['model', 'text'],
  ['route', 'text'],
  ['streamed', 'boolean'],
  ['status', 'integer'],
  ['input_tokens', 'integer'],
  ['output_tokens', 'integer'],
  ['latency_ms', 'float8'],
  ['added_latency_ms', 'float8'],
  ['decision', 'text'],
  ['rule', 'text'],
  ['reason', 'text'],
  ['error', 'text'],
  ['findings', 'text', 'findings::jsonb'],
  // Ragged lists cannot travel as a 2-D array: each row's categories go as JSON text.
  ['categories', 'text', 'ARRAY(SELECT jsonb_array_elements_text(categories::jsonb))'],
];

const INSERT =
  `INSERT INTO audit_events (${COLUMNS.map(([c]) => c).join(', ')}) ` +
  `SELECT ${COLUMNS.map(([c, , expr]) => expr ?? c).join(', ')} ` +
  `FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}) AS t(${COLUMNS.map(([c]) => c).join(', ')}) ` +
  'ON CONFLICT (id) DO NOTHING';

type Cell = string | number | boolean | null;
type PgRow = Cell[];

function toRow(event: AuditEvent): PgRow {
  const time = requiredText(event.time, 'time');
  const parsed = Date.parse(time);
  if (!Array.isArray(event.findings)) throw new Error('findings must be an array');
  return [
    requiredText(event.id, 'id'),
    // An unparseable time must not lose the event; file it under the moment it arrived.
    new Date(Number.isNaN(parsed) ? Date.now() : parsed).toISOString(),
    time,
    requiredText(event.request_id, 'request_id'),
    optionalText(event.app, 'app'),
    optionalText(event.key_id, 'key_id'),
    optionalText(event.user, 'user'),
    optionalText(event.session_id, 'session_id'),
    requiredText(event.provider, 'provider'),
    optionalText(event.model, 'model'),
    requiredText(event.route, 'route'),
    event.streamed === true,
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
    JSON.stringify(eventCategories(event).filter((c) => typeof c === 'string')),
  ];
}

class PostgresBatchWriter implements BatchWriter<PgRow> {
  readonly #pool: Pool;
  readonly #ownsPool: boolean;

  constructor(pool: Pool, ownsPool: boolean) {
    this.#pool = pool;
    this.#ownsPool = ownsPool;
  }

  prepare(event: AuditEvent): PgRow {
    return toRow(event);
  }

  async writeBatch(rows: readonly PgRow[]): Promise<void> {
    const columns: Cell[][] = COLUMNS.map(() => new Array<Cell>(rows.length));
    rows.forEach((row, r) => {
      for (let c = 0; c < COLUMNS.length; c++) (columns[c] as Cell[])[r] = row[c] ?? null;
    });
    await this.#pool.query({ name: 'parapet_audit_insert', text: INSERT, values: columns });
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end();
  }
}

/**
 * Batching audit sink on PostgreSQL. Given a pool it shares it (the caller ends it); the sink's
 * own retry (see BufferedAuditSink) carries events across a database restart.
 */
export class PostgresAuditSink extends BufferedAuditSink<PgRow> {
  constructor(pool: Pool, options: BufferedSinkOptions & { ownsPool?: boolean } = {}) {
    super(new PostgresBatchWriter(pool, options.ownsPool ?? false), options);
  }
}

function parseTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`audit query: ${field} is not a valid ISO 8601 time: ${value}`);
  return new Date(ms).toISOString();
}

interface EventRow {
  id: string;
  time_text: string;
  request_id: string;
  app: string | null;
  key_id: string | null;
  end_user: string | null;
  session_id: string | null;
  provider: string;
  model: string | null;
  route: string;
  streamed: boolean;
  status: number;
  input_tokens: number | null;
  output_tokens: number | null;
  latency_ms: number;
  added_latency_ms: number;
  decision: string;
  rule: string | null;
  reason: string | null;
  error: string | null;
  findings: AuditFinding[];
}

function toEvent(row: EventRow): AuditEvent {
  const event: AuditEvent = {
    id: row.id,
    time: row.time_text,
    request_id: row.request_id,
    provider: row.provider,
    route: row.route,
    streamed: row.streamed,
    status: row.status,
    latency_ms: row.latency_ms,
    added_latency_ms: row.added_latency_ms,
    decision: row.decision as AuditDecision,
    findings: row.findings,
  };
  if (row.app !== null) event.app = row.app;
  if (row.key_id !== null) event.key_id = row.key_id;
  if (row.end_user !== null) event.user = row.end_user;
  if (row.session_id !== null) event.session_id = row.session_id;
  if (row.model !== null) event.model = row.model;
  if (row.input_tokens !== null) event.input_tokens = row.input_tokens;
  if (row.output_tokens !== null) event.output_tokens = row.output_tokens;
  if (row.rule !== null) event.rule = row.rule;
  if (row.reason !== null) event.reason = row.reason;
  if (row.error !== null) event.error = row.error;
  return event;
}

/** `parapet audit query` over PostgreSQL: the AuditReader contract, asynchronously. */
export class PostgresAuditReader {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Matching events, newest first. Rejects on an invalid query (e.g. an unparseable time). */
  async query(q: AuditQuery): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (sql: (n: string) => string, value: string | number): void => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (q.since !== undefined) add((n) => `at >= ${n}::timestamptz`, parseTime(q.since, 'since'));
    if (q.until !== undefined) add((n) => `at < ${n}::timestamptz`, parseTime(q.until, 'until'));
    if (q.app !== undefined) add((n) => `app = ${n}`, q.app);
    if (q.keyId !== undefined) add((n) => `key_id = ${n}`, q.keyId);
    if (q.decision !== undefined) add((n) => `decision = ${n}`, q.decision);
    if (q.sessionId !== undefined) add((n) => `session_id = ${n}`, q.sessionId);
    if (q.category !== undefined) add((n) => `categories @> ARRAY[${n}::text]`, q.category);
    const limit = q.limit ?? DEFAULT_AUDIT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`audit query: limit must be a positive integer, got ${limit}`);
    params.push(limit);
    const sql =
      'SELECT id, time_text, request_id, app, key_id, end_user, session_id, provider, model, route, streamed, status, ' +
      'input_tokens, output_tokens, latency_ms, added_latency_ms, decision, rule, reason, error, findings FROM audit_events' +
      `${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, seq DESC LIMIT $${params.length}`;
    const res = await this.#pool.query<EventRow>(sql, params);
    return res.rows.map(toEvent);
  }
}
