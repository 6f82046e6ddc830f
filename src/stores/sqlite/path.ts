// Where the SQLite file lives when nobody says: the same rule for `serve`, `keys` and `audit`, so
// the key a CLI creates is the one the gateway in the same directory accepts.
import path from 'node:path';
import process from 'node:process';

export const DEFAULT_DATABASE_FILE = 'parapet.db';

/** `--db FILE`, else $PARAPET_DB, else parapet.db in the working directory. */
export function resolveDatabasePath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  const chosen = flag ?? (env['PARAPET_DB'] || undefined) ?? DEFAULT_DATABASE_FILE;
  return path.resolve(cwd, chosen);
}
