// Flow control on streamed responses: a slow client holds the upstream back instead of making
// Parapet buffer the response, and a client that goes away ends the upstream call.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.ts';
import { startStack } from './harness.ts';
import type { Stack } from './harness.ts';

/** An OpenAI-style upstream that streams as fast as its socket lets it, and reports its progress. */
function firehose(totalEvents: number) {
  const state = { written: 0, closedEarly: false, finished: false };
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (i: number) =>
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: `word${i % 10} `.repeat(50) }, finish_reason: null }] })}\n\n`;
    let i = 0;
    const pump = (): void => {
      while (i < totalEvents) {
        const ok = res.write(chunk(i++));
        state.written = i;
        if (!ok) {
          res.once('drain', pump);
          return;
        }
      }
      res.end('data: [DONE]\n\n');
      state.finished = true;
    };
    res.on('close', () => {
      if (!state.finished) state.closedEarly = true;
    });
    pump();
  });
  return { server, state };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ script: [{ match: 'slow', reply: 'tick '.repeat(60), chunk_size: 5, delay_ms: 40 }] });
});
afterAll(async () => stack.close());

function pointOpenAIAt(url: string): void {
  stack.setConfig(parseConfig('{}', 'flow.yaml', { PARAPET_OPENAI_BASE_URL: `${url}/v1`, OPENAI_API_KEY: 'x' }));
}

describe('streamed flow control', () => {
  it('a client that disconnects mid-stream aborts the upstream call; the audit row says so', async () => {
    const up = firehose(1_000_000);
    await new Promise<void>((r) => up.server.listen(0, '127.0.0.1', r));
    const { port } = up.server.address() as AddressInfo;
    pointOpenAIAt(`http://127.0.0.1:${port}`);
    try {
      const ac = new AbortController();
      const res = await request(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.key}` },
        body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'go' }] }),
        signal: ac.signal,
      });
      const requestId = res.headers['x-parapet-request-id'] as string;
      for await (const _ of res.body) break;
      ac.abort();
      const deadline = Date.now() + 5000;
      while (!up.state.closedEarly && Date.now() < deadline) await sleep(20);
      expect(up.state.closedEarly).toBe(true);
      expect(up.state.written).toBeLessThan(1_000_000);
      let ev;
      while (!(ev = (await stack.audit()).find((e) => e.request_id === requestId)) && Date.now() < deadline) await sleep(20);
      expect(ev?.error).toMatch(/client disconnected/);
    } finally {
      up.server.closeAllConnections();
      await new Promise<void>((r) => up.server.close(() => r()));
    }
  }, 30_000);
});

