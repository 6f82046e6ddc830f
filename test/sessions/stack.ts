// A gateway with sessions for tests: the project's mock LLM upstream, a temporary SQLite file for
// keys and audit, a SessionGuard over the given store, and official SDK clients pointed at it.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { AuditEvent } from '../../src/audit/index.ts';
import { parseConfig } from '../../src/config/index.ts';
import type { GatewayConfig } from '../../src/config/index.ts';
import { DetectionEngine } from '../../src/detectors/engine.ts';
import { DEFAULT_DETECTORS, DEFAULT_NORMALIZER } from '../../src/detectors/registry.ts';
import { startMockLlm } from '../../src/mock/server.ts';
import type { MockServer } from '../../src/mock/server.ts';
import type { ScriptLine } from '../../src/mock/script.ts';
import { WebhookAlerts } from '../../src/respond/alerts.ts';
import { createGateway } from '../../src/server/gateway.ts';
import type { Gateway } from '../../src/server/gateway.ts';
import { MemorySessionStore, SessionGuard } from '../../src/sessions/index.ts';
import type { SessionStore } from '../../src/sessions/index.ts';
import { SqliteAuditReader, SqliteAuditSink } from '../../src/stores/sqlite/audit.ts';
import { openDatabase } from '../../src/stores/sqlite/database.ts';
import { SqliteKeyStore } from '../../src/stores/sqlite/keys.ts';

export interface SessionStack {
  url: string;
  mock: MockServer;
  gateway: Gateway;
  guard: SessionGuard;
  alerts: WebhookAlerts;
  keys: SqliteKeyStore;
  key: string;
  keyId: string;
  config: GatewayConfig;
  openai(apiKey?: string): OpenAI;
  anthropic(apiKey?: string): Anthropic;
  /** Flush the audit log and read it back, newest first. */
  audit(): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

export interface SessionStackOptions {
  yaml: string;
  script?: ScriptLine[];
  /** Defaults to a fresh memory store; the stack closes it. */
  store?: SessionStore;
  /** A clock for the session guard (rules with time windows). */
  clock?: () => number;
  /** Extra environment for ${VAR} references in the YAML. */
  env?: Record<string, string>;
  alertBaseDelayMs?: number;
}

export async function startSessionStack(opts: SessionStackOptions): Promise<SessionStack> {
  const mock = await startMockLlm({ script: opts.script ?? [] });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-ses-'));
  const dbPath = path.join(dir, 'parapet.db');
  const env = {
    PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`,
    PARAPET_ANTHROPIC_BASE_URL: mock.url,
    PARAPET_DB: dbPath,
    PARAPET_PORT: '0',
    OPENAI_API_KEY: 'sk-upstream-openai',
    ANTHROPIC_API_KEY: 'sk-ant-upstream',
    ...opts.env,
  };
  const config = parseConfig(opts.yaml, 'test.yaml', env);
  const db = openDatabase(dbPath);
  const keys = new SqliteKeyStore(db);
  const audit = new SqliteAuditSink(dbPath);
  const reader = new SqliteAuditReader(db);
  const engine = new DetectionEngine({ detectors: DEFAULT_DETECTORS, normalize: DEFAULT_NORMALIZER });
  const alerts = new WebhookAlerts({ config: () => config.alerts, baseDelayMs: opts.alertBaseDelayMs ?? 20 });
  const guard = new SessionGuard({
    store: opts.store ?? new MemorySessionStore(),
    revokeKey: (id) => keys.revoke(id),
    alerts,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const gateway = createGateway({ config: () => config, keys, audit, engine, sessions: guard });
  const url = await gateway.listen('127.0.0.1', 0);
  const { key, record } = keys.create({ app: 'test-app' });
  return {
    url,
    mock,
    gateway,
    guard,
    alerts,
    keys,
    key,
    keyId: record.id,
    config,
    openai: (apiKey = key) => new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, timeout: 10_000 }),
    anthropic: (apiKey = key) => new Anthropic({ baseURL: url, apiKey, maxRetries: 0, timeout: 10_000 }),
    async audit() {
      await audit.flush();
      return reader.query({ limit: 1000 });
    },
    async close() {
      await gateway.drain();
      await guard.close();
      await audit.close();
      keys.close();
      db.close();
      await mock.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Audit rows are written once the response is sent: wait for the one of this request. */
export async function auditOf(stack: SessionStack, requestId: string | null | undefined, timeoutMs = 3000): Promise<AuditEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ev = (await stack.audit()).find((e) => e.request_id === requestId);
    if (ev) return ev;
    if (Date.now() > deadline) throw new Error(`no audit event for ${String(requestId)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver that answers each POST with the next of `statuses` (then 200). */
export async function startWebhook(statuses: number[] = []): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/parapet`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
