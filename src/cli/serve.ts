// `parapet serve`: the gateway on its embedded defaults (SQLite, in-memory state) or a config file.
import process from 'node:process';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, watchConfig } from '../config/index.ts';
import type { GatewayConfig } from '../config/index.ts';
import { DetectionEngine } from '../detectors/engine.ts';
import { DEFAULT_DETECTORS, DEFAULT_NORMALIZER } from '../detectors/registry.ts';
import { createGateway } from '../server/gateway.ts';
import { openDatabase } from '../stores/sqlite/database.ts';
import { SqliteAuditSink } from '../stores/sqlite/audit.ts';
import { SqliteKeyStore } from '../stores/sqlite/keys.ts';
import { resolveDatabasePath } from '../stores/sqlite/path.ts';

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
}

export async function run(argv: string[]): Promise<number> {
  let values: { config?: string; host?: string; port?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, host: { type: 'string' }, port: { type: 'string' } } }));
  } catch (err) {
    process.stderr.write(`parapet serve: ${err instanceof Error ? err.message : String(err)}\nusage: parapet serve [--config FILE] [--host H] [--port N]\n`);
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

  const dbPath = resolveDatabasePath(undefined, { PARAPET_DB: config.storage.sqlitePath });
  const db = openDatabase(dbPath);
  const keys = new SqliteKeyStore(db);
  // The audit writer gets its own connection with a short busy timeout: a CLI holding the write
  // lock must not stall request handling (the sink retries instead).
  const audit = new SqliteAuditSink(dbPath);
  const engine = new DetectionEngine({ detectors: DEFAULT_DETECTORS, normalize: DEFAULT_NORMALIZER });

  let current = config;
  const gateway = createGateway({ config: () => current, keys, audit, engine, log });
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
  process.stdout.write(`parapet listening on ${url} (config: ${config.source}, audit: ${dbPath})\n`);

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
      .then(() => audit.close())
      .then(() => {
        keys.close();
        db.close();
        log('info', 'stopped');
        process.exitCode = 0;
      })
      .catch((err: unknown) => {
        log('error', 'drain failed', { error: err instanceof Error ? err.message : String(err) });
        process.exitCode = 1;
      })
      .finally(() => clearTimeout(deadline));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return -1;
}
