// Two `parapet serve` processes sharing one Redis enforce one limit exactly: a tokens-per-minute
// limit admits no more across both than it allows, and a daily cost budget stops spend at its cap.
// The same burst against two processes with in-memory limits admits twice as much, which is why
// scale-out needs the shared store.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../../bench/lib/procs.ts';
import type { Running } from '../../bench/lib/procs.ts';
import { countInputTokens } from '../../src/limits/index.ts';
import { startMockLlm } from '../../src/mock/server.ts';
import type { MockServer } from '../../src/mock/server.ts';
import { openaiChatAdapter } from '../../src/providers/openai/index.ts';
import { REDIS_URL, dropPrefix, testPrefix } from '../stores/redis-helpers.ts';

const MAX_OUTPUT = 20;
/** USD per 1M tokens: a token of input costs $0.001, of output $0.002 (1000 and 2000 micro-USD). */
const PRICE = { input: 1000, output: 2000 };
const BUDGET_USD = 0.5;

const burstKey = `ppt_${randomBytes(20).toString('hex')}`;
const spendKey = `ppt_${randomBytes(20).toString('hex')}`;
const freeKey = `ppt_${randomBytes(20).toString('hex')}`;
const sha = (k: string): string => createHash('sha256').update(k).digest('hex');

const burstBody = { model: 'gpt-4o-mini', max_tokens: MAX_OUTPUT, messages: [{ role: 'user', content: 'burst: how many of us get through?' }] };
const spendBody = { model: 'gpt-4o-mini', max_tokens: MAX_OUTPUT, messages: [{ role: 'user', content: 'spend: a little more, please' }] };

let dir: string;
let mock: MockServer;
let prefix: string;
let perRequest: number;
let tpmLimit: number;

function configYaml(redis: boolean): string {
  return `
storage:
  sqlite: ${path.join(dir, redis ? 'shared.db' : 'memory.db')}
${redis ? `  redis_url: ${REDIS_URL}\n  redis_prefix: ${prefix}` : ''}
prices:
  gpt-4o-mini: { input: ${PRICE.input}, output: ${PRICE.output} }
policies:
  burst:
    limits:
      max_output_tokens: ${MAX_OUTPUT}
      rules:
        - name: tpm
          per: key
          tokens_per_minute: ${tpmLimit}
  spend:
    limits:
      max_output_tokens: ${MAX_OUTPUT}
      rules:
        - name: daily
          per: app
          cost_per_day: ${BUDGET_USD}
apps:
  burst-app: { policy: burst }
  spend-app: { policy: spend }
  free-app: {}
keys:
  - { id: key_free, sha256: "${sha(freeKey)}", app: free-app }
  - { id: key_burst, sha256: "${sha(burstKey)}", app: burst-app }
  - { id: key_spend, sha256: "${sha(spendKey)}", app: spend-app }
`;
}

async function startPair(redis: boolean): Promise<[Running, Running]> {
  const file = path.join(dir, redis ? 'redis.yaml' : 'memory.yaml');
  fs.writeFileSync(file, configYaml(redis));
  const env = { PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`, OPENAI_API_KEY: 'sk-upstream', PARAPET_CONFIG: '', PARAPET_REDIS_URL: '', PARAPET_POSTGRES_URL: '' };
  const pair = await Promise.all([startCli(['serve', '--config', file, '--port', '0'], env), startCli(['serve', '--config', file, '--port', '0'], env)]);
  // Warm both (JIT, connections) with an unlimited key, so neither process starts the burst behind.
  for (let i = 0; i < 5; i++) await Promise.all(pair.map((g) => chat(g.url, freeKey, spendBody).then((r) => r.arrayBuffer())));
  return pair;
}

function chat(url: string, key: string, body: object): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-scaleout-'));
  prefix = testPrefix();
  // Every burst request waits upstream long enough that all of them are admitted (or refused)
  // before the first one settles: what is tested is admission alone.
  mock = await startMockLlm({ script: [{ match: '^burst', reply: 'ok', delay_ms: 600 }] });
  const ex = openaiChatAdapter.parseRequest(burstBody, { requestId: 'r', route: '/v1/chat/completions' });
  perRequest = (await countInputTokens(ex)).tokens + MAX_OUTPUT;
  tpmLimit = 10 * perRequest + Math.floor(perRequest / 2);
});

afterAll(async () => {
  await mock.close();
  await dropPrefix(prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('two gateway processes sharing Redis', () => {
  let gateways: [Running, Running];
  beforeAll(async () => {
    gateways = await startPair(true);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.stop()));
  });

  it('admit no more than the tokens-per-minute limit between them', async () => {
    const [a, b] = gateways;
    const results = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const g = i % 2 === 0 ? a : b;
        const res = await chat(g.url, burstKey, burstBody);
        const body = (await res.json()) as { usage?: { total_tokens: number }; error?: { message: string } };
        return { via: g === a ? 'a' : 'b', status: res.status, headers: res.headers, body };
      }),
    );
    const admitted = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    // 10 reservations fit in the limit, the 11th would not: exactly 10, whichever process took them.
    expect(admitted).toHaveLength(10);
    expect(refused).toHaveLength(20);
    expect(admitted.length * perRequest).toBeLessThanOrEqual(tpmLimit);
    console.log(`tokens_per_minute ${tpmLimit}, ${perRequest} per request: admitted via a=${admitted.filter((r) => r.via === 'a').length}, b=${admitted.filter((r) => r.via === 'b').length}`);
    for (const r of refused) {
      expect(r.headers.get('x-parapet-limit')).toBe('tpm/tokens_per_minute');
      expect(r.headers.get('x-ratelimit-limit-tokens-per-minute')).toBe(String(tpmLimit));
      expect(Number(r.headers.get('x-ratelimit-remaining-tokens-per-minute'))).toBeLessThan(perRequest);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Once every exchange has settled, the shared window holds what the upstream actually reported.
    const reported = admitted.reduce((n, r) => n + (r.body.usage?.total_tokens ?? 0), 0);
    const redis = new Redis(REDIS_URL);
    try {
      const key = `${prefix}:lim:burst:tpm:tpm:key=key_burst`;
      let held = 0;
      for (let i = 0; i < 50; i++) {
        // Bucket fields are numeric; 's' is the window's running sum, 'o' its cleanup mark.
        const hash = await redis.hgetall(key);
        held = Object.entries(hash).reduce((n, [k, v]) => (/^\d+$/.test(k) ? n + Number(v) : n), 0);
        expect(Number(hash['s'])).toBe(held);
        if (held === reported) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(held).toBe(reported);
      expect(held).toBeLessThanOrEqual(tpmLimit);
    } finally {
      redis.disconnect();
    }
  });

  it('stop a daily cost budget at its cap, whichever process takes the requests', async () => {
    const [a, b] = gateways;
    const costOf = (u: { prompt_tokens: number; completion_tokens: number }): number => u.prompt_tokens * PRICE.input + u.completion_tokens * PRICE.output;
    let spentMicros = 0;
    let served = 0;
    let refusal: Response | undefined;
    for (let i = 0; i < 1000 && refusal === undefined; i++) {
      const g = i % 2 === 0 ? a : b;
      let res = await chat(g.url, spendKey, spendBody);
      if (res.status === 429) {
        // Give the previous exchange's settlement a moment to land, then try once more.
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 100));
        res = await chat(g.url, spendKey, spendBody);
      }
      if (res.status === 429) {
        refusal = res;
        break;
      }
      expect(res.status).toBe(200);
      const body = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
      spentMicros += costOf(body.usage);
      served++;
    }
    expect(refusal).toBeDefined();
    const budgetMicros = BUDGET_USD * 1e6;
    const ex = openaiChatAdapter.parseRequest(spendBody, { requestId: 'r', route: '/v1/chat/completions' });
    const reserveMicros = (await countInputTokens(ex)).tokens * PRICE.input + MAX_OUTPUT * PRICE.output;
    console.log(`cost_per_day $${BUDGET_USD}: ${served} requests served, $${spentMicros / 1e6} spent, stopped with $${(budgetMicros - spentMicros) / 1e6} left (one request reserves $${reserveMicros / 1e6})`);
    // Never over the cap, and stopped only when the next request could have gone over it.
    expect(spentMicros).toBeLessThanOrEqual(budgetMicros);
    expect(budgetMicros - spentMicros).toBeLessThan(reserveMicros);
    expect(served).toBeGreaterThan(5);
    const body = (await refusal?.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('rate_limit_exceeded');
    expect(body.error.message).toMatch(/Budget exhausted: cost_per_day/);
    expect(refusal?.headers.get('x-ratelimit-limit-cost-per-day')).toBe(String(BUDGET_USD));
    // The other process refuses too: the budget is one, not one per process.
    const other = await chat(b.url, spendKey, spendBody);
    expect(other.status).toBe(429);
    const again = await chat(a.url, spendKey, spendBody);
    expect(again.status).toBe(429);
  });
});

describe('two gateway processes with in-memory limits (the contrast)', () => {
  it('each admit the whole limit on their own: twice as much in total', async () => {
    const pair = await startPair(false);
    try {
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(pair[i % 2]?.url ?? '', burstKey, burstBody).then(async (r) => (await r.arrayBuffer(), r.status))));
      expect(results.filter((s) => s === 200)).toHaveLength(20);
    } finally {
      await Promise.all(pair.map((g) => g.stop()));
    }
  }, 30_000);
});
