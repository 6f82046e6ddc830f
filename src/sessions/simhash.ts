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

// Bit counting in byte lanes: SPREAD[n] puts the 4 bits of nibble n in the low bit of 4 bytes, so
// one addition counts 4 bits at once (16 additions per feature instead of 64). A lane holds at most
// 255 before it would carry into the next, so the lanes are emptied into `ones` every LANE_MAX features.
const SPREAD = new Int32Array(16);
for (let n = 0; n < 16; n++) SPREAD[n] = (n & 1) | (((n >>> 1) & 1) << 8) | (((n >>> 2) & 1) << 16) | (((n >>> 3) & 1) << 24);
const LANE_MAX = 255;

function addBits(lanes: Int32Array, hi: number, lo: number): void {
  for (let k = 0; k < 8; k++) {
    lanes[k] = (lanes[k] as number) + (SPREAD[(hi >>> (4 * k)) & 15] as number);
    lanes[k + 8] = (lanes[k + 8] as number) + (SPREAD[(lo >>> (4 * k)) & 15] as number);
  }
}

/** Adds the lane counts to `ones` (bit b of hi at b, bit b of lo at 32 + b) and zeroes the lanes. */
function emptyLanes(lanes: Int32Array, ones: Int32Array): void {
  for (let k = 0; k < 16; k++) {
    const v = lanes[k] as number;
    for (let j = 0; j < 4; j++) ones[4 * k + j] = (ones[4 * k + j] as number) + ((v >>> (8 * j)) & 255);
    lanes[k] = 0;
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
  const ones = new Int32Array(64);
  const lanes = new Int32Array(16);
  let features = 0;
  let inLanes = 0;
  const add = (hi: number, lo: number): void => {
    if (inLanes === LANE_MAX) {
      emptyLanes(lanes, ones);
      inLanes = 0;
    }
    addBits(lanes, hi, lo);
    inLanes++;
    features++;
  };
  for (let i = 0; i < n; i++) {
    const w = words[i] as string;
    const hi = fnvFrom(SEED_HI >>> 0, w);
    const lo = fnvFrom(SEED_LO >>> 0, w);
    add(hi, lo);
    // The pair feature "w next" continues the word's hash over ' ' and the next word (FNV-1a is a
    // running hash), rather than building the pair string and hashing w again: same signature,
    // less work on every request of a session-keeping policy.
    if (i + 1 < n) {
      const next = words[i + 1] as string;
      add(fnvFrom(Math.imul(hi ^ SPACE, 0x01000193) >>> 0, next), fnvFrom(Math.imul(lo ^ SPACE, 0x01000193) >>> 0, next));
    }
  }
  emptyLanes(lanes, ones);
  // A bit is set when its votes sum above zero: ones - (features - ones) > 0.
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if (2 * (ones[b] as number) > features) hi |= 1 << b;
    if (2 * (ones[b + 32] as number) > features) lo |= 1 << b;
  }
  return hex8(hi) + hex8(lo);
}

function popcount(x: number): number {
  let v = x >>> 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

// Hex digit values by char code (-1: not a hex digit).
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d < 16; d++) {
  HEX_VALUE[d.toString(16).charCodeAt(0)] = d;
  HEX_VALUE[d.toString(16).toUpperCase().charCodeAt(0)] = d;
}

/** A well-formed signature as two 32-bit halves. */
interface SigBits {
  hi: number;
  lo: number;
}

/** Signatures decoded lately: a key's last `of` signatures are compared on every one of its requests. */
const DECODED_MAX = 4096;
const decoded = new Map<string, SigBits | null>();

/** The halves of a signature of 16 hex digits (either case); null for anything else. */
function decodeSig(s: string): SigBits | null {
  if (s.length !== 16) return null;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 16; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? (HEX_VALUE[c] ?? -1) : -1;
    if (v < 0) return null;
    if (i < 8) hi = ((hi << 4) | v) >>> 0;
    else lo = ((lo << 4) | v) >>> 0;
  }
  return { hi, lo };
}

function bitsOf(s: string): SigBits | null {
  let b = decoded.get(s);
  if (b !== undefined) return b;
  b = decodeSig(s);
  // Cleared rather than evicted one by one: refilling costs one decode per signature.
  if (decoded.size >= DECODED_MAX) decoded.clear();
  decoded.set(s, b);
  return b;
}

/**
 * Bits in which two signatures differ; 64 when either is missing or malformed. The duplicates
 * rule calls this for every earlier signature of the key on every request, so well-formed
 * signatures (all that simhash() makes) are decoded once into two 32-bit halves, kept in a small
 * cache (a key's signatures come back with each of its requests), and compared by popcount;
 * anything else takes the original parseInt route, whose leniency decides what "malformed" means.
 */
export function hamming(a: string, b: string): number {
  if (a.length !== 16 || b.length !== 16) return 64;
  const x = bitsOf(a);
  const y = bitsOf(b);
  if (x === null || y === null) return hammingParsed(a, b);
  return popcount(x.hi ^ y.hi) + popcount(x.lo ^ y.lo);
}

function hammingParsed(a: string, b: string): number {
  const ah = Number.parseInt(a.slice(0, 8), 16);
  const al = Number.parseInt(a.slice(8), 16);
  const bh = Number.parseInt(b.slice(0, 8), 16);
  const bl = Number.parseInt(b.slice(8), 16);
  if (Number.isNaN(ah) || Number.isNaN(al) || Number.isNaN(bh) || Number.isNaN(bl)) return 64;
  return popcount(ah ^ bh) + popcount(al ^ bl);
}
