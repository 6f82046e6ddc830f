// The storage-neutral contract for gateway keys. SQLite implements it in stores/sqlite; a
// PostgreSQL store implements the same interface for scale-out.

export interface KeyRecord {
  id: string;
  app: string;
  /** Policy bound to the key by the operator; the gateway default applies when absent. */
  policy?: string;
  /** Glob patterns ("gpt-4o*") of models the key may call; absent means any model. */
  models?: string[];
  user?: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; set once the key is revoked. */
  revokedAt?: string;
  /** SHA-256 hex of the key (see hashKey); the key itself is never stored. */
  hash: string;
}

export interface NewKeyInput {
  app: string;
  policy?: string;
  models?: string[];
  user?: string;
}

export interface KeyStore {
  /** Stores a new key and returns it in clear exactly this once. */
  create(input: NewKeyInput): { record: KeyRecord; key: string };
  /**
   * Looks a key up by its hash. Revoked keys ARE returned (with `revokedAt` set) so the gateway can
   * tell the client "this key was revoked" instead of a puzzling "unknown key"; callers must check
   * `isRevoked(record)` before trusting the record. Implementations must not cache in a way that
   * hides a key created, or a revocation made, by another process.
   */
  findByHash(hash: string): KeyRecord | undefined;
  /** Every key, revoked ones included, oldest first. */
  list(): KeyRecord[];
  /** True when an active key was revoked now; false when the id is unknown or already revoked. */
  revoke(id: string): boolean;
  close(): void;
}

export function isRevoked(record: KeyRecord): boolean {
  return record.revokedAt !== undefined;
}

/** Rejects input a store must never persist; shared so every backend enforces the same rules. */
export function validateNewKey(input: NewKeyInput): void {
  if (typeof input.app !== 'string' || input.app.trim() === '') throw new Error('key: app must be a non-empty string');
  for (const [name, value] of [
    ['policy', input.policy],
    ['user', input.user],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new Error(`key: ${name} must be a non-empty string when given`);
    }
  }
  if (input.models !== undefined) {
    if (!Array.isArray(input.models) || input.models.length === 0) {
      throw new Error('key: models must be a non-empty list of patterns when given');
    }
    for (const m of input.models) {
      if (typeof m !== 'string' || m.trim() === '') {
        throw new Error('key: every model pattern must be a non-empty string');
      }
    }
  }
}
