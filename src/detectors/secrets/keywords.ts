/**
 * One pass over a text finds which of many literal keywords occur (ASCII, case-insensitive). An
 * Aho–Corasick automaton compiled to a dense DFA over a small alphabet: one table lookup per
 * character, no allocation per call, and no dependence on the number of keywords. A standalone
 * utility: the secrets scanner itself takes keyword positions from the shared character pass of
 * normalize/facts.ts, which every family reads, so a text is walked once.
 */
export class KeywordIndex {
  /** Alphabet class of each ASCII code (case folded); 0 = a character no keyword contains. */
  private readonly cls = new Uint8Array(128);
  private readonly width: number;
  /**
   * Transition table indexed by `row + class`, where a row is `state * width`. Entries hold the
   * next state's row, bitwise-negated (`~row`, always negative) when that state emits keywords, so
   * the hot loop needs one load and one sign test per character.
   */
  private readonly delta: Int32Array;
  /** For each state, [start, end) into `outIds`: the keywords that end there (with suffix links). */
  private readonly outStart: Int32Array;
  private readonly outEnd: Int32Array;
  private readonly outIds: Int32Array;
  readonly size: number;

  constructor(keywords: readonly string[]) {
    this.size = keywords.length;
    let nextClass = 1;
    for (const kw of keywords) {
      if (kw.length === 0) throw new Error('empty keyword');
      for (let i = 0; i < kw.length; i++) {
        const c = kw.charCodeAt(i);
        if (c >= 128) throw new Error(`keyword ${JSON.stringify(kw)}: ASCII only`);
        const lo = c >= 65 && c <= 90 ? c + 32 : c;
        if (this.cls[lo] === 0) {
          this.cls[lo] = nextClass;
          if (lo >= 97 && lo <= 122) this.cls[lo - 32] = nextClass;
          nextClass++;
        }
      }
    }
    const width = nextClass;
    this.width = width;

    // Trie.
    const goto: number[][] = [new Array<number>(width).fill(-1)];
    const ends: number[][] = [[]];
    keywords.forEach((kw, id) => {
      let s = 0;
      for (let i = 0; i < kw.length; i++) {
        const a = this.cls[kw.charCodeAt(i)]!;
        let t = goto[s]![a]!;
        if (t === -1) {
          t = goto.length;
          goto.push(new Array<number>(width).fill(-1));
          ends.push([]);
          goto[s]![a] = t;
        }
        s = t;
      }
      ends[s]!.push(id);
    });

    // Breadth-first failure links, folded into a complete transition table.
    const n = goto.length;
    const fail = new Int32Array(n);
    const delta = new Int32Array(n * width);
    const queue: number[] = [];
    for (let a = 0; a < width; a++) {
      const t = goto[0]![a]!;
      if (t === -1) delta[a] = 0;
      else {
        delta[a] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      for (const id of ends[fail[s]!]!) ends[s]!.push(id);
      for (let a = 0; a < width; a++) {
        const t = goto[s]![a]!;
        if (t === -1) delta[s * width + a] = delta[fail[s]! * width + a]!;
        else {
          delta[s * width + a] = t;
          fail[t] = delta[fail[s]! * width + a]!;
          queue.push(t);
        }
      }
    }
    this.outStart = new Int32Array(n);
    this.outEnd = new Int32Array(n);
    const ids: number[] = [];
    for (let s = 0; s < n; s++) {
      this.outStart[s] = ids.length;
      for (const id of new Set(ends[s]!)) ids.push(id);
      this.outEnd[s] = ids.length;
    }
    this.outIds = Int32Array.from(ids);
    for (let i = 0; i < delta.length; i++) {
      const t = delta[i]!;
      delta[i] = this.outEnd[t]! > this.outStart[t]! ? ~(t * width) : t * width;
    }
    this.delta = delta;
  }

  /**
   * Records where keywords occur: `ends[id]` receives the index just past each occurrence of keyword
   * `id`, up to `cap` per keyword (beyond that `overflow[id]` is set and the caller should fall back
   * to scanning the whole text), and `touched` each keyword id the first time it occurs, so the
   * caller can reset only what was used. `ends` and `overflow` have `size` entries and start empty.
   * Returns the number of keywords that occurred at least once.
   */
  scanPositions(text: string, ends: number[][], overflow: Uint8Array, cap: number, touched: number[]): number {
    const { cls, delta, width, outStart, outEnd, outIds } = this;
    let row = 0;
    let found = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      const next = delta[row + (c < 128 ? cls[c]! : 0)]!;
      if (next >= 0) {
        row = next;
        continue;
      }
      row = ~next;
      const s = row / width;
      for (let k = outStart[s]!, b = outEnd[s]!; k < b; k++) {
        const id = outIds[k]!;
        const list = ends[id]!;
        if (list.length === 0) {
          found++;
          touched.push(id);
        }
        if (list.length < cap) list.push(i + 1);
        else overflow[id] = 1;
      }
    }
    return found;
  }

  /**
   * Marks `hits[id] = 1` for every keyword that occurs in `text`; returns how many distinct
   * keywords were newly marked. `hits` must have `size` entries and be zeroed by the caller.
   */
  scan(text: string, hits: Uint8Array): number {
    const { cls, delta, width, outStart, outEnd, outIds } = this;
    let row = 0;
    let found = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      const next = delta[row + (c < 128 ? cls[c]! : 0)]!;
      if (next >= 0) {
        row = next;
        continue;
      }
      row = ~next;
      const s = row / width;
      for (let k = outStart[s]!, b = outEnd[s]!; k < b; k++) {
        const id = outIds[k]!;
        if (hits[id] === 0) {
          hits[id] = 1;
          found++;
        }
      }
    }
    return found;
  }
}
