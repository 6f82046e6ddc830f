import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/types.ts';
import { SESSION_CONDITION, SqliteAuditReader, SqliteAuditSink } from '../../src/stores/sqlite/audit.ts';
import { openDatabase } from '../../src/stores/sqlite/database.ts';
import { auditCorpus, event, finding, tempDir } from './helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let file: string;
const cleanups: (() => unknown)[] = [];

beforeEach(() => {
  tmp = tempDir();
  file = path.join(tmp.dir, 'audit.db');
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  tmp.cleanup();
});

function sink(options: ConstructorParameters<typeof SqliteAuditSink>[1] = {}): { sink: SqliteAuditSink; logs: string[] } {
  const logs: string[] = [];
  const s = new SqliteAuditSink(file, { log: (m) => logs.push(m), ...options });
  cleanups.push(() => s.close().catch(() => undefined));
  return { sink: s, logs };
}

function reader(): SqliteAuditReader {
  const r = new SqliteAuditReader(file);
  cleanups.push(() => r.close());
  return r;
}

/** 60 events, one per minute going back an hour, spread over apps, keys, decisions and categories. */
describe('SqliteAuditSink + SqliteAuditReader', () => {
  it('round-trips every field of an event exactly', async () => {
    const { sink: s } = sink();
    const full = event({
      streamed: true,
      findings: [finding('secret', { owasp: ['LLM02'], direction: 'output' }), finding('pii', { span: { start: 0, end: 4 } })],
    });
    const sparse: AuditEvent = {
      id: 'evt_sparse',
      time: new Date(Date.parse(full.time) - 1000).toISOString(),
      request_id: 'req_sparse',
      provider: 'anthropic',
      route: '/v1/messages',
      streamed: false,
      status: 502,
      latency_ms: 10,
      added_latency_ms: 1,
      decision: 'error',
      findings: [],
    };
    s.write(full);
    s.write(sparse);
    await s.flush();
    expect(reader().query({})).toEqual([full, sparse]);
  });

  it('writes in the background: nothing is stored until the batch interval passes', async () => {
    const { sink: s } = sink({ intervalMs: 30 });
    const r = reader();
    for (let i = 0; i < 20; i++) s.write(event());
    expect(r.query({})).toHaveLength(0);
    // No flush(): the timer alone writes them (the writer thread may take a moment to start).
    for (let i = 0; i < 100 && r.query({}).length < 20; i++) await sleep(30);
    expect(r.query({})).toHaveLength(20);
  });

  it('stores many events in batches and answers every filter, newest first', async () => {
    const now = Date.now();
    const events = auditCorpus(now);
    const { sink: s } = sink({ batchSize: 16 });
    // Shuffle the write order: newest-first must come from the times, not from insertion order.
    for (const e of [...events].sort(() => Math.random() - 0.5)) s.write(e);
    await s.flush();
    const r = reader();

    const ids = (list: AuditEvent[]): string[] => list.map((e) => e.id);
    const expected = (pred: (e: AuditEvent) => boolean, limit = 100): string[] => ids(events.filter(pred).slice(0, limit));

    expect(ids(r.query({}))).toEqual(expected(() => true));
    expect(ids(r.query({ limit: 7 }))).toEqual(expected(() => true, 7));
    expect(ids(r.query({ app: 'support' }))).toEqual(expected((e) => e.app === 'support'));
    expect(ids(r.query({ keyId: 'key_3' }))).toEqual(expected((e) => e.key_id === 'key_3'));
    expect(ids(r.query({ decision: 'block' }))).toEqual(expected((e) => e.decision === 'block'));
    expect(ids(r.query({ sessionId: 'sess_2' }))).toEqual(expected((e) => e.session_id === 'sess_2'));
    expect(r.query({ sessionId: 'sess_2' })).toHaveLength(9);
    expect(r.query({ sessionId: 'sess_6' })).toEqual([]);
    for (const c of ['pii', 'secret', 'injection', 'jailbreak']) {
      expect(ids(r.query({ category: c }))).toEqual(expected((e) => e.findings.some((f) => f.category === c)));
    }
    expect(r.query({ category: 'harmful' })).toEqual([]);

    const since = new Date(now - 10.5 * 60_000).toISOString();
    const until = new Date(now - 2.5 * 60_000).toISOString();
    expect(ids(r.query({ since }))).toEqual(expected((e) => Date.parse(e.time) >= Date.parse(since)));
    expect(ids(r.query({ since, until }))).toHaveLength(8);
    // Bounds: since inclusive, until exclusive.
    const exact = events[5]?.time ?? '';
    expect(ids(r.query({ since: exact, until: exact }))).toEqual([]);
    expect(r.query({ since: exact, limit: 100 }).at(-1)?.time).toBe(exact);

    expect(ids(r.query({ app: 'shop', decision: 'allow', category: 'pii' }))).toEqual(
      expected((e) => e.app === 'shop' && e.decision === 'allow' && e.findings.some((f) => f.category === 'pii')),
    );
  });

  it('finds one session among ids of every shape, through the bucketed session index', async () => {
    // Ids that share endings, differ only before them, are one character long, or end outside ASCII:
    // the bucket (last two characters) must send each lookup to the bucket its events were filed in.
    const sessions = ['a', 'é', 'x🙂', '🙂x', 'sess_2', 'other_sess_2', 'fp_AbCdEfGhIjKlMnOpQrStUv', 'fp_AbCdEfGhIjKlMnOpQrStUw', 'conv-10', 'conv-01'];
    const { sink: s } = sink();
    sessions.forEach((id, k) => {
      for (let i = 0; i <= k; i++) s.write(event({ id: `e_${k}_${i}`, session_id: id }));
    });
    s.write(event({ id: 'none' }));
    await s.flush();
    const r = reader();
    sessions.forEach((id, k) => {
      expect(r.query({ sessionId: id }).map((e) => e.session_id)).toEqual(Array.from({ length: k + 1 }, () => id));
    });
    expect(r.query({ sessionId: 'fp_AbCdEfGhIjKlMnOpQrStUx' })).toEqual([]);

    const db = openDatabase(file);
    cleanups.push(() => db.close());
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT e.* FROM audit_events e WHERE ${SESSION_CONDITION} ORDER BY e.time_ms DESC, e.seq DESC LIMIT 10`)
      .all('sess_2', 'sess_2', 'sess_2')
      .map((row) => String(row['detail']));
    expect(plan.join('\n')).toMatch(/USING INDEX audit_events_session_bucket/);
  });

  it('compares times as instants, whatever their ISO spelling', async () => {
    const { sink: s } = sink();
    s.write(event({ id: 'utc', time: '2025-06-01T12:00:00.000Z' }));
    s.write(event({ id: 'offset', time: '2025-06-01T13:30:00+02:00' })); // 11:30Z: older
    await s.flush();
    const r = reader();
    expect(r.query({}).map((e) => e.id)).toEqual(['utc', 'offset']);
    expect(r.query({ since: '2025-06-01T11:45:00Z' }).map((e) => e.id)).toEqual(['utc']);
  });

  it('rejects an invalid query', () => {
    sink();
    const r = reader();
    expect(() => r.query({ since: 'yesterday' })).toThrow(/since/);
    expect(() => r.query({ limit: 0 })).toThrow(/limit/);
  });

  it('close() stores every pending event', async () => {
    const { sink: s } = sink({ intervalMs: 60_000, batchSize: 1000 });
    for (let i = 0; i < 300; i++) s.write(event());
    await s.close();
    expect(reader().query({ limit: 1000 })).toHaveLength(300);
  });

  it('a duplicate event id is stored once and does not block the batch', async () => {
    const { sink: s } = sink();
    const e = event({ findings: [finding('pii')] });
    s.write(e);
    s.write(e);
    s.write(event());
    await s.flush();
    const r = reader();
    expect(r.query({})).toHaveLength(2);
    expect(r.query({ category: 'pii' })).toHaveLength(1);
  });

  it('drops a malformed event without throwing and stores the rest', async () => {
    const { sink: s, logs } = sink();
    const bad = { ...event(), latency_ms: Number.NaN };
    expect(() => s.write(bad)).not.toThrow();
    expect(() => s.write(null as unknown as AuditEvent)).not.toThrow();
    s.write(event());
    await s.flush();
    expect(reader().query({})).toHaveLength(1);
    expect(logs[0]).toMatch(/latency_ms/);
  });

  it('writer thread: loses nothing while another connection holds the write lock', async () => {
    const { sink: s } = sink({ intervalMs: 5, maxRetryDelayMs: 20 });
    const r = reader();
    const locker = openDatabase(file);
    cleanups.push(() => locker.isOpen && locker.close());
    locker.exec('BEGIN IMMEDIATE');
    locker.prepare("INSERT INTO gateway_keys (id, hash, app, created_at) VALUES ('key_t', 'h', 'a', 'now')").run();
    const events = Array.from({ length: 40 }, (_, i) => event({}, i / 100));
    for (const e of events.slice(0, 20)) s.write(e);
    await sleep(300);
    for (const e of events.slice(20)) s.write(e);
    await sleep(100);
    expect(r.query({ limit: 1000 })).toHaveLength(0);
    locker.exec('COMMIT');
    await s.flush();
    expect(r.query({ limit: 1000 }).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it('loses nothing while another connection holds the write lock, and recovers once it is released', async () => {
    // On the request thread, so the short busy timeout and the failure log are observable in time
    // (the writer thread may still be waiting to open the file while the lock is held).
    const { sink: s, logs } = sink({ intervalMs: 5, maxRetryDelayMs: 20, thread: false });
    const r = reader();
    // What a CLI or second gateway process does: take the write lock and sit on it.
    const locker = openDatabase(file);
    cleanups.push(() => locker.isOpen && locker.close());
    locker.exec('BEGIN IMMEDIATE');
    locker.prepare("INSERT INTO gateway_keys (id, hash, app, created_at) VALUES ('key_l', 'h', 'a', 'now')").run();

    const events = Array.from({ length: 40 }, (_, i) => event({}, i / 100));
    for (const e of events.slice(0, 20)) s.write(e);
    await sleep(400);
    for (const e of events.slice(20)) s.write(e);
    await sleep(100);

    expect(r.query({ limit: 1000 })).toHaveLength(0);
    expect(s.pending).toBe(40);
    const failures = logs.filter((l) => /could not write/.test(l));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/locked/);

    locker.exec('COMMIT');
    await s.flush();
    expect(r.query({ limit: 1000 }).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(logs.some((l) => /writable again/.test(l))).toBe(true);
  });

  it('close() waits for a lock to be released rather than drop events', async () => {
    const { sink: s } = sink({ intervalMs: 5 });
    const locker = openDatabase(file);
    cleanups.push(() => locker.isOpen && locker.close());
    locker.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < 10; i++) s.write(event());
    setTimeout(() => locker.exec('COMMIT'), 300);
    await s.close();
    expect(reader().query({})).toHaveLength(10);
  });

  it('shares a handle with the key store without closing it', async () => {
    const db = openDatabase(file);
    cleanups.push(() => db.close());
    const s = new SqliteAuditSink(db);
    s.write(event());
    await s.close();
    expect(db.isOpen).toBe(true);
    expect(new SqliteAuditReader(db).query({})).toHaveLength(1);
  });
});
