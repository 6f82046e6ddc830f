// `parapet keys create|list|revoke`: manage gateway keys where the gateway reads them: the SQLite
// file, or PostgreSQL when one is configured (--postgres, $PARAPET_POSTGRES_URL, or the config file).
import fs from 'node:fs';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { formatTable } from '../audit/format.ts';
import { ConfigError } from '../config/index.ts';
import type { KeyRecord, NewKeyInput } from '../keys/types.ts';
import { openPostgres } from '../stores/postgres/database.ts';
import { PostgresKeyStore } from '../stores/postgres/keys.ts';
import { postgresUrlFor } from '../stores/postgres/target.ts';
import type { StorageFlags } from '../stores/postgres/target.ts';
import { SqliteKeyStore } from '../stores/sqlite/keys.ts';
import { resolveDatabasePath } from '../stores/sqlite/path.ts';

const USAGE = `usage:
  parapet keys create --app NAME [--models "gpt-4o*,claude-*"] [--policy NAME] [--user U] [--json] [STORE]
  parapet keys list [--json] [STORE]
  parapet keys revoke ID [STORE]

STORE: --db FILE (SQLite), or --postgres URL, or --config FILE (its storage section).
Without one: $PARAPET_POSTGRES_URL, else storage.postgres_url of $PARAPET_CONFIG, else SQLite at
$PARAPET_DB, else ./parapet.db.
`;

const STORE_OPTIONS = {
  db: { type: 'string' },
  postgres: { type: 'string' },
  config: { type: 'string' },
} as const;

/** The key store the CLI works on; async because PostgreSQL is. */
interface KeyAdmin {
  create(input: NewKeyInput): Promise<{ record: KeyRecord; key: string }>;
  list(): Promise<KeyRecord[]>;
  revoke(id: string): Promise<boolean>;
  close(): Promise<void>;
}

async function openKeys(flags: StorageFlags, mustExist: boolean): Promise<KeyAdmin> {
  const url = postgresUrlFor(flags);
  if (url !== undefined) {
    const pool = await openPostgres(url);
    const store = new PostgresKeyStore(pool);
    return {
      create: (input) => store.create(input),
      list: () => store.list(),
      revoke: (id) => store.revoke(id),
      close: () => pool.end(),
    };
  }
  const store = new SqliteKeyStore(mustExist ? existingDatabase(flags.db) : resolveDatabasePath(flags.db));
  return {
    create: async (input) => store.create(input),
    list: async () => store.list(),
    revoke: async (id) => store.revoke(id),
    close: async () => store.close(),
  };
}

/** Bad invocation: reported with usage, exit code 2. */
class UsageError extends Error {}

const out = (text: string): void => {
  process.stdout.write(text);
};
const err = (text: string): void => {
  process.stderr.write(text);
};

/** Only what is safe to show: never the key, and no more of the hash than it takes to tell keys apart. */
function publicView(r: KeyRecord): Record<string, unknown> {
  return {
    id: r.id,
    app: r.app,
    policy: r.policy,
    models: r.models,
    user: r.user,
    createdAt: r.createdAt,
    revokedAt: r.revokedAt,
    hashPrefix: r.hash.slice(0, 8),
  };
}

/** parseArgs reports bad flags as TypeErrors; they are the user's mistake, so they become usage errors. */
function parseFlags<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

function noExtraArguments(positionals: string[], allowed: number): void {
  if (positionals.length > allowed) throw new UsageError(`unexpected argument '${positionals[allowed] ?? ''}'`);
}

function existingDatabase(flag: string | undefined): string {
  const file = resolveDatabasePath(flag);
  if (!fs.existsSync(file)) throw new Error(`no database at ${file} (create a key first, or pass --db / set PARAPET_DB)`);
  return file;
}

function optionalString(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (text === '') throw new UsageError(`--${flag} must not be empty`);
  return text;
}

async function create(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({
      args: argv,
      options: {
        app: { type: 'string' },
        models: { type: 'string' },
        policy: { type: 'string' },
        user: { type: 'string' },
        json: { type: 'boolean' },
        ...STORE_OPTIONS,
      },
      allowPositionals: true,
    }),
  );
  noExtraArguments(positionals, 0);
  const app = optionalString(values.app, 'app');
  if (app === undefined) throw new UsageError('--app NAME is required');
  let models: string[] | undefined;
  if (values.models !== undefined) {
    models = values.models
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m !== '');
    if (models.length === 0) throw new UsageError('--models needs at least one pattern, e.g. "gpt-4o*,claude-*"');
  }
  const policy = optionalString(values.policy, 'policy');
  const user = optionalString(values.user, 'user');

  const store = await openKeys(values, false);
  try {
    const { record, key } = await store.create({ app, policy, models, user });
    if (values.json) {
      const { hashPrefix: _omit, ...rest } = publicView(record);
      out(JSON.stringify({ id: record.id, key, ...rest }) + '\n');
    } else {
      const scope = [
        `app '${record.app}'`,
        record.policy ? `policy '${record.policy}'` : '',
        record.models ? `models ${record.models.join(', ')}` : '',
        record.user ? `user '${record.user}'` : '',
      ].filter((s) => s !== '');
      out(
        `Created ${record.id} for ${scope.join(', ')}.\n\n` +
          `  ${key}\n\n` +
          'Copy it now: it will not be shown again (only its hash is stored).\n',
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args: argv, options: { json: { type: 'boolean' }, ...STORE_OPTIONS }, allowPositionals: true }),
  );
  noExtraArguments(positionals, 0);
  const store = await openKeys(values, true);
  try {
    const records = await store.list();
    if (values.json) {
      out(JSON.stringify(records.map(publicView)) + '\n');
    } else if (records.length === 0) {
      out('(no keys)\n');
    } else {
      const rows = records.map((r) => [
        r.id,
        r.app,
        r.policy ?? '-',
        r.models?.join(',') ?? '*',
        r.user ?? '-',
        r.createdAt,
        r.revokedAt ? `revoked ${r.revokedAt}` : 'active',
        r.hash.slice(0, 8),
      ]);
      out(formatTable(['ID', 'APP', 'POLICY', 'MODELS', 'USER', 'CREATED', 'STATUS', 'HASH'], rows));
    }
    return 0;
  } finally {
    await store.close();
  }
}

async function revoke(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({ args: argv, options: { ...STORE_OPTIONS }, allowPositionals: true }),
  );
  noExtraArguments(positionals, 1);
  const id = positionals[0];
  if (id === undefined) throw new UsageError('revoke needs a key ID (see `parapet keys list`)');
  const store = await openKeys(values, true);
  try {
    if (await store.revoke(id)) {
      out(`Revoked ${id}.\n`);
      return 0;
    }
    const existing = (await store.list()).find((r) => r.id === id);
    if (existing?.revokedAt) {
      out(`${id} was already revoked at ${existing.revokedAt}.\n`);
      return 0;
    }
    err(`parapet keys: no key with id '${id}'\n`);
    return 1;
  } finally {
    await store.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'create':
        return await create(rest);
      case 'list':
        return await list(rest);
      case 'revoke':
        return await revoke(rest);
      case '--help':
      case '-h':
      case 'help':
        out(USAGE);
        return 0;
      case undefined:
        err(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown subcommand '${sub}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`parapet keys: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ConfigError) {
      err(`parapet keys: invalid configuration\n${e.message}\n`);
      return 2;
    }
    err(`parapet keys: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
