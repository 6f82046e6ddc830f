// Unicode-level hiding: invisible characters, bidi controls, tag-block and variation-selector
// smuggling, compatibility forms (fullwidth, mathematical alphanumerics, enclosed letters), stacked
// combining marks, and look-alike letters from other scripts mixed into Latin words.

import { COMMON_WORDS } from './words.ts';

export interface UnicodeStats {
  /** Zero-width and other invisible format characters removed. */
  invisible: number;
  /** Of those, how many sat between two letters (splitting a word). */
  invisibleInWord: number;
  bidiOverrides: number;
  bidiOther: number;
  /** ASCII text decoded from Unicode tag characters (U+E0020–E007E), outside emoji flag sequences. */
  tagText: string;
  /** Text decoded from runs of variation selectors used as a byte channel. */
  selectorText: string;
  /** Fullwidth, mathematical and enclosed Latin letters/digits. */
  compat: number;
  /** Longest run of combining marks on one base character. */
  maxCombiningRun: number;
  /** Words whose look-alike letters were folded to Latin. */
  confusableWords: number;
}

export interface UnicodeResult {
  text: string;
  stats: UnicodeStats;
}

// Anything the slow path could act on. Text without these characters is returned untouched.
// The class lists combining marks and joiners on purpose.
const SUSPICIOUS =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFE00-\uFE0E\uFEFF\uFFA0\uFFF9-\uFFFB\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\u2460-\u24FF\u0300-\u036F\u0370-\u03FF\u0400-\u052F\u0530-\u058F\u1D00-\u1D2B\u0250-\u02AF\uA730-\uA7FF]|\uDB40[\uDC00-\uDDEF]|\uD835[\uDC00-\uDFFF]|\uD83C[\uDD30-\uDD89]/;

const INVISIBLE = new Set<number>([
  0x00ad, 0x034f, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180c, 0x180d, 0x180e, 0x180f, 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062,
  0x2063, 0x2064, 0x206a, 0x206b, 0x206c, 0x206d, 0x206e, 0x206f, 0x3164, 0xfeff, 0xffa0, 0xfff9, 0xfffa, 0xfffb,
]);
// Zero-width (non-)joiners: legitimate inside emoji sequences and several scripts.
const JOINERS = new Set<number>([0x200c, 0x200d]);
const BIDI_OVERRIDE = new Set<number>([0x202a, 0x202b, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068]);
const BIDI_OTHER = new Set<number>([0x200e, 0x200f, 0x202c, 0x2069, 0x061c]);

// Look-alike letters that render (near-)identically to Latin ones. Turkish dotless i (U+0131) is left
// out on purpose: it is an ordinary letter in Turkish text.
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  '\u0430': 'a', '\u0441': 'c', '\u0435': 'e', '\u04BB': 'h', '\u0456': 'i', '\u0458': 'j', '\u043A': 'k', '\u043E': 'o', '\u0440': 'p', '\u051B': 'q',
  '\u0455': 's', '\u0443': 'y', '\u051D': 'w', '\u0445': 'x', '\u04CF': 'l', '\u0501': 'd',
  '\u0410': 'A', '\u0412': 'B', '\u0421': 'C', '\u0415': 'E', '\u041D': 'H', '\u0406': 'I', '\u0408': 'J', '\u041A': 'K', '\u041C': 'M', '\u041E': 'O',
  '\u0420': 'P', '\u0405': 'S', '\u0422': 'T', '\u0425': 'X', '\u0423': 'Y', '\u051C': 'W', '\u051A': 'Q', '\u04AE': 'Y', '\u04BA': 'H', '\u04C0': 'I',
  // Greek
  '\u03B1': 'a', '\u03B9': 'i', '\u03BA': 'k', '\u03BD': 'v', '\u03BF': 'o', '\u03C1': 'p', '\u03C5': 'u', '\u03C7': 'x', '\u03F2': 'c', '\u03F3': 'j',
  '\u0391': 'A', '\u0392': 'B', '\u0395': 'E', '\u0396': 'Z', '\u0397': 'H', '\u0399': 'I', '\u039A': 'K', '\u039C': 'M', '\u039D': 'N', '\u039F': 'O',
  '\u03A1': 'P', '\u03A4': 'T', '\u03A5': 'Y', '\u03A7': 'X', '\u03F9': 'C',
  // Armenian
  '\u0585': 'o', '\u0578': 'n', '\u057D': 'u', '\u0570': 'h', '\u0566': 'q',
  // Latin small capitals and IPA letters
  '\u0251': 'a', '\u0261': 'g', '\u0237': 'j', '\u1D00': 'a', '\u0299': 'b', '\u1D04': 'c', '\u1D05': 'd', '\u1D07': 'e', '\u0262': 'g', '\u029C': 'h',
  '\u026A': 'i', '\u1D0A': 'j', '\u1D0B': 'k', '\u029F': 'l', '\u1D0D': 'm', '\u0274': 'n', '\u1D0F': 'o', '\u1D18': 'p', '\u0280': 'r', '\uA731': 's',
  '\u1D1B': 't', '\u1D1C': 'u', '\u1D20': 'v', '\u1D21': 'w', '\u028F': 'y', '\u1D22': 'z',
};
const CONFUSABLE_CHARS = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`);
const WORD = /[\p{L}\p{M}]+/gu;
const LATIN_LETTER = /[A-Za-z]/;
const MARK = /\p{M}/u;
const FLAG_TAGS = /^[a-z0-9]{2,7}$/;
const COMBINING = /[\u0300-\u036F]/g;

function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f) || (c >= 0x370 && c <= 0x52f);
}

function emptyStats(): UnicodeStats {
  return { invisible: 0, invisibleInWord: 0, bidiOverrides: 0, bidiOther: 0, tagText: '', selectorText: '', compat: 0, maxCombiningRun: 0, confusableWords: 0 };
}

function selectorByte(cp: number): number {
  if (cp >= 0xfe00 && cp <= 0xfe0f) return cp - 0xfe00;
  if (cp >= 0xe0100 && cp <= 0xe01ef) return cp - 0xe0100 + 16;
  return -1;
}

/**
 * Folds Unicode-level hiding out of a text. Returns null when nothing suspicious is present, so
 * ordinary text (including ordinary non-Latin text) costs one regex test.
 */
export function foldUnicode(text: string): UnicodeResult | null {
  if (!SUSPICIOUS.test(text)) return null;
  const stats = emptyStats();
  let out = '';
  let copyFrom = 0;
  let combiningRun = 0;
  const flush = (upTo: number): void => {
    if (upTo > copyFrom) out += text.slice(copyFrom, upTo);
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c >= 0x300 && c <= 0x36f) {
      combiningRun++;
      if (combiningRun > stats.maxCombiningRun) stats.maxCombiningRun = combiningRun;
    } else combiningRun = 0;

    if (INVISIBLE.has(c)) {
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      let j = i + 1;
      while (j < text.length && INVISIBLE.has(text.charCodeAt(j))) j++;
      const next = j < text.length ? text.charCodeAt(j) : 0;
      const betweenLetters = isLetterCode(prev) && isLetterCode(next);
      // Joiners inside emoji sequences and in Indic/Arabic script are ordinary text: keep them.
      if (!betweenLetters && JOINERS.has(c) && j === i + 1) {
        i++;
        continue;
      }
      flush(i);
      stats.invisible += j - i;
      if (betweenLetters) stats.invisibleInWord++;
      i = j;
      copyFrom = i;
      continue;
    }
    if (BIDI_OVERRIDE.has(c) || BIDI_OTHER.has(c)) {
      flush(i);
      if (BIDI_OVERRIDE.has(c)) stats.bidiOverrides++;
      else stats.bidiOther++;
      i++;
      copyFrom = i;
      continue;
    }
    // Variation selectors: one after a character is normal (emoji style); a run is a byte channel.
    const cp = text.codePointAt(i) ?? c;
    if (selectorByte(cp) >= 0 && cp !== 0xfe0f) {
      let j = i;
      const bytes: number[] = [];
      while (j < text.length) {
        const cj = text.codePointAt(j) ?? 0;
        const b = selectorByte(cj);
        if (b < 0) break;
        bytes.push(b);
        j += cj > 0xffff ? 2 : 1;
      }
      flush(i);
      if (bytes.length >= 4) {
        const decoded = Buffer.from(bytes).toString('utf8');
        stats.selectorText += decoded;
        out += ` ${decoded} `;
      }
      i = j;
      copyFrom = i;
      continue;
    }
    // Tag characters U+E0000–E007F (surrogates DB40 DC00–DC7F).
    if (c === 0xdb40) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdc7f) {
        flush(i);
        let j = i;
        let decoded = '';
        while (j + 1 < text.length && text.charCodeAt(j) === 0xdb40) {
          const l = text.charCodeAt(j + 1);
          if (l < 0xdc00 || l > 0xdc7f) break;
          const ascii = l - 0xdc00;
          if (ascii >= 0x20 && ascii <= 0x7e) decoded += String.fromCharCode(ascii);
          j += 2;
        }
        // Subdivision flags (🏴 + lower-case tag letters + cancel tag) are legitimate emoji: kept as is.
        const flag = i >= 2 && text.charCodeAt(i - 2) === 0xd83c && text.charCodeAt(i - 1) === 0xdff4 && FLAG_TAGS.test(decoded);
        if (flag) out += text.slice(i, j);
        else if (decoded.length > 0) {
          stats.tagText += decoded;
          out += decoded;
        }
        i = j;
        copyFrom = i;
        continue;
      }
    }
    if ((c >= 0xff10 && c <= 0xff5a) || (c >= 0x2460 && c <= 0x24ff)) stats.compat++;
    else if ((c === 0xd835 || c === 0xd83c) && i + 1 < text.length) {
      const full = text.codePointAt(i) ?? 0;
      if ((full >= 0x1d400 && full <= 0x1d7ff) || (full >= 0x1f130 && full <= 0x1f189)) stats.compat++;
    }
    i++;
  }
  flush(text.length);

  if (stats.compat > 0) out = foldCompat(out);
  if (stats.maxCombiningRun >= 3) out = out.normalize('NFD').replace(COMBINING, '');
  if (CONFUSABLE_CHARS.test(out)) {
    const folded = foldConfusables(out);
    stats.confusableWords = folded.words;
    out = folded.text;
  }
  if (out === text) return null;
  return { text: out, stats };
}

// Negative squared/circled capitals (🅰 …) have no NFKC mapping; everything else NFKC handles.
function foldCompat(s: string): string {
  return s.normalize('NFKC').replace(/\uD83C[\uDD30-\uDD89]/g, (m) => {
    const cp = m.codePointAt(0) ?? 0;
    const base = cp >= 0x1f170 ? 0x1f170 : cp >= 0x1f150 ? 0x1f150 : 0x1f130;
    return String.fromCharCode(65 + ((cp - base) % 26));
  });
}

function foldConfusables(s: string): { text: string; words: number } {
  // In mostly-Latin text, a word made entirely of look-alikes is a disguise, not a foreign word.
  let latin = 0;
  let other = 0;
  for (let i = 0; i < s.length && i < 4000; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) latin++;
    else if (c >= 0x370 && c <= 0x58f) other++;
  }
  const mostlyLatin = latin > other * 2;
  let words = 0;
  const text = s.replace(WORD, (w) => {
    if (!CONFUSABLE_CHARS.test(w)) return w;
    let hasLatin = false;
    let hasForeign = false;
    let folded = '';
    for (const ch of w) {
      const f = CONFUSABLES[ch];
      if (f !== undefined) folded += f;
      else {
        folded += ch;
        if (LATIN_LETTER.test(ch)) hasLatin = true;
        else if (!MARK.test(ch)) hasForeign = true;
      }
    }
    if (hasForeign) return w;
    if (hasLatin || (mostlyLatin && w.length >= 2) || COMMON_WORDS.has(folded.toLowerCase())) {
      words++;
      return folded;
    }
    return w;
  });
  return { text, words };
}
