// The classifier artifact: four linear heads over the hashed features of features.ts, int8-quantised
// with one scale per head, plus the calibration that turns a head's margin into the score the policy
// thresholds read. Written by scripts/train-classifier.ts, committed under models/classifier/, loaded
// once at start-up; nothing is fetched at run time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChunkShape } from './chunks.ts';
import { DIM, FEATURE_VERSION, HASH_BITS } from './features.ts';

/** Whole-text heads for user turns, and the window head for untrusted documents. */
export const HEADS = ['injection', 'jailbreak', 'harmful', 'indirect'] as const;
export type HeadName = (typeof HEADS)[number];
export const HEAD_INDEX: Readonly<Record<HeadName, number>> = { injection: 0, jailbreak: 1, harmful: 2, indirect: 3 };
/** The heads that score user turns (whole, and sentence by sentence when long). */
export const USER_HEAD_NAMES = ['injection', 'jailbreak', 'harmful'] as const;
export type UserHeadName = (typeof USER_HEAD_NAMES)[number];

export const ARTIFACT_FORMAT = 'parapet-linear-classifier';

/** Margin → score knots, margins strictly increasing, scores non-decreasing in [0, 1]. */
export type CalibrationCurve = readonly (readonly [number, number])[];

/**
 * One curve per head for its usual input (a whole user turn; a document's best window), and one for
 * the best sentence of a long user turn per user head that scores sentences (`segment`; a head without
 * one scores whole turns only). A sentence is judged against the best sentences of long benign texts,
 * not against whole turns: the best of many short pieces runs higher than one whole text, and sharing
 * a curve would either raise every threshold or flag long benign turns.
 */
export type Calibration = Record<HeadName, CalibrationCurve> & { segment: Partial<Record<UserHeadName, CalibrationCurve>> };

export interface ArtifactFile {
  format: typeof ARTIFACT_FORMAT;
  /** Bumped by the trainer on every retrain (date-based). */
  version: string;
  featureVersion: string;
  hashBits: number;
  heads: readonly string[];
  chunk: ChunkShape;
  bias: number[];
  /** Dequantisation scale per head: weight = int8 × scale. */
  scale: number[];
  /** Base64 of the int8 weights, head after head, DIM each. */
  weights: string;
  calibration: Calibration;
  /** Anything the trainer wants to record (data summary, metrics); not read at run time. */
  meta?: Record<string, unknown>;
}

export interface LinearModel {
  version: string;
  chunk: ChunkShape;
  /** One int8 weight table per head, DIM long. */
  weights: Int8Array[];
  scale: Float64Array;
  bias: Float64Array;
  calibration: Calibration;
}

export const MODEL_PATH = path.resolve(import.meta.dirname, '../../../models/classifier/model.json');

export function decodeArtifact(file: ArtifactFile): LinearModel {
  if (file.format !== ARTIFACT_FORMAT) throw new Error(`classifier artifact: unknown format '${String(file.format)}'`);
  if (file.featureVersion !== FEATURE_VERSION || file.hashBits !== HASH_BITS) {
    throw new Error(`classifier artifact was trained on features '${file.featureVersion}', this code computes '${FEATURE_VERSION}': retrain it`);
  }
  if (file.heads.length !== HEADS.length || HEADS.some((h, i) => file.heads[i] !== h)) {
    throw new Error(`classifier artifact heads [${file.heads.join(', ')}] do not match [${HEADS.join(', ')}]`);
  }
  const raw = Buffer.from(file.weights, 'base64');
  if (raw.length !== DIM * HEADS.length) throw new Error(`classifier artifact: ${raw.length} weight bytes, expected ${DIM * HEADS.length}`);
  const weights: Int8Array[] = [];
  for (let h = 0; h < HEADS.length; h++) {
    // A copy, so each head is its own aligned allocation independent of the decode buffer.
    weights.push(new Int8Array(raw.buffer.slice(raw.byteOffset + h * DIM, raw.byteOffset + (h + 1) * DIM)));
  }
  for (const h of HEADS) checkCurve(h, file.calibration[h]);
  if (typeof file.calibration.segment !== 'object' || file.calibration.segment === null) throw new Error('classifier artifact: no sentence calibration (retrain it)');
  for (const [h, c] of Object.entries(file.calibration.segment)) {
    if (!(USER_HEAD_NAMES as readonly string[]).includes(h)) throw new Error(`classifier artifact: sentence calibration for unknown head '${h}'`);
    checkCurve(`${h} (sentences)`, c);
  }
  if (file.chunk.window < 16 || file.chunk.stride < 1 || file.chunk.stride > file.chunk.window) throw new Error('classifier artifact: bad chunk shape');
  return {
    version: file.version,
    chunk: { window: file.chunk.window, stride: file.chunk.stride },
    weights,
    scale: Float64Array.from(file.scale),
    bias: Float64Array.from(file.bias),
    calibration: file.calibration,
  };
}

function checkCurve(head: string, c: CalibrationCurve | undefined): void {
  if (!c || c.length < 2) throw new Error(`classifier artifact: head '${head}' has no calibration`);
  for (let i = 0; i < c.length; i++) {
    const knot = c[i];
    if (!knot || knot.length !== 2 || !Number.isFinite(knot[0]) || !(knot[1] >= 0 && knot[1] <= 1)) throw new Error(`classifier artifact: bad calibration knot for '${head}'`);
    const prev = c[i - 1];
    if (prev && (knot[0] <= prev[0] || knot[1] < prev[1])) throw new Error(`classifier artifact: calibration for '${head}' is not monotone`);
  }
}

/** Quantises float weights (head after head) to the artifact's int8 layout. */
export function quantize(weights: readonly Float32Array[]): { bytes: Int8Array[]; scale: number[] } {
  const bytes: Int8Array[] = [];
  const scale: number[] = [];
  for (const w of weights) {
    let max = 0;
    for (let i = 0; i < w.length; i++) {
      const a = Math.abs(w[i] as number);
      if (a > max) max = a;
    }
    const s = max > 0 ? max / 127 : 1;
    const q = new Int8Array(w.length);
    for (let i = 0; i < w.length; i++) q[i] = Math.round((w[i] as number) / s);
    bytes.push(q);
    scale.push(s);
  }
  return { bytes, scale };
}

export function encodeWeights(bytes: readonly Int8Array[]): string {
  const all = Buffer.alloc(bytes.reduce((a, b) => a + b.length, 0));
  let off = 0;
  for (const b of bytes) {
    all.set(new Uint8Array(b.buffer, b.byteOffset, b.length), off);
    off += b.length;
  }
  return all.toString('base64');
}

export function loadArtifact(file = MODEL_PATH): LinearModel {
  return decodeArtifact(JSON.parse(readFileSync(file, 'utf8')) as ArtifactFile);
}

/** Piecewise-linear interpolation through the knots, flat beyond the ends. */
export function calibrate(curve: CalibrationCurve, margin: number): number {
  const first = curve[0];
  const last = curve[curve.length - 1];
  if (!first || !last) return 0;
  if (!(margin > first[0])) return Number.isNaN(margin) ? 1 : first[1];
  if (margin >= last[0]) return last[1];
  for (let i = 1; i < curve.length; i++) {
    const b = curve[i] as readonly [number, number];
    if (margin <= b[0]) {
      const a = curve[i - 1] as readonly [number, number];
      return a[1] + ((margin - a[0]) / (b[0] - a[0])) * (b[1] - a[1]);
    }
  }
  return last[1];
}
