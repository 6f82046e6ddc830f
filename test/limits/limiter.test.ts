import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import type { GatewayConfig } from '../../src/config/index.ts';
import type { Principal } from '../../src/exchange/types.ts';
import { LimitRefusal, MemoryLimitStore, StoreLimiter, countInputTokens } from '../../src/limits/index.ts';
import type { Admission, Check, LimitStore, Limiter } from '../../src/limits/index.ts';
import { anthropicMessagesAdapter } from '../../src/providers/anthropic/index.ts';
import { openaiChatAdapter } from '../../src/providers/openai/index.ts';

const limiters: Limiter[] = [];
afterEach(async () => {
  for (const l of limiters.splice(0)) await l.close();
});

const alice: Principal = { keyId: 'key_alice', app: 'shop', policy: 'default', user: 'alice' };
const bob: Principal = { keyId: 'key_bob', app: 'shop', policy: 'default' };

function config(limitsYaml: string, extra = ''): GatewayConfig {
  const indented = limitsYaml
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  return parseConfig(`${extra}\npolicies:\n  default:\n    limits:\n${indented}\n`, 'limits.yaml', {});
}

function setup(limitsYaml: string, extra = '', store: LimitStore = new MemoryLimitStore()) {
  const cfg = config(limitsYaml, extra);
  const limiter = new StoreLimiter({ store, prices: () => cfg.prices });
  limiters.push(limiter);
  const policy = cfg.policies['default'];
  if (!policy) throw new Error('no policy');
  let n = 0;
  const chat = (body: Record<string, unknown> = {}) =>
    openaiChatAdapter.parseRequest({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there, gateway!' }], ...body }, { requestId: `req_${n++}`, route: '/v1/chat/completions' });
  const admit = (principal: Principal = alice, body: Record<string, unknown> = {}) => {
    const exchange = chat(body);
    return limiter.admit({ exchange, policy, principal }).then((a) => ({ admission: a, exchange }));
  };
  return { cfg, policy, limiter, store, chat, admit };
}

async function refusalOf(p: Promise<unknown>): Promise<LimitRefusal> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LimitRefusal) return e;
    throw e;
  }
  throw new Error('expected a LimitRefusal');
}

const inputOf = async (body: Record<string, unknown> = {}) =>
  (await countInputTokens(openaiChatAdapter.parseRequest({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there, gateway!' }], ...body }, { requestId: 'x', route: '/v1/chat/completions' }))).tokens;

describe('StoreLimiter admission', () => {
  it('reserves input + max output against tokens_per_minute and refuses what no longer fits, with headers', async () => {
    const input = await inputOf();
    const per = input + 50;
    const { admit } = setup(`rules:\n  - per: key\n    tokens_per_minute: ${per * 3 + 10}`);
    for (let i = 0; i < 3; i++) expect((await admit(alice, { max_tokens: 50 })).admission?.inputTokens).toBe(input);
    const r = await refusalOf(admit(alice, { max_tokens: 50 }));
    expect(r.status).toBe(429);
    expect(r.kind).toBe('rate_limit');
    expect(r.blocked).toBe(true);
    expect(r.rule).toBe('limits.key.tokens_per_minute');
    expect(r.message).toContain('tokens_per_minute');
    expect(r.headers).toMatchObject({
      'x-parapet-limit': 'key/tokens_per_minute',
      'x-ratelimit-limit-tokens-per-minute': String(per * 3 + 10),
      'x-ratelimit-remaining-tokens-per-minute': '10',
    });
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(r.finding).toMatchObject({ category: 'consumption', owasp: ['LLM10'], detector: 'limits', score: 1 });
    // Another key has its own counter.
    expect((await admit(bob, { max_tokens: 50 })).admission).toBeDefined();
  });

  it('settles to actual usage: a refund makes room at once, and settling twice changes nothing', async () => {
    const input = await inputOf();
    const limit = (input + 100) * 2;
    const { admit, limiter } = setup(`rules:\n  - per: key\n    tokens_per_minute: ${limit}`);
    const a = (await admit(alice, { max_tokens: 100 })).admission as Admission;
    const b = (await admit(alice, { max_tokens: 100 })).admission as Admission;
    await refusalOf(admit(alice, { max_tokens: 100 }));
    limiter.settle(a, { inputTokens: input, outputTokens: 5, status: 200 });
    limiter.settle(a, { inputTokens: input, outputTokens: 5, status: 200 });
    await new Promise((r) => setImmediate(r));
    // a now holds input + 5, b input + 100: 95 tokens of room, for input + (95 - input) output.
    expect((await admit(alice, { max_tokens: 95 - input })).admission).toBeDefined();
    await refusalOf(admit(alice, { max_tokens: 1 }));
    expect(b.outputTokens).toBe(100);
  });

  it('charges reported usage beyond the reservation, so the next requests wait', async () => {
    const { admit, limiter } = setup(`rules:\n  - per: key\n    tokens_per_minute: 1000`);
    const a = (await admit(alice, { max_tokens: 10 })).admission as Admission;
    limiter.settle(a, { inputTokens: 900, outputTokens: 90, status: 200 });
    await new Promise((r) => setImmediate(r));
    const r = await refusalOf(admit(alice, { max_tokens: 10 }));
    expect(r.headers['x-ratelimit-remaining-tokens-per-minute']).toBe('10');
  });

  it('refunds everything when the upstream never answered, and estimates a stream without usage', async () => {
    const input = await inputOf();
    const { admit, limiter, store } = setup(`rules:\n  - per: key\n    input_tokens_per_minute: 100000\n    output_tokens_per_minute: 100000`);
    const mem = store as MemoryLimitStore;
    const key = (m: string): Check => ({ kind: 'window', key: `default:key:${m}:key=key_alice`, limit: 0, amount: 0, windowMs: 60_000, bucketMs: 1000 });
    const failed = (await admit(alice, { max_tokens: 300 })).admission as Admission;
    expect(mem.peek(key('itpm'))).toBe(input);
    expect(mem.peek(key('otpm'))).toBe(300);
    limiter.settle(failed, { status: 502 });
    await new Promise((r) => setImmediate(r));
    expect(mem.peek(key('itpm'))).toBe(0);
    expect(mem.peek(key('otpm'))).toBe(0);

    const streamed = (await admit(alice, { max_tokens: 300, stream: true })).admission as Admission;
    limiter.settle(streamed, { status: 200, outputChars: 90 });
    await new Promise((r) => setImmediate(r));
    expect(mem.peek(key('itpm'))).toBe(input);
    expect(mem.peek(key('otpm'))).toBe(30);
  });

  it('caps max output: clamps (or inserts) by default, refuses in reject mode', async () => {
    const clamp = setup(`max_output_tokens: 256`);
    const big = await clamp.admit(alice, { max_tokens: 4000 });
    expect(big.exchange.body['max_tokens']).toBe(256);
    const none = await clamp.admit(alice);
    expect(none.exchange.body['max_tokens']).toBe(256);
    const reasoning = clamp.chat({ model: 'o3-mini' });
    await clamp.limiter.admit({ exchange: reasoning, policy: clamp.policy, principal: alice });
    expect(reasoning.body['max_completion_tokens']).toBe(256);
    expect(reasoning.body['max_tokens']).toBeUndefined();
    const small = await clamp.admit(alice, { max_completion_tokens: 100 });
    expect(small.exchange.body['max_completion_tokens']).toBe(100);

    const reject = setup(`max_output_tokens: 256\nmax_output_mode: reject`);
    const r = await refusalOf(reject.admit(alice, { max_completion_tokens: 257 }));
    expect(r.status).toBe(400);
    expect(r.rule).toBe('limits.max_output_tokens');
    expect(r.blocked).toBe(true);
    // A request that asks for nothing gets the cap even in reject mode.
    expect((await reject.admit(alice)).exchange.body['max_tokens']).toBe(256);
  });

  it('refuses a request over max_input_tokens with 400 (it would never fit)', async () => {
    const { admit } = setup(`max_input_tokens: 20`);
    const r = await refusalOf(admit(alice, { messages: [{ role: 'user', content: 'word '.repeat(50) }] }));
    expect(r.status).toBe(400);
    expect(r.kind).toBe('invalid_request');
    expect(r.message).toContain('max_input_tokens');
    expect(r.headers['x-ratelimit-limit-max-input-tokens']).toBe('20');
    expect((await admit(alice)).admission).toBeUndefined();
  });

  it('stops a cost budget at the cap, priced from the table, and refuses unpriced models', async () => {
    const { admit, limiter } = setup(`max_output_tokens: 1000\nrules:\n  - per: app\n    cost_per_day: 0.002`, 'prices:\n  "gpt-4o-mini*": { input: 0.15, output: 0.60 }\n  "gpt-4o*": { input: 2.5, output: 10 }\n');
    // Reservation: input × 0.15 + 1000 × 0.60 µUSD ≈ 601 µUSD, so three fit in 2000 µUSD.
    const held: Admission[] = [];
    for (let i = 0; i < 3; i++) held.push((await admit(alice)).admission as Admission);
    const r = await refusalOf(admit(bob));
    expect(r.rule).toBe('limits.app.cost_per_day');
    expect(r.message).toMatch(/Budget exhausted: cost_per_day .* is \$0\.002/);
    expect(r.headers['x-ratelimit-limit-cost-per-day']).toBe('0.002');
    const reset = Number(r.headers['x-ratelimit-reset-cost-per-day']);
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(86_400);
    // Actual spend was tiny: settling frees the budget for more.
    for (const a of held) limiter.settle(a, { inputTokens: 10, outputTokens: 10, status: 200 });
    await new Promise((res) => setImmediate(res));
    expect((await admit(bob)).admission).toBeDefined();

    const unpriced = await refusalOf(admit(alice, { model: 'gpt-3.5-turbo' }));
    expect(unpriced.status).toBe(403);
    expect(unpriced.rule).toBe('limits.app.price_missing');
  });

  it('scopes counters per user (a key without a user is its own user), per model, and by model filter', async () => {
    const { admit } = setup(`rules:\n  - per: user\n    requests_per_minute: 1\n  - name: big-models\n    per: [app, model]\n    models: ["gpt-4o"]\n    requests_per_minute: 1`);
    expect((await admit(alice)).admission).toBeDefined();
    expect((await refusalOf(admit({ ...alice, keyId: 'key_other' }))).rule).toBe('limits.user.requests_per_minute');
    expect((await admit(bob)).admission).toBeDefined();
    expect((await admit({ ...bob, keyId: 'key_carol' })).admission).toBeDefined();
    // gpt-4o is counted per app by the second rule; gpt-4o-mini is not.
    expect((await admit({ ...alice, user: 'dave' }, { model: 'gpt-4o' })).admission).toBeDefined();
    expect((await refusalOf(admit({ ...alice, user: 'erin' }, { model: 'gpt-4o' }))).rule).toBe('limits.big-models.requests_per_minute');
  });

  it('holds concurrency slots until settle; streams count against concurrent_streams as well', async () => {
    const { admit, limiter } = setup(`rules:\n  - per: key\n    concurrent_requests: 2\n    concurrent_streams: 1`);
    const s1 = (await admit(alice, { stream: true })).admission as Admission;
    const r = await refusalOf(admit(alice, { stream: true }));
    expect(r.rule).toBe('limits.key.concurrent_streams');
    expect(r.headers['x-ratelimit-limit-concurrent-streams']).toBe('1');
    const plain = (await admit(alice)).admission as Admission;
    expect((await refusalOf(admit(alice))).rule).toBe('limits.key.concurrent_requests');
    limiter.settle(s1, { status: 200 });
    limiter.settle(plain, { status: 200 });
    await new Promise((res) => setImmediate(res));
    expect((await admit(alice, { stream: true })).admission).toBeDefined();
  });

  it('works for Anthropic requests with the estimate, capping max_tokens', async () => {
    const { limiter, policy } = setup(`max_output_tokens: 64\nrules:\n  - per: key\n    tokens_per_minute: 100000`);
    const ex = anthropicMessagesAdapter.parseRequest({ model: 'claude-haiku-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] }, { requestId: 'r', route: '/v1/messages' });
    const a = await limiter.admit({ exchange: ex, policy, principal: alice });
    expect(ex.body['max_tokens']).toBe(64);
    expect(a?.exactInput).toBe(false);
    expect(a?.outputTokens).toBe(64);
  });
});

describe('StoreLimiter when the store fails', () => {
  class FlakyStore extends MemoryLimitStore {
    broken = true;
    override reserve(checks: readonly Check[]) {
      return this.broken ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) : super.reserve(checks);
    }
  }

  function flaky(failMode: 'open' | 'closed') {
    const store = new FlakyStore();
    const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
    const cfg = config(`fail_mode: ${failMode}\nrules:\n  - per: key\n    requests_per_minute: 100`);
    const limiter = new StoreLimiter({ store, log: (level, msg, fields) => logs.push({ level, msg, fields }) });
    limiters.push(limiter);
    const policy = cfg.policies['default'];
    if (!policy) throw new Error('no policy');
    const admit = () => limiter.admit({ exchange: openaiChatAdapter.parseRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { requestId: 'r', route: '/v1/chat/completions' }), policy, principal: alice });
    return { store, logs, admit };
  }

  it('fails closed by default: 503, audited as an error, logged once, recovers by itself', async () => {
    const { store, logs, admit } = flaky('closed');
    for (let i = 0; i < 3; i++) {
      const r = await refusalOf(admit());
      expect(r.status).toBe(503);
      expect(r.blocked).toBe(false);
      expect(r.finding).toBeUndefined();
      expect(r.headers['retry-after']).toBe('1');
    }
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 'error', msg: 'limit store unreachable', fields: { failMode: 'closed' } });
    store.broken = false;
    expect(await admit()).toBeDefined();
    expect(logs.map((l) => l.msg)).toEqual(['limit store unreachable', 'limit store reachable again']);
  });

  it('fails open when the policy says so: admitted, uncounted', async () => {
    const { logs, admit } = flaky('open');
    expect(await admit()).toBeUndefined();
    expect(await admit()).toBeUndefined();
    expect(logs).toHaveLength(1);
    expect(logs[0]?.fields).toMatchObject({ failMode: 'open' });
  });
});
