// Tool pinning: the first definition of a tool seen from a server is pinned by hash (trust on first
// use). A later, different definition is recorded next to the pin, not over it, and stays "changed"
// until an operator approves it (`parapet mcp pins approve SERVER TOOL`). Kept in the same SQLite file
// as keys and audit, in a table of its own with its own schema version, so the MCP side can evolve
// without touching the shared migration list. No cache: an approval made by the CLI in another
// process takes effect on the next message.

import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { openDatabase } from '../stores/sqlite/database.ts';
import { canonicalJson } from './definitions.ts';
import type { JsonObject } from './jsonrpc.ts';

export type PinApproval = 'first-sight' | 'operator';

export interface ToolPin {
  server: string;
  tool: string;
  /** SHA-256 of the approved definition. */
  pinnedHash: string;
  pinnedDefinition: JsonObject;
  pinnedAt: string;
  approvedBy: PinApproval;
  /** SHA-256 of the latest definition seen; equal to pinnedHash unless the tool changed. */
  seenHash: string;
  seenDefinition: JsonObject;
  seenAt: string;
}

/** new: pinned just now; pinned: seen as pinned; changed: differs from the pin (a possible rug pull). */
export type PinStatus = 'new' | 'pinned' | 'changed';

export interface PinStore {
  /** Records a definition seen from `server`; pins it on first sight. */
  observe(server: string, tool: string, hash: string, definition: JsonObject): { status: PinStatus; pin: ToolPin };
  get(server: string, tool: string): ToolPin | undefined;
  list(server?: string): ToolPin[];
  /** Pins the latest seen definition as operator-approved; undefined when the tool was never seen. */
  approve(server: string, tool: string): ToolPin | undefined;
  close(): void;
}

export function pinStatus(pin: ToolPin): Exclude<PinStatus, 'new'> {
  return pin.seenHash === pin.pinnedHash ? 'pinned' : 'changed';
}

/** Schema steps of the MCP tables; entry i brings mcp_schema.version from i to i + 1. Append only. */
const MCP_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE mcp_tool_pins (
    server             TEXT NOT NULL,
    tool               TEXT NOT NULL,
    pinned_hash        TEXT NOT NULL,
    pinned_definition  TEXT NOT NULL,   -- canonical JSON of the approved definition
    pinned_at          TEXT NOT NULL,
    approved_by        TEXT NOT NULL,   -- 'first-sight' | 'operator'
    seen_hash          TEXT NOT NULL,
    seen_definition    TEXT NOT NULL,
    seen_at            TEXT NOT NULL,
    PRIMARY KEY (server, tool)
  ) STRICT;
  `,
];

function schemaVersion(db: DatabaseSync): number {
  const table = db.prepare("SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'mcp_schema'").get();
  if (table === undefined) return 0;
  return Number(db.prepare('SELECT version FROM mcp_schema').get()?.['version'] ?? 0);
}

/** Brings the MCP tables up to date; safe for several processes opening the file at once. */
export function migrateMcp(db: DatabaseSync): void {
  const target = MCP_MIGRATIONS.length;
  const tooNew = (v: number): Error =>
    new Error(`sqlite: the MCP tables (version ${v}) are newer than this parapet understands (${target}); upgrade parapet`);
  const current = schemaVersion(db);
  if (current > target) throw tooNew(current);
  if (current === target) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec('CREATE TABLE IF NOT EXISTS mcp_schema (version INTEGER NOT NULL) STRICT');
    const from = schemaVersion(db);
    if (from > target) throw tooNew(from);
    for (let v = from; v < target; v++) db.exec(MCP_MIGRATIONS[v] ?? '');
    db.exec('DELETE FROM mcp_schema');
    db.prepare('INSERT INTO mcp_schema (version) VALUES (?)').run(target);
    db.exec('COMMIT');
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

const COLUMNS = 'server, tool, pinned_hash, pinned_definition, pinned_at, approved_by, seen_hash, seen_definition, seen_at';

function parseDefinition(text: unknown): JsonObject {
  try {
    const v: unknown = JSON.parse(String(text));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : {};
  } catch {
    return {};
  }
}

function toPin(row: Record<string, unknown>): ToolPin {
  return {
    server: String(row['server']),
    tool: String(row['tool']),
    pinnedHash: String(row['pinned_hash']),
    pinnedDefinition: parseDefinition(row['pinned_definition']),
    pinnedAt: String(row['pinned_at']),
    approvedBy: row['approved_by'] === 'operator' ? 'operator' : 'first-sight',
    seenHash: String(row['seen_hash']),
    seenDefinition: parseDefinition(row['seen_definition']),
    seenAt: String(row['seen_at']),
  };
}

/** Busy timeout for the proxy's connection: it runs on the event loop, so it should not wait long. */
export const PIN_BUSY_TIMEOUT_MS = 1000;

export class SqlitePinStore implements PinStore {
  readonly #db: DatabaseSync;
  readonly #ownsDb: boolean;
  readonly #insert: StatementSync;
  readonly #update: StatementSync;
  readonly #get: StatementSync;
  readonly #all: StatementSync;
  readonly #byServer: StatementSync;
  readonly #approve: StatementSync;

  /** Given a path the store opens and owns the file; given a handle it shares it. */
  constructor(database: DatabaseSync | string, options: { busyTimeoutMs?: number } = {}) {
    this.#ownsDb = typeof database === 'string';
    this.#db = typeof database === 'string' ? openDatabase(database, { busyTimeoutMs: options.busyTimeoutMs ?? PIN_BUSY_TIMEOUT_MS }) : database;
    try {
      migrateMcp(this.#db);
    } catch (err) {
      if (this.#ownsDb) this.#db.close();
      throw err;
    }
    this.#insert = this.#db.prepare(
      `INSERT OR IGNORE INTO mcp_tool_pins (${COLUMNS}) VALUES (:server, :tool, :hash, :definition, :now, 'first-sight', :hash, :definition, :now)`,
    );
    // Only a different definition is written: a tools/list that matches what is on file costs a read.
    this.#update = this.#db.prepare(
      'UPDATE mcp_tool_pins SET seen_hash = :hash, seen_definition = :definition, seen_at = :now WHERE server = :server AND tool = :tool AND seen_hash != :hash',
    );
    this.#get = this.#db.prepare(`SELECT ${COLUMNS} FROM mcp_tool_pins WHERE server = ? AND tool = ?`);
    this.#all = this.#db.prepare(`SELECT ${COLUMNS} FROM mcp_tool_pins ORDER BY server, tool`);
    this.#byServer = this.#db.prepare(`SELECT ${COLUMNS} FROM mcp_tool_pins WHERE server = ? ORDER BY tool`);
    this.#approve = this.#db.prepare(
      "UPDATE mcp_tool_pins SET pinned_hash = seen_hash, pinned_definition = seen_definition, pinned_at = ?, approved_by = 'operator' WHERE server = ? AND tool = ?",
    );
  }

  observe(server: string, tool: string, hash: string, definition: JsonObject): { status: PinStatus; pin: ToolPin } {
    const params = { server, tool, hash, definition: canonicalJson(definition), now: new Date().toISOString() };
    const inserted = Number(this.#insert.run(params).changes) > 0;
    if (!inserted) this.#update.run(params);
    const pin = this.get(server, tool);
    if (pin === undefined) throw new Error(`mcp pins: ${server}/${tool} vanished while being recorded`);
    return { status: inserted ? 'new' : pinStatus(pin), pin };
  }

  get(server: string, tool: string): ToolPin | undefined {
    const row = this.#get.get(server, tool);
    return row === undefined ? undefined : toPin(row);
  }

  list(server?: string): ToolPin[] {
    return (server === undefined ? this.#all.all() : this.#byServer.all(server)).map(toPin);
  }

  approve(server: string, tool: string): ToolPin | undefined {
    const changed = Number(this.#approve.run(new Date().toISOString(), server, tool).changes) > 0;
    return changed ? this.get(server, tool) : undefined;
  }

  close(): void {
    if (this.#ownsDb && this.#db.isOpen) this.#db.close();
  }
}
