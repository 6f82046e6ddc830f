// L2-regularised logistic regression by stochastic gradient descent over the hashed binary features.
// The weight vector is kept as scale × v so the L2 shrink of every step costs O(1) instead of O(DIM)
// (Bottou, "Stochastic Gradient Descent Tricks", 2012). Deterministic: the only randomness is the
// example order, drawn from a seeded generator.
import { DIM, featureNorm } from '../features.ts';
import { HEADS } from '../model.ts';
import type { ExampleSet } from './examples.ts';

export interface SgdOptions {
  epochs: number;
  /** L2 strength per example. */
  lambda: number;
  eta0: number;
  seed: number;
  /**
   * Source balancing: an example of a (folder, label) group with n examples weighs n^-alpha before the
   * classes are balanced. 0 = every example equal; 1 = every group equal.
   */
  alpha: number;
  /** Per-head override of `alpha` (head order of HEADS). */
  headAlpha?: readonly number[];
  /** Per-head override of `epochs` (head order of HEADS). */
  headEpochs?: readonly number[];
  /**
   * Per head: train this many runs, each with its own example order, and average their weights (a
   * linear model again, so scoring costs the same). Default 1.
   */
  headRuns?: readonly number[];
}

export const DEFAULT_SGD: SgdOptions = { epochs: 12, lambda: 2e-5, eta0: 0.5, seed: 20250601, alpha: 0.5 };

/** mulberry32: a tiny seeded PRNG, enough for shuffling. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Per-example weights for one head: 0 for examples the head does not use or `include` leaves out;
 * otherwise source-balanced within each class, and the two classes carry equal total weight.
 */
export function exampleWeights(set: ExampleSet, head: number, include: Uint8Array | null, alpha: number): Float32Array {
  const w = new Float32Array(set.size);
  const groupCount = new Map<string, number>();
  for (let i = 0; i < set.size; i++) {
    if (set.target(i, head) === -1 || (include && include[set.rows[i] as number] === 0)) continue;
    const g = `${set.groups[i]}#${set.target(i, head)}`;
    groupCount.set(g, (groupCount.get(g) ?? 0) + (set.boost[i] as number));
  }
  let pos = 0;
  let neg = 0;
  let n = 0;
  for (let i = 0; i < set.size; i++) {
    if (set.target(i, head) === -1 || (include && include[set.rows[i] as number] === 0)) continue;
    const g = `${set.groups[i]}#${set.target(i, head)}`;
    const v = (set.boost[i] as number) * Math.pow(groupCount.get(g) ?? 1, -alpha);
    w[i] = v;
    if (set.target(i, head) === 1) pos += v;
    else neg += v;
    n++;
  }
  if (pos === 0 || neg === 0) return new Float32Array(set.size);
  for (let i = 0; i < set.size; i++) {
    if (w[i] === 0) continue;
    w[i] = (w[i] as number) * (set.target(i, head) === 1 ? n / 2 / pos : n / 2 / neg);
  }
  return w;
}

export interface HeadWeights {
  w: Float32Array;
  b: number;
}

export function trainHead(set: ExampleSet, head: number, weights: Float32Array, opts: SgdOptions): HeadWeights {
  const runs = opts.headRuns?.[head] ?? 1;
  if (runs <= 1) return trainRun(set, head, weights, opts, 0);
  const w = new Float32Array(DIM);
  let b = 0;
  for (let run = 0; run < runs; run++) {
    const one = trainRun(set, head, weights, opts, run);
    for (let j = 0; j < DIM; j++) w[j] = (w[j] as number) + (one.w[j] as number) / runs;
    b += one.b / runs;
  }
  return { w, b };
}

/** One SGD run; run 0 draws the example order exactly as a single run always has. */
function trainRun(set: ExampleSet, head: number, weights: Float32Array, opts: SgdOptions, run: number): HeadWeights {
  const epochs = opts.headEpochs?.[head] ?? opts.epochs;
  const v = new Float64Array(DIM);
  let scale = 1;
  let bias = 0;
  const order: number[] = [];
  for (let i = 0; i < set.size; i++) if ((weights[i] as number) > 0) order.push(i);
  if (order.length === 0) return { w: new Float32Array(DIM), b: -10 };
  const rand = prng(opts.seed + head * 7919 + run * 104729);
  const { lambda, eta0 } = opts;
  const idx = set.indices;
  const off = set.offsets;
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const tmp = order[i] as number;
      order[i] = order[j] as number;
      order[j] = tmp;
    }
    for (const e of order) {
      const eta = eta0 / (1 + lambda * eta0 * t);
      t++;
      const a = off[e] as number;
      const z = off[e + 1] as number;
      if (z === a) continue;
      const xv = featureNorm(z - a);
      let dot = 0;
      for (let k = a; k < z; k++) dot += v[idx[k] as number] as number;
      const margin = scale * dot * xv + bias;
      const y = set.target(e, head) === 1 ? 1 : -1;
      // d(loss)/d(margin) for log(1 + exp(-y·margin)), times the example weight.
      const g = (-y / (1 + Math.exp(y * margin))) * (weights[e] as number);
      scale *= 1 - eta * lambda;
      const step = (-eta * g * xv) / scale;
      for (let k = a; k < z; k++) {
        const j = idx[k] as number;
        v[j] = (v[j] as number) + step;
      }
      bias -= eta * g * 0.1;
      if (scale < 1e-6) {
        for (let j = 0; j < DIM; j++) v[j] = (v[j] as number) * scale;
        scale = 1;
      }
    }
  }
  const w = new Float32Array(DIM);
  for (let j = 0; j < DIM; j++) w[j] = (v[j] as number) * scale;
  return { w, b: bias };
}

export function trainAll(set: ExampleSet, include: Uint8Array | null, opts: SgdOptions): HeadWeights[] {
  const out: HeadWeights[] = [];
  for (let h = 0; h < HEADS.length; h++) out.push(trainHead(set, h, exampleWeights(set, h, include, opts.headAlpha?.[h] ?? opts.alpha), opts));
  return out;
}
