// Keys and the audit log in PostgreSQL, shared by two `parapet serve` processes and the CLI: a key
// created by `parapet keys create` works on both gateways, a revocation reaches both at once, and
// `parapet audit query` reads what both wrote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../bench/lib/procs.ts';
import type { Running } from '../../bench/lib/procs.ts';
import type { AuditEvent } from '../../src/audit/types.ts';
import { startMockLlm } from '../../src/mock/server.ts';
import type { MockServer } from '../../src/mock/server.ts';
import { createTestDatabase } from '../stores/postgres-helpers.ts';
import type { TestDatabase } from '../stores/postgres-helpers.ts';

let db: TestDatabase;
let mock: MockServer;
let gateways: Running[] = [];

const clean = { PARAPET_CONFIG: '', PARAPET_REDIS_URL: '', PARAPET_DB: '' };

beforeAll(async () => {
  db = await createTestDatabase();
  mock = await startMockLlm();
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  await mock.close();
  await db.drop();
});

function chat(url: string, key: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello from scale-out' }] }),
  });
}

describe('gateways on PostgreSQL', () => {
  it('share keys and the audit log with each other and with the CLI', async () => {
    // The CLI migrates the fresh database and creates a key there.
    const created = await runCli(['keys', 'create', '--app', 'shop', '--json', '--postgres', db.url], clean);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const { id, key } = JSON.parse(created.stdout) as { id: string; key: string };

    const env = { ...clean, PARAPET_POSTGRES_URL: db.url, PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`, OPENAI_API_KEY: 'sk-up' };
    gateways = await Promise.all([startCli(['serve', '--port', '0'], env), startCli(['serve', '--port', '0'], env)]);
    expect(gateways[0]?.stdout()).toContain('audit+keys: postgres://');

    const ids: string[] = [];
    for (const g of gateways) {
      for (let i = 0; i < 3; i++) {
        const res = await chat(g.url, key);
        expect(res.status).toBe(200);
        ids.push(res.headers.get('x-parapet-request-id') ?? '');
      }
    }
    // A key made after the gateways started works on both.
    const later = JSON.parse((await runCli(['keys', 'create', '--app', 'late', '--json'], { ...clean, PARAPET_POSTGRES_URL: db.url })).stdout) as { key: string };
    for (const g of gateways) {
      const deadline = Date.now() + 2000;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) status = (await chat(g.url, later.key)).status;
      expect(status).toBe(200);
    }

    const revoked = await runCli(['keys', 'revoke', id, '--postgres', db.url], clean);
    expect(revoked.code).toBe(0);
    for (const g of gateways) {
      const deadline = Date.now() + 2000;
      let res = await chat(g.url, key);
      while (res.status === 200 && Date.now() < deadline) res = await chat(g.url, key);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    }
    const listed = JSON.parse((await runCli(['keys', 'list', '--json', '--postgres', db.url], clean)).stdout) as { id: string; revokedAt?: string }[];
    expect(listed.find((k) => k.id === id)?.revokedAt).toEqual(expect.any(String));

    // Draining flushes each gateway's audit queue.
    expect(await Promise.all(gateways.map((g) => g.stop()))).toEqual([0, 0]);
    gateways = [];
    const q = await runCli(['audit', 'query', '--json', '--limit', '1000', '--app', 'shop'], { ...clean, PARAPET_POSTGRES_URL: db.url });
    expect(q.code).toBe(0);
    const events = JSON.parse(q.stdout) as AuditEvent[];
    for (const rid of ids) expect(events.find((e) => e.request_id === rid)).toMatchObject({ app: 'shop', decision: 'allow', status: 200, key_id: id });
    const table = await runCli(['audit', 'query', '--decision', 'error', '--postgres', db.url], clean);
    expect(table.stdout).toMatch(/REQUEST\s+APP/);
    expect(table.stdout).toContain('401');
  }, 60_000);

  it('reports an unreachable database clearly', async () => {
    const r = await runCli(['keys', 'list', '--postgres', 'postgres://postgres@127.0.0.1:1/nowhere'], clean);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/parapet keys: .*ECONNREFUSED/);
  });
});
