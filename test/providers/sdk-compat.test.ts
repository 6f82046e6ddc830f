// The events and error bodies Parapet writes must read, through the official SDKs, as the
// provider's own: the right exception classes, finish/stop reasons and stream errors.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { anthropicMessagesAdapter } from '../../src/providers/anthropic/index.ts';
import { openaiChatAdapter } from '../../src/providers/openai/index.ts';
import { serializeSse } from '../../src/providers/sse.ts';
import type { ErrorKind, SseEvent } from '../../src/providers/types.ts';
import { anthropicStream, openaiTextStream } from './fixtures.ts';

type Fetch = typeof globalThis.fetch;

function sseFetch(events: readonly SseEvent[]): Fetch {
  return () =>
    Promise.resolve(new Response(events.map(serializeSse).join(''), { status: 200, headers: { 'content-type': 'text/event-stream' } }));
}

function jsonFetch(status: number, body: unknown): Fetch {
  return () => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

const openai = (fetch: Fetch): OpenAI => new OpenAI({ apiKey: 'sk-test', baseURL: 'http://parapet.test/v1', maxRetries: 0, fetch });
const anthropic = (fetch: Fetch): Anthropic => new Anthropic({ apiKey: 'sk-ant-test', baseURL: 'http://parapet.test', maxRetries: 0, fetch });

const chatParams = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const messageParams = { model: 'claude-parapet-test', max_tokens: 100, messages: [{ role: 'user' as const, content: 'hi' }] };

describe('OpenAI SDK reads what Parapet writes', () => {
  it('a stream stopped by policy ends with finish_reason content_filter', async () => {
    const inspector = openaiChatAdapter.createStreamInspector();
    const sent = openaiTextStream.slice(0, 3);
    for (const e of sent) inspector.inspect(e);
    const client = openai(sseFetch([...sent, ...inspector.stopEvents('secret in output')]));
    const final = await client.chat.completions.stream(chatParams).finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe('content_filter');
    expect(final.choices[0]?.message.content).toBe('Hello wör');
    expect(final.id).toBe('chatcmpl-9x1');
  });

  it('a stream error event raises an APIError', async () => {
    const client = openai(sseFetch([...openaiTextStream.slice(0, 2), openaiChatAdapter.streamErrorEvent('Parapet: upstream broke')]));
    const stream = await client.chat.completions.create({ ...chatParams, stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow(/upstream broke/);
    expect(seen.join('')).toBe('Hello');
  });

  it.each<[ErrorKind, new (...args: never[]) => Error]>([
    ['invalid_request', OpenAI.BadRequestError],
    ['content_blocked', OpenAI.BadRequestError],
    ['authentication', OpenAI.AuthenticationError],
    ['permission', OpenAI.PermissionDeniedError],
    ['not_found', OpenAI.NotFoundError],
    ['rate_limit', OpenAI.RateLimitError],
    ['upstream', OpenAI.InternalServerError],
    ['timeout', OpenAI.InternalServerError],
    ['internal', OpenAI.InternalServerError],
  ])('error %s raises %o', async (kind, cls) => {
    const shape = openaiChatAdapter.errorShape(kind, 'because');
    const err = await openai(jsonFetch(shape.status, shape.body)).chat.completions.create(chatParams).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect((err as Error).message).toContain('because');
  });

  it('a block reads as a content policy violation', async () => {
    const shape = openaiChatAdapter.errorShape('content_blocked', 'prompt injection');
    const err = await openai(jsonFetch(shape.status, shape.body)).chat.completions.create(chatParams).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'content_policy_violation', type: 'invalid_request_error' });
  });
});

describe('Anthropic SDK reads what Parapet writes', () => {
  it('a stream stopped inside a tool_use block ends with stop_reason refusal', async () => {
    const inspector = anthropicMessagesAdapter.createStreamInspector();
    const sent = anthropicStream.slice(0, 9);
    for (const e of anthropicStream.slice(0, 10)) inspector.inspect(e);
    for (const e of sent) inspector.sent(e);
    const client = anthropic(sseFetch([...sent, ...inspector.stopEvents('secret in tool input')]));
    const final = await client.messages.stream(messageParams).finalMessage();
    expect(final.stop_reason).toBe('refusal');
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Okay, let me check the weather — ☀️.' });
    expect(final.content[1]).toMatchObject({ type: 'tool_use', name: 'get_weather' });
    expect(final.content).toHaveLength(2);
  });

  it('a stream stopped before anything reached the client is still a well-formed message', async () => {
    const inspector = anthropicMessagesAdapter.createStreamInspector();
    for (const e of anthropicStream.slice(0, 4)) inspector.inspect(e);
    const final = await anthropic(sseFetch(inspector.stopEvents('blocked'))).messages.stream(messageParams).finalMessage();
    expect(final.stop_reason).toBe('refusal');
    expect(final.content).toEqual([]);
    expect(final.id).toBe('msg_01XFDUDYJgAACzvnptvVoYEL');
  });

  it('a stream error event raises an APIError', async () => {
    const client = anthropic(sseFetch([...anthropicStream.slice(0, 4), anthropicMessagesAdapter.streamErrorEvent('Parapet: upstream broke')]));
    await expect(client.messages.stream(messageParams).finalMessage()).rejects.toThrow(/upstream broke/);
  });

  it.each<[ErrorKind, new (...args: never[]) => Error]>([
    ['invalid_request', Anthropic.BadRequestError],
    ['content_blocked', Anthropic.BadRequestError],
    ['authentication', Anthropic.AuthenticationError],
    ['permission', Anthropic.PermissionDeniedError],
    ['not_found', Anthropic.NotFoundError],
    ['rate_limit', Anthropic.RateLimitError],
    ['upstream', Anthropic.InternalServerError],
    ['timeout', Anthropic.InternalServerError],
    ['internal', Anthropic.InternalServerError],
  ])('error %s raises %o', async (kind, cls) => {
    const shape = anthropicMessagesAdapter.errorShape(kind, 'because');
    const err = await anthropic(jsonFetch(shape.status, shape.body)).messages.create(messageParams).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect((err as Error).message).toContain('because');
  });
});
