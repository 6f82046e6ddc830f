// `parapet mcp proxy` as a process, configured from parapet.yaml: keys from `parapet keys`, the policy
// from the mcp: section (reloaded live when the file changes), audit and pins in storage.sqlite.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../bench/lib/procs.ts';
import { SqliteAuditReader } from '../../src/stores/sqlite/audit.ts';
import { SqliteKeyStore } from '../../src/stores/sqlite/keys.ts';
import { startHttpMcpServer } from './fixtures/http-server.ts';
import { tempDir } from './helpers.ts';

function yaml(db: string, upstream: string, denyDelete: boolean): string {
  return [
    'storage:',
    `  sqlite: ${JSON.stringify(db)}`,
    'mcp:',
    '  servers:',
    '    files:',
    `      url: ${upstream}`,
    '  clients:',
    '    agent:',
    '      tools: ["files/*"]',
    ...(denyDelete ? ['      deny_tools: ["files/delete_*"]'] : []),
    '',
  ].join('\n');
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('parapet mcp proxy (CLI)', () => {
  it('serves configured servers to key holders and applies a policy change without a restart', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'parapet.db');
    const config = path.join(dir, 'parapet.yaml');
    const upstream = await startHttpMcpServer(() => 'clean');
    fs.writeFileSync(config, yaml(db, upstream.url, false));
    // The gateway's own key store: a key made for app 'agent' is what the proxy accepts.
    const keys = new SqliteKeyStore(db);
    const { key } = keys.create({ app: 'agent' });
    keys.close();

    const proxy = await startCli(['mcp', 'proxy', '--config', config, '--port', '0'], { PARAPET_CONFIG: '', PARAPET_DB: '' });
    const client = new Client({ name: 'agent', version: '1.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${proxy.url}/mcp/files`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('delete_file');
      const ok = await client.callTool({ name: 'delete_file', arguments: { path: 'tmp.txt' } });
      expect(ok.isError).toBeFalsy();

      fs.writeFileSync(config, yaml(db, upstream.url, true));
      await waitFor(() => proxy.stderr().includes('configuration reloaded'), 'the reload');
      const err = await client.callTool({ name: 'delete_file', arguments: { path: 'tmp.txt' } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(McpError);
      expect((err as McpError).message).toContain("tool 'delete_file' is not allowed for client 'agent'");
    } finally {
      await client.close();
      expect(await proxy.stop()).toBe(0);
      await upstream.close();
    }

    const reader = new SqliteAuditReader(db);
    try {
      const rows = reader.query({ limit: 10 }).reverse();
      expect(rows.map((e) => `${e.route} ${e.decision} ${e.app}`)).toEqual([
        'tools/list allow agent',
        'tools/call/delete_file allow agent',
        'tools/call/delete_file block agent',
      ]);
    } finally {
      reader.close();
    }
    const pins = await runCli(['mcp', 'pins', 'list', '--config', config], { PARAPET_CONFIG: '', PARAPET_DB: '' });
    expect(pins.stdout).toMatch(/^SERVER\s+TOOL\s+STATUS/);
    expect(pins.stdout).toMatch(/files\s+delete_file\s+pinned\s+first-sight/);
  });

  it('refuses to start without a server to proxy, and rejects a bad --upstream', async () => {
    const none = await runCli(['mcp', 'proxy', '--port', '0'], { PARAPET_CONFIG: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no server to proxy');
    const bad = await runCli(['mcp', 'proxy', '--upstream', 'ftp://x'], { PARAPET_CONFIG: '' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--upstream must be an http:// or https:// URL');
  });
});
