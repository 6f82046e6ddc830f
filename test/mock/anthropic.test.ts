import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockLlm } from '../../src/mock/server.ts';
import type { MockServer } from '../../src/mock/server.ts';

const WEATHER_ARGS = { city: 'Oslo', days: [1, 2], nested: { unit: 'C', note: 'ünïcode 😀' } };

let mock: MockServer;
let client: Anthropic;

beforeAll(async () => {
  mock = await startMockLlm({
    script: [
      { match: '^weather', tool_calls: [{ name: 'get_weather', arguments: WEATHER_ARGS }], chunk_size: 6 },
      { match: '^explain then call', reply: 'Checking now.', tool_calls: [{ name: 'lookup', arguments: { id: 7 }, id: 'toolu_fixed' }] },
      { match: '^sunny', reply: 'It is sunny: thanks for the tool result.' },
      { match: '^greet', reply: 'Hello from the Anthropic side of the mock.', chunk_size: 5 },
      { match: '^overloaded', status: 529, reply: 'Overloaded' },
      { match: '^denied', status: 403 },
    ],
  });
  client = new Anthropic({ baseURL: mock.url, apiKey: 'sk-ant-test', maxRetries: 0, timeout: 5000 });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.requests.length = 0;
});

describe('non-streamed messages', () => {
  it('echoes the last user message with deterministic usage', async () => {
    const msg = await client.messages.create({
      model: 'claude-test',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'first turn' },
        { role: 'assistant', content: 'noted' },
        { role: 'user', content: [{ type: 'text', text: 'echo' }, { type: 'text', text: 'this back' }] },
      ],
    });
    expect(msg).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [{ type: 'text', text: 'echo\nthis back' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(msg.id).toMatch(/^msg_/);
    const promptChars = 'Be brief.'.length + 'first turn'.length + 'noted'.length + 'echo\nthis back'.length;
    expect(msg.usage).toMatchObject({
      input_tokens: Math.ceil(promptChars / 4),
      output_tokens: Math.ceil('echo\nthis back'.length / 4),
    });
  });

  it('returns tool_use blocks with the scripted input', async () => {
    const msg = await client.messages.create({
      model: 'm',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'weather in Oslo?' }],
    });
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content).toHaveLength(1);
    const block = msg.content[0];
    expect(block?.type).toBe('tool_use');
    if (block?.type !== 'tool_use') return;
    expect(block.id).toMatch(/^toolu_/);
    expect(block.name).toBe('get_weather');
    expect(block.input).toEqual(WEATHER_ARGS);
  });

  it('matches a tool-result-only user turn on the result text', async () => {
    const msg = await client.messages.create({
      model: 'm',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'sunny, 20C' }] }] },
      ],
    });
    expect(msg.content).toEqual([{ type: 'text', text: 'It is sunny: thanks for the tool result.' }]);
  });

  it('counts tokens by the same rule', async () => {
    const res = await client.messages.countTokens({ model: 'm', messages: [{ role: 'user', content: '123456789' }] });
    expect(res.input_tokens).toBe(3);
  });
});

describe('streamed messages', () => {
  it('sends the official event sequence', async () => {
    const stream = await client.messages.create({
      model: 'claude-stream',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'greet' }],
    });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    for await (const e of stream) events.push(e);
    const reply = 'Hello from the Anthropic side of the mock.';
    const deltaCount = Math.ceil(reply.length / 5);
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      ...Array<string>(deltaCount).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const start = events[0];
    expect(start?.type === 'message_start' && start.message).toMatchObject({
      role: 'assistant',
      model: 'claude-stream',
      content: [],
      stop_reason: null,
    });
    const text = events.flatMap((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? [e.delta.text] : []));
    expect(text.join('')).toBe(reply);
    const md = events.at(-2);
    expect(md?.type === 'message_delta' && [md.delta.stop_reason, md.usage.output_tokens]).toEqual([
      'end_turn',
      Math.ceil(reply.length / 4),
    ]);
  });

  it('frames every event as event/data with a ping after the first block starts', async () => {
    const res = await fetch(`${mock.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'm', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const raw = await res.text();
    const frames = raw.split('\n\n').filter((f) => f !== '');
    for (const f of frames) {
      const [eventLine, dataLine, ...rest] = f.split('\n');
      expect(rest).toEqual([]);
      const name = eventLine?.replace(/^event: /, '');
      const data = JSON.parse(dataLine?.replace(/^data: /, '') ?? '') as { type: string };
      expect(data.type).toBe(name);
    }
    expect(frames.map((f) => f.split('\n')[0])).toEqual([
      'event: message_start',
      'event: content_block_start',
      'event: ping',
      'event: content_block_delta',
      'event: content_block_stop',
      'event: message_delta',
      'event: message_stop',
    ]);
  });

  it('is reassembled by messages.stream().finalMessage()', async () => {
    const stream = client.messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'greet' }] });
    const seen: string[] = [];
    stream.on('text', (delta) => seen.push(delta));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello from the Anthropic side of the mock.' })]);
    expect(seen.join('')).toBe('Hello from the Anthropic side of the mock.');
    expect(final.stop_reason).toBe('end_turn');
  });

  it('streams tool input as input_json_delta that the SDK parses back to the script', async () => {
    const stream = client.messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'weather now' }] });
    const partials: string[] = [];
    stream.on('inputJson', (partial) => partials.push(partial));
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    const block = final.content[0];
    expect(block?.type === 'tool_use' && [block.name, block.input]).toEqual(['get_weather', WEATHER_ARGS]);
    expect(partials.join('')).toBe(JSON.stringify(WEATHER_ARGS));
    expect(partials.every((p) => [...p].length <= 6)).toBe(true);
  });

  it('puts text before tool_use blocks with consecutive indexes', async () => {
    const final = await client.messages
      .stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'explain then call' }] })
      .finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
    const [text, tool] = final.content;
    expect(text?.type === 'text' && text.text).toBe('Checking now.');
    expect(tool?.type === 'tool_use' && [tool.id, tool.name, tool.input]).toEqual(['toolu_fixed', 'lookup', { id: 7 }]);
  });
});

describe('errors and recording', () => {
  it('answers a scripted status in the Anthropic error shape', async () => {
    const err = await client.messages
      .create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'overloaded' }] })
      .then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    const apiErr = err as InstanceType<typeof Anthropic.APIError>;
    expect(apiErr.status).toBe(529);
    expect(apiErr.error).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });

    const streamed = await client.messages
      .stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'denied' }] })
      .finalMessage()
      .then(() => undefined, (e: unknown) => e);
    expect(streamed).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((streamed as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: 'permission_error' } });
  });

  it('rejects bad JSON, missing max_tokens and unknown routes in the Anthropic shape', async () => {
    const post = (path: string, body: string) =>
      fetch(`${mock.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body,
      });
    const bad = await post('/v1/messages', '{not json');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'the request body is not valid JSON' },
    });
    const noMax = await post('/v1/messages', JSON.stringify({ model: 'm', messages: [] }));
    expect(noMax.status).toBe(400);
    expect(await noMax.json()).toMatchObject({ type: 'error', error: { message: expect.stringContaining('max_tokens') } });
    const unknown = await post('/v1/complete', '{}');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('records the credentials and the body as sent', async () => {
    // This SDK version sends its apiKey as a bearer token; older clients and curl send x-api-key.
    await client.messages.create({ model: 'rec', max_tokens: 9, messages: [{ role: 'user', content: 'note me' }] });
    await fetch(`${mock.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-raw', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'raw', max_tokens: 1, messages: [] }),
    });
    expect(mock.requests).toHaveLength(2);
    expect(mock.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      headers: { authorization: 'Bearer sk-ant-test', 'anthropic-version': expect.any(String) },
      body: { model: 'rec', max_tokens: 9, messages: [{ role: 'user', content: 'note me' }] },
    });
    expect(mock.requests[1]).toMatchObject({
      path: '/v1/messages?beta=true',
      headers: { 'x-api-key': 'sk-ant-raw' },
      body: { model: 'raw', max_tokens: 1, messages: [] },
    });
  });

  it('lists models in the Anthropic shape', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => [m.type, m.id])).toEqual([['model', 'mock-model']]);
  });
});
