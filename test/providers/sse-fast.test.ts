// The SSE parser and writer find line ends with indexOf instead of a loop over every character
// (issue 8: the line splitter was ~9% of a streamed answer's CPU). Both must behave exactly as the
// character loop did: same events, same errors, for any text split into any chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, serializeSse } from '../../src/providers/sse.ts';
import { StreamFormatError } from '../../src/providers/types.ts';
import type { SseEvent } from '../../src/providers/types.ts';

/** The parser as it was before the indexOf change, kept as the reference. */
function referenceParser(onEvent: (e: SseEvent) => void, max: number): { push(t: string): void; end(): void } {
  let started = false;
  const partial: string[] = [];
  let partialLength = 0;
  let skipLf = false;
  let eventType: string | undefined;
  let data = '';
  let hasData = false;
  const line = (text: string): void => {
    if (text === '') {
      if (hasData) onEvent(eventType === undefined ? { data } : { event: eventType, data });
      eventType = undefined;
      data = '';
      hasData = false;
      return;
    }
    const colon = text.indexOf(':');
    if (colon === 0) return;
    const field = colon === -1 ? text : text.slice(0, colon);
    const valueStart = colon === -1 ? text.length : text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
    if (field === 'data') {
      const value = text.slice(valueStart);
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
      if (data.length > max) throw new StreamFormatError('too large');
    } else if (field === 'event') {
      eventType = valueStart >= text.length ? undefined : text.slice(valueStart);
    }
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
      if (text.charCodeAt(0) === 10) start = 1;
    }
    const n = text.length;
    for (let i = start; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      let current = text.slice(start, i);
      if (partial.length > 0) {
        partial.push(current);
        current = partial.join('');
        partial.length = 0;
        partialLength = 0;
      }
      line(current);
      if (c === 13) {
        if (i + 1 === n) skipLf = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    if (start < n) {
      partial.push(start === 0 ? text : text.slice(start));
      partialLength += n - start;
      if (partialLength + data.length > max) throw new StreamFormatError('too large');
    }
  };
  return {
    push: feed,
    end() {
      partial.length = 0;
      data = '';
      hasData = false;
      eventType = undefined;
    },
  };
}

/** The writer as it was: one data line per line of the data, CRLF counting as one line end. */
function referenceSerialize(e: SseEvent): string {
  let out = e.event === undefined ? '' : `event: ${e.event}\n`;
  let start = 0;
  const d = e.data;
  for (let i = 0; i < d.length; i++) {
    const c = d.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    out += `data: ${d.slice(start, i)}\n`;
    if (c === 13 && d.charCodeAt(i + 1) === 10) i++;
    start = i + 1;
  }
  return `${out}data: ${d.slice(start)}\n\n`;
}

type Outcome = { events: SseEvent[]; error?: string };

function run(make: (onEvent: (e: SseEvent) => void) => { push(t: string): void; end(): void }, chunks: readonly string[]): Outcome {
  const events: SseEvent[] = [];
  const p = make((e) => events.push(e));
  try {
    for (const c of chunks) p.push(c);
    p.end();
  } catch (err) {
    return { events, error: err instanceof StreamFormatError ? 'too large' : String(err) };
  }
  return { events };
}

function split(text: string, cuts: readonly number[]): string[] {
  const sorted = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let prev = 0;
  for (const c of sorted) {
    parts.push(text.slice(prev, c));
    prev = c;
  }
  parts.push(text.slice(prev));
  return parts;
}

// Texts dense in what the splitter decides on: CR, LF, CRLF, colons, field names, a BOM.
const piece = fc.constantFrom('\n', '\r', '\r\n', '\n\n', '\r\r', ':', 'data', 'data:', 'data: ', 'event: ', 'event:', 'id: 1', ' ', 'x', '{"a":"é"}', '🌍', '\uFEFF');
const streamText = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));

describe('indexOf line splitting (issue 8)', () => {
  it('parses exactly as the character loop did, for any text and any chunking (property)', () => {
    fc.assert(
      fc.property(streamText, fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom(8, 64, 1 << 20), (text, cuts, max) => {
        const chunks = split(text, cuts);
        const fast = run((on) => createSseParser(on, { maxEventSize: max }), chunks);
        const ref = run((on) => referenceParser(on, max), chunks);
        expect(fast).toEqual(ref);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes events exactly as the character loop did (property)', () => {
    const data = fc.array(fc.constantFrom('\n', '\r', '\r\n', 'a', ' ', 'é', ':'), { maxLength: 20 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.option(fc.constantFrom('message', 'delta'), { nil: undefined }), data, (event, d) => {
        const e: SseEvent = event === undefined ? { data: d } : { event, data: d };
        expect(serializeSse(e)).toBe(referenceSerialize(e));
      }),
      { numRuns: 2000 },
    );
  });
});
