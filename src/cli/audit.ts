// `parapet audit query`: read the audit log the gateway writes, newest first.
import fs from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { formatEventsTable } from '../audit/format.ts';
import { parseTimeBound } from '../audit/time.ts';
import type { AuditEvent, AuditQuery } from '../audit/types.ts';
import { AUDIT_DECISIONS } from '../audit/types.ts';
import { ConfigError } from '../config/index.ts';
import { PostgresAuditReader } from '../stores/postgres/audit.ts';
import { openPostgres } from '../stores/postgres/database.ts';
import { postgresUrlFor } from '../stores/postgres/target.ts';
import { SqliteAuditReader } from '../stores/sqlite/audit.ts';
import { resolveDatabasePath } from '../stores/sqlite/path.ts';

const USAGE = `usage:
  parapet audit query [--since ISO|15m|2h|7d] [--until ISO|DURATION] [--app NAME] [--key ID]
                      [--session ID] [--decision ${AUDIT_DECISIONS.join('|')}] [--category CATEGORY]
                      [--limit N (default 50)] [--json] [--db FILE | --postgres URL | --config FILE]

The audit log is in SQLite (--db FILE) or PostgreSQL (--postgres URL, or the storage section of
--config FILE). Without one: $PARAPET_POSTGRES_URL, else storage.postgres_url of $PARAPET_CONFIG,
else SQLite at $PARAPET_DB, else ./parapet.db.
`;

const DEFAULT_LIMIT = 50;

/** Bad invocation: reported with usage, exit code 2. */
class UsageError extends Error {}

/** parseArgs reports bad flags as TypeErrors; they are the user's mistake, so they become usage errors. */
function parseFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

function timeBound(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const iso = parseTimeBound(value);
  if (iso === undefined) {
    throw new UsageError(`--${flag} must be an ISO time (2025-06-01T12:00:00Z) or a duration (15m, 2h, 7d); got '${value}'`);
  }
  return iso;
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`--${flag} must not be empty`);
  return value;
}

async function query(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({
      args: argv,
      options: {
        since: { type: 'string' },
        until: { type: 'string' },
        app: { type: 'string' },
        key: { type: 'string' },
        session: { type: 'string' },
        decision: { type: 'string' },
        category: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        db: { type: 'string' },
        postgres: { type: 'string' },
        config: { type: 'string' },
      },
      allowPositionals: true,
    }),
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`);

  const q: AuditQuery = { limit: DEFAULT_LIMIT };
  const since = timeBound(values.since, 'since');
  const until = timeBound(values.until, 'until');
  if (since !== undefined) q.since = since;
  if (until !== undefined) q.until = until;
  const app = nonEmpty(values.app, 'app');
  const keyId = nonEmpty(values.key, 'key');
  const category = nonEmpty(values.category, 'category');
  const sessionId = nonEmpty(values.session, 'session');
  if (app !== undefined) q.app = app;
  if (sessionId !== undefined) q.sessionId = sessionId;
  if (keyId !== undefined) q.keyId = keyId;
  if (category !== undefined) q.category = category;
  if (values.decision !== undefined) {
    if (!(AUDIT_DECISIONS as readonly string[]).includes(values.decision)) {
      throw new UsageError(`--decision must be one of ${AUDIT_DECISIONS.join(', ')}; got '${values.decision}'`);
    }
    q.decision = values.decision;
  }
  if (values.limit !== undefined) {
    if (!/^\d+$/.test(values.limit) || Number(values.limit) < 1) {
      throw new UsageError(`--limit must be a positive whole number; got '${values.limit}'`);
    }
    q.limit = Number(values.limit);
  }

  const events = await read(q, values);
  if (values.json) process.stdout.write(JSON.stringify(events) + '\n');
  else if (events.length === 0) process.stdout.write('(no matching events)\n');
  else process.stdout.write(formatEventsTable(events));
  return 0;
}

async function read(q: AuditQuery, flags: { db?: string; postgres?: string; config?: string }): Promise<AuditEvent[]> {
  const url = postgresUrlFor(flags);
  if (url !== undefined) {
    const pool = await openPostgres(url);
    try {
      return await new PostgresAuditReader(pool).query(q);
    } finally {
      await pool.end();
    }
  }
  const file = resolveDatabasePath(flags.db);
  // Opening would create an empty file; a typo in --db deserves an error, not an empty result.
  if (!fs.existsSync(file)) throw new Error(`no database at ${file} (pass --db or set PARAPET_DB)`);
  const reader = new SqliteAuditReader(file);
  try {
    return reader.query(q);
  } finally {
    reader.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'query':
        return await query(rest);
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      case undefined:
        process.stderr.write(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown subcommand '${sub}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`parapet audit: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ConfigError) {
      process.stderr.write(`parapet audit: invalid configuration\n${e.message}\n`);
      return 2;
    }
    process.stderr.write(`parapet audit: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
