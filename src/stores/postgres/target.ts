// Which PostgreSQL database the CLI (`parapet keys`, `parapet audit`) works on, if any: the same one
// the gateway uses, found the same way.

import { loadConfig } from '../../config/index.ts';

export interface StorageFlags {
  /** --postgres URL */
  postgres?: string;
  /** --db FILE: SQLite, explicitly. */
  db?: string;
  /** --config FILE */
  config?: string;
}

/**
 * --db picks SQLite; else --postgres URL, else $PARAPET_POSTGRES_URL, else storage.postgres_url of
 * the configuration file (--config or $PARAPET_CONFIG). Undefined means SQLite. Throws ConfigError
 * when the configuration file is invalid: silently falling back to SQLite would put keys where the
 * gateway never looks.
 */
export function postgresUrlFor(flags: StorageFlags, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flags.db !== undefined) return undefined;
  if (flags.postgres !== undefined) return flags.postgres;
  const fromEnv = env['PARAPET_POSTGRES_URL']?.trim();
  if (fromEnv) return fromEnv;
  const configPath = flags.config ?? (env['PARAPET_CONFIG'] || undefined);
  if (configPath === undefined) return undefined;
  return loadConfig(configPath, env).storage.postgresUrl;
}
