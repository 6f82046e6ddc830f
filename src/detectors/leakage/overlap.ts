import type { Finding, Severity } from '../../exchange/types.ts';
import type { Detector } from '../types.ts';

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

// eslint-disable-next-line no-control-regex -- a plain range test, control characters included
const NON_ASCII = /[^\x00-\x7f]/;

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
  shingles: Set<number>;
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
  return { words: words.length, vocab, shingles };
}

// Streamed output is rescanned on every window against the same prompt string; the map keeps the
// most recently used profiles so a busy gateway does not rebuild them per chunk.
const cache = new Map<string, PromptProfile>();

function profileOf(prompt: string): PromptProfile {
  const hit = cache.get(prompt);
  if (hit) {
    cache.delete(prompt);
    cache.set(prompt, hit);
    return hit;
  }
  const p = buildProfile(prompt);
  cache.set(prompt, p);
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
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
  const ring = new Int32Array(SHINGLE_SIZE);
  const starts: number[] = [];
  const matched = new Set<number>();
  let valid = 0; // consecutive words that occur in the prompt's vocabulary
  let run = 0;
  let best = 0;
  let bestEndWord = -1;
  let bestEndOffset = 0;
  let i = 0;
  // Lowercasing ASCII text once keeps offsets aligned and saves a string per word; other text is
  // lowercased per word, since case folding can change its length.
  const ascii = !NON_ASCII.test(text);
  const src = ascii ? text.toLowerCase() : text;
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(src); m !== null; m = WORD_RE.exec(src), i++) {
    starts.push(m.index);
    const id = profile.vocab.get(ascii ? m[0] : m[0].toLowerCase());
    if (id === undefined) {
      valid = 0;
      run = 0;
      continue;
    }
    ring[i % SHINGLE_SIZE] = id;
    valid++;
    if (valid < SHINGLE_SIZE) continue;
    const h = shingleHash(ring, i);
    if (!profile.shingles.has(h)) {
      run = 0;
      continue;
    }
    matched.add(h);
    run = run === 0 ? SHINGLE_SIZE : run + 1;
    if (run > best) {
      best = run;
      bestEndWord = i;
      bestEndOffset = m.index + m[0].length;
    }
  }
  const coverage = matched.size / profile.shingles.size;
  const runStart = bestEndWord >= 0 ? (starts[bestEndWord - best + 1] ?? 0) : 0;
  return {
    coverage,
    longestRun: best,
    runStart,
    runEnd: bestEndWord >= 0 ? bestEndOffset : 0,
    promptWords: profile.words,
    score: overlapScore(coverage, best),
  };
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
