// The near-duplicate signatures got cheaper (issue 8): simhash reads ASCII text in one pass (no
// lower-cased copy, regex or word strings) and counts the votes bit-sliced (all 32 bits of a lane
// per word operation, in reused arrays); hamming decodes each signature once into two 32-bit halves
// (cached) instead of walking 16 hex digits per comparison, and countNear looks the current one up
// once. All must give exactly what the code they replaced gave.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countNear, hamming, simhash } from '../../src/sessions/simhash.ts';

function fnvFrom(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** simhash as it was: one +1/-1 vote per bit per feature. */
function referenceSimhash(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  if (words === null) return '';
  const n = Math.min(words.length, 512);
  const acc = new Int32Array(64);
  const add = (hi: number, lo: number): void => {
    for (let b = 0; b < 32; b++) {
      acc[b] = (acc[b] ?? 0) + ((hi >>> b) & 1 ? 1 : -1);
      acc[b + 32] = (acc[b + 32] ?? 0) + ((lo >>> b) & 1 ? 1 : -1);
    }
  };
  for (let i = 0; i < n; i++) {
    const w = words[i] as string;
    add(fnvFrom(0x811c9dc5, w), fnvFrom(0x050c5d1f, w));
    if (i + 1 < n) add(fnvFrom(0x811c9dc5, `${w} ${words[i + 1]}`), fnvFrom(0x050c5d1f, `${w} ${words[i + 1]}`));
  }
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if ((acc[b] ?? 0) > 0) hi |= 1 << b;
    if ((acc[b + 32] ?? 0) > 0) lo |= 1 << b;
  }
  const hex8 = (x: number): string => (x >>> 0).toString(16).padStart(8, '0');
  return hex8(hi) + hex8(lo);
}

const NIBBLE_BITS = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v >>>= 1) n += v & 1;
  return n;
}

/** hamming as it was: digit by digit, parseInt for anything that is not 16 hex digits. */
function referenceHamming(a: string, b: string): number {
  if (a.length !== 16 || b.length !== 16) return 64;
  let bits = 0;
  for (let i = 0; i < 16; i++) {
    const x = Number.parseInt(a[i] as string, 16);
    const y = Number.parseInt(b[i] as string, 16);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      const ah = Number.parseInt(a.slice(0, 8), 16);
      const al = Number.parseInt(a.slice(8), 16);
      const bh = Number.parseInt(b.slice(0, 8), 16);
      const bl = Number.parseInt(b.slice(8), 16);
      if ([ah, al, bh, bl].some(Number.isNaN)) return 64;
      return popcount(ah ^ bh) + popcount(al ^ bl);
    }
    bits += NIBBLE_BITS[x ^ y] ?? 0;
  }
  return bits;
}

describe('prompt signatures (issue 8)', () => {
  it('simhash gives the signature the per-bit vote gave, for any text (property)', () => {
    const word = fc.constantFrom('alpha', 'beta', 'Gamma', 'x', '42', 'Ünïcödé', 'ДА', '🌍', 'a-b', '');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), fc.constantFrom(' ', '  ', '\n', ', '), (words, sep) => {
        const text = words.join(sep);
        expect(simhash(text)).toBe(referenceSimhash(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('simhash agrees past 255 features and past the 512-word cap', () => {
    for (const n of [127, 128, 129, 255, 256, 300, 511, 512, 513, 700]) {
      const text = Array.from({ length: n }, (_, i) => `w${i % 37} v${i % 11}`).join(' ');
      expect(simhash(text)).toBe(referenceSimhash(text));
    }
    // One word over and over: every feature votes alike, so some counts reach the most 512 words
    // can make (1023 features), the top of the bit-sliced counters.
    for (const n of [511, 512, 513, 1000]) {
      const text = 'same '.repeat(n);
      expect(simhash(text)).toBe(referenceSimhash(text));
    }
  });

  it('simhash gives the reference signature for arbitrary text, call after call (property)', () => {
    // Counters are reused between calls: a long text followed by a short one must not leak votes.
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 4 }), (texts) => {
        for (const text of texts) expect(simhash(text)).toBe(referenceSimhash(text));
      }),
      { numRuns: 500 },
    );
  });

  it('simhash of ASCII text (its one-pass route) gives the reference signature (property)', () => {
    // Every ASCII character, in words of any case around digits and punctuation, up to past the
    // 512-word cap; then the same with a non-ASCII character somewhere (the Unicode route).
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 200 });
    const word = fc.string({ unit: fc.constantFrom(...'aZ09xQ_-.'), minLength: 1, maxLength: 6 });
    const sep = fc.constantFrom(' ', '  ', '\n', ', ', '-', '\t', '');
    const many = fc.tuple(fc.array(word, { minLength: 400, maxLength: 700 }), sep).map(([ws, sp]) => ws.join(sp || ' '));
    const unicode = fc.constantFrom('é', 'İ', 'ß', 'Σ', '🌍', '\u00a0', 'ª', '٣');
    fc.assert(
      fc.property(fc.oneof(ascii, many), unicode, fc.nat(), (text, u, at) => {
        expect(simhash(text)).toBe(referenceSimhash(text));
        const k = at % (text.length + 1);
        const mixed = text.slice(0, k) + u + text.slice(k);
        expect(simhash(mixed)).toBe(referenceSimhash(mixed));
      }),
      { numRuns: 400 },
    );
    // A word running on into a non-ASCII letter is one word; non-ASCII after the 512th word is not looked at.
    for (const text of ['abcé def', 'ABC DEF', 'x'.repeat(3), `${'w '.repeat(512)}é`, `${'w '.repeat(511)}wé`, `${'ab '.repeat(600)}Σ`]) {
      expect(simhash(text), text.slice(-8)).toBe(referenceSimhash(text));
    }
  });

  it('countNear counts what hamming, pair by pair, would count, whatever the signatures (property)', () => {
    const hexish = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF-xz '), minLength: 14, maxLength: 17 });
    const good = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 });
    const sig = fc.oneof(good, good, hexish, fc.constant(''));
    fc.assert(
      fc.property(fc.array(sig, { maxLength: 30 }), sig, fc.nat(70), fc.nat(30), fc.nat(30), (sigs, cur, distance, a, b) => {
        const from = Math.min(a, sigs.length);
        const end = Math.min(Math.max(from, b), sigs.length);
        let want = 0;
        for (let i = from; i < end; i++) if (referenceHamming(sigs[i] as string, cur) <= distance) want++;
        expect(countNear(sigs, from, end, cur, distance)).toBe(want);
      }),
      { numRuns: 1000 },
    );
    // Near-duplicates proper: signatures a few bits apart count, unrelated ones do not.
    const base = simhash('What is the boiling point of water at sea level in degrees Celsius?');
    const sigs = [base, simhash('What is the boiling point of ethanol at sea level in degrees Celsius?'), simhash('Write a haiku about autumn leaves.')];
    expect(countNear(sigs, 0, 3, base, 10)).toBe(2);
  });

  it('hamming gives what the digit-by-digit comparison gave, well-formed or not, cached or not (property)', () => {
    const hexish = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF-xz '), minLength: 14, maxLength: 17 });
    const sig = fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 }), hexish, fc.constant(''));
    fc.assert(
      fc.property(sig, sig, (a, b) => {
        const want = referenceHamming(a, b);
        expect(hamming(a, b)).toBe(want);
        // The second time both come from the cache.
        expect(hamming(a, b)).toBe(want);
        expect(hamming(b, a)).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });
});
