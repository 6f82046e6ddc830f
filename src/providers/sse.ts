// Server-Sent Events as the WHATWG HTML spec reads them (the same rules the OpenAI and Anthropic SDKs
// follow), written for the streaming hot path: one decoder, one string buffer, no per-line arrays.
import { StreamFormatError } from './types.ts';
import type { SseEvent } from './types.ts';

export interface SseParser {
  /** Feed bytes (split anywhere, even inside a character) or text; do not mix both in one stream. */
  push(chunk: Uint8Array | string): void;
  /** The stream ended. An event without its terminating blank line is dropped, as the spec says. */
  end(): void;
}

export interface SseParserOptions {
  /** Most characters one event (its data plus the line being read) may hold; protects memory. */
  maxEventSize?: number;
}

const LF = 10;
const CR = 13;
const DEFAULT_MAX_EVENT = 16 * 1024 * 1024;

export function createSseParser(onEvent: (e: SseEvent) => void, options: SseParserOptions = {}): SseParser {
  const max = options.maxEventSize ?? DEFAULT_MAX_EVENT;
  // stream: true keeps a multi-byte character split across chunks until its last byte arrives.
  // The BOM is dropped by hand so string and byte input behave alike.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let started = false;
  // The start of a line whose end has not arrived yet. Kept as pieces and joined once: appending to
  // one string and scanning it would flatten it again for every chunk (quadratic on long lines).
  const partial: string[] = [];
  let partialLength = 0;
  // A chunk ended on CR: a LF opening the next chunk belongs to the same line ending.
  let skipLf = false;
  let eventType: string | undefined;
  let data = '';
  let hasData = false;

  const tooLarge = (): StreamFormatError => new StreamFormatError(`stream event larger than ${max} characters`);

  const line = (text: string): void => {
    if (text === '') {
      if (hasData) onEvent(eventType === undefined ? { data } : { event: eventType, data });
      eventType = undefined;
      data = '';
      hasData = false;
      return;
    }
    const colon = text.indexOf(':');
    if (colon === 0) return; // comment
    const field = colon === -1 ? text : text.slice(0, colon);
    const valueStart = colon === -1 ? text.length : text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
    if (field === 'data') {
      const value = text.slice(valueStart);
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
      if (data.length > max) throw tooLarge();
    } else if (field === 'event') {
      // An empty type means the default ("message"), which we represent as no type at all.
      eventType = valueStart >= text.length ? undefined : text.slice(valueStart);
    }
    // id and retry only matter to a reconnecting EventSource; the gateway never reconnects upstream.
  };

  const feed = (text: string): void => {
    if (text === '') return;
    if (!started) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0;
    if (skipLf) {
      skipLf = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    const n = text.length;
    // Line ends are found with indexOf (native, vectorised) rather than by testing every character:
    // this loop sees every byte of every streamed answer. The next LF and the next CR are tracked
    // separately; a search runs again only once the line end it found has been passed, so a chunk
    // without CR costs one failed CR search.
    let lf = text.indexOf('\n', start);
    let cr = text.indexOf('\r', start);
    while (lf !== -1 || cr !== -1) {
      const i = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      const c = i === lf ? LF : CR;
      let current = text.slice(start, i);
      if (partial.length > 0) {
        partial.push(current);
        current = partial.join('');
        partial.length = 0;
        partialLength = 0;
      }
      line(current);
      let end = i;
      if (c === CR) {
        if (i + 1 === n) skipLf = true;
        else if (text.charCodeAt(i + 1) === LF) end = i + 1;
      }
      start = end + 1;
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
    }
    if (start < n) {
      partial.push(start === 0 ? text : text.slice(start));
      partialLength += n - start;
      if (partialLength + data.length > max) throw tooLarge();
    }
  };

  return {
    push(chunk) {
      feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    },
    end() {
      feed(decoder.decode());
      partial.length = 0;
      partialLength = 0;
      data = '';
      hasData = false;
      eventType = undefined;
    },
  };
}

/** One event in wire form, ending with the blank line that dispatches it. */
export function serializeSse(e: SseEvent): string {
  let out = e.event === undefined ? '' : `event: ${e.event}\n`;
  const d = e.data;
  // Nearly every event's data is one line: two native searches instead of a loop over its characters.
  if (d.indexOf('\n') === -1 && d.indexOf('\r') === -1) return `${out}data: ${d}\n\n`;
  let start = 0;
  for (let i = 0; i < d.length; i++) {
    const c = d.charCodeAt(i);
    if (c !== LF && c !== CR) continue;
    out += `data: ${d.slice(start, i)}\n`;
    if (c === CR && d.charCodeAt(i + 1) === LF) i++;
    start = i + 1;
  }
  return `${out}data: ${d.slice(start)}\n\n`;
}
