// Calibration: a head's raw margin → the 0..1 score the policy thresholds read.
//
// The score is anchored on false-positive rates, not on a probability: the development data's class
// balance says nothing about real traffic, while "how often does benign text reach this score" is what
// an operator sets a threshold by. Each anchor says: at this score, this share of benign text (as the
// model scores text from a source it was not trained on, i.e. leave-one-source-out margins) reaches it.
// The default policy FLAGS where one held-out benign margin in 1,000 reaches (per head), and BLOCKS a
// logit and a quarter above the highest benign margin: a flag (which lets the request through and
// records it) spends part of the false-positive budget, a block spends none of it. Held out over the
// development data (scripts/classifier-operating-points.ts) this flags 0.04% of ordinary benign
// prompts, 0.8% of hard negatives and 0.4% of benign documents as injection/jailbreak, 0.4% of ordinary
// prompts as harmful, and blocks none of them. The earlier default (flag half a logit above the
// highest benign margin) found 38% of held-out jailbreaks and 13% of harmful requests instead of
// 57% and 34%; flagging at 1 in 400 (0.25%) adds 5–10 more points but takes the flags on ordinary
// prompts (injection, jailbreak and harmful together) to about 1%, the whole budget. Lower thresholds trade
// precision for recall along the lower anchors (1 in 200 benign texts at 0.3 for user turns and 0.25
// for documents, 1 in 50 at 0.1).
import type { CalibrationCurve } from '../model.ts';

export interface Anchor {
  score: number;
  /** Share of benign margins allowed at or above this score; 0 = above all of them. */
  fpr: number;
  /** Extra margin (logits) added on top of the quantile. */
  margin?: number;
}

/** User turns: the input policy flags at 0.5 and blocks at 0.9 by default. */
export const USER_ANCHORS: readonly Anchor[] = [
  { score: 0.1, fpr: 0.02 },
  { score: 0.3, fpr: 0.005 },
  { score: 0.5, fpr: 0.001 },
  { score: 0.9, fpr: 0, margin: 1.25 },
];

/** Untrusted documents: the untrusted policy flags injection at 0.4 and blocks at 0.8 by default. */
export const DOCUMENT_ANCHORS: readonly Anchor[] = [
  { score: 0.1, fpr: 0.02 },
  { score: 0.25, fpr: 0.005 },
  { score: 0.4, fpr: 0.001 },
  { score: 0.8, fpr: 0, margin: 1.25 },
];

/** Score at the far end of the curve: margins this far past the last anchor. */
const TOP = { score: 0.99, beyond: 3 };

/**
 * Fits knots through the anchors on `negatives` (benign margins). The lowest knot (score 0) sits at the
 * median benign margin; margins are made strictly increasing.
 */
export function fitCurve(negatives: ArrayLike<number>, anchors: readonly Anchor[]): CalibrationCurve {
  const sorted = Float64Array.from(negatives).sort();
  const n = sorted.length;
  // The margin that at most floor(rate × n) negatives reach: halfway between the last one allowed
  // over it and the first one kept under it.
  const over = (rate: number): number => {
    if (n === 0) return 0;
    const k = Math.min(n - 1, Math.floor(rate * n));
    const below = sorted[n - k - 1] as number;
    return k === 0 ? below : (below + (sorted[n - k] as number)) / 2;
  };
  const knots: [number, number][] = [[over(0.5), 0]];
  for (const a of anchors) {
    let m = over(a.fpr) + (a.margin ?? 0);
    const prev = knots[knots.length - 1] as [number, number];
    if (m <= prev[0]) m = prev[0] + 0.05;
    knots.push([m, a.score]);
  }
  const last = knots[knots.length - 1] as [number, number];
  knots.push([last[0] + TOP.beyond, TOP.score]);
  return knots.map(([m, s]) => [round(m), s] as const);
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
