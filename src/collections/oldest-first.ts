// Evicting the least recently used entry of a Map kept in recency order (a touch is delete + set,
// so the first key is the oldest). The obvious `map.keys().next()` is slow on a big map: a deleted
// entry stays in V8's table as a hole until the table is rebuilt, and every new iterator walks the
// holes at the front again: 2.8 µs per eviction at 4,096 entries, 26–34 µs at 50,000–100,000
// (bench/lru.ts), on every request of a gateway whose session maps are full. One iterator kept across
// evictions passes each hole once: the order is the same, the cost constant. (While it waits between
// evictions it keeps the tables it has not caught up with alive: at most a few times the map's size.)

/** Deletes a Map's oldest keys in insertion order, one iterator for the map's whole life. */
export class OldestFirst<K> {
  readonly #map: Map<K, unknown>;
  #keys: Iterator<K> | undefined;

  constructor(map: Map<K, unknown>) {
    this.#map = map;
  }

  /** Deletes the oldest key and returns it; undefined when the map is empty. */
  evict(): K | undefined {
    // A Map iterator that ran off the end stays done, even when keys are added later: start a new one.
    for (let fresh = 0; fresh < 2; fresh++) {
      this.#keys ??= this.#map.keys();
      const next = this.#keys.next();
      if (next.done !== true) {
        this.#map.delete(next.value);
        return next.value;
      }
      this.#keys = undefined;
    }
    return undefined;
  }
}
