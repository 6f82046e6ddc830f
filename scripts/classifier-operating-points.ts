// Operating points of the learned classifier: the held-out figures `npm run eval` reports for the
// classifier alone (and with the signature layer), at several placements of the default policy's FLAG
// threshold on the calibration curve.
//   node scripts/classifier-operating-points.ts [--data DIR] [--limit N] [--points 0.001,0.0025,…] [--folds] [--json]
//
// One leave-one-source-out cross-validation (the recipe of scripts/train-classifier.ts), then, per
// operating point, every held-out folder is scored by its fold's model calibrated without that folder's
// rows (as eval/classifier.ts does) through the scan pipeline and the default policy. The operating
// point only moves the anchors of the calibration (train/calibrate.ts): "committed anchors" is the
// anchors in the code; "flag above all benign" the anchors before issue 9 (flag half a logit above the
// highest held-out benign margin); "flag @ x%" puts the flag anchor (0.5 user, 0.4 untrusted) where
// x% of the held-out benign margins of each head reach it, the block anchor staying a logit and a
// quarter above every benign margin. Look-alikes (eval/lookalikes.jsonl) are scored with the final heads (trained on every row,
// as the committed model) calibrated on all out-of-fold margins with that point's anchors.
import path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY_NAME, loadConfig } from '../src/config/index.ts';
import type { PolicyConfig } from '../src/config/types.ts';
import { createClassifierDetector } from '../src/detectors/classifier/index.ts';
import { DOCUMENT_ANCHORS, USER_ANCHORS } from '../src/detectors/classifier/train/calibrate.ts';
import type { Anchor } from '../src/detectors/classifier/train/calibrate.ts';
import { TRAIN_CONFIG, crossValidate, fitCalibration, prepare, toModel, trainFinal } from '../src/detectors/classifier/train/pipeline.ts';
import { DetectionEngine } from '../src/detectors/engine.ts';
import { DEFAULT_NORMALIZER } from '../src/detectors/registry.ts';
import { scanRecord, scopeOf } from '../src/scan/scan.ts';
import type { Verdict } from '../src/scan/scan.ts';
import { LOOKALIKES_PATH, signatureDetectors } from '../eval/classifier.ts';
import { benignKind, dataFolders, detected, flaggedAsAttack, loadLookalikeRows, loadRows, recordFor } from '../eval/evaluate.ts';
import type { BenignKind, DataRow } from '../eval/evaluate.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const ATTACKS = ['injection', 'jailbreak', 'indirect_injection', 'harmful_request'] as const;

interface Point {
  name: string;
  user: readonly Anchor[];
  document: readonly Anchor[];
}

/** The anchors before issue 9: flag half a logit above the highest held-out benign margin (0% FPR). */
export const ABOVE_ALL: Point = {
  name: 'flag above all benign',
  user: [
    { score: 0.1, fpr: 0.005 },
    { score: 0.3, fpr: 0.0003 },
    { score: 0.5, fpr: 0, margin: 0.5 },
    { score: 0.9, fpr: 0, margin: 1.25 },
  ],
  document: [
    { score: 0.1, fpr: 0.005 },
    { score: 0.25, fpr: 0.002 },
    { score: 0.4, fpr: 0, margin: 0.5 },
    { score: 0.8, fpr: 0, margin: 1.25 },
  ],
};

/** Anchors with the flag anchor at held-out benign FPR `f`; the lower anchors spread below it. */
export function flagAt(f: number): Point {
  return {
    name: `flag @ ${(f * 100).toFixed(2)}%`,
    user: [
      { score: 0.1, fpr: Math.max(0.02, 4 * f) },
      { score: 0.3, fpr: 2 * f },
      { score: 0.5, fpr: f },
      { score: 0.9, fpr: 0, margin: 1.25 },
    ],
    document: [
      { score: 0.1, fpr: Math.max(0.02, 4 * f) },
      { score: 0.25, fpr: 2 * f },
      { score: 0.4, fpr: f },
      { score: 0.8, fpr: 0, margin: 1.25 },
    ],
  };
}

interface Counts {
  n: number;
  hits: number;
}
const c0 = (): Counts => ({ n: 0, hits: 0 });
const add = (c: Counts, h: boolean): void => {
  c.n++;
  if (h) c.hits++;
};

interface SystemTally {
  recall: Record<string, Counts>;
  fpr: Record<BenignKind, Counts>;
  harmful: Record<BenignKind, Counts>;
  blocked: Record<BenignKind, Counts>;
  folds: { source: string; score: number }[];
}
const newTally = (): SystemTally => ({
  recall: Object.fromEntries(ATTACKS.map((a) => [a, c0()])),
  fpr: { benign: c0(), hard_negative: c0(), document: c0() },
  harmful: { benign: c0(), hard_negative: c0(), document: c0() },
  blocked: { benign: c0(), hard_negative: c0(), document: c0() },
  folds: [],
});

interface Judged {
  hit: boolean;
  harm: boolean;
  block: boolean;
}

function judge(row: DataRow, v: Verdict, policy: PolicyConfig): Judged {
  const record = recordFor(row);
  const hit = row.label === 'benign' ? flaggedAsAttack(v, policy[scopeOf(record)]) : detected(row, v, policy, record);
  return { hit, harm: v.categories.harmful >= 0.5, block: v.verdict === 'block' };
}

function main(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, limit: { type: 'string' }, points: { type: 'string' }, folds: { type: 'boolean' }, json: { type: 'boolean' } }, strict: true });
  const dataDir = path.resolve(values.data ?? path.resolve(repoRoot, '../shared/data'));
  if (dataFolders(dataDir).length === 0) {
    process.stdout.write(`No data under ${dataDir}.\n`);
    return 0;
  }
  const policy = loadConfig(undefined).policies[DEFAULT_POLICY_NAME];
  if (!policy) throw new Error('no default policy');
  const limit = values.limit !== undefined ? Number.parseInt(values.limit, 10) : undefined;
  const log = (s: string): void => {
    process.stderr.write(`${s}\n`);
  };

  const { rows: dev } = loadRows(dataDir, limit);
  const p = prepare(dev);
  log(`cross-validating ${p.devCount} rows …`);
  const cv = crossValidate(p);
  log('training the final heads …');
  const final = toModel(trainFinal(p), TRAIN_CONFIG.chunk);

  // Signature verdicts do not depend on the operating point: computed once. For these criteria the
  // combined engine flags exactly when either layer does (the union the within-source table uses).
  const sigEngine = new DetectionEngine({ detectors: signatureDetectors(), normalize: DEFAULT_NORMALIZER });
  const sig: Judged[] = [];
  for (let r = 0; r < p.devCount; r++) {
    const row = p.rows[r] as DataRow;
    sig.push(judge(row, scanRecord(recordFor(row), sigEngine, policy), policy));
  }
  const lookalikes = loadLookalikeRows(LOOKALIKES_PATH);
  const sigLook = lookalikes.map((row) => judge(row, scanRecord(recordFor(row), sigEngine, policy), policy));

  const points: Point[] = [{ name: 'committed anchors', user: USER_ANCHORS, document: DOCUMENT_ANCHORS }, ABOVE_ALL, ...(values.points?.split(',').map(Number) ?? [0.001, 0.0025, 0.005, 0.01]).map(flagAt)];
  const results: { point: string; classifier: SystemTally; combined: SystemTally; lookalikes: Record<'classifier' | 'combined', Counts & { harmful: number }> }[] = [];
  for (const pt of points) {
    const anchors = { user: pt.user, document: pt.document };
    const tally = { classifier: newTally(), combined: newTally() };
    for (const fold of cv.folds) {
      const calibration = fitCalibration(p.rows, cv.oof, p.devCount, (r) => (p.rows[r] as DataRow).folder === fold.folder, anchors);
      const engine = new DetectionEngine({ detectors: [createClassifierDetector({ ...fold.model, calibration })], normalize: DEFAULT_NORMALIZER });
      const fc = { classifier: { tp: 0, pos: 0, fp: 0, neg: 0 }, combined: { tp: 0, pos: 0, fp: 0, neg: 0 } };
      for (let r = 0; r < p.devCount; r++) {
        const row = p.rows[r] as DataRow;
        if (row.folder !== fold.folder) continue;
        const c = judge(row, scanRecord(recordFor(row), engine, policy), policy);
        const s = sig[r] as Judged;
        const both: Judged = { hit: c.hit || s.hit, harm: c.harm || s.harm, block: c.block || s.block };
        for (const [name, j] of [['classifier', c], ['combined', both]] as const) {
          const t = tally[name];
          if (row.label === 'benign') {
            const k = benignKind(row);
            add(t.fpr[k], j.hit);
            add(t.harmful[k], j.harm);
            add(t.blocked[k], j.block);
            fc[name].neg++;
            if (j.hit) fc[name].fp++;
          } else if ((ATTACKS as readonly string[]).includes(row.label)) {
            add(t.recall[row.label] as Counts, j.hit);
            fc[name].pos++;
            if (j.hit) fc[name].tp++;
          }
        }
      }
      for (const name of ['classifier', 'combined'] as const) {
        const f = fc[name];
        const parts = [f.pos > 0 ? f.tp / f.pos : null, f.neg > 0 ? 1 - f.fp / f.neg : null].filter((x): x is number => x !== null);
        if (parts.length > 0) tally[name].folds.push({ source: fold.folder, score: parts.reduce((a, b) => a + b, 0) / parts.length });
      }
    }
    const calibration = fitCalibration(p.rows, cv.oof, p.devCount, undefined, anchors);
    const engine = new DetectionEngine({ detectors: [createClassifierDetector({ ...final, calibration })], normalize: DEFAULT_NORMALIZER });
    const look = { classifier: { n: 0, hits: 0, harmful: 0 }, combined: { n: 0, hits: 0, harmful: 0 } };
    lookalikes.forEach((row, i) => {
      const c = judge(row, scanRecord(recordFor(row), engine, policy), policy);
      const s = sigLook[i] as Judged;
      look.classifier.n++;
      look.combined.n++;
      if (c.hit) look.classifier.hits++;
      if (c.harm) look.classifier.harmful++;
      if (c.hit || s.hit) look.combined.hits++;
      if (c.harm || s.harm) look.combined.harmful++;
    });
    results.push({ point: pt.name, ...tally, lookalikes: look });
    log(`${pt.name} done`);
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return 0;
  }
  const pct = (c: { n: number; hits: number }): string => (c.n === 0 ? '—' : `${((100 * c.hits) / c.n).toFixed(c.hits > 0 && c.hits / c.n < 0.01 ? 2 : 1)}% (${c.hits}/${c.n})`);
  const out: string[] = [];
  for (const sys of ['classifier', 'combined'] as const) {
    out.push('', `## ${sys === 'classifier' ? 'Classifier alone' : 'Combined (signatures + classifier)'}, held out (leave-one-source-out)`, '');
    out.push(`| | ${results.map((r) => r.point).join(' | ')} |`, `|---|${results.map(() => '---:').join('|')}|`);
    const row = (label: string, f: (r: (typeof results)[number]) => string): void => {
      out.push(`| ${label} | ${results.map(f).join(' | ')} |`);
    };
    row('LOSO mean balanced accuracy', (r) => `${((100 * r[sys].folds.reduce((a, f) => a + f.score, 0)) / r[sys].folds.length).toFixed(1)}%`);
    row('LOSO worst', (r) => {
      const w = r[sys].folds.reduce((a, f) => (f.score < a.score ? f : a));
      return `${(100 * w.score).toFixed(1)}% (${w.source})`;
    });
    for (const a of ATTACKS) row(`recall: ${a}`, (r) => pct(r[sys].recall[a] as Counts));
    for (const k of ['benign', 'hard_negative', 'document'] as const) row(`FPR: ${k}`, (r) => pct(r[sys].fpr[k]));
    row('FPR: look-alikes', (r) => pct(r.lookalikes[sys]));
    for (const k of ['benign', 'hard_negative', 'document'] as const) row(`harmful ≥ 0.5: ${k}`, (r) => pct(r[sys].harmful[k]));
    row('harmful ≥ 0.5: look-alikes', (r) => pct({ n: r.lookalikes[sys].n, hits: r.lookalikes[sys].harmful }));
    for (const k of ['benign', 'hard_negative', 'document'] as const) row(`blocked: ${k}`, (r) => pct(r[sys].blocked[k]));
    if (values.folds) for (const f of results[0]?.[sys].folds ?? []) row(`fold: ${f.source}`, (r) => `${(100 * (r[sys].folds.find((x) => x.source === f.source)?.score ?? NaN)).toFixed(1)}%`);
  }
  out.push('');
  process.stdout.write(out.join('\n'));
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`classifier-operating-points: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
