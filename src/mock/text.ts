// Text helpers shared by the OpenAI and Anthropic halves of the mock.

/**
 * The mock's token rule: ceil(characters / 4), counting UTF-16 code units.
 * Prompt tokens count every text in the request (system prompt, message text parts, tool results);
 * completion tokens count the reply text plus each tool call's name and JSON arguments.
 * It is not any real tokenizer: it is deterministic, cheap, and close enough to English averages that
 * token limits and budgets behave plausibly in tests.
 */
export function tokensFor(chars: number): number {
  return Math.ceil(chars / 4);
}

/**
 * Splits text into pieces of `size` characters without cutting a surrogate pair in half, so every
 * streamed delta is valid text on its own, as a real provider's deltas are.
 */
export function chunkText(text: string, size: number): string[] {
  if (text.length <= size) return text === '' ? [] : [text];
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end++;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/** Text of content that is either a string or an array of typed parts with `text` on the text ones. */
export function partsText(content: unknown, textType: string): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  let out: string | undefined;
  for (const part of content) {
    if (isRecord(part) && part.type === textType && typeof part.text === 'string') {
      out = out === undefined ? part.text : `${out}\n${part.text}`;
    }
  }
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function completionChars(text: string, toolArgs: readonly { name: string; json: string }[]): number {
  let n = text.length;
  for (const t of toolArgs) n += t.name.length + t.json.length;
  return n;
}
