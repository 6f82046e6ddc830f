// Prompt signatures for near-duplicate detection: a 64-bit SimHash (Charikar, 2002) over the words
// and word pairs of a prompt. Prompts that differ in a word or two (a template with a varied slot,
// the pattern of model extraction) land a few bits apart; unrelated prompts about 32 bits apart.
// Two 32-bit FNV-1a lanes stand in for one 64-bit hash so everything stays in small integers.

/** Words looked at: enough for any prompt's shape, and a fixed cost per request. */
const MAX_WORDS = 512;

const FNV_PRIME = 0x01000193;

/**
 * FNV-1a continued from states `hi` and `lo` over `s` (fnv1a(a + b) continues fnv1a(a) over b), both
 * lanes in one pass over the characters: every word is hashed from the two seeds, and again as the
 * tail of its pair feature. The results land in laneHi and laneLo rather than in an allocated pair.
 */
let laneHi = 0;
let laneLo = 0;
function fnvBoth(hi: number, lo: number, s: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    hi = Math.imul(hi ^ c, FNV_PRIME) >>> 0;
    lo = Math.imul(lo ^ c, FNV_PRIME) >>> 0;
  }
  laneHi = hi >>> 0;
  laneLo = lo >>> 0;
}

const SEED_HI = 0x811c9dc5;
const SEED_LO = 0x050c5d1f;
const SPACE = 0x20;

// Bit counting, bit-sliced: plane p holds bit p of all 32 per-bit vote counts of a lane, so adding
// a feature is a ripple-carry add of its 32 bits at once (a few word operations instead of one
// counter update per bit), and the final "more than half" test compares all 32 counts at once.
// 512 words make at most 1023 features, so 10 planes hold any count. The planes are reused, not
// allocated per call (a typed array costs more to make than a short prompt's signature): simhash
// never re-enters itself.
const PLANES = 10;
const HI_PLANES = new Int32Array(PLANES);
const LO_PLANES = new Int32Array(PLANES);

function addFeature(planes: Int32Array, bits: number): void {
  let carry = bits | 0;
  for (let p = 0; carry !== 0; p++) {
    const plane = planes[p] as number;
    planes[p] = plane ^ carry;
    carry &= plane;
  }
}

/** The bits whose count in `planes` is above `half` (all 32 compared at once, high plane first). */
function above(planes: Int32Array, half: number): number {
  let greater = 0;
  let equal = -1;
  for (let p = PLANES - 1; p >= 0; p--) {
    const plane = planes[p] as number;
    if ((half >>> p) & 1) equal &= plane;
    else {
      greater |= equal & plane;
      equal &= ~plane;
    }
  }
  return greater;
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** 16 hex digits; '' for text without words. */
export function simhash(text: string): string {
  return asciiSimhash(text) ?? unicodeSimhash(text);
}

/**
 * simhash of ASCII text in one pass over its characters, with no lower-cased copy, regex or word
 * strings: in ASCII, [\p{L}\p{N}] after lower-casing is exactly [a-z0-9] after folding A-Z. Each
 * word is hashed from both seeds and, at the same time, as the tail of its pair with the word before.
 * Undefined (nothing decided) when a non-ASCII character turns up before the last word that counts
 * has ended: Unicode text takes unicodeSimhash.
 */
function asciiSimhash(text: string): string | undefined {
  HI_PLANES.fill(0);
  LO_PLANES.fill(0);
  let features = 0;
  let words = 0;
  let inWord = false;
  let wordHi = 0;
  let wordLo = 0;
  let pairHi = 0;
  let pairLo = 0;
  let prevHi = 0;
  let prevLo = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    // One step past the end closes a word that runs to the end of the text.
    let c = i < n ? text.charCodeAt(i) : SPACE;
    if (c >= 0x80) return undefined;
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      if (!inWord) {
        inWord = true;
        wordHi = SEED_HI;
        wordLo = SEED_LO;
        pairHi = Math.imul(prevHi ^ SPACE, FNV_PRIME) >>> 0;
        pairLo = Math.imul(prevLo ^ SPACE, FNV_PRIME) >>> 0;
      }
      wordHi = Math.imul(wordHi ^ c, FNV_PRIME) >>> 0;
      wordLo = Math.imul(wordLo ^ c, FNV_PRIME) >>> 0;
      pairHi = Math.imul(pairHi ^ c, FNV_PRIME) >>> 0;
      pairLo = Math.imul(pairLo ^ c, FNV_PRIME) >>> 0;
      continue;
    }
    if (!inWord) continue;
    inWord = false;
    addFeature(HI_PLANES, wordHi);
    addFeature(LO_PLANES, wordLo);
    features++;
    if (words > 0) {
      addFeature(HI_PLANES, pairHi);
      addFeature(LO_PLANES, pairLo);
      features++;
    }
    prevHi = wordHi;
    prevLo = wordLo;
    // Words past the cap are not looked at, nor is anything after the last one that counts.
    if (++words === MAX_WORDS) break;
  }
  if (words === 0) return '';
  const half = features >>> 1;
  return hex8(above(HI_PLANES, half)) + hex8(above(LO_PLANES, half));
}

function unicodeSimhash(text: string): string {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  if (words === null) return '';
  const n = Math.min(words.length, MAX_WORDS);
  HI_PLANES.fill(0);
  LO_PLANES.fill(0);
  let features = 0;
  for (let i = 0; i < n; i++) {
    const w = words[i] as string;
    fnvBoth(SEED_HI >>> 0, SEED_LO >>> 0, w);
    const hi = laneHi;
    const lo = laneLo;
    addFeature(HI_PLANES, hi);
    addFeature(LO_PLANES, lo);
    features++;
    // The pair feature "w next" continues the word's hash over ' ' and the next word (FNV-1a is a
    // running hash), rather than building the pair string and hashing w again: same signature,
    // less work on every request of a session-keeping policy.
    if (i + 1 < n) {
      fnvBoth(Math.imul(hi ^ SPACE, FNV_PRIME) >>> 0, Math.imul(lo ^ SPACE, FNV_PRIME) >>> 0, words[i + 1] as string);
      addFeature(HI_PLANES, laneHi);
      addFeature(LO_PLANES, laneLo);
      features++;
    }
  }
  // A bit is set when its votes sum above zero: ones - (features - ones) > 0, i.e. 2 * ones > features,
  // i.e. ones > floor(features / 2).
  const half = features >>> 1;
  const hi = above(HI_PLANES, half);
  const lo = above(LO_PLANES, half);
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

/**
 * How many of sigs[from..end) are within `distance` bits of `sig`: the same count as calling
 * hamming(sigs[i], sig) for each, with `sig` looked up once rather than once per comparison (the
 * duplicates rule runs this over up to 50 signatures on every request).
 */
export function countNear(sigs: readonly string[], from: number, end: number, sig: string, distance: number): number {
  const y = sig.length === 16 ? bitsOf(sig) : null;
  let near = 0;
  for (let i = from; i < end; i++) {
    const s = sigs[i] as string;
    const x = y !== null && s.length === 16 ? bitsOf(s) : null;
    const d = x === null || y === null ? hamming(s, sig) : popcount(x.hi ^ y.hi) + popcount(x.lo ^ y.lo);
    if (d <= distance) near++;
  }
  return near;
}

function hammingParsed(a: string, b: string): number {
  const ah = Number.parseInt(a.slice(0, 8), 16);
  const al = Number.parseInt(a.slice(8), 16);
  const bh = Number.parseInt(b.slice(0, 8), 16);
  const bl = Number.parseInt(b.slice(8), 16);
  if (Number.isNaN(ah) || Number.isNaN(al) || Number.isNaN(bh) || Number.isNaN(bl)) return 64;
  return popcount(ah ^ bh) + popcount(al ^ bl);
}
