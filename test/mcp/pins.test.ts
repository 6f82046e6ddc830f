// The pin store in the shared SQLite file: its own migration next to the gateway's, first-sight pins,
// changes recorded beside the pin, approvals visible to every connection at once.
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlitePinStore, pinStatus } from '../../src/mcp/pins.ts';
import { SCHEMA_VERSION, openDatabase } from '../../src/stores/sqlite/database.ts';
import { SqliteKeyStore } from '../../src/stores/sqlite/keys.ts';
import { tempDir } from './helpers.ts';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function store(file: string): SqlitePinStore {
  const s = new SqlitePinStore(file);
  open.push(s);
  return s;
}

describe('SqlitePinStore', () => {
  it('adds its table to an existing parapet.db without touching the gateway schema', () => {
    const file = path.join(tempDir(), 'parapet.db');
    const keys = new SqliteKeyStore(file);
    open.push(keys);
    const { record } = keys.create({ app: 'agent' });
    const pins = store(file);
    pins.observe('files', 'read_file', 'h1', { name: 'read_file' });
    // A second store on the same file finds the migration done.
    store(file);
    const db = new DatabaseSync(file);
    open.push(db);
    expect(db.prepare('PRAGMA user_version').get()?.['user_version']).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT version FROM mcp_schema').all()).toEqual([{ version: 1 }]);
    expect(keys.list().map((k) => k.id)).toEqual([record.id]);
  });

  it('pins on first sight, records a change beside the pin, and approves it', () => {
    const file = path.join(tempDir(), 'parapet.db');
    const a = store(file);
    const b = store(file);
    expect(a.observe('srv', 'tool', 'h1', { description: 'one' }).status).toBe('new');
    expect(b.observe('srv', 'tool', 'h1', { description: 'one' }).status).toBe('pinned');
    const changed = b.observe('srv', 'tool', 'h2', { description: 'two' });
    expect(changed.status).toBe('changed');
    expect(changed.pin).toMatchObject({ pinnedHash: 'h1', seenHash: 'h2', approvedBy: 'first-sight' });
    expect(changed.pin.pinnedDefinition).toEqual({ description: 'one' });
    expect(changed.pin.seenDefinition).toEqual({ description: 'two' });

    // The approval made through one connection is what the other reads next (no cache).
    const approved = a.approve('srv', 'tool');
    expect(approved).toMatchObject({ pinnedHash: 'h2', seenHash: 'h2', approvedBy: 'operator' });
    const seen = b.get('srv', 'tool');
    expect(seen === undefined ? undefined : pinStatus(seen)).toBe('pinned');
    expect(b.observe('srv', 'tool', 'h2', { description: 'two' }).status).toBe('pinned');
    expect(a.approve('srv', 'missing')).toBeUndefined();
    expect(a.list().map((p) => `${p.server}/${p.tool}`)).toEqual(['srv/tool']);
    expect(a.list('other')).toEqual([]);
  });

  it('refuses a database whose MCP tables are newer than it understands', () => {
    const file = path.join(tempDir(), 'parapet.db');
    store(file).close();
    const db = openDatabase(file);
    db.exec('UPDATE mcp_schema SET version = 99');
    db.close();
    expect(() => new SqlitePinStore(file)).toThrow(/newer than this parapet understands/);
  });
});
