// The gateway as a user runs it: `parapet serve` in its own process, keys from the CLI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../bench/lib/procs.ts';
import type { Running } from '../../bench/lib/procs.ts';
import { startMockLlm } from '../../src/mock/server.ts';
import type { MockServer } from '../../src/mock/server.ts';

let mock: MockServer;
let dir: string;

beforeAll(async () => {
  mock = await startMockLlm({ script: [{ match: 'slow', reply: 'a slow but complete answer from the model', chunk_size: 4, delay_ms: 60 }] });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-proc-'));
});
afterAll(async () => {
  await mock.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function envFor(name: string): NodeJS.ProcessEnv {
  return {
    PARAPET_DB: path.join(dir, `${name}.db`),
    PARAPET_PORT: '0',
    PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`,
    PARAPET_ANTHROPIC_BASE_URL: mock.url,
  };
}

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('parapet serve', () => {
  it('SIGTERM drains in-flight streams and non-streamed requests; nothing is lost from the audit log', async () => {
    const env = envFor('drain');
    const gw: Running = await startCli(['serve'], env);
    const created = await runCli(['keys', 'create', '--app', 'drain-test', '--json'], env);
    expect(created.code).toBe(0);
    const { key } = JSON.parse(created.stdout) as { key: string };
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });

    const streams = Array.from({ length: 4 }, async () => {
      const s = client.chat.completions.stream({ model: 'gpt-4o', messages: [{ role: 'user', content: 'slow please' }] });
      return (await s.finalChatCompletion()).choices[0]?.message.content;
    });
    const plain = Array.from({ length: 4 }, async () => (await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'slow please' }] })).choices[0]?.message.content);
    // Let every request reach the upstream before the signal.
    await waitFor(async () => mock.requests.filter((r) => JSON.stringify(r.body).includes('slow please')).length >= 8);
    const exit = gw.stop('SIGTERM');
    const answers = await Promise.all([...streams, ...plain]);
    expect(answers).toEqual(Array(8).fill('a slow but complete answer from the model'));
    expect(await exit).toBe(0);

    const q = await runCli(['audit', 'query', '--json', '--app', 'drain-test'], env);
    const events = JSON.parse(q.stdout) as { streamed: boolean; status: number; decision: string }[];
    expect(events).toHaveLength(8);
    expect(events.filter((e) => e.streamed)).toHaveLength(4);
    expect(events.every((e) => e.status === 200 && e.decision === 'allow')).toBe(true);
  }, 30_000);

  it('hot-reloads a changed policy file and keeps the running policy when the new file is invalid', async () => {
    const env = envFor('reload');
    const cfg = path.join(dir, 'parapet.yaml');
    fs.writeFileSync(cfg, 'policies:\n  default:\n    models: ["*"]\n');
    const gw = await startCli(['serve', '--config', cfg], env);
    try {
      const { key } = JSON.parse((await runCli(['keys', 'create', '--app', 'reload', '--json'], env)).stdout) as { key: string };
      const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: key, maxRetries: 0 });
      const ask = () => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).then(() => 200, (e: { status?: number }) => e.status ?? 0);
      expect(await ask()).toBe(200);

      fs.writeFileSync(cfg, 'policies:\n  default:\n    models: ["claude-*"]\n');
      await waitFor(async () => (await ask()) === 403);

      // An invalid file is rejected with its line; the running policy (claude-only) stays.
      fs.writeFileSync(cfg, 'policies:\n  default:\n    models: ["*"]\n    fail_mode: sometimes\n');
      await waitFor(async () => /fail_mode/.test(gw.stderr()));
      expect(gw.stderr()).toMatch(/:4:\d+/);
      expect(await ask()).toBe(403);
    } finally {
      expect(await gw.stop()).toBe(0);
    }
  }, 30_000);

  it('refuses to start on an invalid file, naming the field and line', async () => {
    const cfg = path.join(dir, 'bad.yaml');
    fs.writeFileSync(cfg, 'server:\n  port: 8080\npolicies:\n  default:\n    input:\n      injeciton: block\n');
    const r = await runCli(['serve', '--config', cfg], envFor('bad'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:6:7/);
    expect(r.stderr).toMatch(/injeciton/);
  });
});
