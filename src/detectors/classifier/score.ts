// Margins of the linear heads for a text. One Scorer owns one scratch and is not re-entrant; the
// detector keeps one per module (detectors run synchronously on one thread).
import { chunkCount, chunkEnd, chunkStart } from './chunks.ts';
import { DIM, FeatureScratch, SMALL_MAX_CHARS, featureNorm } from './features.ts';
import { HEAD_INDEX } from './model.ts';
import { SentencePieces, isSpace, sentenceEndsAt } from './sentences.ts';
import type { LinearModel } from './model.ts';

export interface WindowMargin {
  margin: number;
  start: number;
  end: number;
}

const I_INJ = HEAD_INDEX.injection;
const I_JB = HEAD_INDEX.jailbreak;
const I_HARM = HEAD_INDEX.harmful;
const I_DOC = HEAD_INDEX.indirect;
/** Slots per bucket in the interleaved user-head table (a power of two keeps rows aligned). */
const STRIDE = 4;
/** Past this many windows a document is scored with the scratch's full-size table (see FeatureScratch). */
const MANY_WINDOWS = 4;

/** Per user head, the best sentence of a long turn. */
export interface SegmentMargins {
  /** Margins by head index (injection, jailbreak, harmful); -Infinity when the text was not segmented. */
  margin: Float64Array;
  start: Int32Array;
  end: Int32Array;
}

export function newSegmentMargins(): SegmentMargins {
  return { margin: new Float64Array(3).fill(-Infinity), start: new Int32Array(3), end: new Int32Array(3) };
}

export class Scorer {
  readonly model: LinearModel;
  private readonly scratch = new FeatureScratch();
  private readonly sentences = new SentencePieces();
  private readonly segScratch = new Float64Array(3);
  /**
   * The user heads' weights interleaved, STRIDE per bucket, for short texts: a bucket's weights for
   * the three heads share one cache line, so an n-gram costs one miss rather than three (in the
   * gateway the tables are cold, between the request's other work). Long texts, which read the
   * tables warm, sum the per-head tables: measured faster there (bench/classifier.ts).
   */
  private readonly userW: Int8Array;
  private readonly wInj: Int8Array;
  private readonly wJb: Int8Array;
  private readonly wHarm: Int8Array;
  private readonly wDoc: Int8Array;

  constructor(model: LinearModel) {
    this.model = model;
    const w = (i: number): Int8Array => {
      const t = model.weights[i];
      if (!t) throw new Error(`classifier model lacks head ${i}`);
      return t;
    };
    this.wInj = w(I_INJ);
    this.wJb = w(I_JB);
    this.wHarm = w(I_HARM);
    this.wDoc = w(I_DOC);
    this.userW = new Int8Array(DIM * STRIDE);
    for (let i = 0; i < DIM; i++) {
      this.userW[i * STRIDE + I_INJ] = this.wInj[i] as number;
      this.userW[i * STRIDE + I_JB] = this.wJb[i] as number;
      this.userW[i * STRIDE + I_HARM] = this.wHarm[i] as number;
    }
  }

  /** Margins of the whole-text heads (injection, jailbreak, harmful) into `out`. */
  userMargins(text: string, out: Float64Array): void {
    this.userMarginsOf(text, 0, text.length, out);
  }

  private userMarginsOf(text: string, start: number, end: number, out: Float64Array): void {
    const s = this.scratch;
    s.reset();
    const n = s.extract(text, start, end);
    let a = 0;
    let b = 0;
    let c = 0;
    const t = s.touched;
    if (s.inTable) {
      for (let i = 0; i < n; i++) {
        const k = t[i] as number;
        a += this.wInj[k] as number;
        b += this.wJb[k] as number;
        c += this.wHarm[k] as number;
      }
    } else {
      const w = this.userW;
      for (let i = 0; i < n; i++) {
        const k = (t[i] as number) * STRIDE;
        a += w[k + I_INJ] as number;
        b += w[k + I_JB] as number;
        c += w[k + I_HARM] as number;
      }
    }
    s.reset();
    const m = this.model;
    const norm = featureNorm(n);
    out[I_INJ] = (m.bias[I_INJ] as number) + (m.scale[I_INJ] as number) * a * norm;
    out[I_JB] = (m.bias[I_JB] as number) + (m.scale[I_JB] as number) * b * norm;
    out[I_HARM] = (m.bias[I_HARM] as number) + (m.scale[I_HARM] as number) * c * norm;
  }

  /**
   * The best sentence (see sentences.ts) per user head, into `out`; false, with margins of -Infinity,
   * for a text too short to split or of one sentence.
   */
  segmentMargins(text: string, out: SegmentMargins): boolean {
    out.margin.fill(-Infinity);
    const n = this.sentences.split(text);
    if (n === 0) return false;
    const p = this.sentences.pieces;
    const m = this.segScratch;
    // As for a document's windows: past a few sentences the full-size table is warm and cheaper than
    // probing the small set (a 100 KB turn: 14 ms → 5 ms in bench/classifier.ts).
    if (n > MANY_WINDOWS) this.scratch.smallMaxChars = 0;
    try {
      for (let k = 0; k < n; k++) {
        const a = p[2 * k] as number;
        const b = p[2 * k + 1] as number;
        this.userMarginsOf(text, a, b, m);
        keepBest(out, m, a, b);
      }
    } finally {
      this.scratch.smallMaxChars = SMALL_MAX_CHARS;
    }
    return true;
  }

  /** Margin of the document head on text[start, end). */
  windowMargin(text: string, start: number, end: number): number {
    const s = this.scratch;
    s.reset();
    const n = s.extract(text, start, end);
    let a = 0;
    const t = s.touched;
    const w = this.wDoc;
    for (let i = 0; i < n; i++) a += w[t[i] as number] as number;
    s.reset();
    const m = this.model;
    return (m.bias[I_DOC] as number) + (m.scale[I_DOC] as number) * a * featureNorm(n);
  }

  /**
   * Narrows a flagged window to the sentences or lines that carry it: the best-scoring segment, grown
   * over neighbours that score as `keep` too. Falls back to the window when it has no inner boundary.
   * Only runs on windows already flagged, so its cost does not touch ordinary traffic.
   */
  localize(text: string, start: number, end: number, keep: (margin: number) => boolean): { start: number; end: number } {
    const segs: number[] = [];
    let s = start;
    for (let i = start; i < end; i++) {
      if (!sentenceEndsAt(text, i, end)) continue;
      if (i + 1 - s >= 2) segs.push(s, i + 1);
      s = i + 1;
    }
    if (segs.length === 0) return { start, end };
    if (end - s >= 2) segs.push(s, end);
    const n = segs.length / 2;
    const margins = new Float64Array(n);
    let best = 0;
    for (let k = 0; k < n; k++) {
      margins[k] = this.windowMargin(text, segs[2 * k] as number, segs[2 * k + 1] as number);
      if ((margins[k] as number) > (margins[best] as number)) best = k;
    }
    let lo = best;
    let hi = best;
    while (lo > 0 && keep(margins[lo - 1] as number)) lo--;
    while (hi < n - 1 && keep(margins[hi + 1] as number)) hi++;
    let a = segs[2 * lo] as number;
    let b = segs[2 * hi + 1] as number;
    while (a < b && isSpace(text.charCodeAt(a))) a++;
    while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
    return { start: a, end: b };
  }

  /** The highest-scoring window of a document under the document head. */
  documentMargin(text: string): WindowMargin {
    const shape = this.model.chunk;
    const len = text.length;
    const count = chunkCount(len, shape);
    let best: WindowMargin = { margin: -Infinity, start: 0, end: len };
    const s = this.scratch;
    if (count > MANY_WINDOWS) s.smallMaxChars = 0;
    try {
      for (let k = 0; k < count; k++) {
        const start = chunkStart(k, len, shape);
        const end = chunkEnd(k, len, shape);
        const m = this.windowMargin(text, start, end);
        if (m > best.margin) best = { margin: m, start, end };
      }
    } finally {
      s.smallMaxChars = SMALL_MAX_CHARS;
    }
    return best;
  }
}

function keepBest(out: SegmentMargins, m: Float64Array, start: number, end: number): void {
  for (let h = 0; h < 3; h++) {
    const x = m[h] as number;
    if (x > (out.margin[h] as number)) {
      out.margin[h] = x;
      out.start[h] = start;
      out.end[h] = end;
    }
  }
}
