// Leave-one-source-out cross-validation: for every data folder, train on all the others and score the
// held-out folder's rows with the exact run-time scorer (quantised weights, same windows). The
// out-of-fold margins are what the evaluation reports and what the calibration is fitted on, so no
// reported number comes from a model that saw the row.
import type { ChunkShape } from '../chunks.ts';
import { HEADS, quantize } from '../model.ts';
import type { Calibration, CalibrationCurve, LinearModel } from '../model.ts';
import { Scorer, newSegmentMargins } from '../score.ts';
import type { ExampleSet, LabelledRow } from './examples.ts';
import { trainAll } from './sgd.ts';
import type { HeadWeights, SgdOptions } from './sgd.ts';

/**
 * Raw margins per row: the three whole-text heads, the best window of the document head, and the best
 * sentence per user head (-Infinity for a row too short or a single sentence).
 */
export interface RowMargins {
  injection: Float64Array;
  jailbreak: Float64Array;
  harmful: Float64Array;
  indirect: Float64Array;
  segment: { injection: Float64Array; jailbreak: Float64Array; harmful: Float64Array };
}

const IDENTITY: CalibrationCurve = [
  [-1e9, 0],
  [1e9, 1],
];

/** A run-time model from freshly trained float heads (quantised exactly as the artifact is). */
export function toModel(heads: readonly HeadWeights[], chunk: ChunkShape, calibration?: Calibration, version = 'fold'): LinearModel {
  const q = quantize(heads.map((h) => h.w));
  return {
    version,
    chunk,
    weights: q.bytes,
    scale: Float64Array.from(q.scale),
    bias: Float64Array.from(heads.map((h) => h.b)),
    calibration: calibration ?? {
      injection: IDENTITY,
      jailbreak: IDENTITY,
      harmful: IDENTITY,
      indirect: IDENTITY,
      segment: {},
    },
  };
}

export function emptyMargins(n: number): RowMargins {
  return {
    injection: new Float64Array(n),
    jailbreak: new Float64Array(n),
    harmful: new Float64Array(n),
    indirect: new Float64Array(n),
    segment: { injection: new Float64Array(n).fill(-Infinity), jailbreak: new Float64Array(n).fill(-Infinity), harmful: new Float64Array(n).fill(-Infinity) },
  };
}

/** Scores rows (those with `pick[r]` set, or all) into `out`. */
export function scoreRows(model: LinearModel, rows: readonly LabelledRow[], out: RowMargins, pick?: Uint8Array): void {
  const scorer = new Scorer(model);
  const m = new Float64Array(3);
  const seg = newSegmentMargins();
  for (let r = 0; r < rows.length; r++) {
    if (pick && pick[r] === 0) continue;
    const text = (rows[r] as LabelledRow).text;
    scorer.userMargins(text, m);
    out.injection[r] = m[0] as number;
    out.jailbreak[r] = m[1] as number;
    out.harmful[r] = m[2] as number;
    out.indirect[r] = scorer.documentMargin(text).margin;
    scorer.segmentMargins(text, seg);
    out.segment.injection[r] = seg.margin[0] as number;
    out.segment.jailbreak[r] = seg.margin[1] as number;
    out.segment.harmful[r] = seg.margin[2] as number;
  }
}

export interface FoldModel {
  folder: string;
  model: LinearModel;
}

/**
 * Out-of-fold margins for every row. `onFold` sees each fold's model (the evaluation combines it with
 * the signature detectors on the held-out rows).
 */
export function leaveOneSourceOut(
  rows: readonly LabelledRow[],
  set: ExampleSet,
  opts: SgdOptions,
  chunk: ChunkShape,
  onFold?: (fold: FoldModel, heldOut: Uint8Array) => void,
): RowMargins {
  const folders = [...new Set(rows.filter((r) => r.meta.synthetic !== true).map((r) => r.folder))].sort();
  const out = emptyMargins(rows.length);
  for (const folder of folders) {
    const include = new Uint8Array(rows.length);
    const held = new Uint8Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as LabelledRow;
      // Synthetic rows built on this folder's carriers leave with it; they are never scored.
      if (row.folder !== folder) include[r] = 1;
      else if (row.meta.synthetic !== true) held[r] = 1;
    }
    const model = toModel(trainAll(set, include, opts), chunk);
    scoreRows(model, rows, out, held);
    onFold?.({ folder, model }, held);
  }
  return out;
}

export const HEAD_NAMES = HEADS;
