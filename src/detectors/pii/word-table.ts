// Looks up a span of the scanned text in a small word list without cutting it out and lower-casing
// it: the entity gate looks at every capitalised word of a text, and most of them are sentence
// openers from the few thousand everyday words. A string per word (and hashing it for a Map) was the
// gate's main cost; here the span's ASCII letters are hashed and compared in place.

const FREE = -1;

export class AsciiWordTable {
  /** Every key, one after another. */
  private readonly keys: string;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  private readonly values: Int32Array;
  /** Entry per slot (FREE where none); a power of two long, at most half full. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `words`: lower-case ASCII keys (others are left out: lookup never finds them). */
  constructor(words: ReadonlyMap<string, number>) {
    const kept = [...words].filter(([w]) => /^[a-z0-9'-]+$/.test(w));
    let size = 16;
    while (size < kept.length * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(FREE);
    this.starts = new Int32Array(kept.length);
    this.lengths = new Int32Array(kept.length);
    this.values = new Int32Array(kept.length);
    let at = 0;
    kept.forEach(([w, v], e) => {
      this.starts[e] = at;
      this.lengths[e] = w.length;
      this.values[e] = v;
      at += w.length;
      let s = hashSpan(w, 0, w.length) & this.mask;
      while (this.slots[s] !== FREE) s = (s + 1) & this.mask;
      this.slots[s] = e;
    });
    this.keys = kept.map(([w]) => w).join('');
  }

  /**
   * The value of text[start, end) with ASCII capitals folded, or -1 when the span is not a key (or
   * holds a character beyond ASCII, which the table cannot fold).
   */
  lookup(text: string, start: number, end: number): number {
    const h = hashSpan(text, start, end);
    if (h < 0) return -1;
    const len = end - start;
    const { keys, starts, lengths, slots, mask } = this;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = slots[s] as number;
      if (e === FREE) return -1;
      if (lengths[e] !== len) continue;
      const k = starts[e] as number;
      let j = 0;
      while (j < len && keys.charCodeAt(k + j) === foldAscii(text.charCodeAt(start + j))) j++;
      if (j === len) return this.values[e] as number;
    }
  }
}

function foldAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** FNV-1a of the span with ASCII capitals folded, as a non-negative 31-bit number; -1 beyond ASCII. */
function hashSpan(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128) return -1;
    h = Math.imul(h ^ foldAscii(c), 0x01000193);
  }
  return h >>> 1;
}
