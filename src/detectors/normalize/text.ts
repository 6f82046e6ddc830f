// Per-text memos shared by the normaliser and the signature detectors. The engine hands the same
// string to every detector in turn (and then its decoded views), so derived values are computed
// once per text instead of once per detector.

/** A handful of (text → value) entries, compared by string equality, most recent first. */
export class RecentCache<T> {
  private keys: string[] = [];
  private values: T[] = [];
  private readonly size: number;

  constructor(size = 4) {
    this.size = size;
  }

  get(text: string, compute: (text: string) => T): T {
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] === text) return this.values[i] as T;
    }
    const v = compute(text);
    this.keys.unshift(text);
    this.values.unshift(v);
    if (this.keys.length > this.size) {
      this.keys.pop();
      this.values.pop();
    }
    return v;
  }
}

const lowers = new RecentCache<string>();
const toLower = (t: string): string => t.toLowerCase();

/** Lower-cased copy of `text` (cached for the few most recent texts). */
export function lowerOf(text: string): string {
  return lowers.get(text, toLower);
}

// Any code unit outside ASCII and the common typographic punctuation (curly quotes, dashes, NBSP).
// Texts without such characters cannot carry non-Latin phrases or Unicode tricks.
const NON_LATIN = /[\u0080-\u009F\u00C0-\u200F\u2028-\u202F\u205F-\uFFFF]/;
const nonLatin = new RecentCache<boolean>();
const testNonLatin = (t: string): boolean => NON_LATIN.test(t);

/** Whether the text has characters beyond ASCII and everyday typographic punctuation (cached). */
export function hasNonLatin(text: string): boolean {
  return nonLatin.get(text, testNonLatin);
}
