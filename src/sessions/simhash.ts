// Prompt signatures for near-duplicate detection: a 64-bit SimHash (Charikar, 2002) over the words
// and word pairs of a prompt. Prompts that differ in a word or two (a template with a varied slot,
// the pattern of model extraction) land a few bits apart; unrelated prompts about 32 bits apart.
// Two 32-bit FNV-1a lanes stand in for one 64-bit hash so everything stays in small integers.

/** Words looked at: enough for any prompt's shape, and a fixed cost per request. */
const MAX_WORDS = 512;

/** FNV-1a continued from state `h` over `s`: fnv1a(a + b) is fnvFrom(fnv1a(a), b). */
function fnvFrom(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SEED_HI = 0x811c9dc5;
const SEED_LO = 0x050c5d1f;
const SPACE = 0x20;

function addBits(acc: Int32Array, hi: number, lo: number): void {
  for (let b = 0; b < 32; b++) {
    acc[b] = (acc[b] ?? 0) + ((hi >>> b) & 1 ? 1 : -1);
    acc[b + 32] = (acc[b + 32] ?? 0) + ((lo >>> b) & 1 ? 1 : -1);
  }
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** 16 hex digits; '' for text without words. */
export function simhash(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  if (words === null) return '';
  const n = Math.min(words.length, MAX_WORDS);
  const acc = new Int32Array(64);
  for (let i = 0; i < n; i++) {
    const w = words[i] as string;
    const hi = fnvFrom(SEED_HI >>> 0, w);
    const lo = fnvFrom(SEED_LO >>> 0, w);
    addBits(acc, hi, lo);
    // The pair feature "w next" continues the word's hash over ' ' and the next word (FNV-1a is a
    // running hash), rather than building the pair string and hashing w again: same signature,
    // less work on every request of a session-keeping policy.
    if (i + 1 < n) {
      const next = words[i + 1] as string;
      addBits(acc, fnvFrom(Math.imul(hi ^ SPACE, 0x01000193) >>> 0, next), fnvFrom(Math.imul(lo ^ SPACE, 0x01000193) >>> 0, next));
    }
  }
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if ((acc[b] ?? 0) > 0) hi |= 1 << b;
    if ((acc[b + 32] ?? 0) > 0) lo |= 1 << b;
  }
  return hex8(hi) + hex8(lo);
}

function popcount(x: number): number {
  let v = x >>> 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

// Hex digit values by char code (-1: not a hex digit) and the bit count of each 4-bit value.
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d < 16; d++) {
  HEX_VALUE[d.toString(16).charCodeAt(0)] = d;
  HEX_VALUE[d.toString(16).toUpperCase().charCodeAt(0)] = d;
}
const NIBBLE_BITS = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/**
 * Bits in which two signatures differ; 64 when either is missing or malformed. The duplicates
 * rule calls this for every earlier signature of the key on every request, so well-formed
 * signatures (all that simhash() makes) are compared digit by digit without slicing or parsing;
 * anything else takes the original parseInt route, whose leniency decides what "malformed" means.
 */
export function hamming(a: string, b: string): number {
  if (a.length !== 16 || b.length !== 16) return 64;
  let bits = 0;
  for (let i = 0; i < 16; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    const x = ca < 128 ? (HEX_VALUE[ca] ?? -1) : -1;
    const y = cb < 128 ? (HEX_VALUE[cb] ?? -1) : -1;
    if (x < 0 || y < 0) return hammingParsed(a, b);
    bits += NIBBLE_BITS[x ^ y] ?? 0;
  }
  return bits;
}

function hammingParsed(a: string, b: string): number {
  const ah = Number.parseInt(a.slice(0, 8), 16);
  const al = Number.parseInt(a.slice(8), 16);
  const bh = Number.parseInt(b.slice(0, 8), 16);
  const bl = Number.parseInt(b.slice(8), 16);
  if (Number.isNaN(ah) || Number.isNaN(al) || Number.isNaN(bh) || Number.isNaN(bl)) return 64;
  return popcount(ah ^ bh) + popcount(al ^ bl);
}
