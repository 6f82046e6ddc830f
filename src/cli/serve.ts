// `parapet serve`: the gateway on its embedded defaults (SQLite, in-memory limits) or a config file,
// with PostgreSQL (audit log, keys) and Redis (limits) when the configuration names them; and with
// `--workers N`, N gateway processes on one port (node:cluster) sharing those stores.
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import os from 'node:os';
import process from 'node:process';
import { parseArgs } from 'node:util';
import type { Pool } from 'pg';
import type { AuditSink } from '../audit/index.ts';
import { ConfigError, loadConfig, watchConfig } from '../config/index.ts';
import type { GatewayConfig } from '../config/index.ts';
import { DetectionEngine } from '../detectors/engine.ts';
import { DEFAULT_DETECTORS, DEFAULT_NORMALIZER } from '../detectors/registry.ts';
import type { KeyStore } from '../keys/index.ts';
import { MemoryLimitStore, StoreLimiter, preloadTokenizers } from '../limits/index.ts';
import type { LimitStore } from '../limits/index.ts';
import { createGateway } from '../server/gateway.ts';
import { PostgresAuditSink } from '../stores/postgres/audit.ts';
import { openPostgres } from '../stores/postgres/database.ts';
import { PostgresKeyMirror, PostgresKeyStore } from '../stores/postgres/keys.ts';
import { waitForRedis } from '../stores/redis/client.ts';
import { redactUrl } from '../stores/url.ts';
import { RedisLimitStore } from '../stores/redis/limits.ts';
import { openDatabase } from '../stores/sqlite/database.ts';
import { SqliteAuditSink } from '../stores/sqlite/audit.ts';
import { SqliteKeyStore } from '../stores/sqlite/keys.ts';
import { resolveDatabasePath } from '../stores/sqlite/path.ts';
import { WebhookAlerts } from '../respond/alerts.ts';
import { MemoryApprovals } from '../respond/approvals.ts';
import type { ApprovalRegistry } from '../respond/approvals.ts';
import { RedisApprovals } from '../respond/approvals-redis.ts';
import { MemorySessionStore, RedisSessionStore, SessionGuard } from '../sessions/index.ts';
import type { SessionStore } from '../sessions/index.ts';

type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

const log: Log = (level, msg, fields = {}) => {
  const worker = cluster.isWorker ? { worker: cluster.worker?.id } : {};
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...worker, ...fields })}\n`);
};

const USAGE = 'usage: parapet serve [--config FILE] [--host H] [--port N] [--workers N|auto]\n';

interface Stores {
  keys: KeyStore;
  audit: AuditSink;
  limits: LimitStore;
  /** Session and key state for correlation rules (src/sessions): Redis when limits are, else memory. */
  sessions: SessionStore;
  /** Tool calls held for a human: Redis when configured (any instance lists and decides), else memory. */
  approvals: ApprovalRegistry;
  /** Revokes a key where keys live (a session rule may do it, like `parapet keys revoke`). */
  revokeKey: (keyId: string) => boolean | Promise<boolean>;
  /** What is used, for the start-up line. */
  describe: string;
  close(): Promise<void>;
}

/** The stores the configuration asks for: PostgreSQL or SQLite, Redis or memory. */
async function openStores(config: GatewayConfig): Promise<Stores> {
  const closers: (() => unknown)[] = [];
  const parts: string[] = [];
  let keys: KeyStore;
  let audit: AuditSink;
  let revokeKey: Stores['revokeKey'];
  const { postgresUrl, redisUrl } = config.storage;
  try {
    if (postgresUrl) {
      const pool: Pool = await openPostgres(postgresUrl, { log, max: 4 });
      closers.push(() => pool.end());
      const mirror = await PostgresKeyMirror.open(postgresUrl, pool, { log });
      closers.push(() => mirror.close());
      keys = mirror;
      const admin = new PostgresKeyStore(pool);
      revokeKey = (id) => admin.revoke(id);
      audit = new PostgresAuditSink(pool);
      parts.push(`audit+keys: ${redactUrl(postgresUrl)}`);
    } else {
      const dbPath = resolveDatabasePath(undefined, { PARAPET_DB: config.storage.sqlitePath });
      const db = openDatabase(dbPath);
      closers.push(() => db.close());
      const sqliteKeys = new SqliteKeyStore(db);
      closers.push(() => sqliteKeys.close());
      keys = sqliteKeys;
      revokeKey = (id) => sqliteKeys.revoke(id);
      // The audit writer gets its own connection with a short busy timeout: a CLI holding the write
      // lock must not stall request handling (the sink retries instead).
      audit = new SqliteAuditSink(dbPath);
      parts.push(`audit: ${dbPath}`);
    }
    let limits: LimitStore;
    let sessions: SessionStore;
    let approvals: ApprovalRegistry;
    if (redisUrl) {
      const redisStore = new RedisLimitStore(redisUrl, { prefix: config.storage.redisPrefix, log });
      if (!(await waitForRedis(redisStore.redis, 3000))) {
        log('warn', 'redis not reachable at start; limited requests follow each policy\'s fail mode until it is', { url: redactUrl(redisUrl) });
      }
      limits = redisStore;
      // One connection for both: sessions add one script call per request to the limits' one.
      sessions = new RedisSessionStore(redisStore.redis, { prefix: config.storage.redisPrefix });
      // Approvals share it too, plus a subscriber connection of their own for decisions.
      approvals = new RedisApprovals(redisStore.redis, { prefix: config.storage.redisPrefix, log });
      parts.push(`limits+sessions+approvals: ${redactUrl(redisUrl)}`);
    } else {
      limits = new MemoryLimitStore();
      sessions = new MemorySessionStore();
      approvals = new MemoryApprovals();
      parts.push('limits+sessions+approvals: memory');
    }
    return {
      keys,
      audit,
      limits,
      sessions,
      approvals,
      revokeKey,
      describe: parts.join(', '),
      async close() {
        for (const c of closers.reverse()) await c();
      },
    };
  } catch (err) {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
    throw err;
  }
}

function workerCount(value: string | undefined): number | undefined {
  if (value === undefined) return 1;
  if (value === 'auto') return os.availableParallelism();
  return /^\d{1,3}$/.test(value) && Number(value) >= 1 ? Number(value) : undefined;
}

export async function run(argv: string[]): Promise<number> {
  let values: { config?: string; host?: string; port?: string; workers?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: 'string', short: 'c' }, host: { type: 'string' }, port: { type: 'string' }, workers: { type: 'string', short: 'w' } },
    }));
  } catch (err) {
    process.stderr.write(`parapet serve: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const workers = workerCount(values.workers ?? (process.env['PARAPET_WORKERS'] || undefined));
  if (workers === undefined) {
    process.stderr.write(`parapet serve: --workers must be a number from 1 to 999, or auto\n${USAGE}`);
    return 2;
  }
  const configPath = values.config ?? (process.env['PARAPET_CONFIG'] || undefined);
  const env = { ...process.env };
  if (values.host) env['PARAPET_HOST'] = values.host;
  if (values.port) env['PARAPET_PORT'] = values.port;

  let config: GatewayConfig;
  try {
    config = loadConfig(configPath, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`parapet serve: invalid configuration\n${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (workers > 1 && cluster.isPrimary) return primary(config, workers);
  return serve(config, configPath, env);
}

/** One gateway process: a whole gateway, or one worker of a cluster. */
async function serve(config: GatewayConfig, configPath: string | undefined, env: NodeJS.ProcessEnv): Promise<number> {
  let stores: Stores;
  try {
    stores = await openStores(config);
  } catch (err) {
    process.stderr.write(`parapet serve: cannot open storage: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (Object.values(config.policies).some((p) => p.limits !== undefined)) {
    // The encodings are megabytes: load them before taking traffic, not on the first limited request.
    await preloadTokenizers();
  }
  const engine = new DetectionEngine({ detectors: DEFAULT_DETECTORS, normalize: DEFAULT_NORMALIZER });
  // Detectors load their data lazily (the PII gazetteers are a megabyte, ~0.1 s): one scan of each
  // direction here, so the first client does not pay for it.
  engine.scanText('Warm-up: Jane Doe, 1 Main Street, Lisbon, jane@example.com', { role: 'user', trust: 'user', direction: 'input' });
  engine.scanText('Warm-up: Jane Doe, 1 Main Street, Lisbon, jane@example.com', { role: 'assistant', trust: 'trusted', direction: 'output' });

  let current = config;
  const limiter = new StoreLimiter({ store: stores.limits, prices: () => current.prices, log });
  const sessions = new SessionGuard({
    store: stores.sessions,
    revokeKey: stores.revokeKey,
    alerts: new WebhookAlerts({ config: () => current.alerts, log }),
    log,
  });
  const gateway = createGateway({ config: () => current, keys: stores.keys, audit: stores.audit, engine, limits: limiter, sessions, approvals: stores.approvals, log });
  const watcher = configPath
    ? watchConfig(
        configPath,
        env,
        (next) => {
          current = next;
          log('info', 'configuration reloaded', { source: next.source });
        },
        (err) => log('error', 'configuration change rejected; keeping the running configuration', { error: err.message }),
      )
    : undefined;

  const url = await gateway.listen(config.server.host, config.server.port);
  if (cluster.isWorker) log('info', 'worker listening', { url });
  else process.stdout.write(`parapet listening on ${url} (config: ${config.source}, ${stores.describe})\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', 'draining', { signal, inFlight: gateway.inFlight() });
    watcher?.close();
    const deadline = setTimeout(() => {
      log('warn', 'drain timeout reached; closing remaining connections', { inFlight: gateway.inFlight() });
      gateway.app.server.closeAllConnections();
    }, current.server.drainTimeoutMs);
    deadline.unref();
    gateway
      .drain()
      // Its subscriber connection is its own; the shared one closes with the limits.
      .then(() => stores.approvals.close())
      // Settlements still in flight reach the limit store before it closes.
      .then(() => limiter.close())
      // Alerts still queued get a last chance; the shared Redis connection is closed with the limits.
      .then(() => sessions.close())
      .then(() => stores.audit.close())
      .then(() => stores.close())
      .then(() => {
        log('info', 'stopped');
        process.exitCode = 0;
        // A cluster worker's IPC channel keeps it alive; it has nothing left to do.
        if (cluster.isWorker) process.disconnect();
      })
      .catch((err: unknown) => {
        log('error', 'drain failed', { error: err instanceof Error ? err.message : String(err) });
        process.exitCode = 1;
        if (cluster.isWorker) process.disconnect();
      })
      .finally(() => clearTimeout(deadline));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // In a cluster the primary asks workers to stop with a message (signals to a process group would
  // reach them twice).
  process.on('message', (msg) => {
    if (msg === 'parapet:stop') stop('primary');
  });
  return -1;
}

/**
 * The cluster primary: forks the workers, which share one listening port; announces the URL once
 * every worker listens; replaces a worker that dies; on SIGTERM/SIGINT lets every worker drain.
 */
function primary(config: GatewayConfig, count: number): Promise<number> {
  if (!config.storage.redisUrl && Object.values(config.policies).some((p) => p.limits?.rules.length)) {
    log('warn', 'limits are counted per worker process: set storage.redis_url (or PARAPET_REDIS_URL) to share them', { workers: count });
  }
  if (!config.storage.redisUrl && Object.values(config.policies).some((p) => (p.tools?.approvalTools.length ?? 0) > 0)) {
    log('warn', 'approvals are held per worker process, and the admin API reaches one worker at random: set storage.redis_url (or PARAPET_REDIS_URL) to share them', { workers: count });
  }
  let stopping = false;
  let listening = 0;
  let announced = false;
  const live = new Set<Worker>();

  const fork = (): void => {
    const w = cluster.fork();
    live.add(w);
    w.once('listening', (address) => {
      listening++;
      if (announced || listening < count) return;
      announced = true;
      const host = address.address && address.address !== '::' && address.address !== '0.0.0.0' ? address.address : config.server.host;
      const shown = host.includes(':') ? `[${host}]` : host;
      const where = config.storage.postgresUrl ? `audit+keys: ${redactUrl(config.storage.postgresUrl)}` : `audit: ${config.storage.sqlitePath}`;
      const limits = config.storage.redisUrl ? `limits: ${redactUrl(config.storage.redisUrl)}` : 'limits: memory per worker';
      process.stdout.write(`parapet listening on http://${shown}:${address.port} (config: ${config.source}, ${count} workers, ${where}, ${limits})\n`);
    });
    w.once('exit', (code, signal) => {
      live.delete(w);
      if (stopping) {
        if (live.size === 0) {
          log('info', 'stopped');
          process.exitCode = 0;
        }
        return;
      }
      log('error', 'worker exited; starting a new one', { pid: w.process.pid, code, signal });
      fork();
    });
  };
  for (let i = 0; i < count; i++) fork();

  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', 'draining workers', { signal, workers: live.size });
    for (const w of live) w.send('parapet:stop');
    if (live.size === 0) process.exitCode = 0;
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return Promise.resolve(-1);
}
