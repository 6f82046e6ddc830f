// Shared pieces of the MCP tests: an in-memory audit sink, a guard over a fresh pin store, and
// JSON-RPC message builders.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEvent, AuditSink } from '../../src/audit/types.ts';
import { defaultMcpConfig } from '../../src/mcp/config.ts';
import type { McpConfig } from '../../src/mcp/config.ts';
import { McpGuard } from '../../src/mcp/guard.ts';
import type { GuardOptions } from '../../src/mcp/guard.ts';
import { SqlitePinStore } from '../../src/mcp/pins.ts';

export class MemoryAudit implements AuditSink {
  readonly events: AuditEvent[] = [];
  write(event: AuditEvent): void {
    this.events.push(event);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

export function tempDir(prefix = 'parapet-mcp-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface GuardFixture {
  guard: McpGuard;
  audit: MemoryAudit;
  pins: SqlitePinStore;
  config: McpConfig;
}

export function makeGuard(edit: (c: McpConfig) => void = () => undefined, extra: Partial<GuardOptions> = {}): GuardFixture {
  const config = defaultMcpConfig();
  edit(config);
  const audit = new MemoryAudit();
  const pins = new SqlitePinStore(':memory:');
  const guard = new McpGuard({ config: () => config, pins, audit, ...extra });
  return { guard, audit, pins, config };
}

let nextId = 1;

export function request(method: string, params?: unknown): { jsonrpc: '2.0'; id: number; method: string; params?: unknown } {
  return { jsonrpc: '2.0', id: nextId++, method, ...(params === undefined ? {} : { params }) };
}

export function call(name: string, args: unknown = {}): ReturnType<typeof request> {
  return request('tools/call', { name, arguments: args });
}

export function result(id: number, value: unknown): { jsonrpc: '2.0'; id: number; result: unknown } {
  return { jsonrpc: '2.0', id, result: value };
}

export function tool(name: string, description: string, properties: Record<string, unknown> = { q: { type: 'string' } }): Record<string, unknown> {
  return { name, description, inputSchema: { type: 'object', properties } };
}
