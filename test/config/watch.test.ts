import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchConfig } from '../../src/config/index.ts';
import type { ConfigError, GatewayConfig } from '../../src/config/index.ts';

async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('watchConfig', () => {
  let dir: string;
  let file: string;
  let changes: GatewayConfig[];
  let errors: ConfigError[];
  let watcher: { close(): void } | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parapet-watch-'));
    file = join(dir, 'parapet.yaml');
    writeFileSync(file, 'server:\n  port: 8001\n');
    changes = [];
    errors = [];
    watcher = watchConfig(file, {}, (cfg) => changes.push(cfg), (err) => errors.push(err));
  });

  afterEach(() => {
    watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a valid change with the new configuration', async () => {
    writeFileSync(file, 'server:\n  port: 8002\n');
    await waitFor('the change', () => changes.length > 0);
    expect(changes.at(-1)?.server.port).toBe(8002);
    expect(changes.at(-1)?.source).toBe(file);
    expect(errors).toEqual([]);
  });

  it('reports an invalid change as an error and no configuration', async () => {
    writeFileSync(file, 'server:\n  port: 8003\n  prot: 1\n');
    await waitFor('the error', () => errors.length > 0);
    expect(changes).toEqual([]);
    expect(errors[0]?.issues[0]).toMatchObject({ path: 'server.prot', line: 3, source: file });

    // The next valid save is picked up again.
    writeFileSync(file, 'server:\n  port: 8004\n');
    await waitFor('the recovery', () => changes.length > 0);
    expect(changes.at(-1)?.server.port).toBe(8004);
  });

  it('follows a file replaced by rename, as editors and ConfigMaps do', async () => {
    const temp = join(dir, '.parapet.yaml.tmp');
    writeFileSync(temp, 'server:\n  port: 8005\n');
    renameSync(temp, file);
    await waitFor('the change', () => changes.length > 0);
    expect(changes.at(-1)?.server.port).toBe(8005);

    writeFileSync(temp, 'server:\n  port: 8006\n');
    renameSync(temp, file);
    await waitFor('the second change', () => changes.some((c) => c.server.port === 8006));
  });

  it('ignores other files in the directory and rewrites with the same content', async () => {
    writeFileSync(join(dir, 'parapet.db'), 'x');
    writeFileSync(file, 'server:\n  port: 8001\n');
    // Spaced past the debounce so the rewrite is judged on its own; the sentinel change afterwards
    // proves the earlier events were seen and passed over.
    await new Promise((resolve) => setTimeout(resolve, 150));
    writeFileSync(file, 'server:\n  port: 8007\n');
    await waitFor('the sentinel', () => changes.length > 0);
    expect(changes.map((c) => c.server.port)).toEqual([8007]);
  });

  it('reports a deleted file and picks it up again when it returns', async () => {
    rmSync(file);
    await waitFor('the error', () => errors.length > 0);
    expect(errors[0]?.message).toContain('cannot read configuration file');
    writeFileSync(file, 'server:\n  port: 8001\n');
    await waitFor('the change', () => changes.length > 0);
    expect(changes[0]?.server.port).toBe(8001);
    expect(errors).toHaveLength(1);
  });

  it('stops reporting after close', async () => {
    watcher?.close();
    watcher = undefined;
    writeFileSync(file, 'server:\n  port: 8008\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(changes).toEqual([]);
    expect(errors).toEqual([]);
  });
});
