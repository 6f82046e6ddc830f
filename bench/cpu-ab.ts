// CPU per request of two Parapet trees side by side with the pass-through, for a change too small to
// see in throughput on a shared machine (whose load moves req/s by ±15% between rounds). Each server
// gets the same closed-loop load in alternating rounds; what is compared is the CPU time its process
// spent per request, read from /proc (Linux only): the main thread, where requests are handled, and
// all threads (the audit writer, GC helpers).
//   node bench/cpu-ab.ts --base /path/to/other/checkout [--variant default] [--seconds 4] [--rounds 6] [--stream]
//                        [--ablate sessions,audit,inspection]
// --base is another checkout of Parapet (e.g. `git worktree add /tmp/base HEAD~1`, with node_modules),
// or this one (`--base .`) with --ablate, which switches those parts off in this tree's server only
// (bench/experiments/ablate.ts) to measure what they cost.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runLoadFor } from './lib/load.ts';
import { REPO_ROOT, freePort, startCli, startProcess } from './lib/procs.ts';
import type { Running } from './lib/procs.ts';
import { smallChat, smallChatOneShot, streamChat } from './side-by-side/measure.ts';
import { BENCH_KEY, mockScript, parapetConfig } from './side-by-side/paths.ts';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface Server {
  name: string;
  url: string;
  pid: number;
  proc: Running;
}

/** CPU time in µs of a process (all threads) or of its main thread. */
function cpuMicros(pid: number, mainThreadOnly: boolean): number {
  const stat = fs.readFileSync(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / TICKS_PER_SECOND;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      base: { type: 'string' },
      variant: { type: 'string', default: 'default' },
      seconds: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '6' },
      stream: { type: 'boolean', default: false },
      ablate: { type: 'string', default: '' },
      'node-flags': { type: 'string', default: '' },
      'one-shot': { type: 'boolean', default: false },
    },
  });
  if (!values.base) throw new Error('--base DIR (another checkout of Parapet) is required');
  const variant = values.variant as 'none' | 'default' | 'strict';
  const ms = Number(values.seconds) * 1000;
  const rounds = Number(values.rounds);
  const concurrency = values.stream ? 1 : 16;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-cpu-ab-'));
  fs.writeFileSync(path.join(dir, 'script.jsonl'), mockScript());
  const mock = await startCli(['mock-llm', '--port', '0', '--script', path.join(dir, 'script.jsonl')]);
  const servers: Server[] = [];
  try {
    const port = await freePort();
    const pt = await startProcess({ command: process.execPath, args: [path.join(REPO_ROOT, 'bench/peers/passthrough.ts'), '--upstream', mock.url, '--port', String(port)], ready: /listening on (http:\/\/\S+)/ });
    servers.push({ name: 'pass-through', url: pt.url, pid: pt.child.pid ?? 0, proc: pt });
    for (const [name, root] of [['base', path.resolve(values.base)], ['this tree', REPO_ROOT]] as const) {
      const config = path.join(dir, `${servers.length}.yaml`);
      fs.writeFileSync(config, parapetConfig(variant, path.join(dir, `${servers.length}.db`)));
      const env = { PARAPET_CONFIG: config, PARAPET_PORT: '0', PARAPET_OPENAI_BASE_URL: `${mock.url}/v1`, PARAPET_ANTHROPIC_BASE_URL: mock.url };
      const ablate = name === 'this tree' && values.ablate !== '' ? ['--import', path.join(root, 'bench/experiments/ablate.ts')] : [];
      const flags = name === 'this tree' && values['node-flags'] !== '' ? values['node-flags'].split(' ') : [];
      const p = await startProcess({ command: process.execPath, args: [...flags, ...ablate, path.join(root, 'src/cli/main.ts'), 'serve'], env: { ...env, PARAPET_ABLATE: ablate.length > 0 ? values.ablate : '' }, ready: /parapet listening on (http:\/\/\S+)/, timeoutMs: 60_000 });
      servers.push({ name, url: p.url, pid: p.child.pid ?? 0, proc: p });
    }
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_KEY}` };
    const body = values.stream ? streamChat('stream') : values['one-shot'] ? smallChatOneShot() : smallChat;
    for (const s of servers) await runLoadFor(s.url, '/v1/chat/completions', headers, body, 1000, concurrency);
    const totals = new Map<string, { main: number; all: number; requests: number; ms: number }>();
    for (let r = 0; r < rounds; r++) {
      for (const s of r % 2 === 0 ? servers : [...servers].reverse()) {
        const main0 = cpuMicros(s.pid, true);
        const all0 = cpuMicros(s.pid, false);
        const t0 = performance.now();
        const res = await runLoadFor(s.url, '/v1/chat/completions', headers, body, ms, concurrency);
        const t = totals.get(s.name) ?? { main: 0, all: 0, requests: 0, ms: 0 };
        t.main += cpuMicros(s.pid, true) - main0;
        t.all += cpuMicros(s.pid, false) - all0;
        t.requests += res.latencies.length;
        t.ms += performance.now() - t0;
        totals.set(s.name, t);
      }
    }
    const floor = totals.get('pass-through');
    if (!floor) throw new Error('no pass-through figures');
    process.stdout.write(`${values.stream ? 'streams' : `small${values['one-shot'] ? ' one-shot' : ''} requests at 16 connections`}, ${variant} policy${values.ablate ? `, this tree without: ${values.ablate}` : ''}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    process.stdout.write('| server | main-thread CPU µs per request | pass-through / this | all threads µs | pass-through / this | requests/s |\n|---|---:|---:|---:|---:|---:|\n');
    for (const [name, t] of totals) {
      const main = t.main / t.requests;
      const all = t.all / t.requests;
      const pct = (x: number, y: number): string => `${((100 * x) / y).toFixed(1)}%`;
      process.stdout.write(`| ${name} | ${main.toFixed(1)} | ${pct(floor.main / floor.requests, main)} | ${all.toFixed(1)} | ${pct(floor.all / floor.requests, all)} | ${((t.requests * 1000) / t.ms).toFixed(0)} |\n`);
    }
  } finally {
    for (const s of servers) await s.proc.stop();
    await mock.stop();
  }
}

if (import.meta.main) await main();
