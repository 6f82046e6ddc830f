import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAuditReader } from '../../src/stores/sqlite/audit.ts';
import { openDatabase, SCHEMA_VERSION } from '../../src/stores/sqlite/database.ts';
import { resolveDatabasePath } from '../../src/stores/sqlite/path.ts';
import { NODE, REPO_ROOT, tempDir } from './helpers.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const pragma = (db: DatabaseSync, name: string): unknown => db.prepare(`PRAGMA ${name}`).get()?.[name];

describe('openDatabase', () => {
  it('sets WAL, synchronous=NORMAL and the busy timeout, and creates the schema', () => {
    const db = openDatabase(path.join(tmp.dir, 'p.db'), { busyTimeoutMs: 1234 });
    try {
      expect(pragma(db, 'journal_mode')).toBe('wal');
      expect(pragma(db, 'synchronous')).toBe(1);
      expect(db.prepare('PRAGMA busy_timeout').get()?.['timeout']).toBe(1234);
      expect(pragma(db, 'user_version')).toBe(SCHEMA_VERSION);
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .all()
        .map((r) => r['name']);
      expect(tables).toEqual(expect.arrayContaining(['gateway_keys', 'audit_events', 'audit_categories']));
    } finally {
      db.close();
    }
  });

  it('is idempotent: reopening keeps data and does not rerun migrations', () => {
    const file = path.join(tmp.dir, 'p.db');
    const first = openDatabase(file);
    first
      .prepare("INSERT INTO gateway_keys (id, hash, app, created_at) VALUES ('key_1', 'h1', 'a', '2025-01-01T00:00:00Z')")
      .run();
    first.close();
    const second = openDatabase(file);
    try {
      expect(pragma(second, 'user_version')).toBe(SCHEMA_VERSION);
      expect(second.prepare('SELECT count(*) AS n FROM gateway_keys').get()?.['n']).toBe(1);
    } finally {
      second.close();
    }
  });

  it('moves a schema-2 file to the bucketed session index, keeping its events findable', () => {
    const file = path.join(tmp.dir, 'p.db');
    const current = openDatabase(file);
    // Back to schema 2 as session 9 released it: the session index keyed on the id itself.
    current.exec('DROP INDEX audit_events_session_bucket');
    current.exec('CREATE INDEX audit_events_session ON audit_events (session_id, time_ms)');
    current.exec('PRAGMA user_version = 2');
    const insert = current.prepare(
      "INSERT INTO audit_events (id, time, time_ms, request_id, session_id, provider, route, streamed, status, latency_ms, added_latency_ms, decision, findings) VALUES (?, '2025-01-01T00:00:00Z', 0, 'r', ?, 'openai', '/v1/chat/completions', 0, 200, 1, 0, 'allow', '[]')",
    );
    insert.run('e1', 'fp_one');
    insert.run('e2', 'fp_two');
    current.close();

    const db = openDatabase(file);
    try {
      expect(pragma(db, 'user_version')).toBe(SCHEMA_VERSION);
      const indexes = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'audit_events' ORDER BY name")
        .all()
        .map((r) => r['name']);
      expect(indexes).toContain('audit_events_session_bucket');
      expect(indexes).not.toContain('audit_events_session');
      expect(new SqliteAuditReader(db).query({ sessionId: 'fp_two' }).map((e) => e.id)).toEqual(['e2']);
    } finally {
      db.close();
    }
  });

  it('refuses a file whose schema is newer than this code', () => {
    const file = path.join(tmp.dir, 'p.db');
    const raw = new DatabaseSync(file);
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer/);
  });

  it('waits out another process migrating or writing at open, even with a short busy timeout', async () => {
    const file = path.join(tmp.dir, 'p.db');
    const holder = spawn(NODE, [
      '-e',
      `const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(process.argv[1]);
db.exec('PRAGMA journal_mode = WAL');
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
db.exec('COMMIT');
db.close();`,
      file,
    ]);
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const started = Date.now();
    const db = openDatabase(file, { busyTimeoutMs: 10 });
    try {
      expect(Date.now() - started).toBeGreaterThan(100);
      expect(pragma(db, 'user_version')).toBe(SCHEMA_VERSION);
      expect(db.prepare('PRAGMA busy_timeout').get()?.['timeout']).toBe(10);
    } finally {
      db.close();
      await new Promise((resolve) => holder.once('close', resolve));
    }
  });

  it('lets many processes open a fresh file at the same moment', async () => {
    const file = path.join(tmp.dir, 'race.db');
    const script = path.join(tmp.dir, 'open.ts');
    const dbModule = path.join(REPO_ROOT, 'src/stores/sqlite/database.ts');
    fs.writeFileSync(
      script,
      `import { openDatabase } from ${JSON.stringify(dbModule)};
const db = openDatabase(process.argv[2]);
const mode = db.prepare('PRAGMA journal_mode').get().journal_mode;
const version = db.prepare('PRAGMA user_version').get().user_version;
db.close();
process.stdout.write(mode + ' ' + version);`,
    );
    const runs = Array.from(
      { length: 6 },
      () =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(NODE, [script, file]);
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('close', (code) => resolve({ code, out, err }));
        }),
    );
    const results = await Promise.all(runs);
    for (const r of results) {
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toBe(`wal ${SCHEMA_VERSION}`);
    }
  });
});

describe('resolveDatabasePath', () => {
  it('prefers --db, then PARAPET_DB, then parapet.db in the working directory', () => {
    expect(resolveDatabasePath('x.db', { PARAPET_DB: '/env/p.db' }, '/work')).toBe(path.resolve('/work/x.db'));
    expect(resolveDatabasePath(undefined, { PARAPET_DB: '/env/p.db' }, '/work')).toBe(path.resolve('/env/p.db'));
    expect(resolveDatabasePath(undefined, { PARAPET_DB: '' }, '/work')).toBe(path.resolve('/work/parapet.db'));
    expect(resolveDatabasePath(undefined, {}, '/work')).toBe(path.resolve('/work/parapet.db'));
  });
});
