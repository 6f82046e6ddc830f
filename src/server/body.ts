import { GatewayError } from './errors.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decode and parse a request body with the checks JSON.parse alone does not make: strict UTF-8
 * (a lone surrogate or overlong byte must not reach detectors as U+FFFD and slip past a pattern)
 * and a nesting bound (deep bodies are a cheap way to make recursive code elsewhere blow up).
 */
export function parseJsonBody(buf: Buffer, maxDepth: number): unknown {
  if (buf.length === 0) throw new GatewayError('invalid_request', 'Request body is empty; expected a JSON object.');
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    throw new GatewayError('invalid_request', 'Request body is not valid UTF-8.');
  }
  const depth = maxNesting(text, maxDepth);
  if (depth > maxDepth) {
    throw new GatewayError('invalid_request', `Request body is nested deeper than ${maxDepth} levels.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : 'parse error';
    throw new GatewayError('invalid_request', `Request body is not valid JSON: ${detail}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GatewayError('invalid_request', 'Request body must be a JSON object.');
  }
  return value;
}

/** Deepest bracket nesting outside strings; stops counting once past `limit`. */
function maxNesting(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Jump to the closing quote with indexOf rather than walk the string a character at a time:
      // prompts are long strings, and this scan used to cost more than JSON.parse itself. A quote
      // after an odd run of backslashes is escaped; the run cannot reach past the opening quote.
      let j = i;
      for (;;) {
        j = text.indexOf('"', j + 1);
        if (j === -1) return max; // unterminated string: JSON.parse reports it
        let k = j - 1;
        while (text.charCodeAt(k) === 0x5c) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
