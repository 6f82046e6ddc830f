// PostgreSQL for multi-instance deployments: the audit log and gateway keys, shared by every gateway
// process and the CLI. Schema migrations run on start, serialised by an advisory lock so any number
// of instances may start at once.

import { Pool } from 'pg';
import type { PoolClient, PoolConfig } from 'pg';
import { redactUrl } from '../url.ts';

export interface PostgresOptions {
  /** Connections in the pool (per process). */
  max?: number;
  connectTimeoutMs?: number;
  /** Longest a statement may run before the server cancels it. */
  statementTimeoutMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export function createPool(url: string, options: PostgresOptions = {}): Pool {
  const config: PoolConfig = {
    connectionString: url,
    max: options.max ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    // A server that stops answering mid-query must not hold a batch forever.
    query_timeout: (options.statementTimeoutMs ?? 15_000) + 5000,
    application_name: 'parapet',
  };
  const pool = new Pool(config);
  const log = options.log ?? (() => {});
  // An idle client whose server went away (a restart) errors on the pool; without a listener that
  // would crash the process. The pool replaces the client on the next checkout.
  let last = 0;
  pool.on('error', (err) => {
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    log('warn', 'postgres connection lost; reconnecting on next use', { url: redactUrl(url), error: err.message });
  });
  return pool;
}

/**
 * Ordered schema steps; entry i brings the schema from version i to i + 1. Append only: a released
 * step is never edited, because databases in the field have already run it.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE gateway_keys (
    id          text PRIMARY KEY,
    hash        text NOT NULL UNIQUE,
    app         text NOT NULL,
    policy      text,
    models      jsonb,                 -- array of glob patterns; NULL = any model
    end_user    text,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    seq         bigserial              -- creation order, for listing
  );

  -- Every change is announced, so each gateway's in-memory key table follows at once.
  CREATE FUNCTION parapet_gateway_keys_notify() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_notify('parapet_gateway_keys', COALESCE(NEW.id, OLD.id));
    RETURN NULL;
  END $$;
  CREATE TRIGGER gateway_keys_notify AFTER INSERT OR UPDATE OR DELETE ON gateway_keys
    FOR EACH ROW EXECUTE FUNCTION parapet_gateway_keys_notify();

  CREATE TABLE audit_events (
    seq               bigserial PRIMARY KEY,   -- insertion order; breaks ties between equal times
    id                text NOT NULL UNIQUE,
    at                timestamptz NOT NULL,    -- the event's time, comparable
    time_text         text NOT NULL,           -- as the gateway wrote it
    request_id        text NOT NULL,
    app               text,
    key_id            text,
    end_user          text,
    session_id        text,
    provider          text NOT NULL,
    model             text,
    route             text NOT NULL,
    streamed          boolean NOT NULL,
    status            integer NOT NULL,
    input_tokens      integer,
    output_tokens     integer,
    latency_ms        double precision NOT NULL,
    added_latency_ms  double precision NOT NULL,
    decision          text NOT NULL,
    rule              text,
    reason            text,
    error             text,
    findings          jsonb NOT NULL,
    categories        text[] NOT NULL DEFAULT '{}'   -- distinct finding categories, for --category
  );
  CREATE INDEX audit_events_at ON audit_events (at, seq);
  CREATE INDEX audit_events_app ON audit_events (app, at);
  CREATE INDEX audit_events_key ON audit_events (key_id, at);
  CREATE INDEX audit_events_decision ON audit_events (decision, at);
  CREATE INDEX audit_events_categories ON audit_events USING gin (categories);
  `,
  `
  -- "parapet audit query --session": every event of one session, from a session alert's id.
  CREATE INDEX audit_events_session ON audit_events (session_id, at);
  `,
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;
// Any constant works; it only has to be the same in every Parapet process.
const MIGRATION_LOCK = 0x70617261;

/** Brings the schema up to date; safe to run from many processes at once. */
export async function migrate(pool: Pool): Promise<void> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS parapet_schema (version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const res = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM parapet_schema');
    const current = res.rows[0]?.v ?? 0;
    if (current > POSTGRES_SCHEMA_VERSION) {
      throw new Error(
        `postgres: the database schema (version ${current}) is newer than this parapet understands (${POSTGRES_SCHEMA_VERSION}); upgrade parapet`,
      );
    }
    for (let v = current; v < POSTGRES_SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v] ?? '');
      await client.query('INSERT INTO parapet_schema (version) VALUES ($1)', [v + 1]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** A pool on `url` with the schema migrated; closes the pool again if migration fails. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Pool> {
  const pool = createPool(url, options);
  try {
    await migrate(pool);
    return pool;
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}
