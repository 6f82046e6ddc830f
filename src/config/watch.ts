// Hot reload. The directory is watched rather than the file: editors and Kubernetes ConfigMaps replace
// the file (write elsewhere, rename over), which ends a watch on the file itself.

import { readFileSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConfigError } from './errors.ts';
import { parseConfig } from './load.ts';
import type { GatewayConfig } from './types.ts';

const DEBOUNCE_MS = 50;

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Calls `onChange` with the new configuration whenever the file at `path` changes to a valid one, and
 * `onError` when it changes to an invalid (or unreadable) one; the caller then keeps its current
 * configuration. Unchanged content (an editor touching the file) reports nothing.
 */
export function watchConfig(
  path: string,
  env: NodeJS.ProcessEnv,
  onChange: (cfg: GatewayConfig) => void,
  onError: (err: ConfigError) => void,
): { close(): void } {
  const name = basename(path);
  let last = readOrUndefined(path);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const reload = (): void => {
    timer = undefined;
    if (closed) return;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      // Reported once per disappearance; the next successful read compares against "nothing".
      if (last === undefined) return;
      last = undefined;
      onError(new ConfigError([{ path: '', message: `cannot read configuration file: ${(err as Error).message}`, source: path }]));
      return;
    }
    if (text === last) return;
    last = text;
    let cfg: GatewayConfig;
    try {
      cfg = parseConfig(text, path, env);
    } catch (err) {
      if (err instanceof ConfigError) {
        onError(err);
        return;
      }
      throw err;
    }
    onChange(cfg);
  };

  let watcher: FSWatcher;
  try {
    // Not persistent: a config watcher alone should never keep the process alive.
    watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
      // Other files in the directory (the SQLite journal, editor swap files) are noise; a null name
      // (platform did not say) and Kubernetes' "..data" symlink swap may be ours.
      if (filename !== null && filename !== name && !filename.startsWith('..')) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(reload, DEBOUNCE_MS);
    });
  } catch (err) {
    throw new ConfigError([{ path: '', message: `cannot watch configuration file: ${(err as Error).message}`, source: path }]);
  }
  watcher.on('error', (err) => {
    onError(new ConfigError([{ path: '', message: `watching the configuration file failed: ${err.message}`, source: path }]));
  });

  return {
    close(): void {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      watcher.close();
    },
  };
}
