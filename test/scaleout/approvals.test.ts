// Two gateway instances sharing approvals through Redis: a tool call held by instance A is listed by
// instance B's admin API and approved (or denied) there, and A's client receives the outcome — the
// operator's answer no longer has to land on the instance that holds the response.
import { createHash } from 'node:crypto';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as approvalsCli } from '../../src/cli/approvals.ts';
import { RedisApprovals } from '../../src/respond/approvals-redis.ts';
import { startStack } from '../gateway/harness.ts';
import type { Stack } from '../gateway/harness.ts';
import { REDIS_URL, dropPrefix, keysUnder, testPrefix } from '../stores/redis-helpers.ts';
import { pendingApprovals, waitForPending, withAdminToken } from '../gateway/admin-cli.ts';

const TOKEN = 'test-admin-token-0123456789abcdef';
const TOKEN_SHA = createHash('sha256').update(TOKEN).digest('hex');

const YAML = `
server:
  admin_token_sha256: ${TOKEN_SHA}
policies:
  default:
    tools:
      allow: [transfer_funds]
      approval:
        tools: [transfer_funds]
        timeout_ms: 20000
`;

function ask(client: OpenAI, prompt: string): Promise<OpenAI.Chat.Completions.ChatCompletion> {
  return client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
}

describe('approvals across two gateway instances sharing Redis', () => {
  let prefix: string;
  let registries: RedisApprovals[];
  let a: Stack;
  let b: Stack;

  beforeAll(async () => {
    prefix = testPrefix();
    registries = [new RedisApprovals(REDIS_URL, { prefix }), new RedisApprovals(REDIS_URL, { prefix })];
    a = await startStack({ yaml: YAML, approvals: registries[0]! });
    b = await startStack({ yaml: YAML, approvals: registries[1]! });
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await Promise.all(registries.map((r) => r.close()));
    await dropPrefix(prefix);
  });

  it('a call held on A is approved through B (CLI) and A\'s client receives the tool call', async () => {
    a.mock.setScript([{ match: 'pay', tool_calls: [{ name: 'transfer_funds', arguments: { to: 'ACME', amount: 120 } }] }]);
    const answer = ask(a.openai(), 'pay the invoice');
    const held = await waitForPending(b.url, TOKEN);
    expect(held).toMatchObject({ tool: 'transfer_funds', app: 'test-app', arguments: '{"to":"ACME","amount":120}' });
    expect((await pendingApprovals(a.url, TOKEN)).map((r) => r.id)).toEqual([held.id]);
    await withAdminToken(TOKEN, async () => {
      expect(await approvalsCli(['approve', held.id, '--url', b.url, '--as', 'alice'])).toBe(0);
    });
    const r = await answer;
    expect(r.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'transfer_funds', arguments: '{"to":"ACME","amount":120}' } });
    const [event] = await a.audit();
    expect(event?.findings.find((f) => f.rule === 'tools.approval.approved')?.explanation).toMatch(/approved by admin:alice/);
    // Decided once, on every instance.
    for (const s of [a, b]) {
      const again = await fetch(`${s.url}/parapet/admin/approvals/${held.id}/deny`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(again.status).toBe(404);
      expect(await pendingApprovals(s.url, TOKEN)).toEqual([]);
    }
  });

  it('a streamed call held on B is denied through A\'s admin API and taken out of B\'s stream', async () => {
    b.mock.setScript([{ match: 'pay', reply: 'Paying.', tool_calls: [{ name: 'transfer_funds', arguments: { to: 'ACME', amount: 99999 } }] }]);
    const stream = (async () => {
      const s = await b.openai().chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'pay it all' }] });
      const calls: string[] = [];
      for await (const chunk of s) for (const c of chunk.choices[0]?.delta.tool_calls ?? []) if (c.function?.name) calls.push(c.function.name);
      return calls;
    })();
    const held = await waitForPending(a.url, TOKEN);
    const res = await fetch(`${a.url}/parapet/admin/approvals/${held.id}/deny`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await stream).toEqual([]);
    expect(await keysUnder(prefix)).toEqual([]);
  });
});
