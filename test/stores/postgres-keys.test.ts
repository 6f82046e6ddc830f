import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from 'pg';
import { hashKey, isRevoked } from '../../src/keys/index.ts';
import { openPostgres } from '../../src/stores/postgres/database.ts';
import { PostgresKeyMirror, PostgresKeyStore } from '../../src/stores/postgres/keys.ts';
import { createTestDatabase, terminateBackends } from './postgres-helpers.ts';
import type { TestDatabase } from './postgres-helpers.ts';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = await openPostgres(db.url);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('PostgresKeyStore', () => {
  it('creates, finds by hash, lists oldest first, and revokes once', async () => {
    const store = new PostgresKeyStore(pool);
    const a = await store.create({ app: 'shop', models: [' gpt-4o* '], policy: 'strict', user: 'alice' });
    const b = await store.create({ app: 'support' });
    expect(a.key).toMatch(/^ppt_/);
    expect(a.record).toMatchObject({ app: 'shop', models: ['gpt-4o*'], policy: 'strict', user: 'alice', hash: hashKey(a.key) });
    expect(await store.findByHash(hashKey(a.key))).toEqual(a.record);
    expect(await store.findByHash(hashKey('ppt_nope'))).toBeUndefined();
    expect((await store.list()).map((r) => r.id).slice(-2)).toEqual([a.record.id, b.record.id]);
    expect(await store.revoke(a.record.id)).toBe(true);
    expect(await store.revoke(a.record.id)).toBe(false);
    expect(await store.revoke('key_unknown')).toBe(false);
    const revoked = await store.findByHash(hashKey(a.key));
    expect(revoked && isRevoked(revoked)).toBe(true);
    await expect(store.create({ app: '' })).rejects.toThrow(/app must be a non-empty string/);
  });
});

describe('PostgresKeyMirror', () => {
  it('answers synchronously and follows keys created and revoked by another process within milliseconds', async () => {
    const admin = new PostgresKeyStore(pool);
    const before = await admin.create({ app: 'shop' });
    const mirror = await PostgresKeyMirror.open(db.url, pool);
    try {
      expect(mirror.findByHash(hashKey(before.key))?.id).toBe(before.record.id);
      const t0 = Date.now();
      const created = await admin.create({ app: 'new-app' });
      await eventually(() => mirror.findByHash(hashKey(created.key)) !== undefined);
      await admin.revoke(before.record.id);
      await eventually(() => mirror.findByHash(hashKey(before.key))?.revokedAt !== undefined);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(mirror.list().map((r) => r.id)).toContain(created.record.id);
      expect(() => mirror.create()).toThrow(/parapet keys create/);
    } finally {
      mirror.close();
    }
  });

  it('keeps serving while its change feed is down and catches up on what it missed', async () => {
    const logs: string[] = [];
    const admin = new PostgresKeyStore(pool);
    const k = await admin.create({ app: 'shop' });
    const mirror = await PostgresKeyMirror.open(db.url, pool, { log: (_l, msg) => logs.push(msg) });
    try {
      expect(await terminateBackends(db.name, 'parapet-keys')).toBe(1);
      // Changes made while the mirror is not listening…
      await admin.revoke(k.record.id);
      const later = await admin.create({ app: 'shop' });
      // …are picked up by the full reload that follows the reconnection.
      await eventually(() => mirror.findByHash(hashKey(k.key))?.revokedAt !== undefined && mirror.findByHash(hashKey(later.key)) !== undefined, 5000);
      expect(logs[0]).toMatch(/lost the PostgreSQL change feed/);
      await eventually(() => logs.some((l) => /following PostgreSQL again/.test(l)), 5000);
    } finally {
      mirror.close();
    }
  });
});
