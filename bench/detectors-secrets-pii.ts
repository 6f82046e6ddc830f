// Throughput of the secrets and PII detectors, in MB/s (UTF-16 code units / 1e6) on one core, over
// benign prompts and over the same prompts with credentials and personal data inserted. A bare
// indexOf pass over the same bytes is the baseline, so numbers from different machines compare.
//   node bench/detectors-secrets-pii.ts [DATA_DIR]
// With the development data present (../shared/data) benign rows of every source are used;
// otherwise a synthetic corpus of prose, code and numbers.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { findPii } from '../src/detectors/pii/index.ts';
import { findSecrets } from '../src/detectors/secrets/index.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const dataDir = resolve(process.argv[2] ?? join(here, '..', '..', 'shared', 'data'));

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const token = (alphabet: string, n: number): string => Array.from({ length: n }, () => pick([...alphabet])).join('');
const AN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function benignCorpus(): string[] {
  if (existsSync(dataDir)) {
    const texts: string[] = [];
    for (const d of readdirSync(dataDir)) {
      const f = join(dataDir, d, 'dev.jsonl');
      if (!existsSync(f) || d === 'gitleaks' || d === 'secretlint' || d === 'presidio_synth') continue;
      for (const line of readFileSync(f, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const r = JSON.parse(line) as { text: string; label: string };
        if (r.label === 'benign') texts.push(r.text);
      }
    }
    if (texts.length > 0) return texts;
  }
  const sentences = [
    'Summarise the following article in three bullet points for a busy executive.',
    'In 2023 the company shipped 1,250 units across 14 regions, up 12% on 2022.',
    'function add(a, b) { return a + b; } // returns the sum of two numbers',
    'Translate "where is the train station" into French and Spanish.',
    'The API key parameter is optional; pass max_tokens to limit the response length.',
    'Version 4.2.1 fixes a crash when the token limit is reached during streaming.',
  ];
  return Array.from({ length: 2000 }, () => Array.from({ length: 4 + Math.floor(rand() * 8) }, () => pick(sentences)).join(' '));
}

function withSensitive(texts: readonly string[]): string[] {
  const inserts = [
    () => `my key is sk-proj-${token(AN, 74)}T3BlbkFJ${token(AN, 74)}`,
    () => `AWS_ACCESS_KEY_ID=AKIA${token('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
    () => `password = "${token(AN, 16)}"`,
    () => `ghp_${token(AN, 36)}`,
    () => `email me at ${token('abcdefghij', 6)}@mail-host.net`,
    () => 'call +44 20 7946 0958 tomorrow',
    () => 'card 4111 1111 1111 1111 exp 10/27',
    () => 'SSN 123-45-6789',
  ];
  return texts.map((t) => {
    const cut = Math.floor(t.length / 2);
    return `${t.slice(0, cut)} ${pick(inserts)()} ${t.slice(cut)}`;
  });
}

function measure(label: string, texts: readonly string[], fn: (t: string) => number): number {
  const units = texts.reduce((a, t) => a + t.length, 0);
  let sink = 0;
  for (const t of texts.slice(0, 500)) sink += fn(t);
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (const t of texts) sink += fn(t);
    const mbs = units / 1e6 / ((performance.now() - t0) / 1000);
    best = Math.max(best, mbs);
  }
  console.log(`  ${label.padEnd(28)} ${best.toFixed(1).padStart(8)} MB/s  (sink ${sink % 97})`);
  return best;
}

const benign = benignCorpus();
const sensitive = withSensitive(benign);
const units = benign.reduce((a, t) => a + t.length, 0);
console.log(`corpus: ${benign.length} texts, ${(units / 1e6).toFixed(2)} M code units${existsSync(dataDir) ? ` from ${dataDir}` : ' (synthetic)'}`);
for (const [name, texts] of [
  ['benign', benign],
  ['with secrets + PII', sensitive],
] as const) {
  console.log(name);
  const base = measure('baseline indexOf', texts, (t) => t.indexOf('\u0000'));
  const s = measure('secrets', texts, (t) => findSecrets(t).length);
  const p = measure('pii', texts, (t) => findPii(t).length);
  console.log(`  secrets ${(s / base).toFixed(3)}× indexOf, pii ${(p / base).toFixed(3)}× indexOf`);
}
