import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import process from 'node:process';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/mock-llm.ts';

const NODE = './node_modules/.bin/node';
const children: ChildProcess[] = [];

afterAll(() => {
  // Only children a failed test left behind are still running here.
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function start(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(NODE, ['src/cli/main.ts', 'mock-llm', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function listening(proc: ReturnType<typeof start>): Promise<string> {
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline) {
    const m = /^mock-llm listening on (http:\/\/\S+)$/m.exec(proc.stdout());
    if (m?.[1]) return m[1];
    if (proc.child.exitCode !== null) throw new Error(`mock-llm exited early: ${proc.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('mock-llm did not print its listening line');
}

async function scriptFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parapet-mock-cli-'));
  const file = join(dir, 'script.jsonl');
  await writeFile(file, text);
  return file;
}

describe('parapet mock-llm', () => {
  it('prints its listening line, serves the script, and stops on SIGTERM', async () => {
    const file = await scriptFile('{"match": "ping", "reply": "pong"}\n');
    const proc = start(['--port', '0', '--script', file]);
    const url = await listening(proc);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0, timeout: 3000 });
    const scripted = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'ping' }] });
    expect(scripted.choices[0]?.message.content).toBe('pong');
    const echoed = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'other' }] });
    expect(echoed.choices[0]?.message.content).toBe('other');

    // The script can be swapped at run time, which is how tests steer a mock in another process.
    const put = await fetch(`${url}/_mock/script`, { method: 'PUT', body: '{"reply": "swapped"}\n' });
    expect(put.status).toBe(200);
    const swapped = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'ping' }] });
    expect(swapped.choices[0]?.message.content).toBe('swapped');
    const badPut = await fetch(`${url}/_mock/script`, { method: 'PUT', body: '{"reply": "ok"}\n{"fault": 1}\n' });
    expect(badPut.status).toBe(400);
    expect(((await badPut.json()) as { error: string }).error).toContain('line 2');

    proc.child.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });

  it('also stops on SIGINT', async () => {
    const proc = start(['--port', '0']);
    await listening(proc);
    proc.child.kill('SIGINT');
    expect(await proc.exit).toBe(0);
  });

  it('rejects bad flags with exit code 2 before listening', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await run(['--prot', '1234'])).toBe(2);
      expect(await run(['--port', 'eighty'])).toBe(2);
      expect(await run(['--port', '70000'])).toBe(2);
      expect(await run(['extra'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(written[0]).toMatch(/--prot/);
    expect(written[1]).toContain("--port must be an integer from 0 to 65535, got 'eighty'");
    expect(written[2]).toContain("got '70000'");
    expect(written[3]).toMatch(/extra/);
  });

  it('rejects a bad script naming the line, with exit code 2', async () => {
    const file = await scriptFile('{"reply": "fine"}\n# comment\n{"match": "(", "reply": "x"}\n');
    const proc = start(['--script', file]);
    expect(await proc.exit).toBe(2);
    expect(proc.stderr()).toContain(`${file}: line 3:`);
    expect(proc.stderr()).toContain('"match" is not a valid regular expression');
  });
});
