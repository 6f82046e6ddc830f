import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScript, parseScript, Script } from '../../src/mock/script.ts';
import { chunkText, tokensFor } from '../../src/mock/text.ts';

describe('parseScript', () => {
  it('parses lines, skipping blanks and # comments', () => {
    const lines = parseScript(
      [
        '# greetings first',
        '{"match": "^hi", "reply": "hello", "chunk_size": 3, "delay_ms": 5}',
        '',
        '{"match": "weather", "tool_calls": [{"name": "get_weather", "arguments": {"city": "Oslo"}}]}',
        '{"status": 503, "times": 1, "headers": {"retry-after": "0"}, "usage": {"input_tokens": 7}}',
      ].join('\n'),
    );
    expect(lines).toEqual([
      { match: '^hi', reply: 'hello', chunk_size: 3, delay_ms: 5 },
      { match: 'weather', tool_calls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] },
      { status: 503, times: 1, headers: { 'retry-after': '0' }, usage: { input_tokens: 7 } },
    ]);
  });

  it.each([
    ['{"reply": "ok"}\n\n{"reply": ', 3, 'invalid JSON'],
    ['{"reply": "ok"}\n["not", "an", "object"]', 2, 'expected a JSON object'],
    ['{"chunksize": 4}', 1, 'unknown field "chunksize"'],
    ['{"reply": "a"}\n{"match": "(unclosed"}', 2, '"match" is not a valid regular expression'],
    ['{"status": 200}', 1, '"status" must be an HTTP error status'],
    ['{"fault": "explode"}', 1, '"fault" must be one of reset, hang, malformed, truncate'],
    ['{"chunk_size": 0}', 1, '"chunk_size" must be a positive integer'],
    ['{"delay_ms": -1}', 1, '"delay_ms" must be a non-negative number'],
    ['{"delay_ms": 5, "delay_jitter_ms": -1}', 1, '"delay_jitter_ms" must be a non-negative number'],
    ['{"delay_jitter_ms": 2}', 1, '"delay_jitter_ms" needs "delay_ms"'],
    ['{"tool_calls": [{"arguments": {}}]}', 1, '"tool_calls[0]".name must be a non-empty string'],
    ['{"tool_calls": [{"name": "f", "arguments": "{}"}]}', 1, '"tool_calls[0]".arguments must be an object'],
    ['{"headers": {"x-a": 1}}', 1, '"headers.x-a" must be a string'],
    ['{"usage": {"tokens": 3}}', 1, '"usage" has unknown field "tokens"'],
    ['{"times": 0}', 1, '"times" must be a positive integer'],
  ])('rejects %j naming line %i', (text, line, message) => {
    expect(() => parseScript(text)).toThrow(`line ${line}: ${message}`);
  });

  it('loadScript names the file and the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parapet-mock-'));
    const file = join(dir, 'script.jsonl');
    await writeFile(file, '{"reply": "fine"}\n{"reply": 5}\n');
    await expect(loadScript(file)).rejects.toThrow(`${file}: line 2: "reply" must be a string`);
    await writeFile(file, '{"reply": "fine"}\n');
    await expect(loadScript(file)).resolves.toEqual([{ reply: 'fine' }]);
  });
});

describe('Script.plan', () => {
  it('spreads delays over delay_ms ± delay_jitter_ms, the same sequence in every run', () => {
    const draw = (): number[] => {
      const s = new Script([{ match: '^slow', delay_ms: 16, delay_jitter_ms: 8 }, { delay_ms: 3 }]);
      return Array.from({ length: 2000 }, (_, i) => s.plan(i % 4 === 3 ? 'fast' : 'slow').delayMs);
    };
    const a = draw();
    expect(draw()).toEqual(a);
    const jittered = a.filter((_, i) => i % 4 !== 3);
    expect(a.filter((_, i) => i % 4 === 3).every((d) => d === 3)).toBe(true);
    expect(Math.min(...jittered)).toBeGreaterThanOrEqual(8);
    expect(Math.max(...jittered)).toBeLessThanOrEqual(24);
    // Spread over the whole range, centred on delay_ms: each quarter of it gets about a quarter.
    for (let q = 0; q < 4; q++) {
      const share = jittered.filter((d) => d >= 8 + 4 * q && d < 12 + 4 * q).length / jittered.length;
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.3);
    }
    // Never below zero, even when the jitter is wider than the delay.
    const wide = new Script([{ delay_ms: 1, delay_jitter_ms: 5 }]);
    expect(Array.from({ length: 200 }, () => wide.plan('x').delayMs).every((d) => d >= 0 && d <= 6)).toBe(true);
  });

  it('takes the first matching line and echoes when nothing matches', () => {
    const s = new Script([
      { match: 'secret', reply: 'first' },
      { match: 'secret|other', reply: 'second' },
      { match: 'other', reply: 'third' },
    ]);
    expect(s.plan('tell me the secret').text).toBe('first');
    expect(s.plan('the other one').text).toBe('second');
    expect(s.plan('unmatched words').text).toBe('unmatched words');
    expect(s.plan('unmatched words').chunkSize).toBe(8);
  });

  it('gives tool calls an empty reply, errors a default message, and honours times', () => {
    const s = new Script([
      { match: 'flaky', status: 503, times: 2 },
      { match: 'tool', tool_calls: [{ name: 'f' }] },
    ]);
    expect(s.plan('use a tool')).toMatchObject({ text: '', toolCalls: [{ name: 'f' }], status: undefined });
    expect(s.plan('flaky')).toMatchObject({ status: 503, text: 'mock error (status 503)' });
    expect(s.plan('flaky').status).toBe(503);
    expect(s.plan('flaky')).toMatchObject({ status: undefined, text: 'flaky' });
  });

  it('does not let a global RegExp carry state between requests', () => {
    const s = new Script([{ match: /abc/g, reply: 'hit' }]);
    expect([s.plan('abc').text, s.plan('abc').text, s.plan('abc').text]).toEqual(['hit', 'hit', 'hit']);
  });

  it('maps either naming of usage overrides', () => {
    const s = new Script([{ match: 'a', usage: { prompt_tokens: 3, output_tokens: 9 } }]);
    expect(s.plan('a').usage).toEqual({ input: 3, output: 9 });
  });
});

describe('chunkText', () => {
  it('splits into pieces of the given size', () => {
    expect(chunkText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(chunkText('', 4)).toEqual([]);
    expect(chunkText('ab', 4)).toEqual(['ab']);
    // The emoji is two UTF-16 units; a cut between them would leave both pieces invalid.
    expect(chunkText('a😀b😀', 2)).toEqual(['a😀', 'b😀']);
  });

  it('never splits a surrogate pair and always reassembles the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (text, size) => {
        const chunks = chunkText(text, size);
        expect(chunks.join('')).toBe(text);
        for (const c of chunks) {
          expect(c.length).toBeGreaterThan(0);
          expect(c.length).toBeLessThanOrEqual(size + 1);
          expect(c.isWellFormed()).toBe(true);
        }
      }),
    );
  });

  it('counts tokens as ceil(chars / 4)', () => {
    expect([tokensFor(0), tokensFor(1), tokensFor(4), tokensFor(5)]).toEqual([0, 1, 1, 2]);
  });
});
