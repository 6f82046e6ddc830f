import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from '../../src/keys/index.ts';
import { startStack } from './harness.ts';
import type { Stack } from './harness.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    yaml: [
      'policies:',
      '  default: {}',
      '  claude-only:',
      '    models: ["claude-*"]',
      'apps:',
      '  test-app: { policy: default }',
      '  ci: { policy: default }',
      'keys:',
      `  - { id: key_static, sha256: "${hashKey('ppt_static_key_for_tests_only_0123456789abcdef')}", app: ci }`,
      'upstreams:',
      '  anthropic:',
      '    passthrough_client_key: true',
    ].join('\n'),
  });
});
afterAll(async () => stack.close());

const ask = (client: OpenAI, model = 'gpt-4o-mini') => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('gateway keys', () => {
  it('401 without a key, with a wrong key and with a revoked key — in each provider shape', async () => {
    const noKey = await request(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(noKey.statusCode).toBe(401);
    expect(await noKey.body.json()).toMatchObject({ error: { type: 'authentication_error', message: expect.stringMatching(/Missing Parapet API key/) } });

    const wrong = await ask(stack.openai({ apiKey: 'ppt_not_a_real_key' })).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((wrong as Error).message).toMatch(/Invalid Parapet API key/);

    const { record, key } = stack.keys.create({ app: 'test-app' });
    expect((await ask(stack.openai({ apiKey: key }))).choices[0]?.message.content).toBe('hi');
    stack.keys.revoke(record.id);
    const revoked = await ask(stack.openai({ apiKey: key })).catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((revoked as Error).message).toMatch(/revoked/);

    const anth = await stack
      .anthropic({ apiKey: 'nope' })
      .messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(anth).toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it("403 for a model outside the key's allowlist, and outside its policy's", async () => {
    const { key } = stack.keys.create({ app: 'test-app', models: ['gpt-4o-mini'] });
    expect((await ask(stack.openai({ apiKey: key }), 'gpt-4o-mini')).choices).toHaveLength(1);
    const denied = await ask(stack.openai({ apiKey: key }), 'gpt-4o').catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((denied as Error).message).toMatch(/gpt-4o/);

    const { key: claudeKey } = stack.keys.create({ app: 'test-app', policy: 'claude-only' });
    expect(await ask(stack.openai({ apiKey: claudeKey }), 'gpt-4o').catch((e: unknown) => e)).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });

  it('accepts static keys from the config file (only their hash is configured)', async () => {
    const res = await ask(stack.openai({ apiKey: 'ppt_static_key_for_tests_only_0123456789abcdef' }));
    expect(res.choices[0]?.message.content).toBe('hi');
  });

  it('passes the client provider key through only when the deployment opts in', async () => {
    const client = new Anthropic({ baseURL: stack.url, apiKey: 'sk-ant-client-own-key', defaultHeaders: { 'x-parapet-key': stack.key }, maxRetries: 0 });
    await client.messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    const seen = stack.mock.requests.at(-1);
    expect(seen?.headers['x-api-key']).toBe('sk-ant-client-own-key');
    expect(JSON.stringify(seen?.headers)).not.toContain(stack.key);

    // OpenAI upstream did not opt in: the configured credential is used, the client's is dropped.
    const oa = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-client-own', defaultHeaders: { 'x-parapet-key': stack.key }, maxRetries: 0 });
    await ask(oa);
    expect(stack.mock.requests.at(-1)?.headers.authorization).toBe('Bearer sk-upstream-openai');
  });
});
