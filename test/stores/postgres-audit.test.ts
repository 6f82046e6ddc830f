import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from 'pg';
import type { AuditEvent } from '../../src/audit/types.ts';
import { PostgresAuditReader, PostgresAuditSink } from '../../src/stores/postgres/audit.ts';
import { POSTGRES_SCHEMA_VERSION, createPool, migrate, openPostgres } from '../../src/stores/postgres/database.ts';
import { auditCorpus, event, finding } from './helpers.ts';
import { createTestDatabase } from './postgres-helpers.ts';
import type { TestDatabase } from './postgres-helpers.ts';

let db: TestDatabase;
let pool: Pool;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  pool = await openPostgres(db.url);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await pool.query('TRUNCATE audit_events');
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

function sink(options: ConstructorParameters<typeof PostgresAuditSink>[1] = {}): { sink: PostgresAuditSink; logs: string[] } {
  const logs: string[] = [];
  const s = new PostgresAuditSink(pool, { log: (m) => logs.push(m), ...options });
  cleanups.push(() => s.close().catch(() => undefined));
  return { sink: s, logs };
}

describe('PostgreSQL schema', () => {
  it('migrates once, even when many processes start at the same moment', async () => {
    const pools = Array.from({ length: 4 }, () => createPool(db.url));
    try {
      await Promise.all(pools.map((p) => migrate(p)));
      const res = await pool.query<{ version: number }>('SELECT version FROM parapet_schema ORDER BY version');
      expect(res.rows.map((r) => r.version)).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('refuses a schema newer than it understands', async () => {
    await pool.query('INSERT INTO parapet_schema (version) VALUES ($1)', [POSTGRES_SCHEMA_VERSION + 1]);
    try {
      await expect(openPostgres(db.url)).rejects.toThrow(/newer than this parapet understands/);
    } finally {
      await pool.query('DELETE FROM parapet_schema WHERE version = $1', [POSTGRES_SCHEMA_VERSION + 1]);
    }
  });
});

describe('PostgresAuditSink + PostgresAuditReader', () => {
  it('round-trips every field of an event exactly', async () => {
    const { sink: s } = sink();
    const full = event({ streamed: true, findings: [finding('secret', { owasp: ['LLM02'], direction: 'output' }), finding('pii', { span: { start: 0, end: 4 } })] });
    const sparse: AuditEvent = { id: 'evt_sparse', time: new Date().toISOString(), request_id: 'req_sparse', provider: 'anthropic', route: '/v1/messages', streamed: false, status: 502, latency_ms: 1.5, added_latency_ms: 0.25, decision: 'error', findings: [] };
    s.write(full);
    s.write(sparse);
    await s.flush();
    const got = await new PostgresAuditReader(pool).query({});
    expect(got.find((e) => e.id === full.id)).toEqual(full);
    expect(got.find((e) => e.id === sparse.id)).toEqual(sparse);
  });

  it('filters like the SQLite reader: time, app, key, session, decision, category, limit; newest first', async () => {
    const now = Date.now();
    const events = auditCorpus(now);
    const { sink: s } = sink({ batchSize: 16 });
    for (const e of events) s.write(e);
    await s.flush();
    const r = new PostgresAuditReader(pool);
    const ids = (list: AuditEvent[]) => list.map((e) => e.id);
    expect(ids(await r.query({ limit: 1000 }))).toEqual(ids(events));
    const since = new Date(now - 10.5 * 60_000).toISOString();
    expect(ids(await r.query({ since, limit: 1000 }))).toEqual(ids(events.slice(0, 11)));
    const until = new Date(now - 49.5 * 60_000).toISOString();
    expect(ids(await r.query({ until, limit: 1000 }))).toEqual(ids(events.slice(50)));
    expect(ids(await r.query({ app: 'support', limit: 1000 }))).toEqual(ids(events.filter((e) => e.app === 'support')));
    expect(ids(await r.query({ keyId: 'key_2', decision: 'flag', limit: 1000 }))).toEqual(ids(events.filter((e) => e.key_id === 'key_2' && e.decision === 'flag')));
    expect(ids(await r.query({ sessionId: 'sess_2', limit: 1000 }))).toEqual(ids(events.filter((e) => e.session_id === 'sess_2')));
    expect(await r.query({ sessionId: 'sess_2', limit: 1000 })).toHaveLength(9);
    expect(await r.query({ sessionId: 'sess_6', limit: 1000 })).toEqual([]);
    expect(ids(await r.query({ category: 'pii', limit: 1000 }))).toEqual(ids(events.filter((e) => e.findings.some((f) => f.category === 'pii'))));
    expect(await r.query({ category: 'injection', limit: 3 })).toHaveLength(3);
    expect(await r.query({})).toHaveLength(60);
    await expect(r.query({ since: 'yesterday' })).rejects.toThrow(/not a valid ISO 8601 time/);
    await expect(r.query({ limit: 0 })).rejects.toThrow(/positive integer/);
  });

  it('stores an event written twice (a retried batch) once', async () => {
    const { sink: s } = sink();
    const e = event();
    s.write(e);
    await s.flush();
    s.write(e);
    await s.flush();
    expect((await new PostgresAuditReader(pool).query({})).filter((x) => x.id === e.id)).toHaveLength(1);
  });

  it('drops a malformed event at write() and keeps the rest', async () => {
    const { sink: s, logs } = sink();
    s.write({ ...event(), status: Number.NaN });
    const ok = event();
    s.write(ok);
    await s.flush();
    expect((await new PostgresAuditReader(pool).query({})).map((x) => x.id)).toEqual([ok.id]);
    expect(logs.join('\n')).toContain('malformed event dropped');
  });

  it('writes thousands of events in batches quickly', async () => {
    const { sink: s } = sink();
    const t0 = performance.now();
    for (let i = 0; i < 5000; i++) s.write(event());
    await s.flush();
    const ms = performance.now() - t0;
    const res = await pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_events');
    expect(Number(res.rows[0]?.n)).toBe(5000);
    expect(ms).toBeLessThan(10_000);
  });
});
