// The in-place word lookup of the PII entity gate (src/detectors/pii/word-table.ts) answers as a Map
// of lower-cased words does, for spans in any letter case, and refuses what it cannot fold.
import { describe, expect, it } from 'vitest';
import { AsciiWordTable } from '../../src/detectors/pii/word-table.ts';
import { prng } from '../../src/detectors/classifier/train/sgd.ts';

describe('ASCII word table', () => {
  const words = new Map<string, number>([
    ['the', 1],
    ['data', 3],
    ["o'neil", 8],
    ['jean-luc', 16],
    ['x', 32],
    ['café', 64],
    ['Upper', 128],
  ]);
  const table = new AsciiWordTable(words);

  it('finds a span in any ASCII letter case, and nothing else', () => {
    const text = "The DATA of O'Neil, jean-LUC, x and theory";
    expect(table.lookup(text, 0, 3)).toBe(1);
    expect(table.lookup(text, 4, 8)).toBe(3);
    expect(table.lookup(text, 12, 18)).toBe(8);
    expect(table.lookup(text, 20, 28)).toBe(16);
    expect(table.lookup(text, 30, 31)).toBe(32);
    expect(table.lookup(text, 36, 42)).toBe(-1);
    expect(table.lookup(text, 36, 39)).toBe(1);
  });

  it('leaves to the caller what it cannot fold: keys and spans beyond ASCII, keys with capitals', () => {
    expect(table.lookup('Café', 0, 4)).toBe(-1);
    expect(table.lookup('Upper', 0, 5)).toBe(-1);
  });

  it('agrees with a Map of lower-cased words on random spans', () => {
    const rand = prng(7);
    const alphabet = "abcdeABCDE'-é ";
    const many = new Map<string, number>();
    const pick = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)] ?? 'a').join('');
    for (let k = 0; k < 3000; k++) many.set(pick(1 + Math.floor(rand() * 4)).toLowerCase().replace(/[ é]/g, ''), k + 1);
    many.delete('');
    const t = new AsciiWordTable(many);
    let found = 0;
    for (let k = 0; k < 20000; k++) {
      const s = pick(1 + Math.floor(rand() * 5));
      const want = s.includes('é') ? -1 : (many.get(s.toLowerCase()) ?? -1);
      expect(t.lookup(`>${s}<`, 1, 1 + s.length), s).toBe(want);
      if (want > 0) found++;
    }
    expect(found).toBeGreaterThan(1000);
  });
});
