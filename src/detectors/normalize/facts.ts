// One pass over a text that gathers everything the cheap layers need to decide whether they have
// any work to do: which registered trigger literals occur (for the signature rule sets, the secret
// keywords and the PII cue words), where the positional ones occur, and character statistics for
// the normaliser's decoders (base64/hex/binary runs, %XX and &entities;, \x escapes, leetspeak,
// s p a c e d letters), the adversarial-suffix check (symbols, in-word case switches) and the PII gates (digit runs,
// upper-case runs, "@").
//
// The literal search is an Aho–Corasick automaton over all registered literals, compiled to a dense
// table (see "the matcher" below); prose is read token by token, letters-only tokens on a short
// path. Measured on the benchmark prompts it runs at about 150–170 MB/s: the cost is the branch at
// every token boundary more than the table, whose size (12k states) made no measurable difference
// when halved. The result is memoised for the last few texts, because the
// engine hands the same string to the normaliser and every detector in turn.

import { RecentCache } from './cache.ts';

export interface TextFacts {
  /** Signature trigger literals (lower case, see registerLiterals) present in the text. */
  readonly found: ReadonlySet<string>;
  /** Ids (from registerLiterals / registerTriggers) of every literal present, in first-occurrence order. */
  readonly ids: readonly number[];
  /** End offsets (exclusive) of the occurrences of a positional literal, at most MAX_POSITIONS. */
  positionsOf(id: number): readonly number[] | undefined;
  /** Whether a positional literal occurred more than MAX_POSITIONS times. */
  overflowed(id: number): boolean;
  /** A run of ≥16 base64 characters mixing upper case, lower case and digits/symbols. */
  readonly base64: boolean;
  /** ≥16 hex digits, optionally separated by single spaces/colons/commas. */
  readonly hex: boolean;
  /** ≥32 binary digits (8-bit groups). */
  readonly binary: boolean;
  /** \x.. or \u.... escapes. */
  readonly escapes: boolean;
  /** At least three %XX sequences. */
  readonly percent: boolean;
  /** At least three ampersands (candidate HTML entities). */
  readonly entities: boolean;
  /** At least three leet characters touching letters. */
  readonly leet: boolean;
  /** Five one-letter words in a row. */
  readonly spaced: boolean;
  /** Count of bracket/operator symbols ([](){}<>\*|~^%$#@=+`). */
  readonly symbols: number;
  /** Count of ASCII digits. */
  readonly digits: number;
  /** Longest run of ASCII digits. */
  readonly maxDigitRun: number;
  /** Longest run of ASCII upper-case letters. */
  readonly maxUpperRun: number;
  /** In-word switches from a lower-case to an upper-case ASCII letter ("broughtDB": 1). */
  readonly caseSwitches: number;
  /** Longest run of hex digits: exact from 16 on; a shorter run inside a word may read shorter. */
  readonly maxHexRun: number;
  /**
   * Longest run of base64-alphabet characters ([A-Za-z0-9+/_-]) inside a token (a stretch without
   * whitespace, common punctuation or non-ASCII) that has some character other than a letter.
   */
  readonly maxMixedRun: number;
  /** Any "@". */
  readonly at: boolean;
  /** Any ASCII letter. */
  readonly asciiLetter: boolean;
  /** Any code unit ≥ 128. */
  readonly nonAscii: boolean;
  /** Distinct frequent-English-word markers under rot13 / reversed. */
  readonly rot13Markers: number;
  readonly reversedMarkers: number;
  /**
   * Offsets, in order, of every ASCII capital that begins a word (no ASCII letter before it) and of
   * the first digit of every digit run: where the PII entity gate looks. Undefined when there are
   * none; complete only for ASCII text and when not wordStartsOverflowed.
   */
  readonly wordStarts: readonly number[] | undefined;
  /** More than MAX_WORD_STARTS such offsets: wordStarts holds only the first ones. */
  readonly wordStartsOverflowed: boolean;
  /** The text lower-cased (computed on first use). */
  readonly lower: string;
  /** Characters beyond ASCII and everyday typographic punctuation (computed on first use). */
  readonly nonLatin: boolean;
}

const MIN_B64 = 16;
const MIN_HEX_DIGITS = 16;
/** Occurrences of one positional literal recorded per text; past this, callers scan the whole text. */
export const MAX_POSITIONS = 256;
/** Word-initial capitals and digit runs recorded per text (TextFacts.wordStarts). */
const MAX_WORD_STARTS = 4096;

// Per-character classes for the statistics.
const B64 = 1;
const HEX = 2;
const LETTER = 4;
const LEET = 8;
const BIN = 16;
const SYMBOL = 32;
const UPPER = 64;
const DIGITSYM = 128;
const DIGIT = 256;
const AT = 512;
/** Outside the 10 bits that decide whether a character is a separator. */
const LOWER = 1024;
const CHAR = new Uint16Array(128);
for (let c = 0; c < 128; c++) {
  let k = 0;
  const upper = c >= 65 && c <= 90;
  const lower = c >= 97 && c <= 122;
  const digit = c >= 48 && c <= 57;
  if (upper || lower || digit || c === 43 || c === 47 || c === 95 || c === 45) k |= B64;
  if (digit || c === 43 || c === 47) k |= DIGITSYM;
  if (digit || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)) k |= HEX;
  if (upper || lower) k |= LETTER;
  if (upper) k |= UPPER;
  if (lower) k |= LOWER;
  if (digit) k |= DIGIT;
  if (c === 64) k |= AT;
  // Characters that stand for letters in leetspeak: 0 1 3 4 5 7 8 9 @ $
  if (c === 48 || c === 49 || c === 51 || c === 52 || c === 53 || c === 55 || c === 56 || c === 57 || c === 64 || c === 36) k |= LEET;
  if (c === 48 || c === 49) k |= BIN;
  if ('[](){}<>\\*|~^%$#@=+`'.includes(String.fromCharCode(c))) k |= SYMBOL;
  CHAR[c] = k;
}

// Base64 mixing bits per character: 1 upper case, 2 lower case, 4 digit or + /.
const MIX = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const k = CHAR[c] ?? 0;
  if (k & B64) MIX[c] = k & UPPER ? 1 : k & DIGITSYM ? 4 : 2;
}

// Frequent English words under rot13 (the and you your is this that with for ignore) and reversed
// (the you your this that with ignore), space-delimited; prose of any length contains several.
const ROT13_MARKERS = [' gur ', ' naq ', ' lbh ', ' lbhe ', ' vf ', ' guvf ', ' gung ', ' jvgu ', ' sbe ', 'vtaber'];
const REVERSED_MARKERS = [' eht ', ' uoy ', ' ruoy ', ' siht ', ' taht ', ' htiw ', 'erongi'];

const NON_ASCII = /[\u0080-\uFFFF]/;
// Any code unit outside ASCII and the common typographic punctuation (curly quotes, dashes, NBSP).
// Texts without such characters cannot carry non-Latin phrases or Unicode tricks.
const NON_LATIN = /[\u0080-\u009F\u00C0-\u200F\u2028-\u202F\u205F-\uFFFF]/;

function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Longest trigger the signature rule sets register. Triggers only decide which rules run (the
 * rules' regexes do the matching), so a prefix is as good as the whole phrase.
 */
export const MAX_TRIGGER = 12;

export interface TriggerOptions {
  /** Digits must match exactly; by default any digit stands for any digit ("part 1" ~ "part 2"). */
  exactDigits?: boolean;
  /**
   * Only where not glued to an ASCII letter or digit: on either side (true: "Mr" but not "Mrs" or
   * "hmm") or after the end only ('end': "mode" but not "model").
   */
  word?: boolean | 'end';
  /** Only with exactly the letter case given ("St" but not "st" or "ST"). */
  exactCase?: boolean;
  /** Record where the literal occurs (see TextFacts.positionsOf). */
  positions?: boolean;
}

interface Literal {
  readonly text: string;
  /** Lower-case char codes; digits as written. */
  readonly codes: readonly number[];
  readonly exactDigits: boolean;
  readonly exactCase: boolean;
  /** Boundaries required: 1 after the end, 2 before the start as well. */
  readonly word: 0 | 1 | 2;
  readonly positions: boolean;
  /** Reported in TextFacts.found (registered through registerLiterals). */
  inFound: boolean;
  marker: 0 | 1 | 2;
  /** Needs a check the automaton cannot make (exact digits, letter case, word boundaries). */
  readonly checked: boolean;
}

const literals: Literal[] = [];
const idByKey = new Map<string, number>();
// Built on first use after the last registration.
let matcher: Matcher | undefined;
let stampNow = 0;

function addLiteral(text: string, opts: TriggerOptions): number {
  const key = `${opts.exactDigits ? 'd' : ''}${opts.exactCase ? 'c' : ''}${opts.word === true ? 'w' : opts.word === 'end' ? 'e' : ''}${opts.positions ? 'p' : ''}:${text}`;
  const known = idByKey.get(key);
  if (known !== undefined) return known;
  if (text.length === 0) throw new Error('empty trigger literal');
  const ascii = !NON_ASCII.test(text);
  if (!ascii && (opts.exactDigits || opts.exactCase || opts.word !== undefined || opts.positions)) throw new Error(`trigger ${JSON.stringify(text)}: options apply to ASCII literals only`);
  const codes: number[] = [];
  let digits = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c >= 48 && c <= 57) digits = true;
    codes.push(c);
  }
  const word = opts.word === true ? 2 : opts.word === 'end' ? 1 : 0;
  const checked = word > 0 || opts.exactCase === true || (opts.exactDigits === true && digits);
  const id = literals.length;
  literals.push({ text, codes, exactDigits: opts.exactDigits === true, exactCase: opts.exactCase === true, word, positions: opts.positions === true, inFound: false, marker: 0, checked });
  idByKey.set(key, id);
  matcher = undefined;
  return id;
}

/** Registers trigger literals (lower case) with options; returns their ids, in order. Call at module load. */
export function registerTriggers(list: readonly string[], opts: TriggerOptions = {}): number[] {
  return list.map((l) => addLiteral(l, opts));
}

/**
 * Adds signature trigger literals (lower case, cut to MAX_TRIGGER characters) to the shared pass;
 * they are reported in TextFacts.found. Returns the id of each (after cutting). Call at module load.
 */
export function registerLiterals(list: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const full of list) {
    const l = full.slice(0, MAX_TRIGGER);
    const id = addLiteral(l, {});
    const lit = literals[id];
    if (lit) lit.inFound = true;
    out.set(l, id);
  }
  return out;
}

for (const [ms, kind] of [
  [ROT13_MARKERS, 1],
  [REVERSED_MARKERS, 2],
] as const) {
  for (const id of registerLiterals(ms).values()) {
    const lit = literals[id];
    if (lit) lit.marker = kind;
  }
}

/** A set of cue literals (ASCII), registered once; see cueMask. */
export interface CueGroup {
  readonly literals: readonly string[];
  /** See TriggerOptions.word. */
  readonly word?: boolean | 'end';
  /** With exactly the letter case written; otherwise case-insensitive. */
  readonly exactCase?: boolean;
}

/** Registers the literals of `groups` with the shared pass; the mask marks their ids (see anyCue). */
export function cueMask(groups: readonly CueGroup[]): Uint8Array {
  const ids: number[] = [];
  for (const g of groups) {
    const lits = g.exactCase ? g.literals : g.literals.map((l) => l.toLowerCase());
    ids.push(...registerTriggers(lits, { word: g.word, exactCase: g.exactCase, exactDigits: true }));
  }
  const mask = new Uint8Array(Math.max(0, ...ids) + 1);
  for (const id of ids) mask[id] = 1;
  return mask;
}

/** Whether any literal of `mask` occurs (ids from TextFacts.ids). */
export function anyCue(ids: readonly number[], mask: Uint8Array): boolean {
  for (const id of ids) if (id < mask.length && mask[id] === 1) return true;
  return false;
}

/** How many literals the shared pass looks for. */
export function triggerCount(): number {
  return literals.length;
}

// ---- the matcher ------------------------------------------------------------------------------

// Aho–Corasick over the ASCII literals, compiled to a dense table over a small alphabet (one class
// per character some literal uses, upper case folded onto lower case, every digit one class; class
// 0 is everything else, non-ASCII included). States are numbered breadth-first so the shallow
// states ordinary text lives in share cache lines, and each entry holds the next state's row offset
// (negated when that state emits) so the loop needs one load and one sign test per character.
// Non-ASCII literals go to a gated regex.
interface Matcher {
  /** Alphabet class of each ASCII code, with the CHAR flags from bit 8 on. */
  table: Uint32Array;
  width: number;
  delta: Int32Array;
  /** Literal ids emitted by each state (suffix links included). */
  outs: (readonly number[] | undefined)[];
  otherRe: RegExp | undefined;
  otherGate: RegExp | undefined;
  otherIds: Map<string, number>;
  stamp: Uint32Array;
  counts: Uint16Array;
}

function foldDigit(c: number): number {
  return c >= 48 && c <= 57 ? 48 : c;
}

function buildMatcher(): Matcher {
  const other: string[] = [];
  const otherIds = new Map<string, number>();
  const ascii: number[] = [];
  for (const [id, l] of literals.entries()) {
    if (NON_ASCII.test(l.text)) {
      other.push(l.text);
      otherIds.set(l.text, id);
    } else ascii.push(id);
  }
  const cls = new Uint8Array(128);
  let width = 1;
  for (const id of ascii) {
    for (const c0 of literals[id]!.codes) {
      const c = foldDigit(c0);
      if (cls[c] !== 0) continue;
      if (c === 48) for (let d = 48; d <= 57; d++) cls[d] = width;
      else {
        cls[c] = width;
        if (c >= 97 && c <= 122) cls[c - 32] = width;
      }
      width++;
    }
  }

  // Trie, then breadth-first renumbering.
  const kids: Map<number, number>[] = [new Map()];
  const own: number[][] = [[]];
  for (const id of ascii) {
    let st = 0;
    for (const c of literals[id]!.codes) {
      const a = cls[foldDigit(c)]!;
      const node = kids[st]!;
      let nxt = node.get(a);
      if (nxt === undefined) {
        nxt = kids.length;
        kids.push(new Map());
        own.push([]);
        node.set(a, nxt);
      }
      st = nxt;
    }
    own[st]!.push(id);
  }
  const n = kids.length;
  const order: number[] = [0];
  for (let qi = 0; qi < order.length; qi++) for (const nxt of kids[order[qi]!]!.values()) order.push(nxt);
  const rank = new Int32Array(n);
  order.forEach((old, i) => (rank[old] = i));

  const delta = new Int32Array(n * width);
  const fail = new Int32Array(n);
  const outs: (number[] | undefined)[] = new Array<number[] | undefined>(n);
  for (const old of order) {
    const s = rank[old]!;
    const f = fail[s]!;
    const mine = own[old]!;
    const inherited = s === 0 ? undefined : outs[f];
    outs[s] = mine.length > 0 || inherited ? [...mine, ...(inherited ?? [])] : undefined;
    for (let a = 0; a < width; a++) {
      const child = kids[old]!.get(a);
      const viaFail = s === 0 ? 0 : delta[f * width + a]!;
      if (child !== undefined) {
        const c = rank[child]!;
        fail[c] = viaFail;
        delta[s * width + a] = c;
      } else delta[s * width + a] = viaFail;
    }
  }
  for (let i = 0; i < delta.length; i++) {
    const t = delta[i]!;
    delta[i] = outs[t] ? ~(t * width) : t * width;
  }
  const table = new Uint32Array(128);
  for (let c = 0; c < 128; c++) table[c] = cls[c]! | ((CHAR[c] ?? 0) << 8);

  const otherRe = other.length > 0 ? new RegExp(other.sort((a, b) => b.length - a.length).map(escapeLiteral).join('|'), 'gu') : undefined;
  // The non-ASCII literal regex only runs when the text has one of the characters those literals
  // are made of, so an accent or an emoji elsewhere does not cost a second pass.
  const otherChars = new Set<string>();
  for (const l of other) for (const ch of l) if (NON_ASCII.test(ch)) otherChars.add(ch);
  const otherGate = otherChars.size > 0 ? new RegExp(`[${[...otherChars].map(escapeLiteral).join('')}]`, 'u') : undefined;
  return { table, width, delta, outs, otherRe, otherGate, otherIds, stamp: new Uint32Array(literals.length), counts: new Uint16Array(literals.length) };
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** What the automaton cannot see: exact digits, letter case and word boundaries of literal `l` ending at `end`. */
function verify(text: string, end: number, l: Literal): boolean {
  const codes = l.codes;
  const start = end - codes.length;
  if (l.exactCase) {
    for (let j = 0; j < codes.length; j++) if (text.charCodeAt(start + j) !== l.text.charCodeAt(j)) return false;
  } else if (l.exactDigits) {
    for (let j = 0; j < codes.length; j++) {
      const want = codes[j]!;
      if (want >= 48 && want <= 57 && text.charCodeAt(start + j) !== want) return false;
    }
  }
  if (l.word > 0 && (isAlnum(text.charCodeAt(end)) || (l.word === 2 && start > 0 && isAlnum(text.charCodeAt(start - 1))))) return false;
  return true;
}

class Facts implements TextFacts {
  readonly ids: number[] = [];
  positions: Map<number, number[]> | undefined;
  overflow: Set<number> | undefined;
  base64 = false;
  hex = false;
  binary = false;
  escapes = false;
  percent = false;
  entities = false;
  leet = false;
  spaced = false;
  symbols = 0;
  digits = 0;
  maxDigitRun = 0;
  maxUpperRun = 0;
  caseSwitches = 0;
  maxHexRun = 0;
  maxMixedRun = 0;
  at = false;
  asciiLetter = false;
  nonAscii = false;
  rot13Markers = 0;
  reversedMarkers = 0;
  wordStarts: number[] | undefined;
  wordStartsOverflowed = false;
  private foundSet: Set<string> | undefined;
  private lowerText: string | undefined;
  private nonLatinFlag: boolean | undefined;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  get lower(): string {
    return (this.lowerText ??= this.text.toLowerCase());
  }

  get nonLatin(): boolean {
    return (this.nonLatinFlag ??= this.nonAscii && NON_LATIN.test(this.text));
  }

  get found(): ReadonlySet<string> {
    if (!this.foundSet) {
      this.foundSet = new Set<string>();
      for (const id of this.ids) {
        const l = literals[id];
        if (l?.inFound) this.foundSet.add(l.text);
      }
    }
    return this.foundSet;
  }

  positionsOf(id: number): readonly number[] | undefined {
    return this.positions?.get(id);
  }

  overflowed(id: number): boolean {
    return this.overflow?.has(id) === true;
  }
}

function record(f: Facts, m: Matcher, id: number, end: number): void {
  if (m.stamp[id] !== stampNow) {
    m.stamp[id] = stampNow;
    m.counts[id] = 0;
    f.ids.push(id);
  }
  const l = literals[id]!;
  if (!l.positions) return;
  const n = m.counts[id]!;
  if (n >= MAX_POSITIONS) {
    (f.overflow ??= new Set<number>()).add(id);
    return;
  }
  m.counts[id] = n + 1;
  f.positions ??= new Map<number, number[]>();
  const list = f.positions.get(id);
  if (list) list.push(end);
  else f.positions.set(id, [end]);
}

function wordStart(f: Facts, at: number): void {
  const list = (f.wordStarts ??= []);
  if (list.length < MAX_WORD_STARTS) list.push(at);
  else f.wordStartsOverflowed = true;
}

function countChar(text: string, ch: string, upTo: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0 && n < upTo; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

const BINARY_RUN = /[01]{8}[ ,]?[01]{8}[ ,]?[01]{8}[ ,]?[01]{8}/;
const SPACED_HEX = /(?:[0-9a-f]{2}[ :,-]){7}[0-9a-f]{2}/i;

function emit(text: string, end: number, ids: readonly number[], f: Facts, m: Matcher): void {
  for (const id of ids) {
    const l = literals[id]!;
    if (!l.checked || verify(text, end, l)) record(f, m, id, end);
  }
}

const LETTER_V = LETTER << 8;
const HEX_V = HEX << 8;
const UPPER_V = UPPER << 8;
const LOWER_V = LOWER << 8;
const FLAGS_V = 0x3ff << 8;

function scan(text: string): TextFacts {
  const m = (matcher ??= buildMatcher());
  stampNow = (stampNow + 1) >>> 0;
  if (stampNow === 0) {
    m.stamp.fill(0);
    stampNow = 1;
  }
  const { table, delta, outs, width } = m;
  const f = new Facts(text);
  let row = 0;
  let nonAscii = false;
  let base64 = false;
  let hexRun = 0;
  let hexPairs = 0;
  let maxHexRun = 0;
  let digits = 0;
  let maxDigitRun = 0;
  let maxUpperRun = 0;
  let caseSwitches = 0;
  let maxMixedRun = 0;
  let any = 0;
  let leet = 0;
  let symbols = 0;
  let singles = 0;
  let spaced = false;
  const n = text.length;
  let i = 0;
  // Text is read token by token. A token of ASCII letters only (most of prose) costs one automaton
  // step and a hex-run update per character; a token with digits, symbols or other marks is read
  // with the full per-character statistics. Whitespace, punctuation outside every class and
  // non-ASCII characters end tokens.
  while (i < n) {
    const ts = i;
    let up = 0;
    let c = 0;
    let v = 0;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c >= 128) break;
      v = table[c]!;
      if ((v & LETTER_V) === 0) break;
      up |= v;
      const next = delta[row + (v & 255)]!;
      if (next >= 0) row = next;
      else {
        row = ~next;
        emit(text, i + 1, outs[row / width]!, f, m);
      }
    }
    const letters = i - ts;
    if (letters > 0) {
      any |= up;
      if (up & UPPER_V) {
        if (text.charCodeAt(ts) <= 90) wordStart(f, ts);
        if ((up & LOWER_V) === 0) {
          // All capitals ("NASA"): the run is the word.
          if (letters > maxUpperRun) maxUpperRun = letters;
        } else if (letters > 1) {
          // Mixed case ("The", "iPhone", "broughtDB"): one more read for the capital runs and the
          // lower → upper switches.
          const cs = caseStatsIn(text, ts, i);
          if ((cs & 0xffff) > maxUpperRun) maxUpperRun = cs & 0xffff;
          caseSwitches += cs >>> 16;
        } else if (maxUpperRun === 0) maxUpperRun = 1;
      }
    }
    const closes = i >= n || c >= 128 || (v & FLAGS_V) === 0;
    // Hex runs of the letters, read back only where they matter (maxHexRun is exact from 16 on):
    // in words long enough to hold one, a long run; a two-letter word that may be a byte of spaced
    // hex; and the trailing run of a token that goes on with digits or symbols.
    if (letters > 0 && up & HEX_V) {
      if (letters >= MIN_HEX_DIGITS) maxHexRun = Math.max(maxHexRun, hexRunIn(text, ts, i));
      if (!closes || letters === 2) hexRun = isHexLetter(text.charCodeAt(i - 1)) ? trailingHex(text, ts, i) : 0;
    }
    if (i >= n) break;
    if (closes) {
      // The token was letters only (or empty): close it.
      if (hexRun > maxHexRun) maxHexRun = hexRun;
      if (hexRun === 2) hexPairs++;
      hexRun = 0;
      if (letters === 1) {
        if (++singles >= 5) spaced = true;
      } else if (letters > 1) singles = 0;
      if (c >= 128) {
        nonAscii = true;
        v = 0;
      }
      const next = delta[row + (v & 255)]!;
      if (next >= 0) row = next;
      else {
        row = ~next;
        emit(text, i + 1, outs[row / width]!, f, m);
      }
      i++;
      continue;
    }
    // A mixed token: carry on from its letters with the full statistics until it ends.
    let b64Run = letters;
    if (letters > maxMixedRun) maxMixedRun = letters;
    let b64Mix = letters > 0 ? mixOf(up) : 0;
    // The UPPER bit of the last letter lets the loop below see a lower → upper switch.
    let prev = letters > 0 ? LETTER | (isUpper(text.charCodeAt(i - 1)) ? UPPER : 0) : 0;
    let prev2 = letters > 1 ? LETTER : 0;
    let digitRun = 0;
    let upperRun = letters > 0 ? trailingUpper(text, ts, i) : 0;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      v = 0;
      if (c < 128) v = table[c]!;
      else nonAscii = true;
      const next = delta[row + (v & 255)]!;
      if (next >= 0) row = next;
      else {
        row = ~next;
        emit(text, i + 1, outs[row / width]!, f, m);
      }
      const k = (v >> 8) & 0x3ff;
      if (k === 0) {
        if (hexRun > maxHexRun) maxHexRun = hexRun;
        if (hexRun === 2) hexPairs++;
        hexRun = 0;
        if (prev & LETTER) {
          if (prev2 & LETTER) singles = 0;
          else if (++singles >= 5) spaced = true;
        }
        break;
      }
      any |= v;
      if (k & B64) {
        b64Run++;
        b64Mix |= MIX[c]!;
        if (b64Run >= MIN_B64 && b64Mix === 7) base64 = true;
        if (b64Run > maxMixedRun) maxMixedRun = b64Run;
      } else {
        b64Run = 0;
        b64Mix = 0;
      }
      if (k & HEX) hexRun++;
      else {
        if (hexRun > maxHexRun) maxHexRun = hexRun;
        hexRun = 0;
      }
      if (k & DIGIT) {
        digits++;
        if (digitRun === 0) wordStart(f, i);
        if (++digitRun > maxDigitRun) maxDigitRun = digitRun;
      } else digitRun = 0;
      if (k & UPPER) {
        if ((prev & LETTER) === 0) wordStart(f, i);
        if (++upperRun > maxUpperRun) maxUpperRun = upperRun;
        if ((prev & (LETTER | UPPER)) === LETTER) caseSwitches++;
      } else upperRun = 0;
      symbols += (k >> 5) & 1;
      if (k & LETTER ? prev & LEET : k & LEET && prev & LETTER) leet++;
      // s p a c e d letters: a letter with a non-letter on each side, several times in a row.
      if (!(k & LETTER) && prev & LETTER) {
        if (prev2 & LETTER) singles = 0;
        else if (++singles >= 5) spaced = true;
      }
      prev2 = prev;
      prev = k;
    }
    if (upperRun > maxUpperRun) maxUpperRun = upperRun;
    // i is at the separator (already read) or at the end.
    i++;
  }
  if (hexRun > maxHexRun) maxHexRun = hexRun;
  f.hex = maxHexRun >= MIN_HEX_DIGITS || (hexPairs >= 8 && digits >= 8 && SPACED_HEX.test(text));
  if (symbols > 0) {
    f.escapes = text.includes('\\x') || text.includes('\\u');
    f.percent = countChar(text, '%', 3) >= 3;
  }
  f.entities = countChar(text, '&', 3) >= 3;
  f.binary = digits >= 32 && BINARY_RUN.test(text);
  if (nonAscii && m.otherRe) {
    const lower = f.lower;
    if (m.otherGate?.test(lower)) {
      m.otherRe.lastIndex = 0;
      for (const lit of lower.match(m.otherRe) ?? []) {
        const id = m.otherIds.get(lit);
        if (id !== undefined) record(f, m, id, -1);
      }
    }
  }
  for (const id of f.ids) {
    const kind = literals[id]!.marker;
    if (kind === 1) f.rot13Markers++;
    else if (kind === 2) f.reversedMarkers++;
  }
  f.base64 = base64;
  f.leet = leet >= 3;
  f.spaced = spaced;
  f.symbols = symbols;
  f.digits = digits;
  f.maxDigitRun = maxDigitRun;
  f.maxUpperRun = maxUpperRun;
  f.caseSwitches = caseSwitches;
  f.maxHexRun = maxHexRun;
  f.maxMixedRun = maxMixedRun;
  f.at = (any & (AT << 8)) !== 0;
  f.asciiLetter = (any & LETTER_V) !== 0;
  f.nonAscii = nonAscii;
  return f;
}

/** Base64 mixing bits of a run of letters whose table entries OR to `up`. */
function mixOf(up: number): number {
  return (up & UPPER_V ? 1 : 0) | (up & (LOWER << 8) ? 2 : 0);
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/**
 * Longest run of capitals (low 16 bits) and lower → upper switches (high bits) in text[from, to),
 * a run of ASCII letters.
 */
function caseStatsIn(text: string, from: number, to: number): number {
  let best = 0;
  let run = 0;
  let switches = 0;
  let prevLower = false;
  for (let j = from; j < to; j++) {
    const c = text.charCodeAt(j);
    if (c <= 90) {
      if (++run > best) best = run;
      if (prevLower) switches++;
      prevLower = false;
    } else {
      run = 0;
      prevLower = true;
    }
  }
  return Math.min(best, 0xffff) | (Math.min(switches, 0x7fff) << 16);
}

function isHexLetter(c: number): boolean {
  return (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Longest run of hex letters in text[from, to). */
function hexRunIn(text: string, from: number, to: number): number {
  let best = 0;
  let run = 0;
  for (let j = from; j < to; j++) {
    if (isHexLetter(text.charCodeAt(j))) {
      if (++run > best) best = run;
    } else run = 0;
  }
  return best;
}

/** Hex letters at the end of text[from, to). */
function trailingHex(text: string, from: number, to: number): number {
  let j = to;
  while (j > from && isHexLetter(text.charCodeAt(j - 1))) j--;
  return to - j;
}

/** Capitals at the end of text[from, to). */
function trailingUpper(text: string, from: number, to: number): number {
  let j = to;
  while (j > from && text.charCodeAt(j - 1) >= 65 && text.charCodeAt(j - 1) <= 90) j--;
  return to - j;
}

// The engine runs each detector on the raw text and then on its decoded views, so a few recent
// texts alternate; a tiny cache keeps all of them.
const cache = new RecentCache<TextFacts>();

/** The facts of a text (cached for the few most recent texts). */
export function factsOf(text: string): TextFacts {
  return cache.get(text, scan);
}

/** Lower-cased copy of `text` (cached with its facts). */
export function lowerOf(text: string): string {
  return factsOf(text).lower;
}

/** Whether the text has characters beyond ASCII and everyday typographic punctuation (cached). */
export function hasNonLatin(text: string): boolean {
  return factsOf(text).nonLatin;
}
