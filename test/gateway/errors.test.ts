import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { auditFor, startStack } from './harness.ts';
import type { Stack } from './harness.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    yaml: 'server:\n  body_limit: 64kb\n  max_json_depth: 32\n  upstream_timeout_ms: 400\n',
    script: [
      { match: 'please hang', reply: 'x', fault: 'hang' },
      { match: 'please reset', reply: 'x', fault: 'reset' },
      { match: 'please 503', reply: 'x', status: 503 },
      { match: 'no such model', reply: 'x', status: 404 },
      { match: 'please malform', reply: 'some text that will break', fault: 'malformed', chunk_size: 4 },
      { match: 'please truncate', reply: 'some text that stops early', fault: 'truncate', chunk_size: 4 },
    ],
  });
});
afterAll(async () => stack.close());

async function raw(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await request(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.key}`, ...headers },
    body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: JSON.parse(text) as Record<string, unknown> };
}

const openaiMsg = (content: string) => JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });
const anthropicMsg = (content: string) => JSON.stringify({ model: 'claude-test-model', max_tokens: 100, messages: [{ role: 'user', content }] });

function openaiError(json: Record<string, unknown>): { message: string; type: string } {
  return json['error'] as { message: string; type: string };
}

describe('bad input gets a clear error in the client API shape, and is audited', () => {
  it('malformed JSON → 400 (OpenAI shape)', async () => {
    const r = await raw('/v1/chat/completions', '{"model": "gpt-4o", "messages": [');
    expect(r.status).toBe(400);
    expect(openaiError(r.json).message).toMatch(/not valid JSON/);
    expect(openaiError(r.json).type).toBe('invalid_request_error');
    const ev = await auditFor(stack, r.headers['x-parapet-request-id'] as string);
    expect(ev).toMatchObject({ decision: 'error', status: 400, app: 'test-app' });
  });

  it('malformed JSON → 400 (Anthropic shape)', async () => {
    const r = await raw('/v1/messages', '{nope', { 'anthropic-version': '2023-06-01' });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('wrong content type → 415', async () => {
    const r = await raw('/v1/chat/completions', 'model=gpt-4o', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(415);
    expect(openaiError(r.json).message).toMatch(/application\/json/);
    await auditFor(stack, r.headers['x-parapet-request-id'] as string);
  });

  it('body over the limit → 413', async () => {
    const r = await raw('/v1/messages', anthropicMsg('a'.repeat(70 * 1024)));
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    await auditFor(stack, r.headers['x-parapet-request-id'] as string);
  });

  it('unknown route → 404', async () => {
    const r = await raw('/v1/embeddings', '{}');
    expect(r.status).toBe(404);
    expect(openaiError(r.json).message).toMatch(/Unknown route/);
  });

  it('invalid UTF-8 → 400', async () => {
    const body = Buffer.concat([Buffer.from('{"model":"gpt-4o","messages":[{"role":"user","content":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}]}')]);
    const r = await raw('/v1/chat/completions', body);
    expect(r.status).toBe(400);
    expect(openaiError(r.json).message).toMatch(/UTF-8/);
  });

  it('deeply nested JSON → 400 without harming the process', async () => {
    const deep = '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"metadata":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    const r = await raw('/v1/chat/completions', deep);
    expect(r.status).toBe(400);
    expect(openaiError(r.json).message).toMatch(/nested deeper than 32/);
  });

  it('a request of the wrong shape names the field', async () => {
    const r = await raw('/v1/chat/completions', JSON.stringify({ model: 'gpt-4o', messages: 'hi' }));
    expect(r.status).toBe(400);
    expect(openaiError(r.json).message).toMatch(/messages/);
    const a = await raw('/v1/messages', JSON.stringify({ model: 'claude-x', messages: [{ role: 'user', content: 'hi' }] }));
    expect(a.status).toBe(400);
    expect(JSON.stringify(a.json)).toMatch(/max_tokens/);
  });
});

describe('upstream failures', () => {
  it('timeout → 504 and the gateway keeps serving', async () => {
    const r = await raw('/v1/chat/completions', openaiMsg('please hang'));
    expect(r.status).toBe(504);
    expect(openaiError(r.json).message).toMatch(/did not answer in time/);
    const ev = await auditFor(stack, r.headers['x-parapet-request-id'] as string);
    expect(ev.decision).toBe('error');
    expect(ev.error).toMatch(/in time/);
    const ok = await raw('/v1/chat/completions', openaiMsg('still alive?'));
    expect(ok.status).toBe(200);
  });

  it('connection reset → 502 (Anthropic SDK sees an InternalServerError-class APIError)', async () => {
    const err = await stack
      .anthropic()
      .messages.create({ model: 'claude-test-model', max_tokens: 50, messages: [{ role: 'user', content: 'please reset' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).status).toBe(502);
  });

  it('upstream 5xx is passed on with its status and provider body', async () => {
    const r = await raw('/v1/chat/completions', openaiMsg('please 503'));
    expect(r.status).toBe(503);
    expect(openaiError(r.json).message).toBeTruthy();
    const ev = await auditFor(stack, r.headers['x-parapet-request-id'] as string);
    expect(ev).toMatchObject({ status: 503, decision: 'error' });
  });

  it('an unknown model (upstream 404) reaches the SDK as NotFoundError with the upstream message', async () => {
    const err = await stack
      .openai()
      .chat.completions.create({ model: 'gpt-does-not-exist', messages: [{ role: 'user', content: 'no such model' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    const ev = await auditFor(stack, (err as InstanceType<typeof OpenAI.NotFoundError>).headers?.get('x-parapet-request-id') as string);
    expect(ev).toMatchObject({ status: 404, decision: 'error', model: 'gpt-does-not-exist' });
  });

  it('malformed upstream stream ends with an error event the SDK raises', async () => {
    const stream = await stack.openai().chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'please malform' }] });
    const err = await (async () => {
      for await (const _ of stream) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(String((err as Error).message)).toMatch(/malformed upstream stream/);
    const events = await stack.audit();
    expect(events.some((e) => e.streamed && /malformed/.test(e.error ?? ''))).toBe(true);
  });

  it('truncated upstream stream is reported to the Anthropic client', async () => {
    const stream = stack.anthropic().messages.stream({ model: 'claude-test-model', max_tokens: 50, messages: [{ role: 'user', content: 'please truncate' }] });
    const err = await stream.finalMessage().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(String((err as Error).message)).toMatch(/ended before its final event/);
  });
});

describe('fail closed', () => {
  it('a detector that throws refuses the request; a fail-open policy lets it through flagged', async () => {
    const broken = await startStack({
      detectors: [{ id: 'broken', categories: ['injection'], scan: () => { throw new Error('boom'); } }],
    });
    try {
      const err = await broken.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.InternalServerError);
      expect((err as Error).message).toMatch(/fails closed/);
      expect(broken.mock.requests.length).toBe(0);

      broken.setConfig(parseConfig('policies:\n  default:\n    fail_mode: open\n', 'open.yaml', { PARAPET_OPENAI_BASE_URL: `${broken.mock.url}/v1` }));
      const { data, response } = await broken.openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      expect(data.choices[0]?.message.content).toBe('hi');
      expect(response.headers.get('x-parapet-decision')).toBe('flag');
    } finally {
      await broken.close();
    }
  });
});
