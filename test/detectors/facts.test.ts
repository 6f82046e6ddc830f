// The shared character pass: trigger literals with their options, positions, and the character
// statistics every family gates on. The statistics are checked against straightforward reference
// implementations over generated text, so the token-by-token fast path cannot drift from them.
import { describe, expect, it } from 'vitest';
import {
  anyCue,
  cueMask,
  factsOf,
  hasNonLatin,
  lowerOf,
  MAX_POSITIONS,
  registerLiterals,
  registerTriggers,
} from '../../src/detectors/normalize/facts.ts';
import '../../src/detectors/registry.ts';

const has = (text: string, id: number): boolean => factsOf(text).ids.includes(id);

describe('trigger literals', () => {
  const [plain] = registerTriggers(['zqxjv']);
  const [word] = registerTriggers(['zqmr'], { word: true });
  const [end] = registerTriggers(['zqmode'], { word: 'end' });
  const [cased] = registerTriggers(['ZqSt'], { exactCase: true });
  const [exact] = registerTriggers(['zq7x'], { exactDigits: true });
  const [wild] = registerTriggers(['zq7y']);
  const [pos] = registerTriggers(['zqkey'], { positions: true });

  it('finds a plain literal anywhere, in any ASCII letter case', () => {
    expect(has('abcZQXJVdef', plain!)).toBe(true);
    expect(has('zqxj v', plain!)).toBe(false);
  });

  it('honours word boundaries on both sides or after the end only', () => {
    expect(has('see zqmr now', word!)).toBe(true);
    expect(has('(zqmr)', word!)).toBe(true);
    expect(has('azqmr', word!)).toBe(false);
    expect(has('zqmrs', word!)).toBe(false);
    expect(has('godzqmode.', end!)).toBe(true);
    expect(has('zqmodel', end!)).toBe(false);
    expect(has('zqmode', end!)).toBe(true);
  });

  it('checks letter case and digits only when asked', () => {
    expect(has('at ZqSt', cased!)).toBe(true);
    expect(has('at zqst', cased!)).toBe(false);
    expect(has('ZQST', cased!)).toBe(false);
    expect(has('zq7x', exact!)).toBe(true);
    expect(has('zq8x', exact!)).toBe(false);
    // Signature literals let any digit stand for any digit ("part 1" also gates "part 2").
    expect(has('zq3y', wild!)).toBe(true);
  });

  it('records where a positional literal ends, and overflows past the cap', () => {
    const text = 'a zqkey b ZQKEY';
    expect(factsOf(text).positionsOf(pos!)).toEqual([7, 15]);
    expect(factsOf(text).overflowed(pos!)).toBe(false);
    const many = 'zqkey '.repeat(MAX_POSITIONS + 5);
    expect(factsOf(many).positionsOf(pos!)).toHaveLength(MAX_POSITIONS);
    expect(factsOf(many).overflowed(pos!)).toBe(true);
  });

  it('reports only signature literals in `found`, cut to their trigger prefix', () => {
    const ids = registerLiterals(['zqsignaturewordlong']);
    expect([...ids.keys()]).toEqual(['zqsignaturew']);
    const f = factsOf('this has ZQSIGNATUREWORDLONG and zqxjv');
    expect(f.found.has('zqsignaturew')).toBe(true);
    expect(f.found.has('zqxjv')).toBe(false);
    expect(f.ids).toContain(plain);
  });

  it('finds non-ASCII literals too', () => {
    const ids = registerLiterals(['zqигнор']);
    expect(factsOf('Пожалуйста, ZQИГНОР это').ids).toContain(ids.get('zqигнор'));
  });

  it('groups cues into masks', () => {
    const mask = cueMask([{ literals: ['zqalpha', 'zqbeta'] }, { literals: ['Zqgamma'], exactCase: true, word: true }]);
    expect(anyCue(factsOf('x zqbeta y').ids, mask)).toBe(true);
    expect(anyCue(factsOf('x Zqgamma y').ids, mask)).toBe(true);
    expect(anyCue(factsOf('x zqgamma y').ids, mask)).toBe(false);
    expect(anyCue(factsOf('nothing here').ids, mask)).toBe(false);
  });

  it('caches lower case and non-Latin checks with the facts', () => {
    expect(lowerOf('ÀBC')).toBe('àbc');
    expect(hasNonLatin('plain “quoted” text — fine')).toBe(false);
    expect(hasNonLatin('Привет')).toBe(true);
  });
});

// ---- statistics against reference implementations ---------------------------------------------

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function longest(text: string, re: RegExp): number {
  let best = 0;
  for (const m of text.matchAll(re)) best = Math.max(best, m[0].length);
  return best;
}

// Tokens end at characters outside every class of the pass: whitespace, common punctuation, non-ASCII.
const SEPARATOR = /[^A-Za-z0-9+/_\-[\](){}<>\\*|~^%$#@=`]/;

function reference(text: string) {
  let mixed = 0;
  for (const tok of text.split(SEPARATOR)) {
    if (!/[^A-Za-z]/.test(tok)) continue;
    mixed = Math.max(mixed, longest(tok, /[A-Za-z0-9+/_-]+/g));
  }
  let base64 = false;
  for (const tok of text.split(SEPARATOR)) {
    for (const m of tok.matchAll(/[A-Za-z0-9+/_-]{16,}/g)) if (/[A-Z]/.test(m[0]) && /[a-z_-]/.test(m[0]) && /[0-9+/]/.test(m[0])) base64 = true;
  }
  return {
    digits: (text.match(/[0-9]/g) ?? []).length,
    maxDigitRun: longest(text, /[0-9]+/g),
    maxUpperRun: longest(text, /[A-Z]+/g),
    maxHexRun: longest(text, /[0-9A-Fa-f]+/g),
    maxMixedRun: mixed,
    at: text.includes('@'),
    asciiLetter: /[A-Za-z]/.test(text),
    nonAscii: /[\u0080-\uffff]/.test(text),
    symbols: (text.match(/[[\](){}<>\\*|~^%$#@=+`]/g) ?? []).length,
    base64,
  };
}

describe('character statistics', () => {
  const rand = prng(42);
  const alphabet = 'aAbBcCdeEfFgxXyZ0123456789 +/_-=@$%&#\\.,;:!?\'"()[]{}<>*|~^`\n\téİ中🔒 the ignore ';
  const texts: string[] = ['', 'a', 'DEADBEEFCAFEBABE1234 and deadbeefcafebabefeed', 'x@y.z', 'RSSMRA85T10A562S', 'ABCDEF ghijk', `${'ab1'.repeat(20)}`];
  for (let k = 0; k < 3000; k++) {
    let s = '';
    const len = Math.floor(rand() * 90);
    for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
    texts.push(s);
  }
  for (let k = 0; k < 500; k++) {
    let s = '';
    const len = Math.floor(rand() * 60);
    for (let j = 0; j < len; j++) s += rand() < 0.7 ? 'abcdefABCDEF0123456789'[Math.floor(rand() * 22)] : rand() < 0.5 ? ' ' : ':';
    texts.push(s);
  }

  it('agree with reference implementations on generated text', () => {
    for (const t of texts) {
      const f = factsOf(t);
      const r = reference(t);
      const got = {
        digits: f.digits,
        maxDigitRun: f.maxDigitRun,
        maxUpperRun: f.maxUpperRun,
        // Exact from 16 on; shorter runs inside words may read shorter.
        maxHexRun: r.maxHexRun >= 16 ? f.maxHexRun : r.maxHexRun,
        maxMixedRun: f.maxMixedRun,
        at: f.at,
        asciiLetter: f.asciiLetter,
        nonAscii: f.nonAscii,
        symbols: f.symbols,
        base64: f.base64,
      };
      expect(got, JSON.stringify(t)).toEqual(r);
      expect(f.maxHexRun).toBeLessThanOrEqual(r.maxHexRun);
    }
  });

  it('sees encodings and spacing tricks', () => {
    expect(factsOf('a b c d e f g').spaced).toBe(true);
    expect(factsOf('1gn0r3 4ll pr3v10us').leet).toBe(true);
    expect(factsOf('49 67 6e 6f 72 65 20 61 6c 6c 20 70').hex).toBe(true);
    expect(factsOf('01001001 01100111 01101110 01101111').binary).toBe(true);
    expect(factsOf('%49%67%6e%6f').percent).toBe(true);
    expect(factsOf('\\x49\\x67').escapes).toBe(true);
    expect(factsOf('plain words only').hex).toBe(false);
  });
});
