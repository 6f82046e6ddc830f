// An in-process stack for gateway tests: the project's mock LLM as upstream, a gateway on a
// random port with a temporary SQLite file, and official SDK clients pointed at it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { AuditEvent } from '../../src/audit/index.ts';
import { loadConfig, parseConfig } from '../../src/config/index.ts';
import type { GatewayConfig } from '../../src/config/index.ts';
import { DetectionEngine } from '../../src/detectors/engine.ts';
import { DEFAULT_DETECTORS, DEFAULT_NORMALIZER } from '../../src/detectors/registry.ts';
import type { Limiter } from '../../src/limits/types.ts';
import type { ApprovalRegistry } from '../../src/respond/approvals.ts';
import type { Detector } from '../../src/detectors/types.ts';
import { startMockLlm } from '../../src/mock/server.ts';
import type { MockServer } from '../../src/mock/server.ts';
import type { ScriptLine } from '../../src/mock/script.ts';
import { createGateway } from '../../src/server/gateway.ts';
import type { Gateway } from '../../src/server/gateway.ts';
import { SqliteAuditReader, SqliteAuditSink } from '../../src/stores/sqlite/audit.ts';
import { openDatabase } from '../../src/stores/sqlite/database.ts';
import { SqliteKeyStore } from '../../src/stores/sqlite/keys.ts';

export interface Stack {
  url: string;
  /** The SQLite file holding the audit log and keys. */
  dbPath: string;
  mock: MockServer;
  gateway: Gateway;
  keys: SqliteKeyStore;
  key: string;
  config: GatewayConfig;
  setConfig(c: GatewayConfig): void;
  openai(opts?: { apiKey?: string; timeout?: number }): OpenAI;
  anthropic(opts?: { apiKey?: string; timeout?: number }): Anthropic;
  /** Flush the audit log and read it back, newest first. */
  audit(): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

export interface StackOptions {
  yaml?: string;
  script?: ScriptLine[];
  detectors?: readonly Detector[];
  /** Limits for the gateway; the caller owns it (closes it after the stack). */
  limits?: Limiter;
  /** Pending approvals (memory when absent); the caller owns it (closes it after the stack). */
  approvals?: ApprovalRegistry;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const mock = await startMockLlm({ script: opts.script ?? [] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-gw-'));
  const dbPath = path.join(dir, 'parapet.db');
  const env = {
    PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`,
    PARAPET_ANTHROPIC_BASE_URL: mock.url,
    PARAPET_DB: dbPath,
    PARAPET_PORT: '0',
    OPENAI_API_KEY: 'sk-upstream-openai',
    ANTHROPIC_API_KEY: 'sk-ant-upstream',
  };
  let config = opts.yaml ? parseConfig(opts.yaml, 'test.yaml', env) : loadConfig(undefined, env);
  const db = openDatabase(dbPath);
  const keys = new SqliteKeyStore(db);
  const audit = new SqliteAuditSink(dbPath);
  const reader = new SqliteAuditReader(db);
  const engine = new DetectionEngine({ detectors: opts.detectors ?? DEFAULT_DETECTORS, normalize: DEFAULT_NORMALIZER });
  const gateway = createGateway({ config: () => config, keys, audit, engine, ...(opts.limits ? { limits: opts.limits } : {}), ...(opts.approvals ? { approvals: opts.approvals } : {}) });
  const url = await gateway.listen('127.0.0.1', 0);
  const { key } = keys.create({ app: 'test-app' });
  return {
    url,
    dbPath,
    mock,
    gateway,
    keys,
    key,
    get config() {
      return config;
    },
    setConfig(c) {
      config = c;
    },
    openai: (o = {}) => new OpenAI({ baseURL: `${url}/v1`, apiKey: o.apiKey ?? key, maxRetries: 0, timeout: o.timeout ?? 10_000 }),
    anthropic: (o = {}) => new Anthropic({ baseURL: url, apiKey: o.apiKey ?? key, maxRetries: 0, timeout: o.timeout ?? 10_000 }),
    async audit() {
      await audit.flush();
      return reader.query({ limit: 1000 });
    },
    async close() {
      await gateway.drain();
      await audit.close();
      keys.close();
      db.close();
      await mock.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Audit rows are written when the response has been sent; wait until one for this request exists. */
export async function auditFor(stack: Stack, requestId: string, timeoutMs = 3000): Promise<AuditEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ev = (await stack.audit()).find((e) => e.request_id === requestId);
    if (ev) return ev;
    if (Date.now() > deadline) throw new Error(`no audit event for ${requestId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
