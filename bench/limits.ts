// What limits cost: the in-memory and the Redis limiter measured in the same run, as ratios.
//
// 1. The limiter alone, in process: admit + settle of one request under a realistic policy (requests,
//    tokens and concurrency per key, a daily cost budget per app) — token counting included, shown
//    separately too. Sequential (latency) and 64 in flight (throughput).
// 2. Through the gateway: three `parapet serve` processes — no limits, memory limits, Redis limits —
//    against the same mock upstream, in alternating rounds; the added latency of each limiter is its
//    p50 minus the no-limits p50.
//
//   node bench/limits.ts [--quick] [--json]
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/config/index.ts';
import type { ModelPrice, PolicyConfig } from '../src/config/index.ts';
import type { Principal } from '../src/exchange/types.ts';
import { MemoryLimitStore, StoreLimiter, countInputTokens, preloadTokenizers } from '../src/limits/index.ts';
import type { LimitStore } from '../src/limits/index.ts';
import { openaiChatAdapter } from '../src/providers/openai/index.ts';
import { RedisLimitStore } from '../src/stores/redis/limits.ts';
import { runLoad, summarize } from './lib/load.ts';
import { startCli } from './lib/procs.ts';
import type { Running } from './lib/procs.ts';

const REDIS_URL = process.env['PARAPET_REDIS_URL'] || 'redis://127.0.0.1:6379';

const LIMITS = `
      max_output_tokens: 256
      rules:
        - per: key
          requests_per_minute: 100000000
          tokens_per_minute: 1000000000000
          concurrent_requests: 100000
        - per: app
          cost_per_day: 1000000000`;

const PRICES = `prices:\n  "gpt-4o-mini*": { input: 0.15, output: 0.60 }\n`;
const BODY = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello! Could you summarise the plot of Hamlet in two sentences?' }] };

interface Row {
  what: string;
  p50us: number;
  p99us: number;
  opsPerSec: number;
}

async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** admit + settle, one at a time (latency) and 64 at a time (throughput). */
async function measureLimiter(name: string, store: LimitStore, policy: PolicyConfig, prices: readonly ModelPrice[], n: number): Promise<Row> {
  const limiter = new StoreLimiter({ store, prices: () => prices });
  const principal = (i: number): Principal => ({ keyId: `key_${i % 50}`, app: 'bench', policy: policy.name });
  // Parsed up front: what is timed is the limiter (token counting included), not request parsing.
  const exchanges = Array.from({ length: 512 }, () => openaiChatAdapter.parseRequest(structuredClone(BODY), { requestId: 'r', route: '/v1/chat/completions' }));
  const once = async (i: number): Promise<void> => {
    const exchange = exchanges[i % exchanges.length] ?? exchanges[0];
    if (!exchange) return;
    const a = await limiter.admit({ exchange, policy, principal: principal(i) });
    if (a) limiter.settle(a, { inputTokens: 20, outputTokens: 40, status: 200 });
  };
  for (let i = 0; i < Math.min(2000, n); i++) await once(i);
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await once(i);
    lat.push(performance.now() - t);
  }
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < n) {
        next++;
        await once(next);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await limiter.close();
  const s = summarize(lat);
  return { what: name, p50us: s.p50 * 1000, p99us: s.p99 * 1000, opsPerSec: n / seconds };
}

async function measureCounting(n: number): Promise<Row> {
  const lat: number[] = [];
  const exchange = openaiChatAdapter.parseRequest(structuredClone(BODY), { requestId: 'r', route: '/v1/chat/completions' });
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await countInputTokens(exchange);
    lat.push(performance.now() - t);
  }
  const s = summarize(lat);
  return { what: 'token counting only (o200k)', p50us: s.p50 * 1000, p99us: s.p99 * 1000, opsPerSec: 1e6 / (s.p50 * 1000) };
}

interface GatewayRow {
  path: string;
  concurrency: number;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function benchGateways(quick: boolean, prefix: string): Promise<{ rows: GatewayRow[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-bench-limits-'));
  const key = `ppt_${randomBytes(20).toString('hex')}`;
  const keys = `apps:\n  bench: {}\nkeys:\n  - { id: key_bench, sha256: "${createHash('sha256').update(key).digest('hex')}", app: bench }\n`;
  const files = {
    none: `storage:\n  sqlite: ${dir}/none.db\n${keys}`,
    memory: `storage:\n  sqlite: ${dir}/memory.db\n${PRICES}policies:\n  default:\n    limits:${LIMITS}\n${keys}`,
    redis: `storage:\n  sqlite: ${dir}/redis.db\n  redis_url: ${REDIS_URL}\n  redis_prefix: ${prefix}\n${PRICES}policies:\n  default:\n    limits:${LIMITS}\n${keys}`,
  };
  const mock = await startCli(['mock-llm', '--port', '0']);
  const started: Running[] = [mock];
  try {
    const env = { PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`, OPENAI_API_KEY: 'sk-bench', PARAPET_CONFIG: '', PARAPET_REDIS_URL: '', PARAPET_POSTGRES_URL: '' };
    const gws: Record<string, Running> = {};
    for (const [name, yaml] of Object.entries(files)) {
      const file = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(file, yaml);
      const gw = await startCli(['serve', '--config', file, '--port', '0'], env);
      started.push(gw);
      gws[name] = gw;
    }
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const body = JSON.stringify(BODY);
    for (const gw of Object.values(gws)) await runLoad(gw.url, '/v1/chat/completions', headers, body, quick ? 300 : 1000, 8);
    const rows: GatewayRow[] = [];
    const requests = quick ? 1200 : 4000;
    const rounds = quick ? 2 : 4;
    for (const c of quick ? [1, 16] : [1, 16, 64]) {
      const acc: Record<string, { lat: number[]; sec: number; n: number; err: number }> = {};
      for (let r = 0; r < rounds; r++) {
        for (const [name, gw] of Object.entries(gws)) {
          const res = await runLoad(gw.url, '/v1/chat/completions', headers, body, Math.floor(requests / rounds), c);
          const a = (acc[name] ??= { lat: [], sec: 0, n: 0, err: 0 });
          a.lat.push(...res.latencies);
          a.sec += res.seconds;
          a.n += res.latencies.length;
          a.err += res.errors;
        }
      }
      for (const [name, a] of Object.entries(acc)) {
        const s = summarize(a.lat);
        rows.push({ path: name, concurrency: c, p50: s.p50, p99: s.p99, rps: a.n / a.sec, errors: a.err });
      }
    }
    return { rows };
  } finally {
    await Promise.all(started.map((p) => p.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'boolean' } } });
  const quick = values.quick === true;
  const n = quick ? 5000 : 20000;
  const prefix = `parapet_bench_${randomBytes(4).toString('hex')}`;
  await preloadTokenizers();
  const cfg = parseConfig(`${PRICES}policies:\n  default:\n    limits:${LIMITS}\n`, 'bench.yaml', {});
  const policy = cfg.policies['default'];
  if (!policy) throw new Error('no policy');
  try {
    const counting = await measureCounting(n);
    const memory = await measureLimiter('memory limiter (admit + settle)', new MemoryLimitStore(), policy, cfg.prices, n);
    const redis = await measureLimiter('redis limiter (admit + settle)', new RedisLimitStore(REDIS_URL, { prefix }), policy, cfg.prices, n);
    const { rows } = await benchGateways(quick, prefix);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ limiter: [counting, memory, redis], gateway: rows })}\n`);
      return;
    }
    const out: string[] = [];
    out.push('Limiter alone, in process (4 counters + 1 lease per request; one Redis round trip per admit and per settle):');
    out.push(`${'what'.padEnd(36)} ${'p50 µs'.padStart(9)} ${'p99 µs'.padStart(9)} ${'ops/s (64 in flight)'.padStart(21)}`);
    for (const r of [counting, memory, redis]) out.push(`${r.what.padEnd(36)} ${fmt(r.p50us).padStart(9)} ${fmt(r.p99us).padStart(9)} ${fmt(r.opsPerSec, 0).padStart(21)}`);
    out.push(`redis / memory: p50 ×${fmt(redis.p50us / memory.p50us)}, throughput ×${fmt(redis.opsPerSec / memory.opsPerSec, 2)}`);
    out.push('');
    out.push('Through the gateway (same mock upstream, alternating rounds); added = p50 − p50 without limits:');
    out.push(`${'limits'.padEnd(8)} ${'conc'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(8)} ${'added p50 ms'.padStart(13)} ${'errors'.padStart(7)}`);
    for (const r of rows) {
      const base = rows.find((x) => x.path === 'none' && x.concurrency === r.concurrency);
      const added = base ? r.p50 - base.p50 : NaN;
      out.push(`${r.path.padEnd(8)} ${String(r.concurrency).padStart(5)} ${fmt(r.p50, 3).padStart(8)} ${fmt(r.p99, 3).padStart(8)} ${fmt(r.rps, 0).padStart(8)} ${(r.path === 'none' ? '-' : fmt(added, 3)).padStart(13)} ${String(r.errors).padStart(7)}`);
    }
    for (const c of [...new Set(rows.map((r) => r.concurrency))]) {
      const get = (p: string): GatewayRow | undefined => rows.find((r) => r.path === p && r.concurrency === c);
      const none = get('none');
      const mem = get('memory');
      const red = get('redis');
      if (!none || !mem || !red) continue;
      out.push(`c=${c}: p50 memory/none ×${fmt(mem.p50 / none.p50, 2)}, redis/none ×${fmt(red.p50 / none.p50, 2)}, redis/memory ×${fmt(red.p50 / mem.p50, 2)}; req/s redis/memory ×${fmt(red.rps / mem.rps, 2)}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await dropPrefix(prefix);
  }
}

await main();
