// Hashed n-gram features, shared by inference and by the trainer so both see exactly the same vector.
//
// A text (or a range of it) becomes a set of bucket indices: character 3–5-grams and word 1–2-grams of
// a folded rendering (lower case, digits → 0, fullwidth → ASCII, whitespace runs → one space), plus
// two structural families: the first word of every sentence or line (imperatives open sentences:
// "ignore …", "print …", "you are …") and a line-opening word followed by a colon (role markers such as
// "system:", "assistant:", "note:"). All are hashed into 2^HASH_BITS buckets. The vector is binary and L2-normalised, so a score is
// bias + Σ w[bucket] / √(distinct buckets). Character n-grams survive paraphrase, misspelling and
// split words; word n-grams carry phrasing. Nothing is allocated per n-gram: hashes are rolled over the
// string and buckets are marked in a preallocated scratch.

export const HASH_BITS = 18;
export const DIM = 1 << HASH_BITS;
const MASK = DIM - 1;

// Seeds keep the n-gram families apart in the shared bucket space. Changing any of these (or the
// folding below) changes every bucket: the artifact records FEATURE_VERSION and refuses a mismatch.
const SEED_C3 = 0x9e3779b1 | 0;
const SEED_C4 = 0x85ebca77 | 0;
const SEED_C5 = 0xc2b2ae3d | 0;
const SEED_W1 = 0x27d4eb2f | 0;
const SEED_W2 = 0x165667b1 | 0;
const SEED_LEAD = 0x61c88647 | 0;
const SEED_ROLE = 0x7f4a7c15 | 0;
const FNV_PRIME = 0x01000193;

export const FEATURE_VERSION = 'hash18-c345-w12-lead-role-v1';

/** Value of each set bucket in the L2-normalised binary vector of a text with `n` buckets set. */
export function featureNorm(n: number): number {
  return n > 0 ? 1 / Math.sqrt(n) : 0;
}

/** Final avalanche (murmur3 fmix32), so nearby inputs land in unrelated buckets. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

const SPACE = 0x20;
const APOSTROPHE = 0x27;

// Folding and word-character tables for the whole BMP, built once. A table lookup per code unit is
// what keeps the hot loop free of string operations.
const FOLD = new Uint16Array(0x10000);
const WORD = new Uint8Array(0x10000);
(function buildTables(): void {
  for (let c = 0; c < 0x10000; c++) {
    let f = c;
    if (c >= 0x41 && c <= 0x5a) f = c + 32;
    else if (c >= 0x30 && c <= 0x39) f = 0x30;
    else if (c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d || c === 0xa0 || c === 0x85) f = SPACE;
    else if ((c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000) f = SPACE;
    else if (c === 0x2018 || c === 0x2019 || c === 0x201b || c === 0x2032) f = APOSTROPHE;
    else if (c === 0x201c || c === 0x201d || c === 0x201f || c === 0x2033) f = 0x22;
    else if (c >= 0xff01 && c <= 0xff5e) {
      // Fullwidth forms: fold to ASCII, then lower-case / digit-fold like ASCII.
      f = c - 0xfee0;
      if (f >= 0x41 && f <= 0x5a) f += 32;
      else if (f >= 0x30 && f <= 0x39) f = 0x30;
    } else if (c >= 0xc0 && !(c >= 0xd800 && c <= 0xdfff)) {
      const s = String.fromCharCode(c);
      const lower = s.toLowerCase();
      if (lower.length === 1) f = lower.charCodeAt(0);
    }
    FOLD[c] = f;
  }
  for (let c = 0; c < 0x10000; c++) {
    const f = FOLD[c] ?? c;
    let w = 0;
    if ((f >= 0x61 && f <= 0x7a) || f === 0x30 || f === APOSTROPHE) w = 1;
    else if (c >= 0xc0 && !(c >= 0xd800 && c <= 0xdfff) && c !== 0xd7 && c !== 0xf7) {
      // Letters of any script: a character with case, or one in the big letter blocks (CJK, kana,
      // Hangul, Arabic, Hebrew, Indic, Thai) that have none.
      const s = String.fromCharCode(c);
      if (s.toLowerCase() !== s.toUpperCase()) w = 1;
      else if ((c >= 0x0590 && c <= 0x08ff) || (c >= 0x0900 && c <= 0x0dff) || (c >= 0x0e00 && c <= 0x0eff)) w = 1;
      else if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af)) w = 1;
    }
    WORD[c] = w;
  }
})();

/** Slots of the small set: 16 KB, which stays in the L1/L2 cache next to the rest of a request. */
const SMALL_BITS = 12;
const SMALL_SIZE = 1 << SMALL_BITS;
const SMALL_MASK = SMALL_SIZE - 1;
/** Past this many distinct buckets the set moves to the full-size table (keeps probes short). */
const SMALL_LIMIT = SMALL_SIZE >> 1;
/**
 * By default ranges longer than this start in the full-size table: a character sets at most about
 * four buckets (three character n-grams and a share of the word features), so they would overflow
 * the small set anyway. A 512-character document window stays below it.
 */
export const SMALL_MAX_CHARS = 600;
const EMPTY = -1;

/**
 * Reusable working memory for one extraction at a time. `touched` lists the distinct buckets the
 * current text has set, in first-seen order. Which buckets are set is kept in a small open-addressing
 * set while the text is short (a prompt, a document window) and in a table of all 2^HASH_BITS buckets
 * beyond that: in the gateway the classifier runs between HTTP parsing, other detectors and the audit
 * log, which push its tables out of the CPU caches, and a check per n-gram against the 256 KB table
 * then costs a cache miss apiece (the profile of the gateway under load, `bench/profile.ts`, showed
 * the classifier's share of a small request falling by about a quarter with this set and the
 * interleaved weights of score.ts).
 */
export class FeatureScratch {
  readonly touched = new Int32Array(DIM);
  count = 0;
  private readonly slots = new Int32Array(SMALL_SIZE).fill(EMPTY);
  /** One byte per bucket, allocated by the first text that needs it. */
  private marks: Uint8Array | undefined;
  private large = false;
  /**
   * Ranges longer than this start in the full-size table. A caller scoring many ranges in a row (the
   * windows of a long document) sets it to 0: the table is warm after the first few, and then the
   * plain table is cheaper than probing.
   */
  smallMaxChars = SMALL_MAX_CHARS;

  /** Whether the current text's buckets are in the full-size table (else in the small set). */
  get inTable(): boolean {
    return this.large;
  }

  reset(): void {
    if (this.large) {
      const m = this.marks as Uint8Array;
      const t = this.touched;
      for (let i = 0; i < this.count; i++) m[t[i] as number] = 0;
      this.large = false;
    } else this.clearSlots();
    this.count = 0;
  }

  /** Empties the small set: in reverse insertion order every entry's probe run is intact when it is cleared. */
  private clearSlots(): void {
    const slots = this.slots;
    const t = this.touched;
    for (let i = this.count - 1; i >= 0; i--) {
      const b = t[i] as number;
      let j = b & SMALL_MASK;
      while (slots[j] !== b) j = (j + 1) & SMALL_MASK;
      slots[j] = EMPTY;
    }
  }

  private add(h: number): void {
    const b = fmix(h) & MASK;
    if (this.large) {
      const m = this.marks as Uint8Array;
      if (m[b] === 0) {
        m[b] = 1;
        this.touched[this.count++] = b;
      }
      return;
    }
    // Buckets are already avalanche-mixed, so their low bits spread evenly over the slots.
    const slots = this.slots;
    let j = b & SMALL_MASK;
    for (;;) {
      const e = slots[j] as number;
      if (e === b) return;
      if (e === EMPTY) break;
      j = (j + 1) & SMALL_MASK;
    }
    slots[j] = b;
    this.touched[this.count++] = b;
    if (this.count > SMALL_LIMIT) this.grow();
  }

  /** Moves the set into the full-size table. */
  private grow(): void {
    const m = (this.marks ??= new Uint8Array(DIM));
    const t = this.touched;
    for (let i = 0; i < this.count; i++) m[t[i] as number] = 1;
    this.clearSlots();
    this.large = true;
  }

  /**
   * Marks the buckets of text[start, end). Call reset() first unless several ranges should pool into
   * one vector. Returns the number of distinct buckets now set.
   */
  extract(text: string, start = 0, end = text.length): number {
    // The last five folded code units, c1 newest (0 = none yet). A virtual leading space gives the
    // first word its boundary n-grams.
    let c1 = SPACE;
    let c2 = 0;
    let c3 = 0;
    let c4 = 0;
    let c5: number;
    let seen = 1;
    let wordHash = SEED_W1;
    let wordLen = 0;
    let prevWord = 0;
    let havePrev = false;
    let sentenceStart = true;
    let lineStart = true;
    let wordLeads = false;
    let wordOpensLine = false;
    if (!this.large && this.count + 4 * (end - start) > 4 * this.smallMaxChars) this.grow();
    for (let i = start; i <= end; i++) {
      // One virtual trailing space closes the last word and its boundary n-grams.
      const raw = i < end ? text.charCodeAt(i) : SPACE;
      const f = FOLD[raw] as number;
      if (raw === 0x0a) {
        lineStart = true;
        sentenceStart = true;
      }
      if (f === SPACE && c1 === SPACE) continue;
      c5 = c4;
      c4 = c3;
      c3 = c2;
      c2 = c1;
      c1 = f;
      seen++;
      if (seen >= 3) {
        let h = Math.imul(SEED_C3 ^ c3, FNV_PRIME);
        h = Math.imul(h ^ c2, FNV_PRIME);
        this.add(Math.imul(h ^ c1, FNV_PRIME));
        if (seen >= 4) {
          let g = Math.imul(SEED_C4 ^ c4, FNV_PRIME);
          g = Math.imul(g ^ c3, FNV_PRIME);
          g = Math.imul(g ^ c2, FNV_PRIME);
          this.add(Math.imul(g ^ c1, FNV_PRIME));
          if (seen >= 5) {
            let k = Math.imul(SEED_C5 ^ c5, FNV_PRIME);
            k = Math.imul(k ^ c4, FNV_PRIME);
            k = Math.imul(k ^ c3, FNV_PRIME);
            k = Math.imul(k ^ c2, FNV_PRIME);
            this.add(Math.imul(k ^ c1, FNV_PRIME));
          }
        }
      }
      if (WORD[raw] === 1) {
        if (wordLen === 0) {
          wordLeads = sentenceStart;
          wordOpensLine = lineStart;
          sentenceStart = false;
          lineStart = false;
        }
        wordHash = Math.imul(wordHash ^ f, FNV_PRIME);
        wordLen++;
      } else {
        if (wordLen > 0) {
          this.add(wordHash);
          if (havePrev) this.add(Math.imul(Math.imul(SEED_W2 ^ prevWord, FNV_PRIME) ^ wordHash, FNV_PRIME));
          if (wordLeads) this.add(Math.imul(SEED_LEAD ^ wordHash, FNV_PRIME));
          if (wordOpensLine && raw === 0x3a) this.add(Math.imul(SEED_ROLE ^ wordHash, FNV_PRIME));
          prevWord = wordHash;
          havePrev = true;
          wordHash = SEED_W1;
          wordLen = 0;
        }
        // Sentence ends: . ! ? and their full-width / CJK forms.
        if (raw === 0x2e || raw === 0x21 || raw === 0x3f || raw === 0x3002 || raw === 0xff01 || raw === 0xff1f) sentenceStart = true;
      }
    }
    return this.count;
  }
}
