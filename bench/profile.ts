// CPU profile of one Parapet process under the side-by-side load (small chat completions at 16
// connections, or streams), with `node --cpu-prof`; prints the top self-time functions and files.
//   node bench/profile.ts [--variant default|none|strict|passthrough] [--seconds 10] [--stream] [--keep DIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { runLoadFor } from './lib/load.ts';
import { REPO_ROOT, startCli } from './lib/procs.ts';
import { CHAT, smallChat, streamChat } from './side-by-side/measure.ts';
import { mockScript, startPaths } from './side-by-side/paths.ts';
import type { PathId } from './side-by-side/paths.ts';
import { oneStream } from './stream.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

function shortUrl(url: string): string {
  const u = url.replace(/^file:\/\//, '');
  if (u.startsWith(REPO_ROOT)) return path.relative(REPO_ROOT, u).replace(/^node_modules\//, 'npm:');
  return u || '(native)';
}

/** Self time per function (name + file + line) and per file, from a V8 .cpuprofile. */
export function summarizeProfile(p: CpuProfile, top = 25): { functions: HotSpot[]; files: HotSpot[]; totalMs: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const fns = new Map<string, HotSpot>();
  const files = new Map<string, HotSpot>();
  let total = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    total += ms;
    const where = shortUrl(n.callFrame.url);
    const name = n.callFrame.functionName || '(anonymous)';
    const key = `${name}@${where}:${n.callFrame.lineNumber + 1}`;
    const f = fns.get(key) ?? { name, where: `${where}:${n.callFrame.lineNumber + 1}`, selfMs: 0, share: 0 };
    f.selfMs += ms;
    fns.set(key, f);
    const file = files.get(where) ?? { name: where, where, selfMs: 0, share: 0 };
    file.selfMs += ms;
    files.set(where, file);
  }
  const rank = (m: Map<string, HotSpot>): HotSpot[] =>
    [...m.values()].map((h) => ({ ...h, share: h.selfMs / total })).sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  return { functions: rank(fns), files: rank(files), totalMs: total };
}

/**
 * Busy time per part of Parapet, inclusive: each sample goes to the nearest frame (from the leaf up) in
 * Parapet's own `src/`, named by its folder (`detectors/<family>` for detectors), so the library and
 * native work a part calls (regex matching, JSON, SQLite) counts as that part's. Samples with no such
 * frame (HTTP parsing and writing in the npm stack, the event loop, GC) are `(runtime and npm)`.
 * Idle samples are left out.
 */
export function summarizeParts(p: CpuProfile): { parts: HotSpot[]; busyMs: number } {
  const parent = new Map<number, ProfileNode>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const partOf = new Map<number, string | null>();
  const part = (id: number): string | null => {
    const known = partOf.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id);
    let out: string | null = null;
    if (n) {
      const where = shortUrl(n.callFrame.url);
      if (n.callFrame.functionName === '(idle)') out = '(idle)';
      else if (where.startsWith(`src${path.sep}`)) {
        const dirs = where.split(path.sep).slice(1, -1);
        out = dirs[0] === 'detectors' && dirs[1] ? `detectors/${dirs[1]}` : (dirs[0] ?? 'src');
      } else {
        const up = parent.get(id);
        out = up ? part(up.id) : null;
      }
    }
    partOf.set(id, out);
    return out;
  };
  const ms = new Map<string, number>();
  let busy = 0;
  p.samples.forEach((id, i) => {
    const name = part(id) ?? '(runtime and npm)';
    if (name === '(idle)') return;
    const t = (p.timeDeltas[i] ?? 0) / 1000;
    busy += t;
    ms.set(name, (ms.get(name) ?? 0) + t);
  });
  const parts = [...ms].map(([name, t]) => ({ name, where: name, selfMs: t, share: t / busy })).sort((a, b) => b.selfMs - a.selfMs);
  return { parts, busyMs: busy };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { variant: { type: 'string', default: 'default' }, seconds: { type: 'string', default: '10' }, stream: { type: 'boolean', default: false }, keep: { type: 'string' } } });
  // `passthrough` profiles the bare proxy, to set Parapet's native costs (socket writes) against the floor's.
  const id = (values.variant === 'passthrough' ? 'passthrough' : `parapet-${values.variant}`) as PathId;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-prof-'));
  const profDir = values.keep ? path.resolve(values.keep) : path.join(dir, 'prof');
  fs.mkdirSync(profDir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'script.jsonl'), mockScript());
  const mock = await startCli(['mock-llm', '--port', '0', '--script', path.join(dir, 'script.jsonl')]);
  const started = await startPaths({ dir, mockUrl: mock.url, only: [id], workers: 1, nodeArgs: { [id]: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] }, log: (m) => console.error(m) });
  const gw = started.paths[0];
  if (!gw) throw new Error(`${id} did not start`);
  const ms = Number(values.seconds) * 1000;
  let requests = 0;
  if (values.stream) {
    const pool = new Pool(gw.url, { connections: 4 });
    const until = Date.now() + ms;
    const body = streamChat('stream');
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (Date.now() < until) await oneStream(pool, gw.headers, body);
    }));
    await pool.close();
  } else {
    const r = await runLoadFor(gw.url, CHAT, gw.headers, smallChat, ms, 16);
    requests = r.latencies.length;
    console.error(`${r.latencies.length} requests, ${(r.latencies.length / r.seconds).toFixed(0)} req/s, ${r.errors} errors`);
  }
  await started.stop();
  await mock.stop();
  const file = fs.readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(profDir, f)).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (!file) throw new Error(`no profile written in ${profDir}`);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const s = summarizeProfile(profile);
  console.log(`profile: ${file}${values.keep ? '' : ' (deleted)'}, ${(s.totalMs / 1000).toFixed(1)} s sampled\n`);
  console.log('| self ms | share | function | where |\n|---:|---:|---|---|');
  for (const h of s.functions) console.log(`| ${h.selfMs.toFixed(0)} | ${(h.share * 100).toFixed(1)}% | ${h.name} | ${h.where} |`);
  console.log('\n| self ms | share | file |\n|---:|---:|---|');
  for (const h of s.files) console.log(`| ${h.selfMs.toFixed(0)} | ${(h.share * 100).toFixed(1)}% | ${h.name} |`);
  const parts = summarizeParts(profile);
  console.log(`\nBusy time by part (inclusive of the npm and native work it calls)${requests > 0 ? `, µs per request over ${requests} requests` : ''}:\n`);
  console.log(`| part | busy ms | share |${requests > 0 ? ' µs/request |' : ''}\n|---|---:|---:|${requests > 0 ? '---:|' : ''}`);
  for (const h of parts.parts) console.log(`| ${h.name} | ${h.selfMs.toFixed(0)} | ${(h.share * 100).toFixed(1)}% |${requests > 0 ? ` ${((h.selfMs * 1000) / requests).toFixed(1)} |` : ''}`);
  fs.rmSync(dir, { recursive: true, force: true });
}
