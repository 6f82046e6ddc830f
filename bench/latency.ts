// Latency Parapet adds to a small non-streamed chat completion, against the mock upstream called
// directly in the same run. Paths are measured in alternating rounds so machine drift hits both.
//   node bench/latency.ts [--quick] [--json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, summarize } from './lib/load.ts';
import { runCli, startCli } from './lib/procs.ts';

export interface LatencyRow {
  path: string;
  concurrency: number;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

export async function benchLatency(opts: { quick: boolean }): Promise<{ rows: LatencyRow[]; added: { concurrency: number; p50: number; p99: number; throughputRatio: number }[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-bench-'));
  const db = path.join(dir, 'bench.db');
  const mock = await startCli(['mock-llm', '--port', '0']);
  const env = {
    PARAPET_DB: db,
    PARAPET_PORT: '0',
    PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`,
    PARAPET_ANTHROPIC_BASE_URL: mock.url,
  };
  const gw = await startCli(['serve'], env);
  try {
    const created = await runCli(['keys', 'create', '--app', 'bench', '--json'], env);
    const key = (JSON.parse(created.stdout.trim()) as { key: string }).key;
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello! Could you summarise the plot of Hamlet in two sentences?' }] });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const requests = opts.quick ? 1500 : 6000;
    const rounds = opts.quick ? 2 : 4;
    const levels = opts.quick ? [1, 16] : [1, 16, 64];
    // Warm both paths (JIT, connection pools, SQLite page cache).
    await runLoad(mock.url, '/v1/chat/completions', headers, body, 1000, 8);
    await runLoad(gw.url, '/v1/chat/completions', headers, body, 1000, 8);

    const rows: LatencyRow[] = [];
    const added: { concurrency: number; p50: number; p99: number; throughputRatio: number }[] = [];
    for (const c of levels) {
      const acc = { direct: { lat: [] as number[], sec: 0, n: 0, err: 0 }, parapet: { lat: [] as number[], sec: 0, n: 0, err: 0 } };
      for (let r = 0; r < rounds; r++) {
        for (const [name, url] of [['direct', mock.url], ['parapet', gw.url]] as const) {
          const res = await runLoad(url, '/v1/chat/completions', headers, body, Math.floor(requests / rounds), c);
          acc[name].lat.push(...res.latencies);
          acc[name].sec += res.seconds;
          acc[name].n += res.latencies.length;
          acc[name].err += res.errors;
        }
      }
      const d = summarize(acc.direct.lat);
      const p = summarize(acc.parapet.lat);
      const dRps = acc.direct.n / acc.direct.sec;
      const pRps = acc.parapet.n / acc.parapet.sec;
      rows.push({ path: 'mock direct', concurrency: c, p50: d.p50, p99: d.p99, rps: dRps, errors: acc.direct.err });
      rows.push({ path: 'parapet (default policy)', concurrency: c, p50: p.p50, p99: p.p99, rps: pRps, errors: acc.parapet.err });
      added.push({ concurrency: c, p50: p.p50 - d.p50, p99: p.p99 - d.p99, throughputRatio: pRps / dRps });
    }
    return { rows, added };
  } finally {
    await gw.stop();
    await mock.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fmt(n: number): string {
  return n.toFixed(3);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
  const result = await benchLatency({ quick: values.quick ?? false });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    console.log('| path | concurrency | p50 ms | p99 ms | req/s | errors |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const r of result.rows) console.log(`| ${r.path} | ${r.concurrency} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.rps.toFixed(0)} | ${r.errors} |`);
    console.log('\n| concurrency | added p50 ms | added p99 ms | throughput vs direct |');
    console.log('|---:|---:|---:|---:|');
    for (const a of result.added) console.log(`| ${a.concurrency} | ${fmt(a.p50)} | ${fmt(a.p99)} | ${(a.throughputRatio * 100).toFixed(1)}% |`);
  }
}
