// Encoded layers an instruction can hide behind: base64/base64url, hex, \x / \u escapes, 8-bit
// binary, percent-encoding, HTML entities, rot13, reversed text, leetspeak and s p a c e d letters.
//
// The single character pass of facts.ts decides which decoders could apply, so ordinary text pays
// for that pass only, not for ten decoders. Each decoder rewrites the text
// in place (decoded runs replace encoded ones) so the surrounding words stay around the payload.
import type { TextFacts } from './facts.ts';
import { englishRate, isKnownWord } from './words.ts';

/** Which decoders could apply to a text (see facts.ts, which computes these in its single pass). */
export type EncodingProfile = Pick<TextFacts, 'base64' | 'hex' | 'escapes' | 'binary' | 'percent' | 'entities' | 'leet' | 'spaced'> & {
  rot13: boolean;
  reversed: boolean;
};

export function profileOf(f: TextFacts): EncodingProfile {
  return {
    base64: f.base64,
    hex: f.hex,
    escapes: f.escapes,
    binary: f.binary,
    percent: f.percent,
    entities: f.entities,
    leet: f.leet,
    spaced: f.spaced,
    rot13: f.rot13Markers >= 2,
    reversed: f.reversedMarkers >= 2,
  };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decoded bytes that read as text: valid UTF-8, printable, mostly letters and spaces. */
export function bytesToText(bytes: Uint8Array): string | null {
  if (bytes.length < 4) return null;
  // Random bytes (what most base64-looking identifiers decode to) fail this before UTF-8 decoding.
  let plain = 0;
  let high = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if ((b >= 32 && b < 127) || b === 9 || b === 10 || b === 13) plain++;
    else if (b >= 0x80) high++;
  }
  if (plain + high < bytes.length * 0.95 || plain < bytes.length * 0.3) return null;
  let s: string;
  try {
    s = UTF8.decode(bytes);
  } catch {
    return null;
  }
  return looksLikeText(s) ? s : null;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function looksLikeText(s: string): boolean {
  if (s.length < 4) return false;
  let printable = 0;
  let wordish = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c !== 127 && c !== 0xfffd && !(c >= 0x80 && c < 0xa0))) printable++;
    if (c === 32 || isLetter(c) || c > 0xbf) wordish++;
  }
  return printable / s.length >= 0.95 && wordish / s.length >= 0.6;
}

export interface Decoder {
  readonly name: string;
  /** Whether decoding twice gives the original back (then it is never applied twice in a row). */
  readonly involutive?: boolean;
  applies(p: EncodingProfile): boolean;
  decode(text: string): string | null;
}

function replaceRuns(text: string, re: RegExp, decodeRun: (run: string) => string | null): string | null {
  let changed = false;
  let runs = 0;
  re.lastIndex = 0;
  const out = text.replace(re, (run) => {
    if (++runs > 64) return run;
    const d = decodeRun(run);
    if (d === null) return run;
    changed = true;
    return d;
  });
  return changed ? out : null;
}

const B64_RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,}={0,2}/g;

function decodeBase64Run(run: string): string | null {
  let body = run.replace(/=+$/, '');
  if (/[+/]/.test(body) && /[-_]/.test(body)) return null;
  // Plain words and identifiers are valid base64 characters too; real payloads mix classes.
  if (!/[0-9+/]/.test(body) && !(/[A-Z]/.test(body) && /[a-z]/.test(body))) return null;
  if (body.length % 4 === 1) body = body.slice(0, -1);
  return bytesToText(Buffer.from(body, 'base64'));
}

const HEX_RUN = /(?<![0-9A-Fa-f])(?:(?:0x)?[0-9A-Fa-f]{2}[ :,-]?){8,}/g;

function decodeHexRun(run: string): string | null {
  const digits = run.replace(/0x/gi, '').replace(/[^0-9A-Fa-f]/g, '');
  if (digits.length % 2 !== 0) return null;
  return bytesToText(Buffer.from(digits, 'hex'));
}

const UNICODE_ESCAPE = /\\u\{?([0-9A-Fa-f]{1,6})\}?/g;
const ESCAPE_RUN = /(?:\\x[0-9A-Fa-f]{2}){4,}|(?:\\u[0-9A-Fa-f]{4}){4,}|(?:\\u\{[0-9A-Fa-f]{1,6}\}){4,}/g;

function decodeEscapeRun(run: string): string | null {
  if (run.startsWith('\\x')) {
    const digits = run.replace(/\\x/g, '');
    return bytesToText(Buffer.from(digits, 'hex'));
  }
  let s = '';
  const re = UNICODE_ESCAPE;
  re.lastIndex = 0;
  for (let m = re.exec(run); m !== null; m = re.exec(run)) {
    const cp = parseInt(m[1] ?? '', 16);
    if (!Number.isFinite(cp) || cp > 0x10ffff) return null;
    s += String.fromCodePoint(cp);
  }
  return looksLikeText(s) ? s : null;
}

const BINARY_RUN = /(?<![01])(?:[01]{8}[ ,]?){4,}/g;

function decodeBinaryRun(run: string): string | null {
  const groups = run.match(/[01]{8}/g) ?? [];
  return bytesToText(Uint8Array.from(groups.map((g) => parseInt(g, 2))));
}

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

function decodePercentRun(run: string): string | null {
  const bytes = Buffer.from(run.replace(/%/g, ''), 'hex');
  try {
    return UTF8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|(lt|gt|amp|quot|apos|nbsp));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string | null {
  let n = 0;
  ENTITY.lastIndex = 0;
  const out = text.replace(ENTITY, (m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    const cp = dec !== undefined ? parseInt(dec, 10) : hex !== undefined ? parseInt(hex, 16) : -1;
    if (cp >= 0) {
      if (cp > 0x10ffff) return m;
      n++;
      return String.fromCodePoint(cp);
    }
    n++;
    return NAMED[name ?? ''] ?? m;
  });
  return n >= 3 ? out : null;
}

export function rot13(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) out += String.fromCharCode(((c - 65 + 13) % 26) + 65);
    else if (c >= 97 && c <= 122) out += String.fromCharCode(((c - 97 + 13) % 26) + 97);
    else out += s[i];
  }
  return out;
}

/** A view only earns its keep when it reads as more English than the original. */
function moreEnglish(view: string, original: string): boolean {
  const v = englishRate(view);
  if (v.hits < 3) return false;
  return v.hits > englishRate(original).hits;
}

const LEET_TOKEN = /[A-Za-z0-9@$]+/g;
const LEET_MAP: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's' };
// A token glued to these is part of a URL, path, identifier or decorator, not leetspeak.
const CODE_NEIGHBOUR = /[/._#=\\:<>[\]{}()`'"-]/;

function decodeLeet(text: string): string | null {
  let changed = 0;
  LEET_TOKEN.lastIndex = 0;
  const out = text.replace(LEET_TOKEN, (tok: string, offset: number) => {
    if (tok.length < 2 || tok.length > 24 || !/[A-Za-z]/.test(tok) || !/[0134578@$9]/.test(tok)) return tok;
    if (tok[0] === '@' || tok[0] === '$') return tok;
    const before = offset > 0 ? text.charAt(offset - 1) : ' ';
    const after = text.charAt(offset + tok.length) || ' ';
    if (CODE_NEIGHBOUR.test(before) || (CODE_NEIGHBOUR.test(after) && after !== '.' && after !== "'")) return tok;
    let s = '';
    for (const ch of tok.toLowerCase()) s += LEET_MAP[ch] ?? ch;
    // "1" stands for both i and l.
    if (!isKnownWord(s) && s.includes('i') && /1/.test(tok)) {
      let alt = '';
      for (const ch of tok.toLowerCase()) alt += ch === '1' ? 'l' : (LEET_MAP[ch] ?? ch);
      if (isKnownWord(alt)) s = alt;
    }
    // Only tokens that become real words are rewritten, so identifiers and hashes stay untouched.
    if (!isKnownWord(s)) return tok;
    changed++;
    return s;
  });
  return changed >= 2 ? out : null;
}

const SPACED_RUN = /(?<![A-Za-z])(?:[A-Za-z][ ._*|-]){2,40}[A-Za-z](?![A-Za-z])/g;

function decodeSpaced(text: string): string | null {
  let changed = false;
  SPACED_RUN.lastIndex = 0;
  const out = text.replace(SPACED_RUN, (run) => {
    changed = true;
    return run.replace(/[ ._*|-]/g, '');
  });
  return changed ? out : null;
}

export const DECODERS: readonly Decoder[] = [
  { name: 'base64', applies: (p) => p.base64, decode: (t) => replaceRuns(t, B64_RUN, decodeBase64Run) },
  { name: 'hex', applies: (p) => p.hex, decode: (t) => replaceRuns(t, HEX_RUN, decodeHexRun) },
  { name: 'escapes', applies: (p) => p.escapes, decode: (t) => replaceRuns(t, ESCAPE_RUN, decodeEscapeRun) },
  { name: 'binary', applies: (p) => p.binary, decode: (t) => replaceRuns(t, BINARY_RUN, decodeBinaryRun) },
  { name: 'url', applies: (p) => p.percent, decode: (t) => replaceRuns(t, PERCENT_RUN, decodePercentRun) },
  { name: 'html', applies: (p) => p.entities, decode: decodeEntities },
  {
    name: 'rot13',
    involutive: true,
    applies: (p) => p.rot13,
    decode: (t) => {
      const v = rot13(t);
      return moreEnglish(v, t) ? v : null;
    },
  },
  {
    name: 'reversed',
    involutive: true,
    applies: (p) => p.reversed,
    decode: (t) => {
      const v = Array.from(t).reverse().join('');
      return moreEnglish(v, t) ? v : null;
    },
  },
  { name: 'leet', applies: (p) => p.leet, decode: decodeLeet },
  { name: 'spaced', applies: (p) => p.spaced, decode: decodeSpaced },
];
