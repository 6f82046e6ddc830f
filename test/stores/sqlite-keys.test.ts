import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashKey, isKeyFormat } from '../../src/keys/key.ts';
import { isRevoked } from '../../src/keys/types.ts';
import { openDatabase } from '../../src/stores/sqlite/database.ts';
import { SqliteKeyStore } from '../../src/stores/sqlite/keys.ts';
import { tempDir } from './helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let file: string;
const open: { close(): void }[] = [];
const track = <T extends { close(): void }>(x: T): T => {
  open.push(x);
  return x;
};

beforeEach(() => {
  tmp = tempDir();
  file = path.join(tmp.dir, 'keys.db');
});
afterEach(() => {
  for (const x of open.splice(0)) x.close();
  tmp.cleanup();
});

describe('SqliteKeyStore', () => {
  it('round-trips a key: only the hash is stored and it finds the record', () => {
    const store = track(new SqliteKeyStore(file));
    const { record, key } = store.create({ app: 'shop', policy: 'strict', models: ['gpt-4o*', 'claude-*'], user: 'bob' });
    expect(isKeyFormat(key)).toBe(true);
    expect(record).toEqual({
      id: expect.stringMatching(/^key_/),
      app: 'shop',
      policy: 'strict',
      models: ['gpt-4o*', 'claude-*'],
      user: 'bob',
      createdAt: expect.any(String),
      hash: hashKey(key),
    });
    expect(Number.isNaN(Date.parse(record.createdAt))).toBe(false);
    expect(store.findByHash(hashKey(key))).toEqual(record);
    expect(store.findByHash(hashKey(key + 'x'))).toBeUndefined();

    const db = track(openDatabase(file));
    const raw = JSON.stringify(db.prepare('SELECT * FROM gateway_keys').all());
    expect(raw).not.toContain(key);
    expect(raw).not.toContain(key.slice(4));
  });

  it('leaves optional fields absent rather than null', () => {
    const store = track(new SqliteKeyStore(file));
    const { key } = store.create({ app: 'bare' });
    const found = store.findByHash(hashKey(key));
    expect(found).toBeDefined();
    expect(Object.keys(found ?? {}).sort()).toEqual(['app', 'createdAt', 'hash', 'id']);
  });

  it('lists every key oldest first, revoked ones included', () => {
    const store = track(new SqliteKeyStore(file));
    const a = store.create({ app: 'a' }).record;
    const b = store.create({ app: 'b' }).record;
    const c = store.create({ app: 'c' }).record;
    expect(store.revoke(b.id)).toBe(true);
    const listed = store.list();
    expect(listed.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    expect(listed.map(isRevoked)).toEqual([false, true, false]);
  });

  it('revokes once: the key is still found, marked revoked, and a second revoke reports false', () => {
    const store = track(new SqliteKeyStore(file));
    const { record, key } = store.create({ app: 'shop' });
    expect(store.revoke(record.id)).toBe(true);
    const found = store.findByHash(hashKey(key));
    expect(found && isRevoked(found)).toBe(true);
    const firstRevokedAt = found?.revokedAt;
    expect(store.revoke(record.id)).toBe(false);
    expect(store.findByHash(hashKey(key))?.revokedAt).toBe(firstRevokedAt);
    expect(store.revoke('key_doesnotexist')).toBe(false);
  });

  it('rejects invalid input without writing anything', () => {
    const store = track(new SqliteKeyStore(file));
    expect(() => store.create({ app: '' })).toThrow();
    expect(() => store.create({ app: 'a', models: [] })).toThrow();
    expect(store.list()).toEqual([]);
  });

  it('sees keys created and revoked through another connection at once', () => {
    const gateway = track(new SqliteKeyStore(file));
    const cli = track(new SqliteKeyStore(file));
    // Prime the gateway handle so a stale read snapshot would show up as a miss below.
    expect(gateway.findByHash('0'.repeat(64))).toBeUndefined();

    const { record, key } = cli.create({ app: 'shop' });
    expect(gateway.findByHash(hashKey(key))).toEqual(record);

    expect(cli.revoke(record.id)).toBe(true);
    expect(gateway.findByHash(hashKey(key))?.revokedAt).toEqual(expect.any(String));
  });

  it('shares a handle without closing it', () => {
    const db = track(openDatabase(file));
    const store = new SqliteKeyStore(db);
    store.create({ app: 'shop' });
    store.close();
    expect(db.isOpen).toBe(true);
    expect(db.prepare('SELECT count(*) AS n FROM gateway_keys').get()?.['n']).toBe(1);
  });
});
