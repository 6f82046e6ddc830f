// Limits through the whole gateway, driven by the official SDKs against the mock upstream.
import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLimitStore, StoreLimiter, countInputTokens } from '../../src/limits/index.ts';
import type { Check } from '../../src/limits/index.ts';
import { openaiChatAdapter } from '../../src/providers/openai/index.ts';
import { auditFor, startStack } from '../gateway/harness.ts';
import type { Stack } from '../gateway/harness.ts';

const YAML = `
prices:
  "gpt-4o-mini*": { input: 0.15, output: 0.60 }
policies:
  default:
    limits:
      max_input_tokens: 2000
      max_output_tokens: 64
      rules:
        - per: key
          requests_per_minute: 1000
          tokens_per_minute: 1000000
          concurrent_requests: 1
`;

let stack: Stack;
let store: MemoryLimitStore;
let limiter: StoreLimiter;

beforeAll(async () => {
  store = new MemoryLimitStore();
  limiter = new StoreLimiter({ store, prices: () => stack.config.prices });
  stack = await startStack({
    yaml: YAML,
    limits: limiter,
    script: [
      { match: 'slow', reply: 'slowly but surely, one word at a time', delay_ms: 150, chunk_size: 4 },
      { match: 'broken', status: 503, reply: 'upstream overloaded' },
      { match: 'count me', reply: 'exactly counted', usage: { prompt_tokens: 40, completion_tokens: 7 } },
    ],
  });
});
afterAll(async () => {
  await stack.close();
  await limiter.close();
});

/** A fresh key per test, so counters never carry over. */
let key: string;
let keyId: string;
beforeEach(() => {
  const created = stack.keys.create({ app: 'limits-app' });
  key = created.key;
  keyId = created.record.id;
});

const tpm = (): Check => ({ kind: 'window', key: `default:key:tpm:key=${keyId}`, limit: 0, amount: 0, windowMs: 60_000, bucketMs: 1000 });
const slots = (): Check => ({ kind: 'lease', key: `default:key:cr:key=${keyId}`, limit: 0, leaseId: '', ttlMs: 0 });
const settled = async (): Promise<void> => {
  for (let i = 0; i < 50 && limiter.pending > 0; i++) await new Promise((r) => setTimeout(r, 5));
};

describe('limits in the gateway', () => {
  it('refuses with 429 in OpenAI shape, names the limit in headers, and audits block/consumption', async () => {
    const client = stack.openai({ apiKey: key });
    const slow = client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'slow please' }] });
    await new Promise((r) => setTimeout(r, 50));
    let caught: unknown;
    try {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OpenAI.RateLimitError);
    const err = caught as InstanceType<typeof OpenAI.RateLimitError>;
    expect(err.status).toBe(429);
    expect(err.type).toBe('rate_limit_exceeded');
    expect(err.message).toContain('concurrent_requests');
    expect(err.headers?.get('x-parapet-limit')).toBe('key/concurrent_requests');
    expect(err.headers?.get('x-ratelimit-limit-concurrent-requests')).toBe('1');
    expect(err.headers?.get('x-ratelimit-remaining-concurrent-requests')).toBe('0');
    expect(err.headers?.get('retry-after')).toBe('1');
    expect(err.headers?.get('x-parapet-decision')).toBe('block');

    const ev = await auditFor(stack, err.headers?.get('x-parapet-request-id') ?? '');
    expect(ev).toMatchObject({ decision: 'block', status: 429, rule: 'limits.key.concurrent_requests', key_id: keyId });
    expect(ev.findings).toEqual([expect.objectContaining({ detector: 'limits', category: 'consumption', owasp: ['LLM10'], direction: 'input' })]);

    // The slot is freed when the slow exchange ends.
    await slow;
    await settled();
    const ok = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
    expect(ok.choices[0]?.message.content).toBe('Hello');
  });

  it('refuses in Anthropic shape for Anthropic clients', async () => {
    const client = stack.anthropic({ apiKey: key });
    const slow = client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'slow please' }] });
    await new Promise((r) => setTimeout(r, 50));
    const err = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const body = (err as InstanceType<typeof Anthropic.RateLimitError>).error as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('rate_limit_error');
    await slow;
  });

  it('clamps max_tokens to the policy cap before forwarding, and inserts it when absent', async () => {
    const client = stack.openai({ apiKey: key });
    await client.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 5000, messages: [{ role: 'user', content: 'Hello' }] });
    expect(stack.mock.requests.at(-1)?.body).toMatchObject({ max_tokens: 64 });
    await settled();
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
    expect(stack.mock.requests.at(-1)?.body).toMatchObject({ max_tokens: 64 });
    await settled();
    await stack.anthropic({ apiKey: key }).messages.create({ model: 'claude-haiku-4-5', max_tokens: 4096, messages: [{ role: 'user', content: 'Hello' }] });
    expect(stack.mock.requests.at(-1)?.body).toMatchObject({ max_tokens: 64 });
  });

  it('refuses a request over max_input_tokens with 400 before it reaches the upstream', async () => {
    const before = stack.mock.requests.length;
    const err = await stack
      .openai({ apiKey: key })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'lorem ipsum dolor '.repeat(800) }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain('max_input_tokens');
    expect(stack.mock.requests.length).toBe(before);
  });

  it('reconciles a non-streamed exchange with the usage the upstream reports', async () => {
    await stack.openai({ apiKey: key }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'count me in' }] });
    await settled();
    expect(store.peek(tpm())).toBe(47);
    expect(store.peek(slots())).toBe(0);
  });

  it('reconciles a stream with its streamed usage', async () => {
    const stream = stack.openai({ apiKey: key }).chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count me in, streamed' }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.usage?.total_tokens).toBe(47);
    await settled();
    expect(store.peek(tpm())).toBe(47);
    expect(store.peek(slots())).toBe(0);
  });

  it('estimates a stream that reports no usage from its text, and never above the reservation', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'slow stream without usage' }] };
    const input = (await countInputTokens(openaiChatAdapter.parseRequest({ ...body, max_tokens: 64 }, { requestId: 'x', route: '/v1/chat/completions' }))).tokens;
    const stream = stack.openai({ apiKey: key }).chat.completions.stream(body);
    const text = (await stream.finalChatCompletion()).choices[0]?.message.content ?? '';
    await settled();
    expect(store.peek(tpm())).toBe(input + Math.min(64, Math.ceil(text.length / 3)));
  });

  it('refunds the reservation when the upstream fails, and frees the slot', async () => {
    const err = await stack
      .openai({ apiKey: key })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'broken' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    await settled();
    expect(store.peek(tpm())).toBe(0);
    expect(store.peek(slots())).toBe(0);
  });

  it('frees the slot when the client walks away mid-stream', async () => {
    // A raw request whose socket is destroyed after the first bytes: the client is really gone.
    await new Promise<void>((resolve, reject) => {
      const req = http.request(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      });
      req.on('response', (res) => {
        res.once('data', () => {
          expect(store.peek(slots())).toBe(1);
          req.destroy();
          resolve();
        });
      });
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      req.end(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'slow stream, abandoned' }] }));
    });
    const deadline = Date.now() + 3000;
    while (store.peek(slots()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(store.peek(slots())).toBe(0);
  });
});
