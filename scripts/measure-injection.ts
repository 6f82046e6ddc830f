// Measures the deterministic injection / jailbreak / harmful detectors (with the normaliser) on the
// development data in /work/shared/data/*/dev.jsonl (or PARAPET_DATA_DIR).
//
//   node scripts/measure-injection.ts [--no-system] [--show-misses N] [--show-fp N] [--bench] [--pairs]
//
// --pairs: the development data has system prompts only on attack rows (CyberSecEval), so rules
// that read the system prompt (restricted topics, protected secrets) never meet a benign
// conversation there. This pairs every benign persona/system prompt of the data (hard negatives of
// kind persona) with 20 benign user prompts (fixed seed) and reports how many of those benign
// conversations the detectors flag, with and without the system prompt.
//
// Labels: injection (scanned as a user message), indirect_injection (untrusted tool content),
// jailbreak (user) must reach ≥ 0.5 in category injection or jailbreak; harmful_request is measured
// on the harmful score; benign rows (user, or untrusted for documents) must stay below 0.5.
// injection_payload rows are only malicious when embedded and are reported apart, not as recall.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Category } from '../src/exchange/types.ts';
import { DetectionEngine } from '../src/detectors/engine.ts';
import { harmfulDetector } from '../src/detectors/harmful/index.ts';
import { injectionDetector } from '../src/detectors/injection/index.ts';
import { jailbreakDetector } from '../src/detectors/jailbreak/index.ts';
import { normalizeText } from '../src/detectors/normalize/index.ts';
import type { ScanContext } from '../src/detectors/types.ts';

interface Row {
  text: string;
  label: string;
  source: string;
  meta: Record<string, unknown> & { id: string; folder?: string };
}

const FLAG = 0.5;
const args = process.argv.slice(2);
const useSystem = !args.includes('--no-system');
const showMisses = numArg('--show-misses');
const showFp = numArg('--show-fp');
const bench = args.includes('--bench');
const pairs = args.includes('--pairs');

function numArg(name: string): number {
  const i = args.indexOf(name);
  if (i < 0) return 0;
  const n = Number(args[i + 1]);
  return Number.isFinite(n) ? n : 20;
}

const dataDir = process.env.PARAPET_DATA_DIR ?? '/work/shared/data';
if (!existsSync(dataDir)) {
  console.log(`No development data at ${dataDir} (set PARAPET_DATA_DIR); nothing to measure.`);
  process.exit(0);
}

const rows: Row[] = [];
for (const d of readdirSync(dataDir)) {
  const f = join(dataDir, d, 'dev.jsonl');
  if (!existsSync(f)) continue;
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Row;
    r.meta.folder ??= d;
    rows.push(r);
  }
}
if (rows.length === 0) {
  console.log(`No dev.jsonl files under ${dataDir}; nothing to measure.`);
  process.exit(0);
}

const engine = new DetectionEngine({ detectors: [injectionDetector, jailbreakDetector, harmfulDetector], normalize: normalizeText });

function contextFor(r: Row): ScanContext {
  const systemPrompt = useSystem && typeof r.meta.system_prompt === 'string' ? r.meta.system_prompt : undefined;
  if (r.label === 'indirect_injection') return { role: 'tool', trust: 'untrusted', direction: 'input', systemPrompt };
  if (r.label === 'benign' && r.meta.text_type === 'document') return { role: 'tool', trust: 'untrusted', direction: 'input' };
  return { role: 'user', trust: 'user', direction: 'input', systemPrompt };
}

function scores(r: Row): { cat: Record<string, number>; rules: string[] } {
  const res = engine.scanText(r.text, contextFor(r));
  const cat: Record<string, number> = {};
  const rules: string[] = [];
  for (const f of res.findings) {
    cat[f.category] = Math.max(cat[f.category] ?? 0, f.score);
    if (f.score >= FLAG) rules.push(`${f.category}:${f.rule}=${f.score}`);
  }
  return { cat, rules };
}

const attackScore = (c: Record<string, number>): number => Math.max(c.injection ?? 0, c.jailbreak ?? 0);
const get = (c: Record<string, number>, k: Category): number => c[k] ?? 0;

interface Tally {
  n: number;
  hit: number;
}
const tally = new Map<string, Tally>();
function count(key: string, hit: boolean): void {
  const t = tally.get(key) ?? { n: 0, hit: 0 };
  t.n++;
  if (hit) t.hit++;
  tally.set(key, t);
}

const misses: string[] = [];
const fps: string[] = [];
const t0 = process.hrtime.bigint();
for (const r of rows) {
  if (r.label === 'secret' || r.label === 'pii') continue;
  const { cat, rules } = scores(r);
  const folder = r.meta.folder ?? '?';
  if (r.label === 'injection' || r.label === 'indirect_injection' || r.label === 'jailbreak') {
    const hit = attackScore(cat) >= FLAG;
    count(`recall:${r.label}`, hit);
    count(`recall:${r.label}:${folder}`, hit);
    count('recall:all', hit);
    if (!hit) misses.push(`${r.label} ${r.meta.id} inj=${get(cat, 'injection').toFixed(2)} jb=${get(cat, 'jailbreak').toFixed(2)} | ${r.text.slice(0, 160).replace(/\s+/g, ' ')}`);
  } else if (r.label === 'harmful_request') {
    count('recall:harmful_request', get(cat, 'harmful') >= FLAG);
    count(`recall:harmful_request:${folder}`, get(cat, 'harmful') >= FLAG);
    count('harmful_request:attack-flagged', attackScore(cat) >= FLAG);
  } else if (r.label === 'injection_payload') {
    count('payload:flagged-as-user-text', attackScore(cat) >= FLAG);
  } else if (r.label === 'benign') {
    const fp = attackScore(cat) >= FLAG;
    const kind = r.meta.text_type === 'document' ? 'documents' : r.meta.hard_negative ? 'hard-negatives' : 'prompts';
    count(`fpr:${kind}`, fp);
    count(`fpr:${kind}:${folder}`, fp);
    count('fpr:all', fp);
    if (kind !== 'documents') count('fpr:prompts+hard', fp);
    count('fpr:prompts+documents', kind !== 'hard-negatives' ? fp : false);
    count('harmful-fpr:benign', get(cat, 'harmful') >= FLAG);
    count('obfuscation-fpr:benign', get(cat, 'obfuscation') >= FLAG);
    if (fp) fps.push(`${kind} ${r.meta.id} ${rules.join(' ')} | ${r.text.slice(0, 160).replace(/\s+/g, ' ')}`);
  }
}
const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;

function pct(key: string): string {
  const t = tally.get(key);
  if (!t) return '   n/a';
  return `${((100 * t.hit) / t.n).toFixed(1).padStart(5)}%  (${t.hit}/${t.n})`;
}

console.log(`Parapet deterministic detectors on ${dataDir} — flag threshold ${FLAG}, system prompts ${useSystem ? 'passed as context' : 'withheld'}`);
console.log('\nRecall (injection or jailbreak score ≥ 0.5):');
for (const k of [...tally.keys()].filter((k) => k.startsWith('recall:') && !k.startsWith('recall:harmful')).sort()) console.log(`  ${k.slice(7).padEnd(52)} ${pct(k)}`);
console.log('\nFalse-positive rate on benign (injection or jailbreak ≥ 0.5):');
for (const k of [...tally.keys()].filter((k) => k.startsWith('fpr:')).sort()) console.log(`  ${k.slice(4).padEnd(52)} ${pct(k)}`);
console.log('\nHarmful requests (harmful score ≥ 0.5):');
for (const k of [...tally.keys()].filter((k) => k.startsWith('recall:harmful')).sort()) console.log(`  ${k.slice(7).padEnd(52)} ${pct(k)}`);
console.log(`  ${'harmful FPR on all benign'.padEnd(52)} ${pct('harmful-fpr:benign')}`);
console.log(`  ${'harmful requests also flagged as injection/jailbreak'.padEnd(52)} ${pct('harmful_request:attack-flagged')}`);
console.log(`\nOther:\n  ${'injection_payload flagged when sent as user text'.padEnd(52)} ${pct('payload:flagged-as-user-text')}`);
console.log(`  ${'obfuscation ≥ 0.5 on benign'.padEnd(52)} ${pct('obfuscation-fpr:benign')}`);

const rec = tally.get('recall:all');
const fpr = tally.get('fpr:all');
if (rec && fpr) {
  const ba = (rec.hit / rec.n + (1 - fpr.hit / fpr.n)) / 2;
  console.log(`\nBalanced accuracy (attacks vs all benign): ${(100 * ba).toFixed(1)}%`);
}
console.log(`Scanned ${rows.length} rows in ${elapsed.toFixed(2)} s.`);

if (showMisses) {
  console.log(`\nMisses (first ${showMisses}):`);
  for (const m of misses.slice(0, showMisses)) console.log(`  ${m}`);
}
if (showFp) {
  console.log(`\nFalse positives (first ${showFp}):`);
  for (const m of fps.slice(0, showFp)) console.log(`  ${m}`);
}

if (pairs) {
  const personas = rows.filter((r) => r.label === 'benign' && r.meta.hard_negative === true && r.meta.text_type !== 'document' && /^persona_|^promptbench/.test(r.meta.folder ?? ''));
  const prompts = rows.filter((r) => r.label === 'benign' && r.meta.hard_negative !== true && r.meta.text_type !== 'document');
  let seed = 2024;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  let n = 0;
  let withSystem = 0;
  let without = 0;
  const examples: string[] = [];
  for (const p of personas) {
    for (let k = 0; k < 20; k++) {
      const u = prompts[Math.floor(rand() * prompts.length)];
      if (!u) continue;
      n++;
      const ctx: ScanContext = { role: 'user', trust: 'user', direction: 'input', systemPrompt: p.text };
      const flagged = (c: ScanContext): boolean => engine.scanText(u.text, c).findings.some((f) => (f.category === 'injection' || f.category === 'jailbreak') && f.score >= FLAG);
      const a = flagged(ctx);
      const b = flagged({ role: 'user', trust: 'user', direction: 'input' });
      if (a) withSystem++;
      if (b) without++;
      if (a && !b && examples.length < 10) examples.push(`${p.meta.id} → ${u.text.slice(0, 100).replace(/\s+/g, ' ')}`);
    }
  }
  console.log(`\nBenign conversations (${personas.length} persona system prompts × 20 benign prompts = ${n}):`);
  console.log(`  flagged with the system prompt    ${((100 * withSystem) / Math.max(1, n)).toFixed(2)}%  (${withSystem}/${n})`);
  console.log(`  flagged without it                ${((100 * without) / Math.max(1, n)).toFixed(2)}%  (${without}/${n})`);
  for (const e of examples) console.log(`  ${e}`);
}

if (bench) {
  // Throughput on benign prompts: normaliser + the three detectors, the way the engine runs them.
  // Best of several rounds, because shared machines are noisy.
  const benign = rows.filter((r) => r.label === 'benign' && r.meta.text_type !== 'document').map((r) => r.text);
  const bytes = benign.reduce((a, t) => a + Buffer.byteLength(t), 0);
  const ctx: ScanContext = { role: 'user', trust: 'user', direction: 'input' };
  for (let i = 0; i < 3; i++) for (const t of benign) engine.scanText(t, ctx);
  let best = Number.POSITIVE_INFINITY;
  let total = 0;
  const rounds = 15;
  for (let i = 0; i < rounds; i++) {
    const s = process.hrtime.bigint();
    for (const t of benign) engine.scanText(t, ctx);
    const sec = Number(process.hrtime.bigint() - s) / 1e9;
    total += sec;
    if (sec < best) best = sec;
  }
  console.log(
    `\nThroughput on ${benign.length} benign prompts (${(bytes / 1e6).toFixed(2)} MB): best ${(bytes / best / 1e6).toFixed(1)} MB/s, ` +
      `mean ${((bytes * rounds) / total / 1e6).toFixed(1)} MB/s, ${((best / benign.length) * 1e6).toFixed(1)} µs/prompt (best)`,
  );
}
