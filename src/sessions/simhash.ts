// Prompt signatures for near-duplicate detection: a 64-bit SimHash (Charikar, 2002) over the words
// and word pairs of a prompt. Prompts that differ in a word or two (a template with a varied slot,
// the pattern of model extraction) land a few bits apart; unrelated prompts about 32 bits apart.
// Two 32-bit FNV-1a lanes stand in for one 64-bit hash so everything stays in small integers.

/** Words looked at: enough for any prompt's shape, and a fixed cost per request. */
const MAX_WORDS = 512;

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SEED_HI = 0x811c9dc5;
const SEED_LO = 0x050c5d1f;

function add(acc: Int32Array, feature: string): void {
  const hi = fnv1a(feature, SEED_HI);
  const lo = fnv1a(feature, SEED_LO);
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
    add(acc, w);
    if (i + 1 < n) add(acc, `${w} ${words[i + 1] as string}`);
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

/** Bits in which two signatures differ; 64 when either is missing or malformed. */
export function hamming(a: string, b: string): number {
  if (a.length !== 16 || b.length !== 16) return 64;
  const ah = Number.parseInt(a.slice(0, 8), 16);
  const al = Number.parseInt(a.slice(8), 16);
  const bh = Number.parseInt(b.slice(0, 8), 16);
  const bl = Number.parseInt(b.slice(8), 16);
  if (Number.isNaN(ah) || Number.isNaN(al) || Number.isNaN(bh) || Number.isNaN(bl)) return 64;
  return popcount(ah ^ bh) + popcount(al ^ bl);
}
