import { OldestFirst } from '../../collections/oldest-first.ts';
import type { Finding, Severity } from '../../exchange/types.ts';
import type { Detector } from '../types.ts';
import { factsOf } from '../normalize/facts.ts';

// Verbatim disclosure of the system prompt, measured as shared word n-grams ("shingles") between
// the output and the prompt. Exact shingles are robust to the reformatting a model applies when it
// dumps a prompt (case, punctuation, markdown, line breaks) and cheap enough to rerun on every
// streamed window; paraphrase and translation are out of reach and left to other layers.

export const SHINGLE_SIZE = 5;
/** Prompts shorter than this are too generic ("You are a helpful assistant.") to call a copy a leak. */
export const MIN_PROMPT_WORDS = 12;
const MIN_SCORE = 0.2;
const CACHE_SIZE = 32;

// Words are runs of letters/digits; ideographic scripts do not separate words with spaces, so each
// of their characters counts as a word (otherwise a whole Chinese sentence would be one "word").
const WORD_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[[\p{L}\p{N}\p{M}]--[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]]+/gv;

const STOPWORDS = new Set(
  (
    'a an the and or but if then else of to in on at by for with from as is are was were be been being am ' +
    'i you he she it we they me him her us them my your his its our their this that these those there here ' +
    'do does did done have has had not no yes so than too very can could will would shall should may might must ' +
    'what which who whom whose when where why how all any each every some such only own same just also into about ' +
    'up down out over under again further once more most other both few nor s t don now'
  ).split(' '),
);

// Phrases that fill system prompts and answers alike; a shared shingle from these says nothing
// about disclosure. Kept short on purpose: anything specific to a deployment must still count.
const BOILERPLATE = [
  'you are a helpful assistant',
  'you are a helpful ai assistant',
  'you are a helpful and harmless assistant',
  'you are an ai assistant',
  'you are a friendly assistant',
  'i am a helpful assistant',
  'as an ai language model',
  'as a large language model',
  'how can i help you today',
  'how can i assist you today',
  'let me know if you have any questions',
  'let me know if you have any other questions',
  'feel free to ask if you have any questions',
  'if you do not know the answer say that you do not know',
  "if you don't know the answer just say that you don't know",
  'answer the user s question',
  'answer the following question',
  'please let me know if you need anything else',
  'think step by step',
  'let s think step by step',
];

function wordsOf(text: string): string[] {
  const out: string[] = [];
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m !== null; m = WORD_RE.exec(text)) out.push(m[0].toLowerCase());
  return out;
}

// Two independent 32-bit mixes folded into one 53-bit number: shingles are compared as numbers, so
// scanning output allocates no strings per n-gram; at these set sizes a collision is negligible.
function shingleHash(ids: Int32Array, end: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let k = end - SHINGLE_SIZE + 1; k <= end; k++) {
    const id = ids[k % SHINGLE_SIZE] ?? 0;
    h1 = Math.imul(h1 ^ id, 0x01000193);
    h2 = Math.imul(h2 ^ (id + 0x9e3779b9), 0x85ebca6b);
    h2 ^= h2 >>> 13;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) >>> 11);
}

interface PromptProfile {
  words: number;
  vocab: Map<string, number>;
  /** Vocabulary by hash of the (lower-case ASCII) word, for scanning ASCII text without slicing words. */
  byHash: Map<number, number[]>;
  /** Word of each vocabulary id (ids start at 1). */
  byId: string[];
  shingles: Set<number>;
}

// FNV-1a over lower-cased code units, as the ASCII scan computes it character by character.
function wordHash(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h;
}

const boilerplate = (() => {
  const set = new Set<string>();
  for (const phrase of BOILERPLATE) {
    const ws = wordsOf(phrase);
    for (let i = 0; i + SHINGLE_SIZE <= ws.length; i++) set.add(ws.slice(i, i + SHINGLE_SIZE).join(' '));
  }
  return set;
})();

function buildProfile(prompt: string): PromptProfile {
  const words = wordsOf(prompt);
  const vocab = new Map<string, number>();
  const shingles = new Set<number>();
  const ring = new Int32Array(SHINGLE_SIZE);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    let id = vocab.get(w);
    if (id === undefined) {
      id = vocab.size + 1;
      vocab.set(w, id);
    }
    ring[i % SHINGLE_SIZE] = id;
    if (i + 1 < SHINGLE_SIZE) continue;
    const gram = words.slice(i - SHINGLE_SIZE + 1, i + 1);
    if (gram.every((g) => STOPWORDS.has(g))) continue;
    if (boilerplate.has(gram.join(' '))) continue;
    shingles.add(shingleHash(ring, i));
  }
  const byHash = new Map<number, number[]>();
  const byId: string[] = [''];
  for (const [w, id] of vocab) {
    byId[id] = w;
    const h = wordHash(w);
    const list = byHash.get(h);
    if (list) list.push(id);
    else byHash.set(h, [id]);
  }
  return { words: words.length, vocab, byHash, byId, shingles };
}

// Streamed output is rescanned on every window against the same prompt string; the map keeps the
// most recently used profiles so a busy gateway does not rebuild them per chunk.
const cache = new Map<string, PromptProfile>();
const cacheOldest = new OldestFirst(cache);

let lastPrompt: string | undefined;
let lastProfile: PromptProfile | undefined;

function profileOf(prompt: string): PromptProfile {
  if (prompt === lastPrompt && lastProfile) return lastProfile;
  lastPrompt = prompt;
  lastProfile = profileFromCache(prompt);
  return lastProfile;
}

function profileFromCache(prompt: string): PromptProfile {
  const hit = cache.get(prompt);
  if (hit) {
    cache.delete(prompt);
    cache.set(prompt, hit);
    return hit;
  }
  const p = buildProfile(prompt);
  cache.set(prompt, p);
  if (cache.size > CACHE_SIZE) cacheOldest.evict();
  return p;
}

/** Test hook: how many prompt profiles are cached. */
export function overlapCacheSize(): number {
  return cache.size;
}

export interface OverlapResult {
  /** Fraction of the prompt's distinct informative shingles that appear in the text (0..1). */
  coverage: number;
  /** Length in words of the longest run of the text copied from the prompt. */
  longestRun: number;
  /** Offsets of that run in the text. */
  runStart: number;
  runEnd: number;
  promptWords: number;
  score: number;
}

/** Overlap between a text and a system prompt; undefined when the prompt is too short to judge. */
export function measureOverlap(text: string, systemPrompt: string): OverlapResult | undefined {
  const profile = profileOf(systemPrompt);
  if (profile.words < MIN_PROMPT_WORDS || profile.shingles.size === 0) return undefined;
  const walk = factsOf(text).nonAscii ? walkUnicode : walkAscii;
  const ring = new Int32Array(SHINGLE_SIZE);
  const ringStart = new Int32Array(SHINGLE_SIZE);
  const matched = new Set<number>();
  let valid = 0; // consecutive words that occur in the prompt's vocabulary
  let run = 0;
  let runStart = 0;
  let best = 0;
  let bestStart = 0;
  let bestEndOffset = 0;
  walk(text, profile, (i, id, start, end) => {
    if (id === undefined) {
      valid = 0;
      run = 0;
      return;
    }
    ring[i % SHINGLE_SIZE] = id;
    ringStart[i % SHINGLE_SIZE] = start;
    valid++;
    if (valid < SHINGLE_SIZE) return;
    const h = shingleHash(ring, i);
    if (!profile.shingles.has(h)) {
      run = 0;
      return;
    }
    matched.add(h);
    if (run === 0) {
      run = SHINGLE_SIZE;
      runStart = ringStart[(i + 1) % SHINGLE_SIZE] ?? 0;
    } else run++;
    if (run > best) {
      best = run;
      bestStart = runStart;
      bestEndOffset = end;
    }
  });
  const coverage = matched.size / profile.shingles.size;
  return {
    coverage,
    longestRun: best,
    runStart: best > 0 ? bestStart : 0,
    runEnd: best > 0 ? bestEndOffset : 0,
    promptWords: profile.words,
    score: overlapScore(coverage, best),
  };
}

/** Calls `visit` for every word: its index, vocabulary id (undefined when not in the prompt) and offsets. */
type WordVisitor = (i: number, id: number | undefined, start: number, end: number) => void;

function walkUnicode(text: string, profile: PromptProfile, visit: WordVisitor): void {
  let i = 0;
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m !== null; m = WORD_RE.exec(text), i++) visit(i, profile.vocab.get(m[0].toLowerCase()), m.index, m.index + m[0].length);
}

/**
 * ASCII text: words are runs of letters and digits (what WORD_RE finds there). Each word is hashed
 * while it is read and only a hash hit is compared with the vocabulary, so no string is made per word.
 */
function walkAscii(text: string, profile: PromptProfile, visit: WordVisitor): void {
  const n = text.length;
  let i = 0;
  let k = 0;
  while (k < n) {
    let c = text.charCodeAt(k);
    if (!isWordCode(c)) {
      k++;
      continue;
    }
    const start = k;
    let h = 0x811c9dc5;
    do {
      if (c >= 65 && c <= 90) c += 32;
      h = Math.imul(h ^ c, 0x01000193);
      c = ++k < n ? text.charCodeAt(k) : 0;
    } while (k < n && isWordCode(c));
    visit(i++, vocabId(profile, h, text, start, k), start, k);
  }
}

function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

function vocabId(profile: PromptProfile, h: number, text: string, start: number, end: number): number | undefined {
  const ids = profile.byHash.get(h);
  if (!ids) return undefined;
  for (const id of ids) {
    const w = profile.byId[id] ?? '';
    if (w.length !== end - start) continue;
    let same = true;
    for (let j = 0; j < w.length && same; j++) {
      let c = text.charCodeAt(start + j);
      if (c >= 65 && c <= 90) c += 32;
      same = c === w.charCodeAt(j);
    }
    if (same) return id;
  }
  return undefined;
}

/**
 * Coverage says how much of the prompt leaked; the longest run says how verbatim a leak is even
 * when the prompt is long. A short copied run (a sign-off line the prompt told the model to use)
 * stays low; a third of the prompt or a 30-word verbatim passage is a leak.
 */
export function overlapScore(coverage: number, longestRun: number): number {
  const cov = coverage < 0.05 ? 0 : Math.min(1, 0.1 + coverage * 1.6);
  const run = longestRun < 8 ? 0 : Math.min(0.9, ((longestRun - 6) / 30) * 0.9);
  return 1 - (1 - cov) * (1 - run);
}

function severityOf(score: number): Severity {
  if (score >= 0.9) return 'critical';
  if (score >= 0.7) return 'high';
  if (score >= 0.4) return 'medium';
  return 'low';
}

export const overlapDetector: Detector = {
  id: 'leakage.overlap',
  categories: ['leakage'],
  directions: ['output'],
  // Decoded views catch a prompt dumped as base64 / hex on request.
  scansViews: true,
  scan(text, ctx): Finding[] {
    const prompt = ctx.systemPrompt;
    if (!prompt || text.length < 16) return [];
    const r = measureOverlap(text, prompt);
    if (!r || r.score < MIN_SCORE) return [];
    return [
      {
        detector: 'leakage.overlap',
        category: 'leakage',
        rule: 'system-prompt-overlap',
        score: Math.round(r.score * 1000) / 1000,
        severity: severityOf(r.score),
        owasp: ['LLM07'],
        span: r.longestRun > 0 ? { start: r.runStart, end: r.runEnd } : undefined,
        explanation: `Output reproduces ${Math.round(r.coverage * 100)}% of the system prompt's phrasing (longest verbatim run ${r.longestRun} words).`,
      },
    ];
  },
};
