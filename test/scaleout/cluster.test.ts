// `parapet serve --workers N`: N processes on one port sharing Redis (limits) and PostgreSQL (audit,
// keys); one limit for all of them, and a graceful stop that loses no audit event.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../../bench/lib/procs.ts';
import { startMockLlm } from '../../src/mock/server.ts';
import type { MockServer } from '../../src/mock/server.ts';
import { createTestDatabase } from '../stores/postgres-helpers.ts';
import type { TestDatabase } from '../stores/postgres-helpers.ts';
import { REDIS_URL, dropPrefix, testPrefix } from '../stores/redis-helpers.ts';

let db: TestDatabase;
let mock: MockServer;
let dir: string;
const prefix = testPrefix();
const key = `ppt_${randomBytes(20).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  mock = await startMockLlm({ script: [{ reply: 'ok', delay_ms: 400 }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-cluster-'));
});
afterAll(async () => {
  await mock.close();
  await db.drop();
  await dropPrefix(prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('parapet serve --workers', () => {
  it('runs several processes on one port that enforce one shared limit, and drains them all', async () => {
    const file = path.join(dir, 'parapet.yaml');
    fs.writeFileSync(
      file,
      `storage:
  redis_url: ${REDIS_URL}
  redis_prefix: ${prefix}
  postgres_url: ${db.url}
policies:
  default:
    limits:
      rules:
        - per: key
          concurrent_requests: 5
apps:
  shop: {}
keys:
  - { id: key_shop, sha256: "${createHash('sha256').update(key).digest('hex')}", app: shop }
`,
    );
    const gw = await startCli(['serve', '--config', file, '--port', '0', '--workers', '2'], { PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`, OPENAI_API_KEY: 'sk-up', PARAPET_CONFIG: '' }, 30_000);
    expect(gw.stdout()).toMatch(/2 workers/);
    // Each worker logs its own start on stderr, which may trail the primary's line on stdout.
    const workers = (): Set<string | undefined> => new Set([...gw.stderr().matchAll(/"msg":"worker listening","worker":(\d+)/g)].map((m) => m[1]));
    for (let i = 0; i < 100 && workers().size < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(workers().size).toBe(2);

    const statuses = await Promise.all(
      Array.from({ length: 12 }, () =>
        fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
        }).then(async (r) => (await r.arrayBuffer(), r.status)),
      ),
    );
    // Five slots for the key across every worker: five in, seven told to retry.
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);

    expect(await gw.stop()).toBe(0);
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    try {
      const res = await pg.query<{ status: number; n: string }>('SELECT status, count(*) AS n FROM audit_events GROUP BY status ORDER BY status');
      expect(res.rows.map((r) => [r.status, Number(r.n)])).toEqual([
        [200, 5],
        [429, 7],
      ]);
    } finally {
      await pg.end();
    }
  }, 60_000);
});
