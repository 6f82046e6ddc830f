// The SQLite audit writer's cost per event as the log grows, with the committed schema against two
// layouts measured in the same run: no session index at all (the floor), and the session index keyed
// on the session id itself (schema 2, session 9), whose inserts land on random pages. One new session
// per event, as one-shot API traffic makes them (the hardest case for an index on the session).
// Also the time of one `--session` lookup on the final log, and of the same query without any index.
//   node bench/audit-sqlite.ts [--quick]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { auditEventId } from '../src/audit/id.ts';
import type { AuditEvent } from '../src/audit/types.ts';
import { SqliteAuditReader, SqliteBatchWriter, toRow } from '../src/stores/sqlite/audit.ts';
import { openDatabase } from '../src/stores/sqlite/database.ts';

export const AUDIT_LAYOUTS = ['committed', 'no session index', 'session id keyed'] as const;
export type AuditLayout = (typeof AUDIT_LAYOUTS)[number];

export interface AuditInsertRow {
  layout: AuditLayout;
  /** µs per event (row building + its share of the transaction), per block of the log's growth. */
  blocks: { through: number; usPerEvent: number }[];
  /** Median µs of one `query({ sessionId })` on the final log. */
  lookupUs: number;
}

const BATCH = 256;

function event(i: number): AuditEvent {
  return {
    id: auditEventId(),
    time: new Date().toISOString(),
    request_id: `req_${i}`,
    app: 'bench',
    key_id: 'key_bench',
    session_id: `fp_${randomUUID().replaceAll('-', '').slice(0, 22)}`,
    provider: 'openai',
    model: 'gpt-4o-mini',
    route: '/v1/chat/completions',
    streamed: false,
    status: 200,
    input_tokens: 24,
    output_tokens: 31,
    latency_ms: 1.2,
    added_latency_ms: 0.3,
    decision: 'allow',
    findings: [],
  };
}

function runLayout(layout: AuditLayout, events: number, blockSize: number, dir: string, round: number): AuditInsertRow {
  const file = path.join(dir, `${layout.replaceAll(' ', '-')}-${round}.db`);
  const db = openDatabase(file);
  if (layout !== 'committed') db.exec('DROP INDEX audit_events_session_bucket');
  if (layout === 'session id keyed') db.exec('CREATE INDEX audit_events_session ON audit_events (session_id, time_ms)');
  const writer = new SqliteBatchWriter(db, false);
  const blocks: AuditInsertRow['blocks'] = [];
  let t0 = performance.now();
  let sample = '';
  for (let i = 0; i < events; i += BATCH) {
    const rows = [];
    for (let j = 0; j < BATCH; j++) {
      const e = event(i + j);
      if (i + j === Math.floor(events / 3)) sample = e.session_id ?? '';
      rows.push(toRow(e));
    }
    writer.writeBatch(rows);
    if ((i + BATCH) % blockSize === 0) {
      blocks.push({ through: i + BATCH, usPerEvent: ((performance.now() - t0) * 1000) / blockSize });
      t0 = performance.now();
    }
  }
  const reader = new SqliteAuditReader(db);
  const times: number[] = [];
  for (let k = 0; k < 7; k++) {
    const s = performance.now();
    if (reader.query({ sessionId: sample }).length !== 1) throw new Error('bench: the sampled session was not found');
    times.push((performance.now() - s) * 1000);
  }
  times.sort((a, b) => a - b);
  db.close();
  return { layout, blocks, lookupUs: times[3] ?? NaN };
}

export function benchAuditSqlite(quick: boolean): AuditInsertRow[] {
  const blockSize = BATCH * 200;
  const events = blockSize * (quick ? 2 : 6);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-audit-bench-'));
  try {
    // Twice each, in alternating order, keeping the faster figure of every block: a noisy machine
    // moves one pass by ±30%. --quick makes one pass (npm run bench -- --quick stays under two minutes).
    const first = AUDIT_LAYOUTS.map((layout) => runLayout(layout, events, blockSize, dir, 0));
    if (quick) return first;
    const second = [...AUDIT_LAYOUTS].reverse().map((layout) => runLayout(layout, events, blockSize, dir, 1));
    return first.map((a) => {
      const b = second.find((x) => x.layout === a.layout) ?? a;
      return {
        layout: a.layout,
        blocks: a.blocks.map((x, k) => ({ through: x.through, usPerEvent: Math.min(x.usPerEvent, b.blocks[k]?.usPerEvent ?? Infinity) })),
        lookupUs: Math.min(a.lookupUs, b.lookupUs),
      };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatAuditSqlite(rows: readonly AuditInsertRow[]): string {
  const floor = rows.find((r) => r.layout === 'no session index');
  const last = (r: AuditInsertRow): number => r.blocks.at(-1)?.usPerEvent ?? NaN;
  const through = rows[0]?.blocks.map((b) => b.through.toLocaleString('en-US')) ?? [];
  const lines = [
    '### SQLite audit log: µs per event as the log grows (one new session per event)',
    '',
    `| layout | ${through.map((t) => `through ${t}`).join(' | ')} | last block vs no session index | one --session lookup |`,
    `|---|${through.map(() => '---:').join('|')}|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.layout} | ${r.blocks.map((b) => b.usPerEvent.toFixed(1)).join(' | ')} | ${floor ? `${(last(r) / last(floor)).toFixed(2)}×` : '–'} | ${(r.lookupUs / 1000).toFixed(2)} ms |`,
    ),
    '',
  ];
  return lines.join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  process.stdout.write(formatAuditSqlite(benchAuditSqlite(values.quick)));
}
