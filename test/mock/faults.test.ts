import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockLlm } from '../../src/mock/server.ts';
import type { MockServer } from '../../src/mock/server.ts';

const LONG = 'This reply is long enough to need several chunks before it ends.';

let mock: MockServer;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  mock = await startMockLlm({
    script: [
      { match: '^reset', fault: 'reset' },
      { match: '^hang', fault: 'hang' },
      { match: '^malformed', fault: 'malformed', reply: LONG, chunk_size: 10 },
      { match: '^truncate', fault: 'truncate', reply: LONG, chunk_size: 10 },
    ],
  });
  openai = new OpenAI({ baseURL: `${mock.url}/v1`, apiKey: 'x', maxRetries: 0, timeout: 400, logLevel: 'off' });
  anthropic = new Anthropic({ baseURL: mock.url, apiKey: 'x', maxRetries: 0, timeout: 400, logLevel: 'off' });
});
afterAll(async () => {
  await mock.close();
});

const user = (content: string) => [{ role: 'user' as const, content }];
const caught = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

describe('reset', () => {
  it('drops the connection without a response', async () => {
    const err = await caught(openai.chat.completions.create({ model: 'm', messages: user('reset') }));
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(err).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);

    const streamed = await caught(
      anthropic.messages.create({ model: 'm', max_tokens: 5, stream: true, messages: user('reset please') }),
    );
    expect(streamed).toBeInstanceOf(Anthropic.APIConnectionError);
    expect(streamed).not.toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  });

  it('leaves the server serving', async () => {
    const ok = await openai.chat.completions.create({ model: 'm', messages: user('still there?') });
    expect(ok.choices[0]?.message.content).toBe('still there?');
  });
});

describe('hang', () => {
  it('never answers, so the client times out', async () => {
    const err = await caught(openai.chat.completions.create({ model: 'm', messages: user('hang') }));
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const aErr = await caught(anthropic.messages.create({ model: 'm', max_tokens: 5, messages: user('hang on') }));
    expect(aErr).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  });

  it('does not keep close() waiting', async () => {
    const own = await startMockLlm({ script: [{ fault: 'hang' }] });
    const pending = fetch(`${own.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: user('anything') }),
    }).then(
      () => 'answered',
      () => 'failed',
    );
    // An idle keep-alive connection must not hold close() open either.
    await (await fetch(`${own.url}/v1/models`)).text();
    while (own.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
    const started = performance.now();
    await own.close();
    // Loose bound: a close() that waited on the hung request would never finish at all.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await pending).toBe('failed');
  });
});

describe('malformed', () => {
  it('streams valid chunks, then data that is not JSON (OpenAI)', async () => {
    const stream = await openai.chat.completions.create({ model: 'm', stream: true, messages: user('malformed') });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    const err = await caught(
      (async () => {
        for await (const c of stream) chunks.push(c);
      })(),
    );
    expect(err).toBeInstanceOf(SyntaxError);
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '', refusal: null },
      { content: LONG.slice(0, 10) },
    ]);
  });

  it('streams valid events, then data that is not JSON (Anthropic)', async () => {
    const stream = await anthropic.messages.create({ model: 'm', max_tokens: 50, stream: true, messages: user('malformed') });
    const types: string[] = [];
    const err = await caught(
      (async () => {
        for await (const e of stream) types.push(e.type);
      })(),
    );
    expect(err).toBeInstanceOf(SyntaxError);
    expect(types).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
  });

  it('answers a non-streamed request with a 200 and cut-off JSON', async () => {
    expect(await caught(openai.chat.completions.create({ model: 'm', messages: user('malformed') }))).toBeInstanceOf(Error);
    const res = await fetch(`${mock.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', max_tokens: 50, messages: user('malformed') }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(text.startsWith('{"id":"msg_')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
  });
});

describe('truncate', () => {
  it('ends an OpenAI stream without the finish chunk or [DONE]', async () => {
    const stream = await openai.chat.completions.create({
      model: 'm',
      stream: true,
      stream_options: { include_usage: true },
      messages: user('truncate'),
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    expect(LONG.startsWith(text) && text !== LONG).toBe(true);
    expect(chunks.some((c) => c.choices[0]?.finish_reason)).toBe(false);
    expect(chunks.some((c) => c.usage)).toBe(false);

    await expect(
      openai.chat.completions.stream({ model: 'm', messages: user('truncate') }).finalChatCompletion(),
    ).rejects.toThrow(/finish_reason/);

    const raw = await fetch(`${mock.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: user('truncate') }),
    });
    expect(await raw.text()).not.toContain('[DONE]');
  });

  it('ends an Anthropic stream without message_delta or message_stop', async () => {
    const stream = await anthropic.messages.create({ model: 'm', max_tokens: 50, stream: true, messages: user('truncate') });
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    expect(types.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(types).toContain('content_block_delta');
    expect(types).not.toContain('message_delta');
    expect(types).not.toContain('message_stop');

    await expect(
      anthropic.messages.stream({ model: 'm', max_tokens: 50, messages: user('truncate') }).finalMessage(),
    ).rejects.toThrow(/without producing a Message/);
  });
});
