// Counting input tokens before forwarding. OpenAI models are counted with their real BPE encoding
// (gpt-tokenizer's tiktoken ports: o200k_base for gpt-4o / 4.1 / 4.5 / 5 / o-series / gpt-oss,
// cl100k_base for gpt-4 and gpt-3.5); every other model (Anthropic's tokenizer is not public) gets
// an estimate from the o200k count, inflated so it errs high. Either way settle() replaces the figure
// with the usage the upstream reports.
//
// Cost is bounded: the pure-JS BPE is quadratic in the length of a run without spaces (80k CJK
// characters take over a minute in one piece), so text is tokenized in segments of at most
// SEGMENT_CHARS, and only the first EXACT_BUDGET_CHARS of a request; the rest is estimated per
// character class. Both only ever add tokens relative to an exact count, except the class estimate.

import type { Exchange } from '../exchange/types.ts';

export type TokenizerFamily = 'o200k_base' | 'cl100k_base' | 'estimate';

interface Encoder {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

/** Characters per tokenizer call: keeps the BPE's worst case linear in the text. */
export const SEGMENT_CHARS = 256;
/** Characters per request counted exactly; the rest is estimated (see estimateChars). */
export const EXACT_BUDGET_CHARS = 8192;
/**
 * Claude's tokenizer is not public. Anthropic's rule of thumb (about 3.5 characters per token for
 * English) comes to roughly 1.2x the o200k count; 1.25x leans high on purpose, because admission
 * should over- rather than under-reserve.
 */
export const ESTIMATE_FACTOR = 1.25;
/** OpenAI's chat format: each message costs ~3 tokens of framing, and the reply is primed with 3. */
const PER_MESSAGE = 3;
const PER_REPLY = 3;
// Text like "<|endoftext|>" from a client is text, not a control token, and must not throw.
const AS_TEXT = { disallowedSpecial: new Set<string>() };

const O200K = /^(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|gpt-oss|codex|computer-use)/;
const CL100K = /^(?:gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada-002)/;

/** The encoding OpenAI uses for `model`, or 'estimate' for models without a public tokenizer. */
export function tokenizerFor(model: string): TokenizerFamily {
  // Fine-tuned models are named ft:BASE:org:suffix:id.
  const base = model.startsWith('ft:') ? model.slice(3) : model;
  if (O200K.test(base)) return 'o200k_base';
  if (CL100K.test(base)) return 'cl100k_base';
  return 'estimate';
}

const encoders = new Map<'o200k_base' | 'cl100k_base', Encoder>();
const loading = new Map<'o200k_base' | 'cl100k_base', Promise<Encoder>>();

function load(name: 'o200k_base' | 'cl100k_base'): Promise<Encoder> {
  let p = loading.get(name);
  if (p === undefined) {
    // The BPE ranks are megabytes: loaded on first use (or by preloadTokenizers at start).
    p = (name === 'o200k_base' ? import('gpt-tokenizer/encoding/o200k_base') : import('gpt-tokenizer/encoding/cl100k_base')).then((m) => {
      const enc: Encoder = { countTokens: m.countTokens };
      encoders.set(name, enc);
      return enc;
    });
    loading.set(name, p);
  }
  return p;
}

/** Starts loading both encodings so the first counted request does not wait for them. */
export function preloadTokenizers(): Promise<void> {
  return Promise.all([load('o200k_base'), load('cl100k_base')]).then(() => undefined);
}

/** Tokens of text past the exact budget: ~3.3 ASCII characters per token, one per other code unit. */
export function estimateChars(text: string, from = 0): number {
  let ascii = 0;
  let other = 0;
  for (let i = from; i < text.length; i++) {
    if (text.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return ascii * 0.3 + other;
}

/** A counter with a per-request exact budget. */
export class TokenCounter {
  readonly family: TokenizerFamily;
  readonly #encoder: Encoder;
  #budget = EXACT_BUDGET_CHARS;
  #tokens = 0;
  #exact = true;

  constructor(family: TokenizerFamily, encoder: Encoder) {
    this.family = family;
    this.#encoder = encoder;
  }

  /** Whether every character so far was counted by the tokenizer itself. */
  get exact(): boolean {
    return this.#exact && this.family !== 'estimate';
  }

  add(text: string): void {
    if (text.length === 0) return;
    let i = 0;
    while (i < text.length && this.#budget > 0) {
      let end = Math.min(text.length, i + SEGMENT_CHARS, i + this.#budget);
      if (end < text.length) {
        // Cut after a space when there is one near the end, so words stay whole.
        const space = text.lastIndexOf(' ', end - 1);
        if (space > i + SEGMENT_CHARS / 2) end = space + 1;
        const c = text.charCodeAt(end - 1);
        if (c >= 0xd800 && c <= 0xdbff) end--;
      }
      this.#tokens += this.#encoder.countTokens(text.slice(i, end), AS_TEXT);
      this.#budget -= end - i;
      i = end;
    }
    if (i < text.length) {
      this.#exact = false;
      this.#tokens += estimateChars(text, i);
    }
  }

  addFraming(messages: number): void {
    this.#tokens += messages * PER_MESSAGE + PER_REPLY;
  }

  get tokens(): number {
    const n = this.family === 'estimate' ? this.#tokens * ESTIMATE_FACTOR : this.#tokens;
    return Math.ceil(n);
  }
}

/** A counter for `model`, once its encoding is loaded. */
export async function counterFor(model: string): Promise<TokenCounter> {
  const family = tokenizerFor(model);
  const encoder = encoders.get(family === 'cl100k_base' ? 'cl100k_base' : 'o200k_base') ?? (await load(family === 'cl100k_base' ? 'cl100k_base' : 'o200k_base'));
  return new TokenCounter(family, encoder);
}

/**
 * Input tokens of an exchange: every message's text parts and tool calls, the tool definitions, and
 * the chat framing. Images, audio and files are not counted.
 */
export async function countInputTokens(ex: Exchange): Promise<{ tokens: number; exact: boolean; family: TokenizerFamily }> {
  const counter = await counterFor(ex.model);
  for (const m of ex.messages) {
    // Tool-call arguments are among the parts already; only the names are not.
    for (const p of m.parts) counter.add(p.text);
    for (const call of m.toolCalls ?? []) counter.add(call.name);
  }
  for (const t of ex.tools) {
    counter.add(t.name);
    counter.add(t.description);
    if (t.parameters !== undefined) counter.add(JSON.stringify(t.parameters));
  }
  counter.addFraming(ex.messages.length);
  return { tokens: counter.tokens, exact: counter.exact, family: counter.family };
}
