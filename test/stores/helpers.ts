import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEvent, AuditFinding } from '../../src/audit/types.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const NODE = path.join(REPO_ROOT, 'node_modules/.bin/node');
export const MAIN = path.join(REPO_ROOT, 'src/cli/main.ts');

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-test-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function finding(category: string, extra: Partial<AuditFinding> = {}): AuditFinding {
  return {
    detector: `${category}.detector`,
    category,
    rule: `${category}.rule`,
    score: 0.9,
    severity: 'high',
    owasp: ['LLM01'],
    span: { message: 1, part: 0, start: 3, end: 9 },
    explanation: `looks like ${category}`,
    direction: 'input',
    ...extra,
  };
}

let counter = 0;

/** A complete event `minutesAgo` before `now`; every optional field filled so round trips are exact. */
export function event(overrides: Partial<AuditEvent> = {}, minutesAgo = 0, now = Date.now()): AuditEvent {
  counter++;
  return {
    id: `evt_${counter}_${Math.random().toString(36).slice(2, 8)}`,
    time: new Date(now - minutesAgo * 60_000).toISOString(),
    request_id: `req_${counter}`,
    app: 'shop',
    key_id: 'key_aaaaaaaaaaaa',
    user: 'alice',
    session_id: 'sess_1',
    provider: 'openai',
    model: 'gpt-4o-mini',
    route: '/v1/chat/completions',
    streamed: false,
    status: 200,
    input_tokens: 12,
    output_tokens: 34,
    latency_ms: 412.5,
    added_latency_ms: 3.25,
    decision: 'allow',
    rule: 'default.allow',
    reason: 'nothing found',
    error: 'none',
    findings: [],
    ...overrides,
  };
}

/**
 * 60 events one minute apart, newest first, cycling through 3 apps, 4 keys, 6 sessions (every 7th
 * event has none), the 5 decisions and 5 finding mixes: what the readers' filter tests query.
 */
export function auditCorpus(now: number): AuditEvent[] {
  const apps = ['shop', 'support', 'search'];
  const decisions = ['allow', 'flag', 'redact', 'block', 'error'] as const;
  const categories = [[], ['pii'], ['secret', 'pii'], ['injection'], ['jailbreak', 'injection', 'injection']];
  return Array.from({ length: 60 }, (_, i) =>
    event(
      {
        app: apps[i % 3],
        key_id: `key_${i % 4}`,
        session_id: i % 7 === 6 ? undefined : `sess_${i % 7}`,
        decision: decisions[i % 5],
        streamed: i % 2 === 0,
        findings: (categories[i % 5] ?? []).map((c) => finding(c)),
      },
      i,
      now,
    ),
  );
}
