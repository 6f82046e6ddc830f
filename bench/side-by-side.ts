// Parapet side by side with a bare proxy and a peer gateway, in one run, all in front of one
// `parapet mock-llm` on loopback: the mock called directly, a fastify + undici pass-through proxy,
// nginx, Parapet with no detectors / the default policy / a strict policy, and Portkey's gateway
// with its regex guardrail. Figures are reported as differences and ratios against the baselines
// measured in the same run (see report.ts), plus a latency-vs-concurrency chart.
//   node bench/side-by-side.ts [--quick] [--json] [--no-portkey] [--no-nginx] [--no-all-cores]
//                              [--experiment] [--chart FILE]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, startCli } from './lib/procs.ts';
import { measureLatency, measureSizes, measureStreamMemory, measureStreams, measureWithOwnTime, sizeCases, smallChat, smallChatLockstep, smallChatPaced, streamChat, warmUp } from './side-by-side/measure.ts';
import type { LatencyCell, MemoryCell, OwnTimeCell, SizeCell, StreamCell } from './side-by-side/measure.ts';
import { LABELS, PACED_JITTER_MS, PACED_UPSTREAM_MS, mockScript, startPaths } from './side-by-side/paths.ts';
import type { BenchPath, PathId, Skipped } from './side-by-side/paths.ts';
import { formatSideBySide, renderLatencyChart } from './side-by-side/report.ts';

export interface SideBySideOptions {
  quick: boolean;
  portkey?: boolean;
  nginx?: boolean;
  /** The all-cores throughput phase (a second set of multi-process servers). */
  allCores?: boolean;
  /** Also measure the default policy with the proposed time-ordered audit ids (bench/experiments/). */
  experiment?: boolean;
  /** Write the chart here (default: bench/charts/ for a full run, bench/results/ for --quick). */
  chart?: string | false;
  log?: (msg: string) => void;
}

export interface SideBySideResult {
  conditions: { quick: boolean; cpus: number; cpuModel: string; node: string; loadavgBefore: number[]; loadavgAfter: number[]; startedAt: string; seconds: number };
  paths: { id: PathId; label: string; kind: BenchPath['kind']; streamed: boolean }[];
  skipped: Skipped[];
  latency: LatencyCell[];
  /**
   * The same request against an upstream that takes `upstreamMs` ± `jitterMs` to answer (not
   * saturated), and against one that takes exactly `upstreamMs` (`lockstep`, 16 connections).
   */
  paced: { upstreamMs: number; jitterMs: number; cells: LatencyCell[]; lockstep: LatencyCell[]; own: OwnTimeCell[] };
  allCores: { workers: number; cells: LatencyCell[] };
  streaming: StreamCell[];
  memory: MemoryCell[];
  sizes: SizeCell[];
  chart?: string;
}

const PLAN = {
  quick: { levels: [1, 16, 64], pacedLevels: [16, 64], pacedMs: 1000, latencyMs: 600, rounds: 2, warmMs: 300, warmRequests: 1500, coresMs: 1000, streams: 60, memStreams: 200, memRepeats: 1, sizeMs: 300 },
  // memStreams stays under the 256 upstream connections of Parapet's (and the pass-through's) pool.
  full: { levels: [1, 16, 64], pacedLevels: [16, 64], pacedMs: 6000, latencyMs: 6000, rounds: 4, warmMs: 2000, warmRequests: 5000, coresMs: 5000, streams: 150, memStreams: 250, memRepeats: 3, sizeMs: 3000 },
};

const ORDER: readonly PathId[] = ['direct', 'passthrough', 'nginx', 'parapet-none', 'parapet-default', 'parapet-strict', 'parapet-experiment', 'portkey'];

export async function benchSideBySide(o: SideBySideOptions): Promise<SideBySideResult> {
  const plan = o.quick ? PLAN.quick : PLAN.full;
  const log = o.log ?? ((m: string) => process.stderr.write(`[side-by-side] ${m}\n`));
  const t0 = Date.now();
  const loadavgBefore = os.loadavg();
  const only = ORDER.filter((id) => (id !== 'portkey' || o.portkey !== false) && (id !== 'nginx' || o.nginx !== false) && (id !== 'parapet-experiment' || o.experiment === true));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parapet-sbs-'));
  fs.writeFileSync(path.join(dir, 'script.jsonl'), mockScript());
  const mock = await startCli(['mock-llm', '--port', '0', '--script', path.join(dir, 'script.jsonl')]);
  try {
    log('starting paths (one process each) …');
    const one = await startPaths({ dir, mockUrl: mock.url, only, workers: 1, log });
    let latency: LatencyCell[];
    const paced: LatencyCell[] = [];
    const own: OwnTimeCell[] = [];
    let lockstep: LatencyCell[];
    let sizes: SizeCell[];
    let streaming: StreamCell[];
    const memory: MemoryCell[] = [];
    try {
      await warmUp(one.paths, smallChat, plan.warmMs, plan.warmRequests);
      log(`latency at ${plan.levels.join('/')} connections …`);
      latency = await measureLatency(one.paths, smallChat, plan.levels, plan.latencyMs, plan.rounds);
      log(`model-like upstream (${PACED_UPSTREAM_MS} ± ${PACED_JITTER_MS} ms) at ${plan.pacedLevels.join('/')} connections, and exactly ${PACED_UPSTREAM_MS} ms at 16 …`);
      for (const level of plan.pacedLevels) {
        const m = await measureWithOwnTime(one.paths, smallChatPaced, level, plan.pacedMs, plan.rounds);
        paced.push(...m.cells);
        own.push(...m.own);
      }
      lockstep = await measureLatency(one.paths, smallChatLockstep, [16], plan.pacedMs, plan.rounds);
      log('prompt sizes …');
      sizes = await measureSizes(one.paths, sizeCases(), plan.sizeMs, plan.rounds);
      const streamed = one.paths.filter((p) => p.streams);
      log('streaming …');
      streaming = await measureStreams(streamed, streamChat('stream'), plan.streams);
    } finally {
      await one.stop();
    }

    log('memory per open stream (fresh processes, Node ones with --inspect for heap after GC) …');
    const inspect = ['--inspect=127.0.0.1:0'];
    const mem = await startPaths({
      dir,
      mockUrl: mock.url,
      only: only.filter((id) => id !== 'direct' && id !== 'portkey' && id !== 'parapet-experiment'),
      workers: 1,
      nodeArgs: { passthrough: inspect, 'parapet-none': inspect, 'parapet-default': inspect, 'parapet-strict': inspect },
      log,
    });
    try {
      for (const p of mem.paths) {
        await warmUp([p], smallChat, 200, 500);
        await measureStreams([p], streamChat('stream'), 5);
        // Heap after GC is steady; RSS moves in steps (pages, GC timing), so take the median of a few tries.
        const tries: MemoryCell[] = [];
        for (let k = 0; k < plan.memRepeats; k++) tries.push(await measureStreamMemory(p, streamChat('hold'), plan.memStreams));
        tries.sort((a, b) => (a.heapKbPerStream ?? a.rssKbPerStream) - (b.heapKbPerStream ?? b.rssKbPerStream));
        memory.push(tries[Math.floor(tries.length / 2)] as MemoryCell);
      }
    } finally {
      await mem.stop();
    }

    const workers = os.availableParallelism();
    let allCores: LatencyCell[] = [];
    const skipped = [...one.skipped];
    if (o.allCores !== false && workers > 1) {
      log(`throughput with ${workers} processes per server …`);
      const many = await startPaths({ dir, mockUrl: mock.url, only: only.filter((id) => ['direct', 'passthrough', 'nginx', 'parapet-default', 'parapet-experiment', 'portkey'].includes(id)), workers, log });
      try {
        await warmUp(many.paths, smallChat, plan.warmMs, plan.warmRequests);
        allCores = await measureLatency(many.paths, smallChat, [64], plan.coresMs, plan.rounds);
        for (const s of many.skipped) if (!skipped.some((x) => x.id === s.id && x.reason === s.reason)) skipped.push(s);
      } finally {
        await many.stop();
      }
    }

    const result: SideBySideResult = {
      conditions: {
        quick: o.quick,
        cpus: os.availableParallelism(),
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        loadavgBefore,
        loadavgAfter: os.loadavg(),
        startedAt: new Date(t0).toISOString(),
        seconds: (Date.now() - t0) / 1000,
      },
      paths: one.paths.map((p) => ({ id: p.id, label: LABELS[p.id], kind: p.kind, streamed: p.streams })),
      skipped,
      latency,
      paced: { upstreamMs: PACED_UPSTREAM_MS, jitterMs: PACED_JITTER_MS, cells: paced, lockstep, own },
      allCores: { workers, cells: allCores },
      streaming,
      memory,
      sizes,
    };
    const chart = o.chart ?? path.join(REPO_ROOT, o.quick ? 'bench/results' : 'bench/charts', 'latency-vs-concurrency.svg');
    if (chart !== false) {
      fs.mkdirSync(path.dirname(chart), { recursive: true });
      fs.writeFileSync(chart, renderLatencyChart(result));
      result.chart = path.relative(REPO_ROOT, chart);
    }
    return result;
  } finally {
    await mock.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'no-portkey': { type: 'boolean', default: false },
      'no-nginx': { type: 'boolean', default: false },
      'no-all-cores': { type: 'boolean', default: false },
      experiment: { type: 'boolean', default: false },
      chart: { type: 'string' },
    },
  });
  const r = await benchSideBySide({ quick: values.quick, portkey: !values['no-portkey'], nginx: !values['no-nginx'], allCores: !values['no-all-cores'], experiment: values.experiment, chart: values.chart });
  process.stdout.write(values.json ? `${JSON.stringify(r, null, 2)}\n` : formatSideBySide(r));
}
