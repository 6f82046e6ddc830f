import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/types.ts';
import { SqliteAuditSink } from '../../src/stores/sqlite/audit.ts';
import { event, finding, MAIN, NODE, tempDir } from '../stores/helpers.ts';

let tmp: ReturnType<typeof tempDir>;
let db: string;
beforeEach(() => {
  tmp = tempDir();
  db = path.join(tmp.dir, 'parapet.db');
});
afterEach(() => tmp.cleanup());

function parapet(args: string[]) {
  const r = spawnSync(NODE, [MAIN, ...args], {
    cwd: tmp.dir,
    env: { PATH: process.env['PATH'] ?? '', PARAPET_DB: db },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function seed(): Promise<AuditEvent[]> {
  const now = Date.now();
  const events = [
    event({ id: 'e_new', app: 'shop', decision: 'block', findings: [finding('injection')] }, 1, now),
    event({ id: 'e_mid', app: 'support', decision: 'redact', streamed: true, findings: [finding('pii'), finding('secret')] }, 30, now),
    event({ id: 'e_old', app: 'shop', decision: 'allow', key_id: 'key_other', session_id: 'sess_other', model: 'claude-sonnet-4' }, 180, now),
    event({ id: 'e_ancient', app: 'shop', decision: 'flag', findings: [finding('pii')] }, 60 * 24 * 10, now),
  ];
  const sink = new SqliteAuditSink(db);
  for (const e of events) sink.write(e);
  await sink.close();
  return events;
}

const ids = (stdout: string): string[] => (JSON.parse(stdout) as AuditEvent[]).map((e) => e.id);

describe('parapet audit query', () => {
  it('--json prints the events newest first with their findings', async () => {
    const events = await seed();
    const r = parapet(['audit', 'query', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as AuditEvent[];
    expect(out).toEqual(events);
    expect(out[1]?.findings.map((f) => [f.detector, f.category, f.rule, f.owasp])).toEqual([
      ['pii.detector', 'pii', 'pii.rule', ['LLM01']],
      ['secret.detector', 'secret', 'secret.rule', ['LLM01']],
    ]);
    expect(out[1]?.streamed).toBe(true);
  });

  it('applies every filter', async () => {
    await seed();
    expect(ids(parapet(['audit', 'query', '--json', '--app', 'shop']).stdout)).toEqual(['e_new', 'e_old', 'e_ancient']);
    expect(ids(parapet(['audit', 'query', '--json', '--decision', 'redact']).stdout)).toEqual(['e_mid']);
    expect(ids(parapet(['audit', 'query', '--json', '--category', 'pii']).stdout)).toEqual(['e_mid', 'e_ancient']);
    expect(ids(parapet(['audit', 'query', '--json', '--key', 'key_other']).stdout)).toEqual(['e_old']);
    expect(ids(parapet(['audit', 'query', '--json', '--session', 'sess_1']).stdout)).toEqual(['e_new', 'e_mid', 'e_ancient']);
    expect(ids(parapet(['audit', 'query', '--json', '--since', '2h']).stdout)).toEqual(['e_new', 'e_mid']);
    expect(ids(parapet(['audit', 'query', '--json', '--since', '7d', '--until', '15m']).stdout)).toEqual(['e_mid', 'e_old']);
    const iso = new Date(Date.now() - 60 * 60_000).toISOString();
    expect(ids(parapet(['audit', 'query', '--json', '--until', iso]).stdout)).toEqual(['e_old', 'e_ancient']);
    expect(ids(parapet(['audit', 'query', '--json', '--limit', '2']).stdout)).toEqual(['e_new', 'e_mid']);
    expect(ids(parapet(['audit', 'query', '--json', '--app', 'nobody']).stdout)).toEqual([]);
    // Ten CLI processes, each starting Node: seconds apiece on a loaded two-core machine.
  }, 90_000);

  it('prints an aligned table without --json', async () => {
    await seed();
    const r = parapet(['audit', 'query', '--limit', '3']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^TIME\s+REQUEST\s+APP\s+MODEL\s+DECISION\s+STATUS\s+LATENCY\s+CATEGORIES$/);
    // Aligned: each column starts at the same offset on every line.
    const col = (name: string): number => lines[0]?.indexOf(name) ?? -1;
    expect(lines[1]?.slice(col('DECISION')).startsWith('block')).toBe(true);
    expect(lines[2]?.slice(col('DECISION')).startsWith('redact')).toBe(true);
    expect(lines[3]?.slice(col('MODEL')).startsWith('claude-sonnet-4')).toBe(true);
    expect(lines[2]).toMatch(/pii,secret$/);
    expect(lines[3]).toMatch(/\s-$/);
    expect(lines[1]).toContain('413ms');
  });

  it('reports bad usage with exit code 2', async () => {
    await seed();
    const cases: [string[], RegExp][] = [
      [['audit', 'query', '--limit', '0'], /--limit/],
      [['audit', 'query', '--limit', 'ten'], /--limit/],
      [['audit', 'query', '--decision', 'maybe'], /--decision must be one of/],
      [['audit', 'query', '--session', ' '], /--session must not be empty/],
      [['audit', 'query', '--since', 'last tuesday'], /--since/],
      [['audit', 'query', '--until', '5 minutes'], /--until/],
      [['audit', 'query', '--verbose'], /--verbose/],
      [['audit', 'query', 'extra'], /unexpected argument/],
      [['audit', 'tail'], /unknown subcommand 'tail'/],
      [['audit'], /usage/],
    ];
    for (const [args, message] of cases) {
      const r = parapet(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  }, 90_000);

  it('says so when there is no database', () => {
    const r = parapet(['audit', 'query']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no database at .*parapet\.db/);
  });
});
