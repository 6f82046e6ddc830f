// Gateway keys in PostgreSQL. Two views of one table:
//
// - PostgresKeyStore: the asynchronous admin API (`parapet keys` create / list / revoke).
// - PostgresKeyMirror: the gateway's KeyStore. KeyStore lookups are synchronous (one per request,
//   on the hot path), so each gateway keeps the whole table in memory and follows every change:
//   a trigger announces each insert or update with NOTIFY, the mirror re-reads that row, and a full
//   reload runs after every (re)connection and every `refreshMs` as a safety net. A key created or
//   revoked by any process takes effect on every gateway within milliseconds. While PostgreSQL is
//   unreachable the mirror keeps serving what it last knew (revocations cannot be made meanwhile
//   either) and catches up as soon as it reconnects.

import { Client } from 'pg';
import type { Pool } from 'pg';
import { generateKey, hashKey } from '../../keys/key.ts';
import type { KeyRecord, KeyStore, NewKeyInput } from '../../keys/types.ts';
import { validateNewKey } from '../../keys/types.ts';
import { redactUrl } from '../url.ts';

const CHANNEL = 'parapet_gateway_keys';
const COLUMNS = 'id, hash, app, policy, models, end_user, created_at, revoked_at';

interface KeyRow {
  id: string;
  hash: string;
  app: string;
  policy: string | null;
  models: string[] | null;
  end_user: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

function toRecord(row: KeyRow): KeyRecord {
  const record: KeyRecord = { id: row.id, app: row.app, createdAt: row.created_at.toISOString(), hash: row.hash };
  if (row.policy !== null) record.policy = row.policy;
  if (row.models !== null) record.models = row.models;
  if (row.end_user !== null) record.user = row.end_user;
  if (row.revoked_at !== null) record.revokedAt = row.revoked_at.toISOString();
  return record;
}

export class PostgresKeyStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async create(input: NewKeyInput): Promise<{ record: KeyRecord; key: string }> {
    validateNewKey(input);
    const { id, key } = generateKey();
    const models = input.models?.map((m) => m.trim());
    const res = await this.#pool.query<KeyRow>(
      `INSERT INTO gateway_keys (id, hash, app, policy, models, end_user, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, now()) RETURNING ${COLUMNS}`,
      [id, hashKey(key), input.app, input.policy ?? null, models ? JSON.stringify(models) : null, input.user ?? null],
    );
    const row = res.rows[0];
    if (!row) throw new Error('postgres keys: insert returned no row');
    return { record: toRecord(row), key };
  }

  async findByHash(hash: string): Promise<KeyRecord | undefined> {
    const res = await this.#pool.query<KeyRow>(`SELECT ${COLUMNS} FROM gateway_keys WHERE hash = $1`, [hash]);
    const row = res.rows[0];
    return row ? toRecord(row) : undefined;
  }

  /** Every key, revoked ones included, oldest first. */
  async list(): Promise<KeyRecord[]> {
    const res = await this.#pool.query<KeyRow>(`SELECT ${COLUMNS} FROM gateway_keys ORDER BY created_at, seq`);
    return res.rows.map(toRecord);
  }

  /** True when an active key was revoked now; false when the id is unknown or already revoked. */
  async revoke(id: string): Promise<boolean> {
    const res = await this.#pool.query('UPDATE gateway_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
    return (res.rowCount ?? 0) > 0;
  }
}

export interface KeyMirrorOptions {
  /** Full reload interval, the safety net under NOTIFY. */
  refreshMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export class PostgresKeyMirror implements KeyStore {
  readonly #url: string;
  readonly #pool: Pool;
  readonly #log: NonNullable<KeyMirrorOptions['log']>;
  readonly #byHash = new Map<string, KeyRecord>();
  readonly #byId = new Map<string, KeyRecord>();
  #listener: Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reconnect: NodeJS.Timeout | undefined;
  #backoffMs = 100;
  #closed = false;
  #lost = false;

  private constructor(url: string, pool: Pool, options: KeyMirrorOptions) {
    this.#url = url;
    this.#pool = pool;
    this.#log = options.log ?? (() => {});
    this.#timer = setInterval(() => void this.#reload().catch(() => undefined), options.refreshMs ?? 30_000);
    this.#timer.unref();
  }

  /** Loads every key and starts following changes. `url` is for the LISTEN connection (outside the pool). */
  static async open(url: string, pool: Pool, options: KeyMirrorOptions = {}): Promise<PostgresKeyMirror> {
    const mirror = new PostgresKeyMirror(url, pool, options);
    try {
      await mirror.#listen();
      return mirror;
    } catch (err) {
      mirror.close();
      throw err;
    }
  }

  findByHash(hash: string): KeyRecord | undefined {
    return this.#byHash.get(hash);
  }

  list(): KeyRecord[] {
    return [...this.#byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  create(): { record: KeyRecord; key: string } {
    throw new Error('the gateway reads keys from PostgreSQL; create them with `parapet keys create` (PostgresKeyStore)');
  }

  revoke(): boolean {
    throw new Error('the gateway reads keys from PostgreSQL; revoke them with `parapet keys revoke` (PostgresKeyStore)');
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#reconnect) clearTimeout(this.#reconnect);
    const l = this.#listener;
    this.#listener = undefined;
    l?.end().catch(() => undefined);
  }

  /** Resolves once a change made before the call is visible here (tests, and `keys create --wait`). */
  async sync(): Promise<void> {
    await this.#reload();
  }

  #apply(record: KeyRecord): void {
    // Revocation is one-way: an older read racing a newer one must not bring a key back.
    const known = this.#byId.get(record.id);
    const merged = known?.revokedAt && !record.revokedAt ? { ...record, revokedAt: known.revokedAt } : record;
    if (known && known.hash !== merged.hash) this.#byHash.delete(known.hash);
    this.#byId.set(merged.id, merged);
    this.#byHash.set(merged.hash, merged);
  }

  async #reload(): Promise<void> {
    const res = await this.#pool.query<KeyRow>(`SELECT ${COLUMNS} FROM gateway_keys`);
    const seen = new Set<string>();
    for (const row of res.rows) {
      seen.add(row.id);
      this.#apply(toRecord(row));
    }
    for (const [id, r] of this.#byId) {
      if (seen.has(id)) continue;
      this.#byId.delete(id);
      this.#byHash.delete(r.hash);
    }
  }

  async #refreshOne(id: string): Promise<void> {
    const res = await this.#pool.query<KeyRow>(`SELECT ${COLUMNS} FROM gateway_keys WHERE id = $1`, [id]);
    const row = res.rows[0];
    if (row) {
      this.#apply(toRecord(row));
    } else {
      const gone = this.#byId.get(id);
      this.#byId.delete(id);
      if (gone) this.#byHash.delete(gone.hash);
    }
  }

  async #listen(): Promise<void> {
    const client = new Client({ connectionString: this.#url, connectionTimeoutMillis: 3000, application_name: 'parapet-keys' });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      this.#refreshOne(msg.payload).catch(() => void this.#reload().catch(() => undefined));
    });
    client.on('error', (err) => this.#dropped(client, err));
    client.on('end', () => this.#dropped(client, new Error('connection ended')));
    try {
      await client.connect();
      // LISTEN before the load: a change landing between the two is then seen at least once.
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.#closed) throw new Error('closed');
      this.#listener = client;
      await this.#reload();
    } catch (err) {
      if (this.#listener === client) this.#listener = undefined;
      client.end().catch(() => undefined);
      throw err;
    }
    if (this.#lost) this.#log('info', 'gateway keys: following PostgreSQL again', { url: redactUrl(this.#url) });
    this.#lost = false;
    this.#backoffMs = 100;
  }

  #dropped(client: Client, err: Error): void {
    if (this.#closed || this.#listener !== client) return;
    this.#listener = undefined;
    client.end().catch(() => undefined);
    if (!this.#lost) {
      this.#lost = true;
      this.#log('warn', 'gateway keys: lost the PostgreSQL change feed; serving the last known keys and reconnecting', {
        url: redactUrl(this.#url),
        error: err.message,
      });
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnect) return;
    const delay = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, 5000);
    this.#reconnect = setTimeout(() => {
      this.#reconnect = undefined;
      this.#listen().catch(() => this.#scheduleReconnect());
    }, delay);
    this.#reconnect.unref();
  }
}
