/** A handful of (text → value) entries, compared by string equality, most recent first. */
export class RecentCache<T> {
  private keys: string[] = [];
  private values: T[] = [];
  private readonly size: number;

  constructor(size = 4) {
    this.size = size;
  }

  get(text: string, compute: (text: string) => T): T {
    // The engine asks about the same string object several times in a row: an identity check on
    // the newest entry answers most calls.
    if (this.keys[0] === text) return this.values[0] as T;
    for (let i = 1; i < this.keys.length; i++) {
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
