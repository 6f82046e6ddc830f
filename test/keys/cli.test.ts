import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashKey, isKeyFormat } from '../../src/keys/key.ts';
import { SqliteKeyStore } from '../../src/stores/sqlite/keys.ts';
import { MAIN, NODE, tempDir } from '../stores/helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let db: string;
beforeEach(() => {
  tmp = tempDir();
  db = path.join(tmp.dir, 'parapet.db');
});
afterEach(() => tmp.cleanup());

function parapet(args: string[], env: Record<string, string> = { PARAPET_DB: db }) {
  const r = spawnSync(NODE, [MAIN, ...args], {
    cwd: tmp.dir,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('parapet keys', () => {
  it('create --json prints one JSON line with a key that the store (another process) accepts', () => {
    const r = parapet(['keys', 'create', '--app', 'demo', '--models', 'gpt-4o*, claude-*', '--policy', 'strict', '--user', 'u1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const out = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(out).toMatchObject({ app: 'demo', policy: 'strict', models: ['gpt-4o*', 'claude-*'], user: 'u1' });
    expect(isKeyFormat(String(out['key']))).toBe(true);
    expect(out).not.toHaveProperty('hash');

    const store = new SqliteKeyStore(db);
    try {
      const found = store.findByHash(hashKey(String(out['key'])));
      expect(found?.id).toBe(out['id']);
      expect(found?.models).toEqual(['gpt-4o*', 'claude-*']);
    } finally {
      store.close();
    }
  });

  it('create prints the key once with a warning, and list never shows it', () => {
    const created = parapet(['keys', 'create', '--app', 'demo']);
    expect(created.code).toBe(0);
    const key = /ppt_[0-9A-Za-z]{43}/.exec(created.stdout)?.[0] ?? '';
    expect(key).not.toBe('');
    expect(created.stdout).toMatch(/key_[0-9A-Za-z]{12}/);
    expect(created.stdout).toMatch(/not be shown again/);

    const plain = parapet(['keys', 'list']);
    const json = parapet(['keys', 'list', '--json']);
    for (const r of [plain, json]) {
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(key);
      expect(r.stdout).not.toContain(hashKey(key));
    }
    expect(plain.stdout).toMatch(/^ID\s+APP\s+POLICY\s+MODELS\s+USER\s+CREATED\s+STATUS\s+HASH\n/);
    expect(plain.stdout).toContain(hashKey(key).slice(0, 8));
    const listed = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ app: 'demo', hashPrefix: hashKey(key).slice(0, 8) });
  });

  it('revoke takes effect at once for a store already open in another process', () => {
    const out = JSON.parse(parapet(['keys', 'create', '--app', 'demo', '--json']).stdout) as { id: string; key: string };
    const gateway = new SqliteKeyStore(db);
    try {
      expect(gateway.findByHash(hashKey(out.key))?.revokedAt).toBeUndefined();
      const r = parapet(['keys', 'revoke', out.id]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(out.id);
      expect(gateway.findByHash(hashKey(out.key))?.revokedAt).toEqual(expect.any(String));

      const again = parapet(['keys', 'revoke', out.id]);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/already revoked/);

      const unknown = parapet(['keys', 'revoke', 'key_nosuchkey000']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/no key with id 'key_nosuchkey000'/);

      const list = JSON.parse(parapet(['keys', 'list', '--json']).stdout) as { revokedAt?: string }[];
      expect(list[0]?.revokedAt).toEqual(expect.any(String));
    } finally {
      gateway.close();
    }
  });

  it('--db wins over PARAPET_DB, and the default is parapet.db in the working directory', () => {
    const other = path.join(tmp.dir, 'other.db');
    expect(parapet(['keys', 'create', '--app', 'a', '--db', other]).code).toBe(0);
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.existsSync(db)).toBe(false);
    expect(parapet(['keys', 'create', '--app', 'b'], {}).code).toBe(0);
    expect(fs.existsSync(path.join(tmp.dir, 'parapet.db'))).toBe(true);
  });

  it('reports bad usage with exit code 2 and a message naming the problem', () => {
    const cases: [string[], RegExp][] = [
      [['keys', 'create'], /--app NAME is required/],
      [['keys', 'create', '--app', ''], /--app must not be empty/],
      [['keys', 'create', '--app', 'a', '--bogus'], /--bogus/],
      [['keys', 'create', '--app'], /--app/],
      [['keys', 'create', '--app', 'a', '--models', ' , '], /--models/],
      [['keys', 'list', 'extra'], /unexpected argument 'extra'/],
      [['keys', 'revoke'], /needs a key ID/],
      [['keys', 'rotate'], /unknown subcommand 'rotate'/],
      [['keys'], /usage/],
    ];
    for (const [args, message] of cases) {
      const r = parapet(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(fs.existsSync(db)).toBe(false);
  });

  it('list and revoke refuse a database that does not exist instead of creating one', () => {
    for (const args of [['keys', 'list'], ['keys', 'revoke', 'key_x']]) {
      const r = parapet(args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/no database at/);
    }
    expect(fs.existsSync(db)).toBe(false);
  });
});
