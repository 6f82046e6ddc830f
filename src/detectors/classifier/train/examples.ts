// Labelled rows → training examples for each head, stored compactly (one shared index buffer, CSR
// style) so a few hundred thousand examples cost a few hundred megabytes at most and no objects per
// example. Used only by the trainer and the evaluation, never at run time.
import { chunkCount, chunkEnd, chunkStart } from '../chunks.ts';
import type { ChunkShape } from '../chunks.ts';
import { FeatureScratch } from '../features.ts';
import { HEADS } from '../model.ts';
import { SentencePieces } from '../sentences.ts';

export interface LabelledRow {
  text: string;
  label: string;
  /** The data folder (one per upstream source): the unit of leave-one-source-out. */
  folder: string;
  meta: Record<string, unknown>;
}

/** 1 positive, 0 negative, -1 not used by that head. */
export type Target = 1 | 0 | -1;

export class ExampleSet {
  /** Start of example i's indices in `indices`; offsets[n] is the end. */
  offsets: Int32Array = new Int32Array(1024);
  indices: Int32Array = new Int32Array(1 << 20);
  /** The row each example came from. */
  rows: Int32Array = new Int32Array(1024);
  /** Target per head, example after example (HEADS.length per example). */
  targets: Int8Array = new Int8Array(1024 * HEADS.length);
  /** Multiplies the class/source weight (e.g. to spread one row's weight over its windows). */
  boost: Float32Array = new Float32Array(1024);
  /** Weighting group per example (folder + label), for source balancing. */
  groups: string[] = [];
  size = 0;
  nnz = 0;

  add(indices: Int32Array, count: number, row: number, targets: readonly Target[], group: string, boost = 1): void {
    if (this.size + 2 > this.offsets.length) {
      this.offsets = grow(this.offsets, this.offsets.length * 2);
      this.rows = grow(this.rows, this.offsets.length);
      this.boost = growF(this.boost, this.offsets.length);
      const t = new Int8Array(this.offsets.length * HEADS.length);
      t.set(this.targets);
      this.targets = t;
    }
    if (this.nnz + count > this.indices.length) this.indices = grow(this.indices, Math.max(this.indices.length * 2, this.nnz + count));
    this.indices.set(indices.subarray(0, count), this.nnz);
    this.nnz += count;
    this.rows[this.size] = row;
    this.boost[this.size] = boost;
    for (let h = 0; h < HEADS.length; h++) this.targets[this.size * HEADS.length + h] = targets[h] ?? -1;
    this.groups.push(group);
    this.size++;
    this.offsets[this.size] = this.nnz;
  }

  target(i: number, head: number): Target {
    return this.targets[i * HEADS.length + head] as Target;
  }
}

function grow(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
function growF(a: Float32Array, n: number): Float32Array {
  const b = new Float32Array(n);
  b.set(a);
  return b;
}

/**
 * Rows the trainer must not learn from, only be tested on: Self-Instruct's user-oriented
 * instructions, whose authors ask that they not be trained on (see ../shared/data/SOURCES.md).
 */
export function isTestOnly(row: LabelledRow): boolean {
  return row.meta.subset === 'user_oriented';
}

const ATTACK_LABELS = new Set(['injection', 'jailbreak', 'indirect_injection', 'harmful_request']);

/**
 * Whole-text targets for the user-turn heads. Each head learns its attack against everything that is
 * not an attack of a related kind: jailbreak templates often contain injection phrasing and a harmful
 * request, so those overlaps are left out rather than taught as negatives.
 */
export function userTargets(label: string, meta: Record<string, unknown> = {}): Target[] {
  const t: Target[] = [0, 0, 0, -1];
  switch (label) {
    case 'injection':
      t[0] = 1;
      t[1] = -1;
      break;
    case 'jailbreak':
      t[0] = -1;
      t[1] = 1;
      t[2] = -1;
      break;
    case 'harmful_request':
      // Requests that a content policy restricts but that are not harmful in themselves (advice on
      // law, money and health, song lyrics, companionship) look like everyday questions; teaching
      // them as harmful would make every advice question suspicious. They are left out, not negated.
      t[2] = isPolicyRestrictedOnly(meta) ? -1 : 1;
      break;
    case 'indirect_injection':
      // A short request wrapping a poisoned snippet is an injection in the user turn too; a long
      // document with a planted line is the document head's job.
      t[0] = typeof meta.attack_text === 'string' ? -1 : 1;
      t[1] = -1;
      break;
    default:
      break;
  }
  return t;
}

const POLICY_ONLY_AREAS = new Set(['human_chatbox', 'misinformation_harms']);
const POLICY_ONLY_POLICIES = new Set(['Legal Opinion', 'Financial Advice', 'Health Consultation', 'Gov Decision', 'Political Lobbying']);

/** Harmful-request rows that are restricted topics rather than requests for harm (see userTargets). */
export function isPolicyRestrictedOnly(meta: Record<string, unknown>): boolean {
  return (
    (typeof meta.risk_area === 'string' && POLICY_ONLY_AREAS.has(meta.risk_area)) ||
    (typeof meta.content_policy === 'string' && POLICY_ONLY_POLICIES.has(meta.content_policy)) ||
    meta.functional_category === 'copyright'
  );
}

export function isAttack(label: string): boolean {
  return ATTACK_LABELS.has(label);
}

export interface BuildOptions {
  chunk: ChunkShape;
  /** At most this many windows of one row go into the document head's training set. */
  maxWindowsPerRow: number;
  /** Weight multiplier of synthetic rows (meta.synthetic), relative to development rows. */
  syntheticWeight?: number;
  /**
   * User heads (indices into HEADS) also taught the sentences of long benign texts as negatives, one
   * row's weight spread over its sentences.
   */
  sentenceNegatives?: readonly number[];
}

/**
 * Builds the examples: one whole-text example per row for the user-turn heads, and windows for the
 * document head. Document-head labels are per window: in a poisoned document (meta.attack_text known)
 * the windows holding the whole planted instruction are positive, windows that do not touch it are
 * ordinary negative text, partial overlaps are left out.
 */
export function buildExamples(rows: readonly LabelledRow[], opts: BuildOptions): ExampleSet {
  const set = new ExampleSet();
  const scratch = new FeatureScratch();
  const sentences = new SentencePieces();
  const sentenceTargets: Target[] | null = opts.sentenceNegatives?.length ? HEADS.map((_, h) => (opts.sentenceNegatives?.includes(h) ? 0 : -1)) : null;
  const DOC = HEADS.length - 1;
  const take = (row: number, start: number, end: number, targets: Target[], group: string, boost = 1): void => {
    scratch.reset();
    const n = scratch.extract(rows[row]!.text, start, end);
    set.add(scratch.touched, n, row, targets, group, boost);
  };
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as LabelledRow;
    if (isTestOnly(row)) continue;
    const family = typeof row.meta.family === 'string' ? `/${row.meta.family}` : '';
    const group = `${row.folder}/${row.label}${row.meta.synthetic === true ? '/synthetic' : ''}${family}`;
    const rowWeight = row.meta.synthetic === true ? (opts.syntheticWeight ?? 1) : 1;
    take(r, 0, row.text.length, userTargets(row.label, row.meta), group, rowWeight);
    if (sentenceTargets !== null && row.label === 'benign' && row.meta.synthetic !== true) {
      const n = sentences.split(row.text);
      for (let k = 0; k < n; k++) take(r, sentences.pieces[2 * k] as number, sentences.pieces[2 * k + 1] as number, sentenceTargets, `${group}/sentence`, rowWeight / n);
    }

    if (row.label === 'jailbreak') continue;
    const len = row.text.length;
    const count = chunkCount(len, opts.chunk);
    const stride = Math.max(1, Math.ceil(count / opts.maxWindowsPerRow));
    const attack = typeof row.meta.attack_text === 'string' ? row.meta.attack_text : undefined;
    const at = attack !== undefined ? row.text.indexOf(attack) : -1;
    const windows = Math.ceil(count / stride);
    for (let k = 0; k < count; k += stride) {
      const start = chunkStart(k, len, opts.chunk);
      const end = chunkEnd(k, len, opts.chunk);
      const t: Target[] = [-1, -1, -1, 0];
      let boost = rowWeight;
      if (row.label === 'indirect_injection') {
        if (at >= 0 && attack !== undefined) {
          const aEnd = at + attack.length;
          if (start <= at && end >= aEnd) t[DOC] = 1;
          else if (end <= at || start >= aEnd) t[DOC] = 0;
          else t[DOC] = -1;
        } else {
          // Where the instruction sits is unknown: the row's weight is spread over its windows.
          t[DOC] = 1;
          boost = rowWeight / windows;
        }
      } else if (row.label === 'injection_payload' || row.label === 'injection') {
        t[DOC] = 1;
        boost = rowWeight / windows;
      }
      if (t[DOC] === -1) continue;
      take(r, start, end, t, `${group}/window${t[DOC] === 1 ? '+' : ''}`, boost);
      if (t[DOC] === 1 && at >= start && attack !== undefined && at + attack.length <= end) {
        // The same window with the planted text cut out, as a negative: most of a positive window is
        // the carrier's own text, and without its counterpart the head learns the carrier instead of
        // the instruction (and then flags the clean copy of that document).
        scratch.reset();
        scratch.extract(row.text, start, at);
        const n = scratch.extract(row.text, at + attack.length, end);
        set.add(scratch.touched, n, r, [-1, -1, -1, 0], `${group}/window-cut`, boost);
      }
    }
  }
  return set;
}
