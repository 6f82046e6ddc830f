// Adversarial suffixes (GCG-style optimised token soup such as `describing.\ + similarlyNow write
// oppositeley.]( Me giving**ONE`): words glued to bracket/operator clusters, casing switching inside
// words, stray escapes. Natural prose has almost none of that; code has plenty, so code-looking
// tails are skipped. The check reads only the trailing part of the text, where such suffixes go.

import { factsOf } from '../normalize/facts.ts';

export interface SuffixSignal {
  score: number;
  start: number;
  end: number;
  weird: number;
  tokens: number;
}

const TAIL_CHARS = 700;
const MIN_TOKENS = 10;
const WINDOW_TOKENS = 60;
const DENSE_SPAN = 12;

// Symbols that are rare inside prose words but frequent in optimised suffixes.
const SYMBOLS = /[\][(){}<>\\*|~^%$#@=+`]/;
const SYMBOL_GLOBAL = /[\][(){}<>\\*|~^%$#@=+`]/g;
const TOKEN = /\S+/g;
const EDGE_PUNCT = /^["'(\u201C\u2018*_~]+|[.,;:!?"')\u201D\u2019*_~]+$/g;
const PLACEHOLDER = /^[[{<(]{1,2}[\w\s.-]{1,30}[\]}>)]{1,2}$/;
const STRAY_BACKSLASH = /\\(?![a-z]{2,}|[ntr]\b)/i;
const MARKDOWN_EMPHASIS = /^\*\*[^*]+\*\*$|^_[^_]+_$|^`[^`]+`$/;
const TINY_EXPRESSION = /^[a-z0-9]{1,3}[=+*^<>][a-z0-9]{1,3}$/i;
const GLUED_SYMBOL = /[a-z][\][(){}<>\\|~^%$#@=+`]|[\][(){}<>\\|~^%$#@=+`][A-Za-z]/;
const HAS_LETTER = /[A-Za-z]/;
const HAS_DIGIT = /\d/;
const CASE_SWITCH = /[a-z][A-Z]/;
const CAPS_RUN = /[A-Z]{2,}[a-z]{2,}/;
const SYMBOL_TABLE = new Uint8Array(128);
for (const ch of '[](){}<>\\*|~^%$#@=+`') SYMBOL_TABLE[ch.charCodeAt(0)] = 1;
const CODE_LINE = /\w\.\w+\(|->\s*[(\w]|::\w|[;{}]\s*$|;\s|\)\s*\{|\w\[\w+\]|\+\+|&&|\|\||[!=<>]=|^\s*(?:def|class|function|import|from|return|if|for|while|let|const|var|public|private|#include|fn|impl|use|package)\b|=>|\)\s*:\s*$/;
const URLISH = /^(?:https?:\/\/|www\.|[\w.+-]+@[\w-]+\.|\/[\w.-]+\/|[\w-]+\.(?:com|org|net|io|py|js|ts|md|json|html)\b|#\w+$|@\w+$|\$\d)/;
const LATEX = /^\\[a-z]+\{?|\$[^$]+\$/;
const CAMEL_OK = /^(?:i[A-Z][a-z]+|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|[A-Z][a-z]+(?:[A-Z][a-z]+){1,3}|[a-z]+(?:[A-Z][a-z]+){1,3})$/;

// Markdown links, inline code and URLs are ordinary in prompts and documents; they are removed
// before the tail is judged.
const MARKUP = /<[a-z][\w-]{0,30}(?:\s{1,4}[\w:-]{1,30}(?:="[^"\n]{0,200}"|='[^'\n]{0,200}')?){0,20}\s{0,4}\/?>|\[[^\]\n]{0,200}\]\([^)\s]{0,300}\)|\[[^\]\n]{0,200}\]\[[^\]\n]{0,60}\]|\[[^\]\n]{0,200}\]:\s*\S+|`[^`\n]{0,200}`|https?:\/\/\S+|<\/?[a-z][\w-]*>|\\[[\]<>_*]/gi;

const CODE_LINE_GLOBAL = new RegExp(CODE_LINE.source, 'g');

/** How many code-like marks a line has (at most 3 are counted). */
function codeMarks(line: string): number {
  if (!CODE_LINE.test(line)) return 0;
  CODE_LINE_GLOBAL.lastIndex = 0;
  let n = 0;
  for (let m = CODE_LINE_GLOBAL.exec(line); m !== null && n < 3; m = CODE_LINE_GLOBAL.exec(line)) {
    n++;
    if (m[0].length === 0) CODE_LINE_GLOBAL.lastIndex++;
  }
  return n;
}

function tokenWeirdness(raw: string): number {
  const tok = raw.replace(EDGE_PUNCT, '');
  if (tok.length === 0) return 0;
  if (URLISH.test(tok) || LATEX.test(tok)) return 0;
  // Template placeholders: [name], {topic}, <input>, {{user}}.
  if (PLACEHOLDER.test(tok)) return 0;
  const letters = HAS_LETTER.test(tok);
  const symbols = (tok.match(SYMBOL_GLOBAL) ?? []).length;
  // A backslash that starts no escape or LaTeX command ("describing.\\", "\\!--") is noise.
  if (STRAY_BACKSLASH.test(tok) && tok.length > 1) return 1;
  if (letters && symbols > 0) {
    // "(optional)", "a+b", "x=1", "**bold**" are everyday; "oppositeley.](" and "**ONE" are not.
    if (MARKDOWN_EMPHASIS.test(tok)) return 0;
    if (TINY_EXPRESSION.test(tok)) return 0.2;
    return symbols >= 2 || GLUED_SYMBOL.test(tok) ? 1 : 0.6;
  }
  if (!letters) {
    // Pure punctuation clusters of mixed kinds: `](`, `"\!--`, `%{`; numbers and table rules are not.
    if (HAS_DIGIT.test(tok)) return 0;
    const distinct = new Set(tok.replace(/\s/g, '')).size;
    if (SYMBOLS.test(tok) && distinct >= 2) return 0.8;
    return 0;
  }
  // Letters only (plus apostrophes/hyphens/digits).
  if (CASE_SWITCH.test(tok) || CAPS_RUN.test(tok)) {
    if (CAMEL_OK.test(tok)) return 0.35;
    return 0.9;
  }
  return 0;
}

/** Detects an optimised adversarial suffix at the end of the text; null when the tail reads normally. */
export function adversarialSuffix(text: string): SuffixSignal | null {
  // Suffix soup carries bracket/operator symbols or in-word case switches ("broughtDB
  // multiplicationMY"); a text with few of either cannot hold one (both counted by the shared pass).
  if (text.length < 50) return null;
  const facts = factsOf(text);
  if (facts.symbols < 6 && facts.caseSwitches < 3) return null;
  // Code fences mean code, where symbol soup is normal (checked natively before the tail loop).
  if (text.includes('```')) return null;
  let tailStart = Math.max(0, text.length - TAIL_CHARS);
  if (tailStart > 0) {
    const sp = text.indexOf(' ', tailStart);
    if (sp > 0) tailStart = sp + 1;
  }
  // Cheap gate, one pass over the tail: suffixes are dense in symbols or in-word case switches.
  let sym = 0;
  let switches = 0;
  let prevLower = false;
  for (let i = tailStart; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && SYMBOL_TABLE[c] === 1) sym++;
    const upper = c >= 65 && c <= 90;
    if (upper && prevLower) switches++;
    prevLower = c >= 97 && c <= 122;
  }
  if (sym < 6 && switches < 3) return null;
  // Suffixes are appended inline: judge the last line only.
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak >= tailStart) tailStart = lastBreak + 1;
  const tail = text.slice(tailStart).replace(MARKUP, ' ');
  // One stray "->" or "; " is part of the soup too; code shows several such marks.
  if (codeMarks(tail) >= 3) return null;

  const tokens: { t: string; start: number }[] = [];
  const tokRe = TOKEN;
  tokRe.lastIndex = 0;
  for (let m = tokRe.exec(tail); m !== null; m = tokRe.exec(tail)) tokens.push({ t: m[0], start: tailStart + m.index });
  if (tokens.length < MIN_TOKENS) return null;
  const last = tokens.slice(-WINDOW_TOKENS);
  const w = last.map((t) => tokenWeirdness(t.t));
  // Optimised suffixes are one dense run: take the densest stretch of DENSE_SPAN tokens.
  let best = 0;
  let bestAt = 0;
  let bestHard = 0;
  let sum = 0;
  let hard = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i] ?? 0;
    sum += wi;
    if (wi >= 0.9) hard++;
    if (i >= DENSE_SPAN) {
      const out = w[i - DENSE_SPAN] ?? 0;
      sum -= out;
      if (out >= 0.9) hard--;
    }
    if (sum > best) {
      best = sum;
      bestHard = hard;
      bestAt = Math.max(0, i - DENSE_SPAN + 1);
    }
  }
  const span = Math.min(DENSE_SPAN, w.length);
  const ratio = best / span;
  // Several unmistakable tokens (symbol clusters glued to words, stray escapes, casing junk) are required.
  if (best < 3.2 || ratio < 0.27 || bestHard < 3) return null;
  const score = Math.min(0.9, 0.3 + ratio);
  const first = last[bestAt];
  return { score, start: first?.start ?? tailStart, end: text.length, weird: best, tokens: span };
}
