// No audit event is lost when PostgreSQL goes away under load and comes back.
//
// The default test simulates the restart with a TCP proxy between the gateway and PostgreSQL: the
// proxy resets every connection and refuses new ones for a while, then accepts again — what a client
// sees during `pg_ctlcluster … restart`, without restarting the server other tests are using. With
// a real restart possible (CI=true, or PARAPET_TEST_PG_RESTART=1; root and pg_ctlcluster present) a
// second test restarts the real server under the same load. This file runs on its own, after the main
// suite (vitest.isolated.config.ts), so the restart cannot disturb other tests.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from 'pg';
import { parseConfig } from '../../src/config/index.ts';
import { DetectionEngine } from '../../src/detectors/engine.ts';
import { DEFAULT_DETECTORS, DEFAULT_NORMALIZER } from '../../src/detectors/registry.ts';
import { startMockLlm } from '../../src/mock/server.ts';
import { createGateway } from '../../src/server/gateway.ts';
import { PostgresAuditSink } from '../../src/stores/postgres/audit.ts';
import { createPool, openPostgres } from '../../src/stores/postgres/database.ts';
import { SqliteKeyStore } from '../../src/stores/sqlite/keys.ts';
import { createTestDatabase, terminateBackends, urlWithPort } from '../stores/postgres-helpers.ts';
import type { TestDatabase } from '../stores/postgres-helpers.ts';
import { startProxy } from '../stores/tcp-proxy.ts';

/** Restarting the machine's PostgreSQL is only done where that is expected: CI, or on request. */
function canRestart(): boolean {
  const wanted = process.env['PARAPET_TEST_PG_RESTART'] === '1' || process.env['CI'] === 'true';
  return wanted && process.getuid?.() === 0 && fs.existsSync('/etc/postgresql') && fs.existsSync('/usr/bin/pg_ctlcluster');
}

let db: TestDatabase;
let reader: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  reader = await openPostgres(db.url);
});
afterAll(async () => {
  await reader.end();
  await db.drop();
});

const KEY = `ppt_${randomBytes(24).toString('hex')}`;

/** A gateway whose audit sink writes to PostgreSQL at `auditUrl`, fed by `requests` calls. */
async function underLoad(auditUrl: string, requests: number, disrupt: (done: () => number) => Promise<void>) {
  const mock = await startMockLlm({ script: [{ reply: 'ok', delay_ms: 5 }] });
  const cfg = parseConfig(
    `keys:\n  - id: key_load\n    sha256: "${createHash('sha256').update(KEY).digest('hex')}"\n    app: load\napps:\n  load: {}\n`,
    'load.yaml',
    { PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`, OPENAI_API_KEY: 'sk-up' },
  );
  const logs: string[] = [];
  // Short statement timeouts: a connection cut mid-query must fail fast and be retried.
  const pool = createPool(auditUrl, { connectTimeoutMs: 1000, statementTimeoutMs: 2000 });
  const audit = new PostgresAuditSink(pool, { log: (m) => logs.push(m), maxRetryDelayMs: 200, drainTimeoutMs: 30_000 });
  const keys = new SqliteKeyStore(':memory:');
  const gateway = createGateway({ config: () => cfg, keys, audit, engine: new DetectionEngine({ detectors: DEFAULT_DETECTORS, normalize: DEFAULT_NORMALIZER }) });
  const url = await gateway.listen('127.0.0.1', 0);
  const ids: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      next++;
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hello ${next}` }] }),
      });
      await res.text();
      expect(res.status).toBe(200);
      ids.push(res.headers.get('x-parapet-request-id') ?? '');
    }
  };
  const load = Promise.all(Array.from({ length: 12 }, worker));
  await disrupt(() => ids.length);
  await load;
  await gateway.drain();
  await audit.close();
  await pool.end();
  keys.close();
  await mock.close();
  return { ids, logs };
}

async function storedIds(): Promise<string[]> {
  const res = await reader.query<{ request_id: string }>('SELECT request_id FROM audit_events');
  return res.rows.map((r) => r.request_id);
}

const until = async (cond: () => boolean): Promise<void> => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

describe('audit to PostgreSQL across an outage', () => {
  it('loses no event when every connection is reset and refused for 1.5 s under load (proxy), then restored', async () => {
    await reader.query('TRUNCATE audit_events');
    const proxy = await startProxy(5432);
    try {
      const { ids, logs } = await underLoad(urlWithPort(db.url, proxy.port), 600, async (done) => {
        await until(() => done() >= 150);
        await proxy.cut();
        const atCut = done();
        await new Promise((r) => setTimeout(r, 1500));
        // Traffic went on while the database was unreachable.
        expect(done() - atCut).toBeGreaterThan(50);
        await proxy.restore();
      });
      expect(ids).toHaveLength(600);
      const stored = await storedIds();
      expect(stored).toHaveLength(600);
      expect(new Set(stored)).toEqual(new Set(ids));
      expect(logs.some((l) => /keeping them in memory and retrying/.test(l))).toBe(true);
      expect(logs.some((l) => /writable again/.test(l))).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it("loses no event when the sink's server connections are terminated under load (pg_terminate_backend)", async () => {
    await reader.query('TRUNCATE audit_events');
    const { ids } = await underLoad(db.url, 400, async (done) => {
      for (const at of [100, 200, 300]) {
        await until(() => done() >= at);
        await terminateBackends(db.name);
      }
    });
    const stored = await storedIds();
    expect(stored).toHaveLength(400);
    expect(new Set(stored)).toEqual(new Set(ids));
  });

  it.runIf(canRestart())('loses no event across a real server restart (pg_ctlcluster restart)', async () => {
    await reader.query('TRUNCATE audit_events');
    const version = fs.readdirSync('/etc/postgresql')[0] ?? '15';
    const { ids, logs } = await underLoad(db.url, 600, async (done) => {
      await until(() => done() >= 150);
      const before = done();
      // Asynchronously, so requests keep flowing (and audit writes keep failing) while it restarts.
      await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
      expect(done()).toBeGreaterThan(before);
    });
    // The reader's own connections died with the server too: the pool reconnects.
    const stored = await storedIds();
    expect(stored).toHaveLength(600);
    expect(new Set(stored)).toEqual(new Set(ids));
    expect(logs.some((l) => /writable again/.test(l))).toBe(true);
  }, 60_000);
});
