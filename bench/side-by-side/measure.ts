// The measurements of the side-by-side benchmark. Every figure is taken for every path in the same
// run, in alternating rounds (the order rotates each round), so drift on a shared machine hits all
// paths alike; the report turns them into differences and ratios against the baselines.
import { DatabaseSync } from 'node:sqlite';
import { Pool } from 'undici';
import { buildCorpora } from '../scan.ts';
import { oneStream } from '../stream.ts';
import { runLoadFor, summarize } from '../lib/load.ts';
import type { Body } from '../lib/load.ts';
import { heapUsedAfterGcKb, inspectorUrl } from '../lib/inspector.ts';
import { treeRssKb } from '../lib/mem.ts';
import type { BenchPath, PathId } from './paths.ts';

export const CHAT = '/v1/chat/completions';

export interface LatencyCell {
  path: PathId;
  concurrency: number;
  requests: number;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

function rotate<T>(xs: readonly T[], k: number): T[] {
  const n = k % xs.length;
  return [...xs.slice(n), ...xs.slice(0, n)];
}

/** Closed-loop load on every path at each concurrency, `ms` per path and level split over `rounds`. */
export async function measureLatency(paths: readonly BenchPath[], body: Body, levels: readonly number[], ms: number, rounds: number): Promise<LatencyCell[]> {
  const cells: LatencyCell[] = [];
  for (const c of levels) {
    const acc = new Map<PathId, { lat: number[]; sec: number; err: number }>(paths.map((p) => [p.id, { lat: [], sec: 0, err: 0 }]));
    for (let r = 0; r < rounds; r++) {
      for (const p of rotate(paths, r)) {
        const res = await runLoadFor(p.url, CHAT, p.headers, body, ms / rounds, c, c);
        const a = acc.get(p.id) as { lat: number[]; sec: number; err: number };
        a.lat.push(...res.latencies);
        a.sec += res.seconds;
        a.err += res.errors;
      }
    }
    for (const p of paths) {
      const a = acc.get(p.id) as { lat: number[]; sec: number; err: number };
      const s = summarize(a.lat);
      cells.push({ path: p.id, concurrency: c, requests: a.lat.length, p50: s.p50, p99: s.p99, rps: a.lat.length / a.sec, errors: a.err });
    }
  }
  return cells;
}

/** Parapet's own time per request, as its audit log records it, over one measured stretch. */
export interface OwnTimeCell {
  path: PathId;
  concurrency: number;
  requests: number;
  p50: number;
  p99: number;
}

/**
 * measureLatency at one concurrency, plus what each Parapet path's audit log says it spent on those
 * requests itself (`added_latency_ms`: from its handler's start to the answer written, minus the wait
 * for the upstream). The client's figure adds what no gateway can see: the kernel's loopback hops,
 * HTTP parsing before the handler runs, and waiting for a core behind the other processes.
 */
export async function measureWithOwnTime(paths: readonly BenchPath[], body: Body, concurrency: number, ms: number, rounds: number): Promise<{ cells: LatencyCell[]; own: OwnTimeCell[] }> {
  const from = Date.now();
  const cells = await measureLatency(paths, body, [concurrency], ms, rounds);
  const to = Date.now();
  const own: OwnTimeCell[] = [];
  const audited = paths.filter((p): p is BenchPath & { auditDb: string } => p.auditDb !== undefined);
  // The audit sink writes in batches every 25 ms: let the last ones land.
  if (audited.length > 0) await sleep(300);
  for (const p of audited) {
    const db = new DatabaseSync(p.auditDb, { readOnly: true });
    try {
      const rows = db.prepare(`SELECT added_latency_ms AS ms FROM audit_events WHERE time_ms >= ? AND time_ms <= ? AND route = ? AND status = 200`).all(from, to, CHAT) as { ms: number }[];
      const s = summarize(rows.map((r) => r.ms));
      own.push({ path: p.id, concurrency, requests: rows.length, p50: s.p50, p99: s.p99 });
    } finally {
      db.close();
    }
  }
  return { cells, own };
}

/** JIT, connection pools and page caches: `ms` per path, and at least `requests` (slow paths warm up slower). */
export async function warmUp(paths: readonly BenchPath[], body: Body, ms: number, requests: number): Promise<void> {
  for (const p of paths) await runLoadFor(p.url, CHAT, p.headers, body, ms, 8, requests);
}

export interface StreamCell {
  path: PathId;
  streams: number;
  ttftP50: number;
  ttftP99: number;
  /** Text characters delivered per second of stream (request start to end). */
  charsPerSecond: number;
}

/** One stream at a time per path, alternating paths, so each stream sees an otherwise idle path. */
export async function measureStreams(paths: readonly BenchPath[], body: string, n: number): Promise<StreamCell[]> {
  const pools = new Map(paths.map((p) => [p.id, new Pool(p.url, { connections: 1 })]));
  const acc = new Map<PathId, { ttft: number[]; chars: number; secs: number }>(paths.map((p) => [p.id, { ttft: [], chars: 0, secs: 0 }]));
  try {
    for (let i = 0; i < n + 5; i++) {
      for (const p of rotate(paths, i)) {
        const s = await oneStream(pools.get(p.id) as Pool, p.headers, body);
        if (i < 5) continue; // warm-up
        const a = acc.get(p.id) as { ttft: number[]; chars: number; secs: number };
        a.ttft.push(s.ttft);
        a.chars += s.chars;
        a.secs += s.seconds;
      }
    }
  } finally {
    await Promise.all([...pools.values()].map((p) => p.close()));
  }
  return paths.map((p) => {
    const a = acc.get(p.id) as { ttft: number[]; chars: number; secs: number };
    const t = summarize(a.ttft);
    return { path: p.id, streams: a.ttft.length, ttftP50: t.p50, ttftP99: t.p99, charsPerSecond: a.chars / a.secs };
  });
}

export interface MemoryCell {
  path: PathId;
  streams: number;
  /** Resident set of the process tree (nginx: master and workers). */
  rssKbPerStream: number;
  /** Node servers only: live JS heap + Buffers after a full GC, through the inspector. */
  heapKbPerStream?: number;
}

async function sample(p: BenchPath): Promise<{ rss: number; heap?: number }> {
  const ws = inspectorUrl(p.stderr());
  const heap = ws ? await heapUsedAfterGcKb(ws) : undefined;
  return { rss: treeRssKb(p.pid), ...(heap !== undefined ? { heap } : {}) };
}

/**
 * Memory per open stream: `n` streams held open at once (the mock paces them slowly), sampled once
 * every stream has delivered its first event, against the same process just before. The streams
 * are then cancelled by the client, which every path must also handle.
 */
export async function measureStreamMemory(p: BenchPath, body: string, n: number): Promise<MemoryCell> {
  const pool = new Pool(p.url, { connections: n });
  const abort = new AbortController();
  try {
    const idle = await sample(p);
    let open = 0;
    let allOpen: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (allOpen = resolve));
    const streams = Array.from({ length: n }, async () => {
      const res = await pool.request({ method: 'POST', path: CHAT, headers: p.headers, body, signal: abort.signal });
      let seen = false;
      for await (const chunk of res.body) {
        if (!seen && (chunk as Buffer).length > 0) {
          seen = true;
          if (++open === n) allOpen();
        }
      }
    });
    const ended = Promise.all(streams);
    await Promise.race([opened, ended]);
    if (open < n) throw new Error(`${p.label}: streams ended before all ${n} were open; lengthen the held reply`);
    const held = await sample(p);
    abort.abort();
    await ended.catch(() => undefined);
    const cell: MemoryCell = { path: p.id, streams: n, rssKbPerStream: (held.rss - idle.rss) / n };
    if (held.heap !== undefined && idle.heap !== undefined) cell.heapKbPerStream = (held.heap - idle.heap) / n;
    return cell;
  } finally {
    abort.abort();
    await pool.destroy();
    // Let the path notice the cancellations before the next measurement starts.
    await sleep(300);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---- workloads ---------------------------------------------------------------------------------

/**
 * Short, distinct user prompts (a sentence of the scan benchmark's prompt corpus each). Every request
 * of a run sends the next one, as real users do: the same prompt over and over is a near-duplicate
 * series, which Parapet's sessions rightly flag as model extraction on every request (work real
 * traffic does not cause), and the character pass remembers the last few texts it read.
 */
function shortPrompts(): readonly string[] {
  if (prompts) return prompts;
  const corpus = buildCorpora(48 * 1024, 5).find((c) => c.name === 'prompts');
  if (!corpus) throw new Error('the scan benchmark has no prompt corpus');
  prompts = corpus.texts.map((t) => {
    const cut = t.slice(0, 90);
    return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40)).replace(/[.,;:!?]$/, '')}?`;
  });
  return prompts;
}
let prompts: string[] | undefined;

/** The chat-completion body every workload sends (one model, the given messages). */
function chatBody(messages: readonly { role: string; content: string }[], stream = false): string {
  return JSON.stringify(stream ? { model: 'gpt-4o-mini', stream: true, messages } : { model: 'gpt-4o-mini', messages });
}

/**
 * The n-th body of a workload of one short user turn each. Bodies are built once per workload, so the
 * load generator (which shares the cores with the paths it measures) does no JSON work per request.
 */
function cycle(prefix: string): (n: number) => string {
  const bodies = shortPrompts().map((p) => chatBody([{ role: 'user', content: prefix + p }]));
  return (n) => bodies[n % bodies.length] as string;
}
let small: ((n: number) => string) | undefined;
let paced: ((n: number) => string) | undefined;

/** The small chat completion: the n-th request of a run gets the n-th short prompt. */
export function smallChat(n = 0): string {
  return (small ??= cycle(''))(n);
}

/**
 * The small chat completion as one-shot API traffic: every request a conversation of its own, so a new
 * session to the session guard and a new session id in the audit log (smallChat's prompts repeat, and
 * so do their sessions). A run-wide number is spliced into the prebuilt body, after the prompt, so the
 * load generator still does no JSON work per request.
 */
export function smallChatOneShot(): (n: number) => string {
  const parts = shortPrompts().map((p) => {
    const body = chatBody([{ role: 'user', content: p }]);
    const at = body.lastIndexOf('"}]}');
    return [body.slice(0, at), body.slice(at)] as const;
  });
  let next = 0;
  return () => {
    const k = next++;
    const [head, tail] = parts[k % parts.length] as readonly [string, string];
    return `${head} (#${k})${tail}`;
  };
}

/**
 * The small chat completion against a model-like upstream: the mock waits PACED_UPSTREAM_MS ±
 * PACED_JITTER_MS before answering (a hosted model takes far longer, and never the same time twice),
 * so 16 connections offer about 1,000 requests/s instead of saturating the machine: what a path adds
 * there is its own work per request (done between idle gaps) rather than queueing behind the others.
 */
export function smallChatPaced(n = 0): string {
  return (paced ??= cycle('paced: '))(n);
}

/**
 * The same against an upstream that takes exactly PACED_UPSTREAM_MS every time. Node fires timers
 * due in the same millisecond together, so the mock answers the 16 connections' requests in bursts,
 * the load generator sends the next ones in bursts, and each path works through a burst of 16 at a
 * time: a worst case for arrival pattern that no hosted model produces, kept as its own column.
 */
export function smallChatLockstep(n = 0): string {
  return (lockstep ??= cycle('lockstep: '))(n);
}
let lockstep: ((n: number) => string) | undefined;

export function streamChat(prefix: 'stream' | 'hold'): string {
  return chatBody([{ role: 'user', content: `${prefix}: please write the quarterly summary` }], true);
}

export interface SizeCase {
  name: string;
  body: string;
  bytes: number;
}

/**
 * Benign prompts of 1 KB, 16 KB and 128 KB in one user turn, and a 20-turn conversation (system
 * prompt, ten user and ten assistant turns of a paragraph each). The text is the scan benchmark's
 * prompt corpus; the mock answers each with one short fixed sentence, so what grows is the request.
 */
export function sizeCases(): SizeCase[] {
  const corpus = buildCorpora(160 * 1024, 11).find((c) => c.name === 'prompts')?.texts ?? [];
  let k = 0;
  const text = (bytes: number): string => {
    let s = 'size: ';
    while (Buffer.byteLength(s) < bytes) s += `${corpus[k++ % corpus.length] ?? ''}\n`;
    return s.slice(0, bytes);
  };
  const mk = (name: string, messages: { role: string; content: string }[]): SizeCase => {
    const body = chatBody(messages);
    return { name, body, bytes: Buffer.byteLength(body) };
  };
  const turns: { role: string; content: string }[] = [{ role: 'system', content: 'You are the helpful assistant of Example Corp. Answer briefly and cite the documents you use.' }];
  for (let t = 0; t < 20; t++) turns.push({ role: t % 2 === 0 ? 'user' : 'assistant', content: text(500).slice(6) });
  turns.push({ role: 'user', content: text(300) });
  return [
    mk('1 KB prompt', [{ role: 'user', content: text(1024) }]),
    mk('16 KB prompt', [{ role: 'user', content: text(16 * 1024) }]),
    mk('128 KB prompt', [{ role: 'user', content: text(128 * 1024) }]),
    mk('20-turn conversation', turns),
  ];
}

export interface SizeCell {
  path: PathId;
  case: string;
  bytes: number;
  requests: number;
  p50: number;
  p99: number;
  errors: number;
}

/** One request at a time (concurrency 1): what a bigger body costs each path, without queueing. */
export async function measureSizes(paths: readonly BenchPath[], cases: readonly SizeCase[], ms: number, rounds: number): Promise<SizeCell[]> {
  const out: SizeCell[] = [];
  for (const sc of cases) {
    // The newest message differs in every request, as in real traffic: the engine remembers input
    // texts it has scanned (a chat's re-sent history), and a benchmark that re-sends one body would
    // measure that memory instead of the scan.
    const body = (n: number): string => sc.body.replace('"size: ', `"size #${n}: `);
    for (const p of paths) await runLoadFor(p.url, CHAT, p.headers, body, 0, 1, 5);
    const cells = await measureLatency(paths, body, [1], ms, rounds);
    for (const c of cells) out.push({ path: c.path, case: sc.name, bytes: sc.bytes, requests: c.requests, p50: c.p50, p99: c.p99, errors: c.errors });
  }
  return out;
}
