// Streaming through Parapet versus the mock upstream called directly, in the same run:
// time to first token, gap between chunks, and chunks per second, with output enforcement on.
//   node bench/stream.ts [--quick] [--json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { createSseParser } from '../src/providers/sse.ts';
import { summarize } from './lib/load.ts';
import { runCli, startCli } from './lib/procs.ts';

interface StreamSample {
  ttft: number;
  gaps: number[];
  chunks: number;
  chars: number;
  seconds: number;
}

export async function oneStream(pool: Pool, headers: Record<string, string>, body: string): Promise<StreamSample> {
  const t0 = performance.now();
  const res = await pool.request({ method: 'POST', path: '/v1/chat/completions', headers, body });
  let ttft = -1;
  let last = 0;
  let chunks = 0;
  let chars = 0;
  const gaps: number[] = [];
  const parser = createSseParser((ev) => {
    if (ev.data.startsWith('[DONE]')) return;
    const chunk = JSON.parse(ev.data) as { choices?: { delta?: { content?: string } }[] };
    const text = chunk.choices?.[0]?.delta?.content;
    if (!text) return;
    const now = performance.now();
    if (ttft < 0) ttft = now - t0;
    else gaps.push(now - last);
    last = now;
    chunks++;
    chars += text.length;
  });
  for await (const data of res.body) parser.push(data as Uint8Array);
  parser.end();
  return { ttft, gaps, chunks, chars, seconds: (performance.now() - t0) / 1000 };
}

export interface StreamRow {
  path: string;
  scenario: string;
  ttftP50: number;
  ttftP99: number;
  gapP50: number;
  gapP99: number;
  charsPerSecond: number;
}

export async function benchStream(opts: { quick: boolean }): Promise<{ rows: StreamRow[]; ratios: { scenario: string; addedTtftP50: number; throughputRatio: number }[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-bench-stream-'));
  const reply = 'The quarterly report shows steady growth across all regions, with particular strength in services. '.repeat(20);
  const script = path.join(dir, 'script.jsonl');
  fs.writeFileSync(
    script,
    [
      JSON.stringify({ match: 'burst', reply, chunk_size: 8 }),
      JSON.stringify({ match: 'paced', reply: reply.slice(0, 400), chunk_size: 8, delay_ms: 2 }),
    ].join('\n'),
  );
  const mock = await startCli(['mock-llm', '--port', '0', '--script', script]);
  const env = { PARAPET_DB: path.join(dir, 'b.db'), PARAPET_PORT: '0', PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`, PARAPET_ANTHROPIC_BASE_URL: mock.url };
  const gw = await startCli(['serve'], env);
  const rows: StreamRow[] = [];
  const ratios: { scenario: string; addedTtftP50: number; throughputRatio: number }[] = [];
  try {
    const { key } = JSON.parse((await runCli(['keys', 'create', '--app', 'bench', '--json'], env)).stdout) as { key: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const pools = { direct: new Pool(mock.url, { connections: 4 }), parapet: new Pool(gw.url, { connections: 4 }) };
    for (const scenario of ['burst', 'paced'] as const) {
      const body = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: `${scenario} please` }] });
      const n = opts.quick ? (scenario === 'burst' ? 60 : 20) : scenario === 'burst' ? 300 : 80;
      for (const p of ['direct', 'parapet'] as const) for (let i = 0; i < 10; i++) await oneStream(pools[p], headers, body);
      const acc = { direct: [] as StreamSample[], parapet: [] as StreamSample[] };
      for (let i = 0; i < n; i++) {
        for (const p of ['direct', 'parapet'] as const) acc[p].push(await oneStream(pools[p], headers, body));
      }
      const stat = (samples: StreamSample[]) => {
        const ttft = summarize(samples.map((s) => s.ttft));
        const gaps = summarize(samples.flatMap((s) => s.gaps));
        // Parapet may split an event at its hold-back boundary, so compare text delivered, not events.
        const chars = samples.reduce((a, s) => a + s.chars, 0);
        const secs = samples.reduce((a, s) => a + s.seconds, 0);
        return { ttft, gaps, cps: chars / secs };
      };
      const d = stat(acc.direct);
      const g = stat(acc.parapet);
      rows.push({ path: 'mock direct', scenario, ttftP50: d.ttft.p50, ttftP99: d.ttft.p99, gapP50: d.gaps.p50, gapP99: d.gaps.p99, charsPerSecond: d.cps });
      rows.push({ path: 'parapet (default policy)', scenario, ttftP50: g.ttft.p50, ttftP99: g.ttft.p99, gapP50: g.gaps.p50, gapP99: g.gaps.p99, charsPerSecond: g.cps });
      ratios.push({ scenario, addedTtftP50: g.ttft.p50 - d.ttft.p50, throughputRatio: g.cps / d.cps });
    }
    await pools.direct.close();
    await pools.parapet.close();
  } finally {
    await gw.stop();
    await mock.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rows, ratios };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
  const r = await benchStream({ quick: values.quick ?? false });
  if (values.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else {
    const f = (n: number) => n.toFixed(3);
    console.log('burst: 2,000-char reply in 8-char chunks, no upstream delay; paced: 400 chars, 2 ms between chunks\n');
    console.log('| path | scenario | TTFT p50 ms | TTFT p99 ms | gap p50 ms | gap p99 ms | text chars/s |');
    console.log('|---|---|---:|---:|---:|---:|---:|');
    for (const x of r.rows) console.log(`| ${x.path} | ${x.scenario} | ${f(x.ttftP50)} | ${f(x.ttftP99)} | ${f(x.gapP50)} | ${f(x.gapP99)} | ${x.charsPerSecond.toFixed(0)} |`);
    console.log('\n| scenario | added TTFT p50 ms | streaming throughput vs direct |');
    console.log('|---|---:|---:|');
    for (const x of r.ratios) console.log(`| ${x.scenario} | ${f(x.addedTtftP50)} | ${(x.throughputRatio * 100).toFixed(1)}% |`);
  }
}
