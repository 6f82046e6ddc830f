// One SQLite file shared by the gateway process(es) and the CLI: WAL so readers never block the
// audit writer, a busy timeout so short write transactions from different processes queue instead
// of failing, and schema migrations that any number of processes may run at once.
import { DatabaseSync } from 'node:sqlite';

export interface OpenDatabaseOptions {
  /**
   * How long a statement waits for another connection's write lock. DatabaseSync blocks the event
   * loop while it waits, so a gateway-side connection should keep this short and rely on retries;
   * a CLI can afford to wait.
   */
  busyTimeoutMs?: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * The session index's bucket of a session id (one of 16), as SQL over `column`: the expression of
 * audit_events_session_bucket (schema 3), which serves only a query that repeats it, so the reader
 * builds its condition with this. From the last two characters of the id, which are random in a
 * fingerprint and vary most in client ids. Changing it needs a new migration that rebuilds the index.
 */
export function sessionBucketSql(column: string): string {
  return `(unicode(substr(${column}, -1)) + 31 * unicode(substr(${column}, -2))) % 16`;
}

/**
 * Ordered schema steps; entry i brings the schema from user_version i to i + 1. Append only: a
 * released step is never edited, because files in the field have already run it.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE gateway_keys (
    id          TEXT PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    app         TEXT NOT NULL,
    policy      TEXT,
    models      TEXT,            -- JSON array of glob patterns; NULL = any model
    end_user    TEXT,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
  ) STRICT;

  CREATE TABLE audit_events (
    seq               INTEGER PRIMARY KEY,  -- insertion order; breaks ties between equal times
    id                TEXT NOT NULL UNIQUE,
    time              TEXT NOT NULL,        -- as the gateway wrote it
    time_ms           INTEGER NOT NULL,     -- the same instant, comparable whatever the ISO spelling
    request_id        TEXT NOT NULL,
    app               TEXT,
    key_id            TEXT,
    end_user          TEXT,
    session_id        TEXT,
    provider          TEXT NOT NULL,
    model             TEXT,
    route             TEXT NOT NULL,
    streamed          INTEGER NOT NULL,
    status            INTEGER NOT NULL,
    input_tokens      INTEGER,
    output_tokens     INTEGER,
    latency_ms        REAL NOT NULL,
    added_latency_ms  REAL NOT NULL,
    decision          TEXT NOT NULL,
    rule              TEXT,
    reason            TEXT,
    error             TEXT,
    findings          TEXT NOT NULL         -- JSON array of AuditFinding
  ) STRICT;
  CREATE INDEX audit_events_time ON audit_events (time_ms, seq);
  CREATE INDEX audit_events_app ON audit_events (app, time_ms);
  CREATE INDEX audit_events_key ON audit_events (key_id, time_ms);
  CREATE INDEX audit_events_decision ON audit_events (decision, time_ms);

  -- One row per distinct finding category of an event, so "--category pii" is an index lookup
  -- instead of a JSON scan of every event.
  CREATE TABLE audit_categories (
    category   TEXT NOT NULL,
    event_seq  INTEGER NOT NULL REFERENCES audit_events (seq) ON DELETE CASCADE,
    PRIMARY KEY (category, event_seq)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX audit_categories_event ON audit_categories (event_seq);
  `,
  `
  -- "parapet audit query --session": every event of one session, from a session alert's id.
  CREATE INDEX audit_events_session ON audit_events (session_id, time_ms);
  `,
  // Session ids are hashes (conversation fingerprints) or the client's own strings: keyed on them,
  // every event landed on a random page of the index above, and under WAL each commit rewrites every
  // page it touched, so with one new session per event the index cost ~25 µs per event on a log of
  // 300,000 (three times the rest of the row; bench/audit-sqlite.ts). Keyed on one of 16 buckets of
  // the id first, a commit appends to at most 16 pages, and a lookup reads one bucket's entries. The
  // expression is written out, as released; sessionBucketSql() must keep producing it.
  `
  DROP INDEX audit_events_session;
  CREATE INDEX audit_events_session_bucket ON audit_events (((unicode(substr(session_id, -1)) + 31 * unicode(substr(session_id, -2))) % 16), time_ms, session_id);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

function isBusy(err: unknown): boolean {
  return err instanceof Error && /database is locked|SQLITE_BUSY/i.test(err.message);
}

/**
 * Switching to WAL needs a moment of exclusive access, and on a fresh file two processes may race
 * for it; SQLite does not always route that case through the busy handler, so retry it here.
 */
function enableWal(db: DatabaseSync, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      const row = db.prepare('PRAGMA journal_mode = WAL').get();
      const mode = row?.['journal_mode'];
      // In-memory databases cannot use WAL and report "memory"; that is fine for tests.
      if (mode !== 'wal' && mode !== 'memory') {
        throw new Error(`sqlite: could not enable WAL (journal_mode=${String(mode)})`);
      }
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      sleepSync(wait);
    }
  }
}

function migrate(db: DatabaseSync): void {
  const version = (): number => Number(db.prepare('PRAGMA user_version').get()?.['user_version'] ?? 0);
  const tooNew = (v: number): Error =>
    new Error(
      `sqlite: the database schema (version ${v}) is newer than this parapet understands (${SCHEMA_VERSION}); ` +
        'upgrade parapet',
    );
  const current = version();
  if (current > SCHEMA_VERSION) throw tooNew(current);
  if (current === SCHEMA_VERSION) return;
  // IMMEDIATE takes the write lock before reading the version, so a second process opening the
  // file at the same moment waits here and then finds the work already done.
  db.exec('BEGIN IMMEDIATE');
  try {
    const from = version();
    if (from > SCHEMA_VERSION) throw tooNew(from);
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] ?? '');
    // user_version lives in the file header and is part of this transaction.
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/** Opens (creating if needed) the Parapet database at `path` and brings its schema up to date. */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  // Opening happens at startup, off the request path, so it may wait out another process's
  // migration or key write even when the connection will later run with a short timeout.
  const openTimeoutMs = Math.max(busyTimeoutMs, DEFAULT_BUSY_TIMEOUT_MS);
  const db = new DatabaseSync(path, { timeout: openTimeoutMs });
  try {
    enableWal(db, openTimeoutMs);
    // NORMAL under WAL: a commit survives a process crash; only an OS crash or power cut can lose
    // the last transactions, which is the right trade for an audit log written on every request.
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db);
    if (busyTimeoutMs !== openTimeoutMs) db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
