/**
 * A handful of (text → value) entries, compared by string equality; the oldest entry is replaced
 * first. A ring, so a miss moves nothing.
 */
export class RecentCache<T> {
  private readonly keys: (string | undefined)[];
  private readonly values: (T | undefined)[];
  /** Slot of the newest entry. */
  private newest = 0;

  constructor(size = 4) {
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Array<T | undefined>(size).fill(undefined);
  }

  get(text: string, compute: (text: string) => T): T {
    // The engine asks about the same string object several times in a row: an identity check on
    // the newest entry answers most calls.
    const keys = this.keys;
    if (keys[this.newest] === text) return this.values[this.newest] as T;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === text) return this.values[i] as T;
    }
    const v = compute(text);
    this.newest = (this.newest + 1) % keys.length;
    keys[this.newest] = text;
    this.values[this.newest] = v;
    return v;
  }
}
