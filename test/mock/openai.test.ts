import OpenAI from 'openai';
import { Pool } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockLlm } from '../../src/mock/server.ts';
import type { MockServer, RecordedRequest } from '../../src/mock/server.ts';

const SCRIPT = [
  { match: '^weather', reply: '', tool_calls: [{ name: 'get_weather', arguments: { city: 'Oslo', days: [1, 2], unit: 'C' } }], chunk_size: 5 },
  { match: '^both', reply: 'Let me check.', tool_calls: [{ name: 'a', arguments: {} }, { name: 'b', arguments: { q: 'x"y' }, id: 'call_fixed' }] },
  { match: '^limited', status: 429, reply: 'slow down', headers: { 'retry-after': '7' } },
  { match: '^broken', status: 500 },
  { match: '^greet', reply: 'Hello from the script, a longer reply to chunk.', chunk_size: 4 },
  { match: '^slow', reply: 'abcdef', chunk_size: 2, delay_ms: 40 },
  { match: '^custom usage', reply: 'ok', usage: { prompt_tokens: 100, completion_tokens: 20 } },
];

let mock: MockServer;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockLlm({ script: SCRIPT });
  client = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'sk-test-key', maxRetries: 0, timeout: 5000 });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.requests.length = 0;
});

describe('non-streamed chat completions', () => {
  it('echoes the last user message with deterministic usage', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'greet me? no, earlier turn' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'repeat after me' },
    ];
    const res = await client.chat.completions.create({ model: 'gpt-test', messages });
    expect(res.object).toBe('chat.completion');
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.model).toBe('gpt-test');
    expect(typeof res.created).toBe('number');
    expect(res.choices).toHaveLength(1);
    expect(res.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'repeat after me' });
    expect(res.choices[0]?.finish_reason).toBe('stop');
    // ceil(chars/4) over every message's text; completion over the reply.
    const promptChars = 'You are terse.'.length + 'greet me? no, earlier turn'.length + 'ok'.length + 'repeat after me'.length;
    expect(res.usage).toEqual({
      prompt_tokens: Math.ceil(promptChars / 4),
      completion_tokens: Math.ceil('repeat after me'.length / 4),
      total_tokens: Math.ceil(promptChars / 4) + Math.ceil('repeat after me'.length / 4),
    });
  });

  it('matches the script against the joined text parts of the last user message', async () => {
    const res = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'greet' }, { type: 'text', text: 'the user' }] }],
    });
    expect(res.choices[0]?.message.content).toBe('Hello from the script, a longer reply to chunk.');
  });

  it('returns scripted tool calls with JSON arguments and finish_reason tool_calls', async () => {
    const res = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'both please' }] });
    const choice = res.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('Let me check.');
    const calls = choice?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? [c.function.name, JSON.parse(c.function.arguments)] : null))).toEqual([
      ['a', {}],
      ['b', { q: 'x"y' }],
    ]);
    expect(calls[1]?.id).toBe('call_fixed');
    expect(calls[0]?.id).toMatch(/^call_/);
    const only = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'weather?' }] });
    expect(only.choices[0]?.message.content).toBeNull();
  });

  it('reports overridden usage', async () => {
    const res = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'custom usage' }] });
    expect(res.usage).toEqual({ prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 });
  });
});

describe('streamed chat completions', () => {
  it('streams the official chunk sequence, chunk_size characters at a time', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-stream',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'greet' }],
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const reply = 'Hello from the script, a longer reply to chunk.';

    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    const contents = chunks.slice(1).flatMap((c) => (c.choices[0]?.delta.content ? [c.choices[0].delta.content] : []));
    expect(contents.join('')).toBe(reply);
    expect(contents).toHaveLength(Math.ceil(reply.length / 4));
    expect(contents.slice(0, -1).every((s) => s.length === 4)).toBe(true);

    const finish = chunks.at(-2);
    expect(finish?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(Math.ceil(reply.length / 4));
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'gpt-stream')).toBe(true);
  });

  it('omits the usage chunk unless asked', async () => {
    const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.some((c) => c.usage)).toBe(false);
  });

  it('pads each chunk with an obfuscation string, as OpenAI does, unless include_obfuscation is false', async () => {
    const pool = new Pool(mock.url);
    try {
      const read = async (opts: Record<string, unknown>): Promise<Record<string, unknown>[]> => {
        const res = await pool.request({
          path: '/v1/chat/completions',
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-key' },
          body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'greet' }], ...opts }),
        });
        const text = await res.body.text();
        return text
          .split('\n\n')
          .filter((e) => e.startsWith('data: {'))
          .map((e) => JSON.parse(e.slice(6)) as Record<string, unknown>);
      };
      const padded = await read({});
      expect(padded.length).toBeGreaterThan(3);
      expect(padded.every((c) => typeof c.obfuscation === 'string' && /^[A-Za-z0-9]{1,16}$/.test(c.obfuscation))).toBe(true);
      // The padding evens out sizes: every delta plus its padding is a multiple of 16 characters.
      expect(padded.every((c) => (JSON.stringify((c.choices as { delta: unknown }[])[0]?.delta).length + (c.obfuscation as string).length) % 16 === 0)).toBe(true);
      const bare = await read({ stream_options: { include_obfuscation: false } });
      expect(bare.some((c) => 'obfuscation' in c)).toBe(false);
    } finally {
      await pool.close();
    }
  });

  it('is reassembled by the SDK stream helper', async () => {
    const final = await client.chat.completions
      .stream({ model: 'm', messages: [{ role: 'user', content: 'greet' }], stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Hello from the script, a longer reply to chunk.');
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(final.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('streams tool calls whose arguments the SDK reassembles to the script', async () => {
    const stream = client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'weather in Oslo' }] });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    stream.on('chunk', (c) => chunks.push(c));
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Oslo', days: [1, 2], unit: 'C' });

    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({ index: 0, id: call?.id, type: 'function', function: { name: 'get_weather', arguments: '' } });
    const fragments = deltas.slice(1);
    expect(fragments.every((d) => d.index === 0 && d.id === undefined && (d.function?.arguments?.length ?? 0) <= 5)).toBe(true);
    expect(fragments.length).toBe(Math.ceil(JSON.stringify({ city: 'Oslo', days: [1, 2], unit: 'C' }).length / 5));
  });

  it('keeps several tool calls apart by index', async () => {
    const final = await client.chat.completions
      .stream({ model: 'm', messages: [{ role: 'user', content: 'both' }] })
      .finalChatCompletion();
    const msg = final.choices[0]?.message;
    expect(msg?.content).toBe('Let me check.');
    expect(msg?.tool_calls?.map((c) => (c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : null))).toEqual([
      [expect.stringMatching(/^call_/), 'a', '{}'],
      ['call_fixed', 'b', '{"q":"x\\"y"}'],
    ]);
  });

  it('spaces events by delay_ms', async () => {
    const started = performance.now();
    const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'slow' }] });
    const times: number[] = [];
    for await (const _ of stream) times.push(performance.now() - started);
    // role chunk, three 2-char chunks, finish: four gaps of 40 ms.
    expect(times).toHaveLength(5);
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(150);
  });
});

describe('errors', () => {
  it('answers a scripted status in the OpenAI error shape, with scripted headers', async () => {
    const err = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'limited' }] })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const apiErr = err as InstanceType<typeof OpenAI.APIError>;
    expect(apiErr.status).toBe(429);
    expect(apiErr.error).toEqual({ message: 'slow down', type: 'requests', param: null, code: 'rate_limit_exceeded' });
    expect(apiErr.headers?.get('retry-after')).toBe('7');
  });

  it('answers a scripted status for streamed requests too', async () => {
    const err = await client.chat.completions
      .create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'broken' }] })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
  });

  it('rejects bad JSON, missing fields and unknown routes in the OpenAI shape', async () => {
    const post = (path: string, body: string) =>
      fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const bad = await post('/v1/chat/completions', '{"model": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { message: 'the request body is not valid JSON', type: 'invalid_request_error', param: null, code: null },
    });
    const noModel = await post('/v1/chat/completions', '{"messages": []}');
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toMatchObject({ error: { param: 'model', type: 'invalid_request_error' } });
    const unknown = await post('/v1/embeddings', '{}');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('/v1/embeddings') } });
  });
});

describe('recording and models', () => {
  it('records what was sent, including the authorization header, and clears on DELETE', async () => {
    await client.chat.completions.create({ model: 'rec', messages: [{ role: 'user', content: 'remember this' }] });
    expect(mock.requests).toHaveLength(1);
    const res = await fetch(`${mock.url}/_mock/requests`);
    const recorded = (await res.json()) as RecordedRequest[];
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer sk-test-key', 'content-type': 'application/json' },
      body: { model: 'rec', messages: [{ role: 'user', content: 'remember this' }] },
    });
    const del = await fetch(`${mock.url}/_mock/requests`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(mock.requests).toHaveLength(0);
    expect(await (await fetch(`${mock.url}/_mock/requests`)).json()).toEqual([]);
  });

  it('keeps only the last 1000 requests', async () => {
    const small = await startMockLlm();
    const pool = new Pool(small.url, { connections: 4 });
    try {
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < 1005) {
            const body = JSON.stringify({ model: String(next++), messages: [] });
            await (await pool.request({ path: '/v1/chat/completions', method: 'POST', body })).body.text();
          }
        }),
      );
      expect(small.requests).toHaveLength(1000);
      const models = new Set(small.requests.map((r) => (r.body as { model: string }).model));
      expect(models.size).toBe(1000);
      expect(models.has('1004')).toBe(true);
    } finally {
      await pool.close();
      await small.close();
    }
  });

  it('keeps as many as asked, or none', async () => {
    const three = await startMockLlm({ maxRecorded: 3 });
    const none = await startMockLlm({ maxRecorded: 0 });
    try {
      for (const m of [three, none]) {
        for (let i = 0; i < 5; i++) {
          await fetch(`${m.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: `m${i}`, messages: [] }) });
        }
      }
      expect(three.requests.map((r) => (r.body as { model: string }).model)).toEqual(['m2', 'm3', 'm4']);
      expect(none.requests).toEqual([]);
    } finally {
      await three.close();
      await none.close();
    }
  });

  it('lists models', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('mock-model');
  });
});
