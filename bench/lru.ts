// Evicting the oldest entry of a full Map used as a least-recently-used cache (sessions, the
// engine's result cache): `map.keys().next()` on every eviction (the baseline, what the gateway did)
// against OldestFirst (src/collections/oldest-first.ts), at the sizes the gateway's maps reach.
// Prints µs per evict + insert and the ratio, both measured in this run.
//   node bench/lru.ts [--quick]
import { parseArgs } from 'node:util';
import { OldestFirst } from '../src/collections/oldest-first.ts';

export interface LruCell {
  entries: number;
  naiveUs: number;
  cursorUs: number;
}

function fill(entries: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < entries; i++) m.set(`k${i}`, i);
  return m;
}

/** µs per operation of `ops` evict-then-insert steps on a full map of `entries`. */
function run(entries: number, ops: number, cursor: boolean): number {
  const m = fill(entries);
  const oldest = new OldestFirst(m);
  let next = entries;
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) {
    if (cursor) oldest.evict();
    else {
      const first = m.keys().next();
      if (first.done !== true) m.delete(first.value);
    }
    m.set(`k${next++}`, i);
  }
  return ((performance.now() - t0) * 1000) / ops;
}

export function benchLru(quick: boolean): LruCell[] {
  const ops = quick ? 20_000 : 100_000;
  const cells: LruCell[] = [];
  for (const entries of [4_096, 50_000, 100_000]) {
    // Twice each, alternating, so both see the same machine; the faster of each pair is kept.
    let naive = Infinity;
    let cursor = Infinity;
    for (let round = 0; round < 2; round++) {
      naive = Math.min(naive, run(entries, ops, false));
      cursor = Math.min(cursor, run(entries, ops, true));
    }
    cells.push({ entries, naiveUs: naive, cursorUs: cursor });
  }
  return cells;
}

export function formatLru(cells: readonly LruCell[]): string {
  const rows = cells.map((c) => `| ${c.entries.toLocaleString('en-US')} | ${c.naiveUs.toFixed(2)} | ${c.cursorUs.toFixed(2)} | ${(c.naiveUs / c.cursorUs).toFixed(0)}× |`);
  return ['### Evicting the oldest entry of a full Map (µs per evict + insert)', '', '| entries | keys().next() each time | OldestFirst | faster |', '|---:|---:|---:|---:|', ...rows, ''].join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  process.stdout.write(formatLru(benchLru(values.quick)));
}
