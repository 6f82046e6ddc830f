// The learned classifier's section of `npm run eval`: held-out numbers only.
//
// - Leave-one-source-out: for every data folder, the classifier is retrained without it (same recipe
//   and seeds as scripts/train-classifier.ts) and its calibration is refitted without that folder's
//   rows; the folder is then scanned by the signature layer alone, the fold's classifier alone, and
//   both together, through the same scan pipeline and default policy as the rest of the evaluation.
// - Look-alikes (eval/lookalikes.jsonl, written for this project and never trained on): benign text
//   built to resemble attacks, scanned with the committed model.
// - Latency of the committed model on 1 KB and 100 KB inputs.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PolicyConfig } from '../src/config/types.ts';
import { createClassifierDetector, CLASSIFIER_DETECTOR_ID } from '../src/detectors/classifier/index.ts';
import type { LinearModel } from '../src/detectors/classifier/index.ts';
import { crossValidate, fitCalibration, kFold, prepare } from '../src/detectors/classifier/train/pipeline.ts';
import { DetectionEngine } from '../src/detectors/engine.ts';
import { DEFAULT_DETECTORS, DEFAULT_NORMALIZER } from '../src/detectors/registry.ts';
import type { Detector } from '../src/detectors/types.ts';
import type { ScanRecord } from '../src/scan/record.ts';
import { scanRecord } from '../src/scan/scan.ts';
import type { Verdict } from '../src/scan/scan.ts';
import { balanced, benignKind, detected, flaggedAsAttack, loadLookalikeRows, loadRows, recordFor } from './evaluate.ts';
import type { BalancedAccuracy, BenignKind, DataRow, Rate } from './evaluate.ts';
import { scopeOf } from '../src/scan/scan.ts';

export const LOOKALIKES_PATH = path.resolve(import.meta.dirname, 'lookalikes.jsonl');

const SYSTEMS = ['signatures', 'classifier', 'combined'] as const;
type System = (typeof SYSTEMS)[number];
const ATTACKS = ['injection', 'jailbreak', 'indirect_injection', 'harmful_request'] as const;
/** Attack labels scanned as user turns, and the longest row padded (a short request hidden in a long turn). */
const PADDED_LABELS: readonly string[] = ['injection', 'jailbreak', 'harmful_request'];
const PAD_MAX_ROW = 300;
/** Ordinary long benign texts that pad the attacks, cut at a sentence end near PAD_CHARS. */
const PAD_FOLDERS: readonly string[] = ['rust_book', 'owasp_cheatsheets', 'homebrew_docs'];
const PAD_CHARS = 1000;
const K_FOLDS = 5;

export interface FoldResult {
  source: string;
  positives: number;
  negatives: number;
  /** Per system: TPR on the attack rows, TNR on the benign rows, their mean where both exist. */
  systems: Record<System, { tpr: number | null; tnr: number | null; score: number | null }>;
}

export interface SystemPooled {
  recall: Record<string, Rate>;
  /** Benign rows flagged/blocked as injection or jailbreak (the evaluation's false-positive rate). */
  fpr: Record<BenignKind, Rate>;
  /** Benign rows with a harmful score ≥ 0.5 (the default policy flags these, never blocks). */
  harmful: Record<BenignKind, Rate>;
  injectionJailbreak: BalancedAccuracy;
  indirectVsDocuments: BalancedAccuracy;
}

export interface LatencyRow {
  input: string;
  trust: string;
  bytes: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ClassifierReport {
  folds: FoldResult[];
  /** Mean and worst fold score (balanced accuracy, or the one rate a single-class fold has). */
  summary: Record<System, { mean: number | null; worst: number | null; worstSource: string | null }>;
  pooled: Record<System, SystemPooled>;
  /** Within-source 5-fold cross-validation (new rows of known sources; optimistic). */
  withinSource: Record<System, SystemPooled>;
  lookalikes: {
    n: number;
    /** Flagged/blocked as injection or jailbreak. */
    flagged: Record<System, Rate>;
    /** Harmful score ≥ 0.5. */
    harmful: Record<System, Rate>;
    byCategory: { category: string; n: number; flagged: Record<System, number> }[];
  } | null;
  latency: LatencyRow[];
  /**
   * Held-out attack rows of the user heads (at most PAD_MAX_ROW characters) scanned as they are and
   * again after ~1 KB of ordinary documentation, per label: does padding hide an attack?
   */
  padded: { label: string; n: number; plain: Record<System, number>; padded: Record<System, number> }[];
  padding: { folders: readonly string[]; chars: number };
  /** Benign rows the classifier alone flagged (held-out dev rows, then look-alikes), for inspection. */
  falsePositives: { source: string; category: string; score: number; text: string }[];
  cvSeconds: number;
  model: string;
  /** Whether the default engine (and so the tables before this section) includes the classifier. */
  registered: boolean;
}

export interface ClassifierEvalOptions {
  dataDir: string;
  policy: PolicyConfig;
  /** The committed model (for look-alikes and latency). */
  model: LinearModel;
  limitPerFolder?: number;
  lookalikesPath?: string;
  /** Skip the latency measurement (tests). */
  latency?: boolean;
  /** Where the padded-attack check takes its padding, and about how much (default PAD_FOLDERS, PAD_CHARS). */
  padding?: { folders: readonly string[]; chars: number };
}

/** The attack the row's label names was detected, or (benign) the row was flagged/blocked as an attack. */
function hit(row: DataRow, v: Verdict, policy: PolicyConfig, record: ScanRecord): boolean {
  if (row.label === 'benign') return flaggedAsAttack(v, policy[scopeOf(record)]);
  return detected(row, v, policy, record);
}

const harmfulFlag = (v: Verdict): boolean => v.categories.harmful >= 0.5;

const rate = (hits: number, n: number): Rate => ({ n, hits, rate: n === 0 ? null : hits / n });

interface Tally {
  recall: Map<string, { n: number; hits: number }>;
  fp: Record<BenignKind, { n: number; hits: number; harmful: number }>;
}
const newTally = (): Tally => ({
  recall: new Map(),
  fp: { benign: { n: 0, hits: 0, harmful: 0 }, hard_negative: { n: 0, hits: 0, harmful: 0 }, document: { n: 0, hits: 0, harmful: 0 } },
});

export function signatureDetectors(): Detector[] {
  return DEFAULT_DETECTORS.filter((d) => d.id !== CLASSIFIER_DETECTOR_ID);
}

function count(t: Tally, row: DataRow, h: boolean, harm: boolean): void {
  if (row.label === 'benign') {
    const k = t.fp[benignKind(row)];
    k.n++;
    if (h) k.hits++;
    if (harm) k.harmful++;
    return;
  }
  const c = t.recall.get(row.label) ?? { n: 0, hits: 0 };
  c.n++;
  if (h) c.hits++;
  t.recall.set(row.label, c);
}

function pooledOf(t: Tally): SystemPooled {
  const recall: Record<string, Rate> = {};
  for (const label of [...ATTACKS, 'injection_payload']) {
    const c = t.recall.get(label);
    if (c) recall[label] = rate(c.hits, c.n);
  }
  const ij = ['injection', 'jailbreak'].map((l) => t.recall.get(l) ?? { n: 0, hits: 0 });
  const allBenign = Object.values(t.fp).reduce((a, b) => ({ n: a.n + b.n, hits: a.hits + b.hits }), { n: 0, hits: 0 });
  const ind = t.recall.get('indirect_injection') ?? { n: 0, hits: 0 };
  return {
    recall,
    fpr: { benign: rate(t.fp.benign.hits, t.fp.benign.n), hard_negative: rate(t.fp.hard_negative.hits, t.fp.hard_negative.n), document: rate(t.fp.document.hits, t.fp.document.n) },
    harmful: { benign: rate(t.fp.benign.harmful, t.fp.benign.n), hard_negative: rate(t.fp.hard_negative.harmful, t.fp.hard_negative.n), document: rate(t.fp.document.harmful, t.fp.document.n) },
    injectionJailbreak: balanced((ij[0]?.hits ?? 0) + (ij[1]?.hits ?? 0), (ij[0]?.n ?? 0) + (ij[1]?.n ?? 0), allBenign.hits, allBenign.n),
    indirectVsDocuments: balanced(ind.hits, ind.n, t.fp.document.hits, t.fp.document.n),
  };
}

export function evaluateClassifier(opts: ClassifierEvalOptions): ClassifierReport {
  const { rows: dev } = loadRows(opts.dataDir, opts.limitPerFolder);
  const sigs = signatureDetectors();
  const sigEngine = new DetectionEngine({ detectors: sigs, normalize: DEFAULT_NORMALIZER });

  // Measured first, on a fresh heap: the cross-validation below leaves garbage whose collection would
  // land in the timings.
  const committed = createClassifierDetector(opts.model);
  const latency = opts.latency === false ? [] : measureLatency(committed, dev);

  const t0 = performance.now();
  const p = prepare(dev);
  const cv = crossValidate(p);
  const kf = kFold(p, K_FOLDS);
  const cvSeconds = (performance.now() - t0) / 1000;

  const tallies: Record<System, Tally> = { signatures: newTally(), classifier: newTally(), combined: newTally() };
  const falsePositives: ClassifierReport['falsePositives'] = [];
  const sigHit = new Uint8Array(p.devCount);
  const sigHarm = new Uint8Array(p.devCount);
  const folds: FoldResult[] = [];
  const padding = opts.padding ?? { folders: PAD_FOLDERS, chars: PAD_CHARS };
  const pads = paddingPassages(p.rows.slice(0, p.devCount) as DataRow[], padding.folders, padding.chars);
  const paddedTally = new Map<string, { n: number; plain: Record<System, number>; padded: Record<System, number> }>();
  for (const fold of cv.folds) {
    const calibration = fitCalibration(p.rows, cv.oof, p.devCount, (r) => (p.rows[r] as DataRow).folder === fold.folder);
    const det = createClassifierDetector({ ...fold.model, calibration });
    const engines: Record<System, DetectionEngine> = {
      signatures: sigEngine,
      classifier: new DetectionEngine({ detectors: [det], normalize: DEFAULT_NORMALIZER }),
      combined: new DetectionEngine({ detectors: [...sigs, det], normalize: DEFAULT_NORMALIZER }),
    };
    const counts: Record<System, { tp: number; fp: number }> = { signatures: { tp: 0, fp: 0 }, classifier: { tp: 0, fp: 0 }, combined: { tp: 0, fp: 0 } };
    let positives = 0;
    let negatives = 0;
    for (let r = 0; r < p.devCount; r++) {
      const row = p.rows[r] as DataRow;
      if (row.folder !== fold.folder) continue;
      const attack = (ATTACKS as readonly string[]).includes(row.label);
      const benign = row.label === 'benign';
      if (attack) positives++;
      if (benign) negatives++;
      const record = recordFor(row);
      const plainHit = { signatures: false, classifier: false, combined: false };
      for (const s of SYSTEMS) {
        const v = scanRecord(record, engines[s], opts.policy);
        const h = hit(row, v, opts.policy, record);
        plainHit[s] = h;
        const harm = benign && harmfulFlag(v);
        if (s === 'signatures') {
          sigHit[r] = h ? 1 : 0;
          sigHarm[r] = harm ? 1 : 0;
        }
        count(tallies[s], row, h, harm);
        if (benign && h) counts[s].fp++;
        if (s === 'classifier' && benign && (h || harm)) falsePositives.push(describeFp(row, v));
        if (attack && h) counts[s].tp++;
      }
      // Each padded row gets its own passage (by row number), never one of the held-out folder.
      const candidate = PADDED_LABELS.includes(row.label) && row.text.length <= PAD_MAX_ROW ? pads[r % pads.length] : undefined;
      const pad = candidate === undefined || candidate.folder !== fold.folder ? candidate : pads.find((x) => x.folder !== fold.folder);
      if (pad !== undefined) {
        const paddedRow: DataRow = { ...row, text: `${pad.text}\n\n${row.text}` };
        const paddedRecord = recordFor(paddedRow);
        const t = paddedTally.get(row.label) ?? { n: 0, plain: { signatures: 0, classifier: 0, combined: 0 }, padded: { signatures: 0, classifier: 0, combined: 0 } };
        t.n++;
        for (const s of SYSTEMS) {
          if (plainHit[s]) t.plain[s]++;
          if (hit(paddedRow, scanRecord(paddedRecord, engines[s], opts.policy), opts.policy, paddedRecord)) t.padded[s]++;
        }
        paddedTally.set(row.label, t);
      }
    }
    const systems = {} as FoldResult['systems'];
    for (const s of SYSTEMS) {
      const tpr = positives > 0 ? counts[s].tp / positives : null;
      const tnr = negatives > 0 ? 1 - counts[s].fp / negatives : null;
      const both = [tpr, tnr].filter((x): x is number => x !== null);
      systems[s] = { tpr, tnr, score: both.length === 0 ? null : both.reduce((a, b) => a + b, 0) / both.length };
    }
    folds.push({ source: fold.folder, positives, negatives, systems });
  }

  // Within-source folds: the classifier alone is scanned; "combined" is the union of its verdict with
  // the signature verdict already computed above (for these criteria a union of detectors flags
  // exactly when either one does).
  const within: Record<System, Tally> = { signatures: newTally(), classifier: newTally(), combined: newTally() };
  for (let f = 0; f < K_FOLDS; f++) {
    const model = kf.models[f];
    if (!model) continue;
    const calibration = fitCalibration(p.rows, cv.oof, p.devCount, (r) => kf.fold[r] === f);
    const engine = new DetectionEngine({ detectors: [createClassifierDetector({ ...model, calibration })], normalize: DEFAULT_NORMALIZER });
    for (let r = 0; r < p.devCount; r++) {
      if (kf.fold[r] !== f) continue;
      const row = p.rows[r] as DataRow;
      const record = recordFor(row);
      const v = scanRecord(record, engine, opts.policy);
      const c = hit(row, v, opts.policy, record);
      const harm = row.label === 'benign' && harmfulFlag(v);
      count(within.signatures, row, sigHit[r] === 1, sigHarm[r] === 1);
      count(within.classifier, row, c, harm);
      count(within.combined, row, c || sigHit[r] === 1, harm || sigHarm[r] === 1);
    }
  }

  const summary = {} as ClassifierReport['summary'];
  const pooled = {} as ClassifierReport['pooled'];
  const withinSource = {} as ClassifierReport['withinSource'];
  for (const s of SYSTEMS) {
    const scored = folds.filter((f) => f.systems[s].score !== null);
    let worst: FoldResult | undefined;
    for (const f of scored) if (!worst || (f.systems[s].score as number) < (worst.systems[s].score as number)) worst = f;
    summary[s] = {
      mean: scored.length === 0 ? null : scored.reduce((a, f) => a + (f.systems[s].score as number), 0) / scored.length,
      worst: worst ? (worst.systems[s].score as number) : null,
      worstSource: worst ? worst.source : null,
    };
    pooled[s] = pooledOf(tallies[s]);
    withinSource[s] = pooledOf(within[s]);
  }

  const lookalikes = evaluateLookalikes(opts.lookalikesPath ?? LOOKALIKES_PATH, sigs, committed, opts.policy, falsePositives);
  const registered = DEFAULT_DETECTORS.some((d) => d.id === CLASSIFIER_DETECTOR_ID);
  const padded = PADDED_LABELS.flatMap((label) => {
    const t = paddedTally.get(label);
    return t === undefined ? [] : [{ label, ...t }];
  });
  return { folds, summary, pooled, withinSource, lookalikes, latency, padded, padding, falsePositives, cvSeconds, model: opts.model.version, registered };
}

/** Padding for the padded-attack check: benign rows of `folders` long enough, cut at the last sentence end before `chars`. */
function paddingPassages(rows: readonly DataRow[], folders: readonly string[], chars: number): { folder: string; text: string }[] {
  const out: { folder: string; text: string }[] = [];
  for (const row of rows) {
    if (row.label !== 'benign' || !folders.includes(row.folder) || row.text.length < chars * 1.2) continue;
    const head = row.text.slice(0, chars);
    const cut = Math.max(head.lastIndexOf('. '), head.lastIndexOf('\n'));
    out.push({ folder: row.folder, text: cut > chars / 2 ? head.slice(0, cut + 1) : head });
  }
  return out;
}

function describeFp(row: DataRow, v: Verdict): ClassifierReport['falsePositives'][number] {
  let top = { category: '—', score: 0 };
  for (const f of v.findings) if (f.detector === CLASSIFIER_DETECTOR_ID && f.score > top.score) top = { category: f.category, score: f.score };
  const text = row.text.replace(/\s+/g, ' ');
  return { source: row.folder, category: top.category, score: Math.round(top.score * 100) / 100, text: text.length > 100 ? `${text.slice(0, 100)}…` : text };
}

function evaluateLookalikes(file: string, sigs: Detector[], committed: Detector, policy: PolicyConfig, fps: ClassifierReport['falsePositives']): ClassifierReport['lookalikes'] {
  const rows = loadLookalikeRows(file);
  if (rows.length === 0) return null;
  const engines: Record<System, DetectionEngine> = {
    signatures: new DetectionEngine({ detectors: sigs, normalize: DEFAULT_NORMALIZER }),
    classifier: new DetectionEngine({ detectors: [committed], normalize: DEFAULT_NORMALIZER }),
    combined: new DetectionEngine({ detectors: [...sigs, committed], normalize: DEFAULT_NORMALIZER }),
  };
  const flagged: Record<System, number> = { signatures: 0, classifier: 0, combined: 0 };
  const harmful: Record<System, number> = { signatures: 0, classifier: 0, combined: 0 };
  const byCat = new Map<string, { category: string; n: number; flagged: Record<System, number> }>();
  for (const row of rows) {
    const category = typeof row.meta.category === 'string' ? row.meta.category : 'other';
    const c = byCat.get(category) ?? { category, n: 0, flagged: { signatures: 0, classifier: 0, combined: 0 } };
    c.n++;
    const record = recordFor(row);
    for (const s of SYSTEMS) {
      const v = scanRecord(record, engines[s], policy);
      const h = hit(row, v, policy, record);
      const harm = harmfulFlag(v);
      if (h) {
        flagged[s]++;
        c.flagged[s]++;
      }
      if (harm) harmful[s]++;
      if (s === 'classifier' && (h || harm)) fps.push(describeFp(row, v));
    }
    byCat.set(category, c);
  }
  return {
    n: rows.length,
    flagged: { signatures: rate(flagged.signatures, rows.length), classifier: rate(flagged.classifier, rows.length), combined: rate(flagged.combined, rows.length) },
    harmful: { signatures: rate(harmful.signatures, rows.length), classifier: rate(harmful.classifier, rows.length), combined: rate(harmful.combined, rows.length) },
    byCategory: [...byCat.values()].sort((a, b) => a.category.localeCompare(b.category)),
  };
}

/** Benign text of about `bytes` bytes, cut from the development rows (deterministic). */
export function sampleText(rows: readonly { text: string; label: string }[], bytes: number, offset = 0): string {
  const benign = rows.filter((r) => r.label === 'benign');
  const parts: string[] = [];
  let len = 0;
  for (let i = 0; len < bytes && benign.length > 0; i++) {
    const t = (benign[(offset + i * 7) % benign.length] as { text: string }).text;
    parts.push(t);
    len += t.length + 2;
  }
  return parts.join('\n\n').slice(0, bytes);
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function measureLatency(det: Detector, rows: readonly DataRow[]): LatencyRow[] {
  const out: LatencyRow[] = [];
  const cases: { input: string; bytes: number; runs: number }[] = [
    { input: '1 KB', bytes: 1024, runs: 2000 },
    { input: '100 KB', bytes: 100 * 1024, runs: 60 },
  ];
  for (const c of cases) {
    for (const trust of ['user', 'untrusted'] as const) {
      const texts = [0, 1, 2, 3].map((k) => sampleText(rows, c.bytes, k * 13));
      const ctx = { role: trust === 'user' ? ('user' as const) : ('tool' as const), trust, direction: 'input' as const };
      for (let i = 0; i < 20; i++) det.scan(texts[i % texts.length] as string, ctx);
      const times = new Float64Array(c.runs);
      for (let i = 0; i < c.runs; i++) {
        const t = texts[i % texts.length] as string;
        const t0 = performance.now();
        det.scan(t, ctx);
        times[i] = performance.now() - t0;
      }
      times.sort();
      out.push({ input: c.input, trust, bytes: c.bytes, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) });
    }
  }
  return out;
}

// ---- Markdown ---------------------------------------------------------------------------------

const KINDS = ['benign', 'hard_negative', 'document'] as const;
const KIND_NAMES: Record<BenignKind, string> = { benign: 'benign', hard_negative: 'hard negatives', document: 'documents (untrusted)' };
const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed((x > 0 && x < 0.01) || (x > 0.99 && x < 1) ? 2 : 1)}%`);
const rateCell = (r: Rate | undefined): string => (r ? `${pct(r.rate)} (${r.hits}/${r.n})` : '—');

export function formatClassifierMarkdown(r: ClassifierReport): string {
  const out: string[] = [];
  out.push('', '# Learned classifier (held-out numbers)', '');
  out.push(
    `Committed model \`${r.model}\`. Leave-one-source-out: every data folder was scanned by a classifier retrained without it ` +
      `(and calibrated without its rows); cross-validation took ${r.cvSeconds.toFixed(0)} s. "signatures" is every registered ` +
      'non-learned detector, "classifier" the learned detector alone, "combined" both. An attack row counts when the policy ' +
      'flags/blocks it for its category; a benign row is a false positive when it is flagged/blocked as injection or jailbreak (as in the tables above). ' +
      'Benign rows scoring harmful ≥ 0.5 (which the default policy flags, never blocks) are counted separately.',
    '',
  );
  if (r.registered) {
    out.push(
      'The classifier is registered, so the tables above include the committed model scored on the very rows it was trained on (in-sample, flattering). The held-out numbers are the ones below.',
      '',
    );
  }
  out.push('## Leave-one-source-out, per held-out source', '', 'Score = balanced accuracy (mean of TPR on attack rows and TNR on benign rows; the one rate when a source has only one class).', '');
  out.push('| held-out source | attack rows | benign rows | signatures TPR / TNR | classifier TPR / TNR | combined TPR / TNR | signatures | classifier | combined |', '|---|---:|---:|---|---|---|---:|---:|---:|');
  for (const f of r.folds) {
    const pair = (s: System): string => `${pct(f.systems[s].tpr)} / ${pct(f.systems[s].tnr)}`;
    out.push(`| ${f.source} | ${f.positives} | ${f.negatives} | ${pair('signatures')} | ${pair('classifier')} | ${pair('combined')} | ${pct(f.systems.signatures.score)} | ${pct(f.systems.classifier.score)} | ${pct(f.systems.combined.score)} |`);
  }
  const s = r.summary;
  out.push(`| **mean** | | | | | | **${pct(s.signatures.mean)}** | **${pct(s.classifier.mean)}** | **${pct(s.combined.mean)}** |`);
  out.push(`| **worst** | | | | | | ${pct(s.signatures.worst)} (${s.signatures.worstSource ?? '—'}) | ${pct(s.classifier.worst)} (${s.classifier.worstSource ?? '—'}) | ${pct(s.combined.worst)} (${s.combined.worstSource ?? '—'}) |`);

  out.push('', '## Pooled over all held-out sources', '', '| | signatures | classifier | combined |', '|---|---:|---:|---:|');
  const labels = new Set<string>();
  for (const sys of SYSTEMS) for (const l of Object.keys(r.pooled[sys].recall)) labels.add(l);
  for (const l of labels) out.push(`| recall: ${l} | ${SYSTEMS.map((sys) => rateCell(r.pooled[sys].recall[l])).join(' | ')} |`);
  for (const k of KINDS) out.push(`| FPR: ${KIND_NAMES[k]} | ${SYSTEMS.map((sys) => rateCell(r.pooled[sys].fpr[k])).join(' | ')} |`);
  for (const k of KINDS) out.push(`| harmful ≥ 0.5: ${KIND_NAMES[k]} | ${SYSTEMS.map((sys) => rateCell(r.pooled[sys].harmful[k])).join(' | ')} |`);
  out.push(`| balanced accuracy: injection + jailbreak vs all benign | ${SYSTEMS.map((sys) => pct(r.pooled[sys].injectionJailbreak.balancedAccuracy)).join(' | ')} |`);
  out.push(`| balanced accuracy: indirect injection vs documents | ${SYSTEMS.map((sys) => pct(r.pooled[sys].indirectVsDocuments.balancedAccuracy)).join(' | ')} |`);

  out.push(
    '',
    `## Within-source ${K_FOLDS}-fold cross-validation (new rows of sources the model knows)`,
    '',
    'Rows split by position; each fold scored by heads trained on the others (synthetic rows built on a held-out row left out) and calibrated without its rows. ' +
      'Near-duplicates of one source can straddle folds, so this is optimistic; it is closer to traffic resembling the training sources than leave-one-source-out is.',
    '',
    '| | signatures | classifier | combined |',
    '|---|---:|---:|---:|',
  );
  for (const l of labels) out.push(`| recall: ${l} | ${SYSTEMS.map((sys) => rateCell(r.withinSource[sys].recall[l])).join(' | ')} |`);
  for (const k of KINDS) out.push(`| FPR: ${KIND_NAMES[k]} | ${SYSTEMS.map((sys) => rateCell(r.withinSource[sys].fpr[k])).join(' | ')} |`);
  for (const k of KINDS) out.push(`| harmful ≥ 0.5: ${KIND_NAMES[k]} | ${SYSTEMS.map((sys) => rateCell(r.withinSource[sys].harmful[k])).join(' | ')} |`);
  out.push(`| balanced accuracy: injection + jailbreak vs all benign | ${SYSTEMS.map((sys) => pct(r.withinSource[sys].injectionJailbreak.balancedAccuracy)).join(' | ')} |`);
  out.push(`| balanced accuracy: indirect injection vs documents | ${SYSTEMS.map((sys) => pct(r.withinSource[sys].indirectVsDocuments.balancedAccuracy)).join(' | ')} |`);

  if (r.padded.length > 0) {
    out.push(
      '',
      '## Padded attacks (held out)',
      '',
      `Held-out attack rows of up to ${PAD_MAX_ROW} characters, scanned as they are and again after about ${r.padding.chars} characters of ordinary documentation ` +
        `(a passage of ${r.padding.folders.join(', ')}, never of the held-out folder): a short request hidden at the end of a long turn, as in a pasted document followed by the ask. Recall as in the tables above.`,
      '',
      `| label | n | ${SYSTEMS.map((s) => `${s} | ${s}, padded`).join(' | ')} |`,
      `|---|---:|${SYSTEMS.map(() => '---:|---:').join('|')}|`,
    );
    for (const x of r.padded) {
      out.push(`| ${x.label} | ${x.n} | ${SYSTEMS.map((s) => `${rateCell(rate(x.plain[s], x.n))} | ${rateCell(rate(x.padded[s], x.n))}`).join(' | ')} |`);
    }
  }
  if (r.lookalikes) {
    const l = r.lookalikes;
    out.push('', `## Look-alikes (eval/lookalikes.jsonl, ${l.n} benign rows, never trained on)`, '', '| category | n | signatures | classifier | combined |', '|---|---:|---:|---:|---:|');
    for (const c of l.byCategory) out.push(`| ${c.category} | ${c.n} | ${c.flagged.signatures} | ${c.flagged.classifier} | ${c.flagged.combined} |`);
    out.push(`| **FPR** (injection/jailbreak) | ${l.n} | ${rateCell(l.flagged.signatures)} | ${rateCell(l.flagged.classifier)} | ${rateCell(l.flagged.combined)} |`);
    out.push(`| harmful ≥ 0.5 | ${l.n} | ${rateCell(l.harmful.signatures)} | ${rateCell(l.harmful.classifier)} | ${rateCell(l.harmful.combined)} |`);
  }
  if (r.falsePositives.length > 0) {
    out.push('', '## Benign rows the classifier alone flagged (as an attack, or harmful ≥ 0.5)', '', '| source | category | score | text |', '|---|---|---:|---|');
    for (const f of r.falsePositives) out.push(`| ${f.source} | ${f.category} | ${f.score.toFixed(2)} | ${f.text.replace(/\|/g, '\\|')} |`);
  }
  if (r.latency.length > 0) {
    out.push('', '## Classifier latency (committed model, one core, detector call only)', '', '| input | trust | p50 | p99 |', '|---|---|---:|---:|');
    for (const x of r.latency) out.push(`| ${x.input} | ${x.trust} | ${x.p50Ms.toFixed(3)} ms | ${x.p99Ms.toFixed(3)} ms |`);
  }
  out.push('');
  return out.join('\n');
}
