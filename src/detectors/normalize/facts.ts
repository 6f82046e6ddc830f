// One pass over a text that gathers everything the cheap layers need to decide whether they have
// any work to do: which trigger literals of the signature rule sets occur (Aho–Corasick automaton,
// case-folded on the fly), and character statistics for the normaliser's decoders (base64/hex/
// binary runs, %XX and &entities;, \x escapes, leetspeak, s p a c e d letters) and for the
// adversarial-suffix check (symbol count).
//
// A V8 regex alternation of hundreds of literals runs at ~20 MB/s; this loop reads every character
// once with two table lookups. The result is memoised for the last text, because the engine hands
// the same string to the normaliser and every detector in turn.

import { lowerOf, RecentCache } from './text.ts';

export interface TextFacts {
  /** Trigger literals (lower case) present in the text. */
  found: ReadonlySet<string>;
  /** A run of ≥16 base64 characters mixing upper case, lower case and digits/symbols. */
  base64: boolean;
  /** ≥16 hex digits, optionally separated by single spaces/colons/commas. */
  hex: boolean;
  /** ≥32 binary digits (8-bit groups). */
  binary: boolean;
  /** \x.. or \u.... escapes. */
  escapes: boolean;
  /** At least three %XX sequences. */
  percent: boolean;
  /** At least three ampersands (candidate HTML entities). */
  entities: boolean;
  /** At least three leet characters touching letters. */
  leet: boolean;
  /** Five one-letter words in a row. */
  spaced: boolean;
  /** Count of bracket/operator symbols ([](){}<>\*|~^%$#@=+`). */
  symbols: number;
  /** Any code unit ≥ 128. */
  nonAscii: boolean;
  /** Distinct frequent-English-word markers under rot13 / reversed. */
  rot13Markers: number;
  reversedMarkers: number;
}

const MIN_B64 = 16;
const MIN_HEX_DIGITS = 16;

// Per-character classes for the statistics.
const B64 = 1;
const HEX = 2;
const LETTER = 4;
const LEET = 8;
const BIN = 16;
const SYMBOL = 32;
const UPPER = 64;
const DIGITSYM = 128;
const CHAR = new Uint8Array(128);
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
  // Characters that stand for letters in leetspeak: 0 1 3 4 5 7 8 9 @ $
  if (c === 48 || c === 49 || c === 51 || c === 52 || c === 53 || c === 55 || c === 56 || c === 57 || c === 64 || c === 36) k |= LEET;
  if (c === 48 || c === 49) k |= BIN;
  if ('[](){}<>\\*|~^%$#@=+`'.includes(String.fromCharCode(c))) k |= SYMBOL;
  CHAR[c] = k;
}

// Frequent English words under rot13 (the and you your is this that with for ignore) and reversed
// (the you your this that with ignore), space-delimited; prose of any length contains several.
const ROT13_MARKERS = [' gur ', ' naq ', ' lbh ', ' lbhe ', ' vf ', ' guvf ', ' gung ', ' jvgu ', ' sbe ', 'vtaber'];
const REVERSED_MARKERS = [' eht ', ' uoy ', ' ruoy ', ' siht ', ' taht ', ' htiw ', 'erongi'];
const MARKER_KIND = new Map<string, 'rot13' | 'reversed'>([...ROT13_MARKERS.map((m) => [m, 'rot13'] as const), ...REVERSED_MARKERS.map((m) => [m, 'reversed'] as const)]);

const NON_ASCII = /[\u0080-\uFFFF]/;

function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

interface Automaton {
  classes: number;
  classOf: Uint8Array;
  next: Uint16Array | Uint32Array;
  hasOut: Uint8Array;
  outByState: (string[] | undefined)[];
  states: number;
  otherRe: RegExp | undefined;
  otherGate: RegExp | undefined;
}

/** Aho–Corasick over ASCII literals, folded to a dense table; non-ASCII literals go to a gated regex. */
function buildAutomaton(literals: Iterable<string>): Automaton {
  const ascii: string[] = [];
  const other: string[] = [];
  for (const l of new Set(literals)) {
    if (l.length === 0) continue;
    (NON_ASCII.test(l) ? other : ascii).push(l);
  }

  // Alphabet: one class per character used by some literal, upper case folded onto lower case;
  // class 0 is "anything else".
  const classOf = new Uint8Array(128);
  let classes = 1;
  // All digits share one class: no trigger tells digits apart in a way that matters.
  const digitClass = classes++;
  for (let c = 48; c <= 57; c++) classOf[c] = digitClass;
  for (const l of ascii) {
    for (let i = 0; i < l.length; i++) {
      const c = l.charCodeAt(i);
      if (classOf[c] === 0) {
        classOf[c] = classes;
        if (c >= 97 && c <= 122) classOf[c - 32] = classes;
        classes++;
      }
    }
  }

  const children: Map<number, number>[] = [new Map()];
  const ownOut: number[][] = [[]];
  ascii.forEach((l, id) => {
    let s = 0;
    for (let i = 0; i < l.length; i++) {
      const a = classOf[l.charCodeAt(i)] ?? 0;
      const node = children[s];
      if (!node) throw new Error('trie corrupted');
      let nxt = node.get(a);
      if (nxt === undefined) {
        nxt = children.length;
        children.push(new Map());
        ownOut.push([]);
        node.set(a, nxt);
      }
      s = nxt;
    }
    ownOut[s]?.push(id);
  });

  const states = children.length;
  const delta = new Uint32Array(states * classes);
  const fail = new Uint32Array(states);
  const out: (number[] | undefined)[] = new Array<number[] | undefined>(states);
  const queue: number[] = [];
  for (let a = 0; a < classes; a++) {
    const nxt = children[0]?.get(a);
    if (nxt !== undefined) {
      delta[a] = nxt;
      queue.push(nxt);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi] ?? 0;
    const own = ownOut[s] ?? [];
    const inherited = out[fail[s] ?? 0];
    out[s] = own.length > 0 || inherited ? [...own, ...(inherited ?? [])] : undefined;
    for (let a = 0; a < classes; a++) {
      const nxt = children[s]?.get(a);
      const viaFail = delta[(fail[s] ?? 0) * classes + a] ?? 0;
      if (nxt !== undefined) {
        fail[nxt] = viaFail;
        delta[s * classes + a] = nxt;
        queue.push(nxt);
      } else {
        delta[s * classes + a] = viaFail;
      }
    }
  }
  // Two bytes per entry keeps the table small enough to stay in cache.
  const next = states < 65536 ? new Uint16Array(states * classes) : new Uint32Array(states * classes);
  for (let i = 0; i < next.length; i++) next[i] = delta[i] ?? 0;
  const hasOut = new Uint8Array(states);
  const outByState: (string[] | undefined)[] = new Array<string[] | undefined>(states);
  for (let st = 0; st < states; st++) {
    const o = out[st];
    if (o) {
      outByState[st] = o.map((id) => ascii[id] ?? '');
      hasOut[st] = 1;
    }
  }
  const otherRe = other.length > 0 ? new RegExp(other.sort((a, b) => b.length - a.length).map(escapeLiteral).join('|'), 'gu') : undefined;
  // The non-ASCII literal regex only runs when the text has one of the characters those literals
  // are made of, so an accent or an emoji elsewhere does not cost a second pass.
  const otherChars = new Set<string>();
  for (const l of other) for (const ch of l) if (NON_ASCII.test(ch)) otherChars.add(ch);
  const otherGate = otherChars.size > 0 ? new RegExp(`[${[...otherChars].map(escapeLiteral).join('')}]`, 'u') : undefined;
  return { classes, classOf, next, hasOut, outByState, otherRe, otherGate, states };
}

const registered = new Set<string>(MARKER_KIND.keys());
let automaton: Automaton | undefined;

/**
 * Longest trigger the automaton matches. Triggers only decide which rules run (the rules' regexes
 * do the matching), so a prefix is as good as the whole phrase and keeps the automaton small.
 */
export const MAX_TRIGGER = 12;

/** Adds trigger literals (lower case, at most MAX_TRIGGER characters) to the shared pass. Call at module load. */
export function registerLiterals(literals: Iterable<string>): void {
  for (const l of literals) registered.add(l.slice(0, MAX_TRIGGER));
  automaton = undefined;
  combined = undefined;
}

/** Size of the automaton, for tests and tuning. */
export function automatonSize(): { states: number; classes: number } {
  automaton ??= buildAutomaton(registered);
  return { states: automaton.states, classes: automaton.classes };
}

// Base64 mixing bits per character: 1 upper case, 2 lower case, 4 digit or + /.
const MIX = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const k = CHAR[c] ?? 0;
  if (k & B64) MIX[c] = k & UPPER ? 1 : k & DIGITSYM ? 4 : 2;
}

function countChar(text: string, ch: string, upTo: number): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0 && n < upTo; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

const BINARY_RUN = /[01]{8}[ ,]?[01]{8}[ ,]?[01]{8}[ ,]?[01]{8}/;
const SPACED_HEX = /(?:[0-9a-f]{2}[ :,-]){7}[0-9a-f]{2}/i;
const DIGIT = 256;

// One lookup per character: DFA class in the low byte, character flags above (see CHAR; DIGIT added).
let combined: Uint32Array | undefined;

function combinedTable(classOf: Uint8Array): Uint32Array {
  const t = new Uint32Array(128);
  for (let c = 0; c < 128; c++) t[c] = (classOf[c] ?? 0) | ((CHAR[c] ?? 0) << 8) | (c >= 48 && c <= 57 ? DIGIT << 8 : 0);
  return t;
}

function scan(text: string): TextFacts {
  if (!automaton) {
    automaton = buildAutomaton(registered);
    combined = combinedTable(automaton.classOf);
  }
  const table = combined ?? combinedTable(automaton.classOf);
  const { classes, next, hasOut, outByState, otherRe, otherGate } = automaton;
  const found = new Set<string>();
  let state = 0;
  let nonAscii = false;
  let base64 = false;
  let b64Run = 0;
  let b64Mix = 0;
  let hexRun = 0;
  let hexPairs = 0;
  let maxHexRun = 0;
  let digits = 0;
  let leet = 0;
  let symbols = 0;
  let singles = 0;
  let spaced = false;
  let prev = 0;
  let prev2 = 0;
  const n = text.length;
  // Kept small on purpose: this loop is the per-character cost of the whole deterministic layer.
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let v = 0;
    if (c < 128) v = table[c]!;
    else nonAscii = true;
    state = next[state * classes + (v & 255)]!;
    if (hasOut[state] === 1) for (const lit of outByState[state]!) found.add(lit);
    const k = v >> 8;
    if (k === 0) {
      // Whitespace and punctuation outside every class: runs end here.
      b64Run = 0;
      b64Mix = 0;
      if (hexRun > maxHexRun) maxHexRun = hexRun;
      if (hexRun === 2) hexPairs++;
      hexRun = 0;
      if (prev & LETTER) {
        if (prev2 & LETTER) singles = 0;
        else if (++singles >= 5) spaced = true;
      }
      prev2 = prev;
      prev = 0;
      continue;
    }
    if (k & B64) {
      b64Run++;
      b64Mix |= MIX[c]!;
      if (b64Run >= MIN_B64 && b64Mix === 7) base64 = true;
    } else {
      b64Run = 0;
      b64Mix = 0;
    }
    if (k & HEX) hexRun++;
    else {
      if (hexRun > maxHexRun) maxHexRun = hexRun;
      hexRun = 0;
    }
    digits += (k >> 8) & 1;
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
  if (hexRun > maxHexRun) maxHexRun = hexRun;
  const hex = maxHexRun >= MIN_HEX_DIGITS || (hexPairs >= 8 && digits >= 8 && SPACED_HEX.test(text));
  let escapes = false;
  let percent = false;
  if (symbols > 0) {
    escapes = text.includes('\\x') || text.includes('\\u');
    percent = countChar(text, '%', 3) >= 3;
  }
  const entities = countChar(text, '&', 3) >= 3;
  const binary = digits >= 32 && BINARY_RUN.test(text);
  if (nonAscii && otherRe) {
    const lower = lowerOf(text);
    if (otherGate?.test(lower)) {
      otherRe.lastIndex = 0;
      for (const m of lower.match(otherRe) ?? []) found.add(m);
    }
  }
  let rot13Markers = 0;
  let reversedMarkers = 0;
  if (found.size > 0) {
    for (const lit of found) {
      const kind = MARKER_KIND.get(lit);
      if (kind === 'rot13') rot13Markers++;
      else if (kind === 'reversed') reversedMarkers++;
    }
  }
  return { found, base64, hex, binary, escapes, percent, entities, leet: leet >= 3, spaced, symbols, nonAscii, rot13Markers, reversedMarkers };
}

// The engine runs each detector on the raw text and then on its decoded views, so a few recent
// texts alternate; a tiny cache keeps all of them.
const cache = new RecentCache<TextFacts>();

/** The facts of a text (cached for the few most recent texts). */
export function factsOf(text: string): TextFacts {
  return cache.get(text, scan);
}
