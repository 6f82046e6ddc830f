// Gateway keys in SQLite. No cache: findByHash is one indexed lookup (microseconds), and reading
// the file every time is what makes a key created or revoked by `parapet keys` in another process
// take effect on the very next request.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { generateKey, hashKey } from '../../keys/key.ts';
import type { KeyRecord, KeyStore, NewKeyInput } from '../../keys/types.ts';
import { validateNewKey } from '../../keys/types.ts';
import { openDatabase } from './database.ts';

const COLUMNS = 'id, hash, app, policy, models, end_user, created_at, revoked_at';

function toRecord(row: Record<string, unknown>): KeyRecord {
  const record: KeyRecord = {
    id: row['id'] as string,
    app: row['app'] as string,
    createdAt: row['created_at'] as string,
    hash: row['hash'] as string,
  };
  if (row['policy'] != null) record.policy = row['policy'] as string;
  if (row['models'] != null) record.models = JSON.parse(row['models'] as string) as string[];
  if (row['end_user'] != null) record.user = row['end_user'] as string;
  if (row['revoked_at'] != null) record.revokedAt = row['revoked_at'] as string;
  return record;
}

export class SqliteKeyStore implements KeyStore {
  readonly #db: DatabaseSync;
  readonly #ownsDb: boolean;
  readonly #insert: StatementSync;
  readonly #byHash: StatementSync;
  readonly #all: StatementSync;
  readonly #revoke: StatementSync;

  /** Given a path the store opens and owns the file; given a handle it shares it and leaves closing to the caller. */
  constructor(database: DatabaseSync | string) {
    this.#ownsDb = typeof database === 'string';
    this.#db = typeof database === 'string' ? openDatabase(database) : database;
    this.#insert = this.#db.prepare(
      `INSERT INTO gateway_keys (${COLUMNS}) VALUES (:id, :hash, :app, :policy, :models, :user, :createdAt, NULL)`,
    );
    this.#byHash = this.#db.prepare(`SELECT ${COLUMNS} FROM gateway_keys WHERE hash = ?`);
    this.#all = this.#db.prepare(`SELECT ${COLUMNS} FROM gateway_keys ORDER BY created_at, rowid`);
    this.#revoke = this.#db.prepare('UPDATE gateway_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  }

  create(input: NewKeyInput): { record: KeyRecord; key: string } {
    validateNewKey(input);
    const { id, key } = generateKey();
    const record: KeyRecord = { id, app: input.app, createdAt: new Date().toISOString(), hash: hashKey(key) };
    if (input.policy !== undefined) record.policy = input.policy;
    if (input.models !== undefined) record.models = input.models.map((m) => m.trim());
    if (input.user !== undefined) record.user = input.user;
    this.#insert.run({
      id: record.id,
      hash: record.hash,
      app: record.app,
      policy: record.policy ?? null,
      models: record.models ? JSON.stringify(record.models) : null,
      user: record.user ?? null,
      createdAt: record.createdAt,
    });
    return { record, key };
  }

  findByHash(hash: string): KeyRecord | undefined {
    const row = this.#byHash.get(hash);
    return row === undefined ? undefined : toRecord(row);
  }

  list(): KeyRecord[] {
    return this.#all.all().map(toRecord);
  }

  revoke(id: string): boolean {
    return Number(this.#revoke.run(new Date().toISOString(), id).changes) > 0;
  }

  close(): void {
    if (this.#ownsDb && this.#db.isOpen) this.#db.close();
  }
}
