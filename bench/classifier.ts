// Latency of the learned classifier on one core, p50/p99 per call, for 1 KB and 100 KB inputs as a
// user turn (whole-text heads) and as untrusted content (windowed document head). Two baselines run
// in the same process on the same bytes, so the ratios survive noisy machines: JSON.parse of the text
// as a JSON string (what the gateway pays anyway to read a body), and the signature layer's
// injection + jailbreak + harmful detectors.
//   node bench/classifier.ts [--quick] [--json] [DATA_DIR]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { classifierDetector } from '../src/detectors/classifier/index.ts';
import { harmfulDetector } from '../src/detectors/harmful/index.ts';
import { injectionDetector } from '../src/detectors/injection/index.ts';
import { jailbreakDetector } from '../src/detectors/jailbreak/index.ts';
import type { ScanContext } from '../src/detectors/types.ts';

export interface ClassifierBenchRow {
  input: string;
  trust: 'user' | 'untrusted';
  classifier: { p50: number; p99: number };
  jsonParse: { p50: number; p99: number };
  signatures: { p50: number; p99: number };
  /** classifier p50 / baseline p50. */
  vsJsonParse: number;
  vsSignatures: number;
}

function benignCorpus(dataDir: string): string[] {
  const texts: string[] = [];
  if (existsSync(dataDir)) {
    for (const d of readdirSync(dataDir).sort()) {
      const f = join(dataDir, d, 'dev.jsonl');
      if (!existsSync(f)) continue;
      for (const line of readFileSync(f, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const r = JSON.parse(line) as { text: string; label: string };
        if (r.label === 'benign') texts.push(r.text);
      }
    }
  }
  if (texts.length > 0) return texts;
  const sentences = [
    'Summarise the following article in three bullet points for a busy executive.',
    'The committee approved the budget after a short debate about maintenance costs.',
    'function add(a, b) { return a + b; } // returns the sum of two numbers',
    'Preheat the oven, whisk the eggs with sugar, and fold in the flour gently.',
    'Version 4.2.1 fixes a crash when the token limit is reached during streaming.',
  ];
  return Array.from({ length: 500 }, (_, i) => Array.from({ length: 3 + (i % 7) }, (_, k) => sentences[(i + k) % sentences.length]).join(' '));
}

function texts(corpus: readonly string[], bytes: number, count: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let s = '';
    for (let i = k * 31; s.length < bytes; i += 7) s += `${corpus[i % corpus.length]}\n\n`;
    out.push(s.slice(0, bytes));
  }
  return out;
}

/**
 * Walked between calls for the cold rows: in the gateway a short prompt's scan runs between HTTP
 * parsing, the other detectors and the audit log, which push the detectors' tables out of the CPU
 * caches, so a tight loop over one text flatters it.
 */
let evictBuffer: Uint8Array | undefined;
function evictCaches(): void {
  const b = (evictBuffer ??= new Uint8Array(8 << 20));
  for (let i = 0; i < b.length; i += 64) b[i] = (b[i] as number) + 1;
}

function time(runs: number, inputs: readonly string[], fn: (s: string) => unknown, cold = false): { p50: number; p99: number } {
  for (let i = 0; i < Math.min(50, runs); i++) fn(inputs[i % inputs.length] as string);
  const t = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const s = inputs[i % inputs.length] as string;
    if (cold) evictCaches();
    const t0 = performance.now();
    fn(s);
    t[i] = performance.now() - t0;
  }
  t.sort();
  return { p50: t[Math.floor(runs * 0.5)] as number, p99: t[Math.min(runs - 1, Math.floor(runs * 0.99))] as number };
}

export function benchClassifier(opts: { quick?: boolean; dataDir?: string } = {}): ClassifierBenchRow[] {
  const corpus = benignCorpus(opts.dataDir ?? resolve(import.meta.dirname, '../../shared/data'));
  const rows: ClassifierBenchRow[] = [];
  const cases = [
    { input: '1 KB', bytes: 1024, runs: opts.quick ? 500 : 5000, count: 8, cold: false },
    { input: '100 KB', bytes: 100 * 1024, runs: opts.quick ? 30 : 200, count: 8, cold: false },
    // A gateway's small request: distinct short prompts, caches evicted before each call.
    { input: '100 chars, cold caches', bytes: 100, runs: opts.quick ? 300 : 2000, count: 200, cold: true },
  ];
  for (const c of cases) {
    const inputs = texts(corpus, c.bytes, c.count);
    const json = inputs.map((s) => JSON.stringify(s));
    for (const trust of ['user', 'untrusted'] as const) {
      const ctx: ScanContext = { role: trust === 'user' ? 'user' : 'tool', trust, direction: 'input' };
      const classifier = time(c.runs, inputs, (s) => classifierDetector.scan(s, ctx), c.cold);
      const jsonParse = time(c.runs, json, (s) => JSON.parse(s), c.cold);
      const signatures = time(c.runs, inputs, (s) => {
        injectionDetector.scan(s, ctx);
        jailbreakDetector.scan(s, ctx);
        harmfulDetector.scan(s, ctx);
      }, c.cold);
      rows.push({ input: c.input, trust, classifier, jsonParse, signatures, vsJsonParse: classifier.p50 / jsonParse.p50, vsSignatures: classifier.p50 / signatures.p50 });
    }
  }
  return rows;
}

export function formatClassifierBench(rows: readonly ClassifierBenchRow[]): string {
  const f = (n: number): string => n.toFixed(3);
  const out = [
    '## Learned classifier latency (one core; ratios are against baselines measured in the same run)',
    '',
    '| input | trust | classifier p50 ms | p99 ms | JSON.parse p50 ms | signatures p50 ms | × JSON.parse | × signatures |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    out.push(`| ${r.input} | ${r.trust} | ${f(r.classifier.p50)} | ${f(r.classifier.p99)} | ${f(r.jsonParse.p50)} | ${f(r.signatures.p50)} | ${r.vsJsonParse.toFixed(1)} | ${r.vsSignatures.toFixed(2)} |`);
  }
  return `${out.join('\n')}\n`;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ options: { quick: { type: 'boolean' }, json: { type: 'boolean' } }, allowPositionals: true });
  const rows = benchClassifier({ quick: values.quick ?? false, dataDir: positionals[0] ? resolve(positionals[0]) : undefined });
  process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : formatClassifierBench(rows));
}
