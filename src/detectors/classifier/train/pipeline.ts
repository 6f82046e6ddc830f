// The whole training recipe in one place, shared by scripts/train-classifier.ts (which writes the
// artifact) and the evaluation (which repeats the cross-validation to report it), so both run exactly
// the same steps with the same constants and seeds.
import { createHash } from 'node:crypto';
import type { ChunkShape } from '../chunks.ts';
import { FEATURE_VERSION, HASH_BITS } from '../features.ts';
import { ARTIFACT_FORMAT, HEADS, HEAD_INDEX, encodeWeights, quantize } from '../model.ts';
import type { ArtifactFile, Calibration, HeadName, LinearModel, UserHeadName } from '../model.ts';
import { DOCUMENT_ANCHORS, USER_ANCHORS, fitCurve } from './calibrate.ts';
import type { Anchor } from './calibrate.ts';
import { emptyMargins, leaveOneSourceOut, toModel } from './cv.ts';
import type { RowMargins } from './cv.ts';
import { buildExamples, isAttack, isTestOnly } from './examples.ts';
import type { ExampleSet, LabelledRow } from './examples.ts';
import { DEFAULT_SGD, trainAll } from './sgd.ts';
import type { HeadWeights, SgdOptions } from './sgd.ts';
import { DEFAULT_SYNTH, synthesize } from './synth.ts';
import type { SynthOptions } from './synth.ts';

export interface TrainConfig {
  chunk: ChunkShape;
  maxWindowsPerRow: number;
  /** Synthetic rows are scaffolding for families the development data lacks; real rows lead. */
  syntheticWeight: number;
  /** User heads taught the sentences of long benign texts as negatives (see BuildOptions). */
  sentenceNegatives: readonly UserHeadName[];
  /** User heads that also score long turns sentence by sentence (the artifact holds a sentence curve for each). */
  sentenceHeads: readonly UserHeadName[];
  sgd: SgdOptions;
  synth: SynthOptions;
}

export const TRAIN_CONFIG: TrainConfig = {
  chunk: { window: 512, stride: 256 },
  maxWindowsPerRow: 32,
  syntheticWeight: 0.25,
  // Measured held out (leave-one-source-out; short attacks behind ~1 KB of documentation; flag at 1
  // long benign text in 1,000): sentence mode on the harmful head finds 18–23% of 1,086 padded harmful
  // requests for 4 of ~3,300 long benign texts flagged; on the injection head 1–2 of 445 padded
  // injections for 5 security cheat sheets flagged (they quote attacks sentence for sentence); on the
  // jailbreak head 2–4 of 35 for 5 persona prompts. Sentence negatives raised held-out jailbreak recall
  // from 56.6% to 63.8%; on the harmful head they cost 4 points of unpadded recall, on the injection
  // head they made short benign follow-ups ("Actually, write it in Python instead.") look like
  // injections (look-alike flags 2 → 6 of 325). See models/classifier/DATA_CARD.md, Limits.
  sentenceNegatives: ['jailbreak'],
  sentenceHeads: ['harmful'],
  // The jailbreak head weighs every (source, label) group equally (alpha 1): its positives are one big
  // source and the family banks, and with alpha 0.5 the big source drowned the banks. It also stops
  // early (2 epochs instead of 8) and averages 4 such runs: held out, its recall at the flag threshold
  // rose from 37–43% to 56% with fewer persona prompts flagged, while a single 2-epoch run swung
  // between 52% and 65% with the seed (see models/classifier/DATA_CARD.md).
  sgd: { ...DEFAULT_SGD, epochs: 8, headEpochs: [8, 2, 8, 8], headRuns: [1, 4, 1, 1], headAlpha: [0.5, 1, 0.5, 0.5] },
  synth: DEFAULT_SYNTH,
};

export interface Prepared {
  /** Development rows first (indices 0 … devCount-1), then the synthetic rows. */
  rows: LabelledRow[];
  devCount: number;
  set: ExampleSet;
}

export function prepare(dev: readonly LabelledRow[], config: TrainConfig = TRAIN_CONFIG): Prepared {
  const rows = [...dev, ...synthesize(dev, config.synth)];
  return { rows, devCount: dev.length, set: buildExamples(rows, { chunk: config.chunk, maxWindowsPerRow: config.maxWindowsPerRow, syntheticWeight: config.syntheticWeight, sentenceNegatives: config.sentenceNegatives.map((h) => HEAD_INDEX[h]) }) };
}

/**
 * Rows whose margins calibrate the scores: every non-attack development row (benign, secrets, PII)
 * for the user-turn heads; benign documents for the document head, which only ever sees untrusted
 * content.
 */
export function isCalibrationNegative(row: LabelledRow, head: HeadName): boolean {
  if (row.meta.synthetic === true || isTestOnly(row) || isAttack(row.label) || row.label === 'injection_payload') return false;
  return head !== 'indirect' || row.meta.text_type === 'document';
}

/**
 * Calibration curves from out-of-fold margins. `except` leaves rows out (a held-out source, a test
 * fold), so the evaluation can score rows with thresholds that never saw them. `anchors` defaults to
 * the committed ones (scripts/classifier-operating-points.ts passes others to compare operating points).
 */
export function fitCalibration(
  rows: readonly LabelledRow[],
  oof: RowMargins,
  count: number,
  except?: (row: number) => boolean,
  anchors: { user: readonly Anchor[]; document: readonly Anchor[] } = { user: USER_ANCHORS, document: DOCUMENT_ANCHORS },
  sentenceHeads: readonly UserHeadName[] = TRAIN_CONFIG.sentenceHeads,
): Calibration {
  const neg: Record<HeadName, number[]> = { injection: [], jailbreak: [], harmful: [], indirect: [] };
  const seg: Record<UserHeadName, number[]> = { injection: [], jailbreak: [], harmful: [] };
  for (let r = 0; r < count; r++) {
    const row = rows[r] as LabelledRow;
    if (except?.(r)) continue;
    for (const h of HEADS) if (isCalibrationNegative(row, h)) neg[h].push(oof[h][r] as number);
    for (const h of sentenceHeads) {
      const m = oof.segment[h][r] as number;
      if (m > -Infinity && isCalibrationNegative(row, h)) seg[h].push(m);
    }
  }
  return {
    injection: fitCurve(neg.injection, anchors.user),
    jailbreak: fitCurve(neg.jailbreak, anchors.user),
    harmful: fitCurve(neg.harmful, anchors.user),
    indirect: fitCurve(neg.indirect, anchors.document),
    segment: Object.fromEntries(sentenceHeads.map((h) => [h, fitCurve(seg[h], anchors.user)])),
  };
}

export interface CrossValidation {
  oof: RowMargins;
  folds: { folder: string; model: LinearModel }[];
}

export function crossValidate(p: Prepared, config: TrainConfig = TRAIN_CONFIG, progress?: (folder: string) => void): CrossValidation {
  const folds: CrossValidation['folds'] = [];
  const oof = p.rows.length > 0 ? leaveOneSourceOut(p.rows, p.set, config.sgd, config.chunk, (f) => {
    folds.push(f);
    progress?.(f.folder);
  }) : emptyMargins(0);
  return { oof, folds };
}

/**
 * Within-source cross-validation: development rows split into `k` folds by position; each fold is
 * scored by heads trained on the other folds. Synthetic rows built on a held-out row are left out of
 * that fold's training. Near-duplicate rows of one source can land in different folds, so this
 * estimates performance on new text from known sources, optimistically.
 */
export function kFold(p: Prepared, k: number, config: TrainConfig = TRAIN_CONFIG): { fold: Int32Array; models: LinearModel[] } {
  const fold = kFoldAssignment(p, k);
  const models: LinearModel[] = [];
  for (let f = 0; f < k; f++) models.push(toModel(trainAll(p.set, kFoldTraining(p, fold, f), config.sgd), config.chunk));
  return { fold, models };
}

/** Fold of each development row (by position); -1 for synthetic rows, which are never tested. */
export function kFoldAssignment(p: Prepared, k: number): Int32Array {
  const fold = new Int32Array(p.rows.length).fill(-1);
  for (let r = 0; r < p.devCount; r++) fold[r] = r % k;
  return fold;
}

/** Rows fold `f` trains on: everything outside it, minus synthetic rows built on a row inside it. */
export function kFoldTraining(p: Prepared, fold: Int32Array, f: number): Uint8Array {
  const heldIds = new Set<unknown>();
  for (let r = 0; r < p.devCount; r++) if (fold[r] === f) heldIds.add((p.rows[r] as LabelledRow).meta.id);
  const include = new Uint8Array(p.rows.length);
  for (let r = 0; r < p.rows.length; r++) {
    const row = p.rows[r] as LabelledRow;
    include[r] = fold[r] === f || (row.meta.carrier !== undefined && heldIds.has(row.meta.carrier)) ? 0 : 1;
  }
  return include;
}

export function trainFinal(p: Prepared, config: TrainConfig = TRAIN_CONFIG): HeadWeights[] {
  return trainAll(p.set, null, config.sgd);
}

/** The artifact file for trained heads; its version is derived from its content, so it is reproducible. */
export function buildArtifact(heads: readonly HeadWeights[], calibration: Calibration, config: TrainConfig, meta: Record<string, unknown>): ArtifactFile {
  const q = quantize(heads.map((h) => h.w));
  const weights = encodeWeights(q.bytes);
  const bias = heads.map((h) => Math.round(h.b * 1e6) / 1e6);
  const digest = createHash('sha256').update(weights).update(JSON.stringify({ bias, calibration })).digest('hex').slice(0, 10);
  return {
    format: ARTIFACT_FORMAT,
    version: `clf-${digest}`,
    featureVersion: FEATURE_VERSION,
    hashBits: HASH_BITS,
    heads: [...HEADS],
    chunk: config.chunk,
    bias,
    scale: q.scale,
    weights,
    calibration,
    meta,
  };
}

export { toModel };
