import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSseParser, serializeSse } from '../../src/providers/sse.ts';
import { StreamFormatError } from '../../src/providers/types.ts';
import type { SseEvent } from '../../src/providers/types.ts';
import { anthropicStream, openaiTextStream, wire } from './fixtures.ts';

function parseChunks(chunks: readonly (Uint8Array | string)[]): SseEvent[] {
  const out: SseEvent[] = [];
  const p = createSseParser((e) => out.push(e));
  for (const c of chunks) p.push(c);
  p.end();
  return out;
}

function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const sorted = [...new Set(cuts)].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let prev = 0;
  for (const c of sorted) {
    parts.push(bytes.subarray(prev, c));
    prev = c;
  }
  parts.push(bytes.subarray(prev));
  return parts;
}

// A stream exercising every rule: comments, multi-line data, an event name, an empty data line,
// a field without a colon, a field without the optional space, multi-byte characters, and id/retry.
const tricky =
  ': keep-alive\n' +
  'event: message_start\n' +
  'data: {"a":"é 🌍"}\n\n' +
  'data: line one\n' +
  'data:line two\n' +
  'data\n' +
  'id: 7\n' +
  'retry: 1000\n\n' +
  ':comment only\n\n' +
  'event: lonely\n\n' +
  'data:  two spaces\n\n';

const trickyEvents: SseEvent[] = [
  { event: 'message_start', data: '{"a":"é 🌍"}' },
  { data: 'line one\nline two\n' },
  { data: ' two spaces' },
];

describe('createSseParser', () => {
  it('follows the spec field rules', () => {
    expect(parseChunks([tricky])).toEqual(trickyEvents);
  });

  it.each([
    ['\n', '\\n'],
    ['\r\n', '\\r\\n'],
    ['\r', '\\r'],
  ])('reads %s line endings', (eol) => {
    expect(parseChunks([tricky.replaceAll('\n', eol)])).toEqual(trickyEvents);
    expect(parseChunks([wire(anthropicStream, eol)])).toEqual(anthropicStream);
  });

  it('gives the same events whatever single byte offset the stream is split at', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const bytes = new TextEncoder().encode(tricky.replaceAll('\n', eol) + wire(openaiTextStream, eol));
      const expected = [...trickyEvents, ...openaiTextStream];
      for (let i = 0; i <= bytes.length; i++) {
        expect(parseChunks(splitAt(bytes, [i]))).toEqual(expected);
      }
    }
  });

  it('gives the same events for any split into many chunks (property)', () => {
    const streams = [tricky, wire(openaiTextStream), wire(anthropicStream, '\r\n'), wire(anthropicStream, '\r')];
    fc.assert(
      fc.property(fc.constantFrom(...streams), fc.array(fc.nat(), { maxLength: 40 }), (text, rawCuts) => {
        const bytes = new TextEncoder().encode(text);
        const cuts = rawCuts.map((c) => c % (bytes.length + 1));
        expect(parseChunks(splitAt(bytes, cuts))).toEqual(parseChunks([bytes]));
      }),
      { numRuns: 500 },
    );
  });

  it('drops a leading BOM once and an unterminated final event', () => {
    expect(parseChunks(['\uFEFFdata: a\n\ndata: b\n'])).toEqual([{ data: 'a' }]);
    expect(parseChunks([new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf]), 'data: x\n\n'])).toEqual([{ data: 'x' }]);
  });

  it('refuses an event larger than the limit instead of buffering it', () => {
    const p = createSseParser(() => {}, { maxEventSize: 100 });
    expect(() => p.push(`data: ${'x'.repeat(200)}`)).toThrow(StreamFormatError);
    const q = createSseParser(() => {}, { maxEventSize: 100 });
    expect(() => {
      for (let i = 0; i < 20; i++) q.push('data: 0123456789\n');
    }).toThrow(StreamFormatError);
  });
});

describe('serializeSse', () => {
  it('writes the event name, one data line per line, and the blank line', () => {
    expect(serializeSse({ event: 'ping', data: '{}' })).toBe('event: ping\ndata: {}\n\n');
    expect(serializeSse({ data: 'a\nb' })).toBe('data: a\ndata: b\n\n');
    expect(serializeSse({ data: '' })).toBe('data: \n\n');
  });

  it('round-trips through the parser (property)', () => {
    const name = fc.string({ minLength: 1 }).filter((s) => !/[\r\n]/.test(s));
    const event = fc.record({ event: fc.option(name, { nil: undefined }), data: fc.string({ unit: 'grapheme' }) }, { requiredKeys: ['data'] });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 5 }), (events) => {
        const text = events.map((e) => serializeSse(e.event === undefined ? { data: e.data } : { event: e.event, data: e.data })).join('');
        const expected = events.map((e) => {
          const data = e.data.replace(/\r\n|\r/g, '\n');
          return e.event === undefined ? { data } : { event: e.event, data };
        });
        expect(parseChunks([new TextEncoder().encode(text)])).toEqual(expected);
      }),
    );
  });
});
