// The event template (src/providers/event-template.ts) skips JSON.parse for streamed events that
// differ from an earlier one only in their delta text. Whatever the events, each parse must give
// exactly what JSON.parse gives (and fail where it fails), including for envelopes built to confuse
// it: duplicate keys, escapes, the delta's text appearing elsewhere, a prefix that is not in a string.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEventParser } from '../../src/providers/event-template.ts';
import { StreamFormatError } from '../../src/providers/types.ts';
import { parseEventData } from '../../src/providers/util.ts';

const PATH = ['choices', 0, 'delta', 'content'] as const;

type Outcome = { ok: true; value: unknown } | { ok: false; message: string };

function outcome(f: () => unknown): Outcome {
  try {
    // A deep copy: the template's object is reused by the next call.
    return { ok: true, value: structuredClone(f()) };
  } catch (err) {
    expect(err).toBeInstanceOf(StreamFormatError);
    return { ok: false, message: (err as Error).message };
  }
}

function chunk(id: string, text: string): string {
  return JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
}

/** Every event parsed with the template gives what parseEventData gives, in order. */
function same(datas: readonly string[]): void {
  const p = createEventParser([...PATH]);
  for (const data of datas) {
    expect(outcome(() => p.parse({ data }))).toEqual(outcome(() => parseEventData({ data })));
  }
}

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', '\n', '\u0000', '\u001f', 'é', '\ud83c', '}', ','), maxLength: 8 }),
  fc.constantFrom('PaRaPeTsEnTiNeLx', 'content', '"},"x":"', '\\"'),
);

// Raw text pieces spliced around and into valid chunks: the template must never trust what they break.
const hostile = fc.constantFrom(
  '{"choices":[{"delta":{"content":"a","content":"b"}}]}',
  '{"choices":[{"delta":{"content":"a"}}],"choices":[{"delta":{"content":"c"}}]}',
  '{"id":"\\u0061","choices":[{"delta":{"content":"a"}}]}',
  '{"choices":[{"delta":{"\\u0063ontent":"a","content":"a"}}]}',
  '{"choices":[{"delta":{"content":"a"}}],"a":"a"}',
  '{"a":"a","choices":[{"delta":{"content":"a"}}]}',
  '{"choices":[{"delta":{"content":"\\u0061"}}]}',
  '{"choices":[{"delta":{"content":"a"}},{"delta":{"content":"a"}}]}',
  '{"choices":[{"delta":{"content":"a"}}]} ',
  '{"choices":[{"delta":{"content":"a"}}]}x',
  '[{"choices":[{"delta":{"content":"a"}}]}]',
  '{"choices":[{"delta":{"content":1}}]}',
  '{"choices":{"0":{"delta":{"content":"a"}}}}',
);

describe('event template (issue 8)', () => {
  it('parses a text stream with one JSON.parse for the envelope, and exactly as JSON.parse does', () => {
    const datas = ['Hel', 'lo, ', 'wor', 'ld! ', '"quoted"', 'back\\slash', 'é🌍', ''].map((t) => chunk('c1', t));
    same(datas);
    // The third event onwards comes from the template: the same (reused) object each time.
    const p = createEventParser([...PATH]);
    p.parse({ data: datas[0] as string });
    const second = p.parse({ data: datas[1] as string });
    expect(p.parse({ data: datas[2] as string })).toBe(second);
    expect(second).toEqual(JSON.parse(datas[2] as string));
  });

  it('gives what JSON.parse gives for any sequence of chunks, texts and hostile envelopes (property)', () => {
    const event = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(fc.constantFrom('c1', 'c2', 'c"3'), text).map(([id, t]) => chunk(id, t)) },
      { weight: 2, arbitrary: fc.tuple(hostile, text).map(([h, t]) => h.replaceAll('"a"', JSON.stringify(t))) },
      { weight: 2, arbitrary: fc.tuple(hostile, text).map(([h, t]) => h.replaceAll('a', t)) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('c1', 'c2'), text, fc.nat(), fc.string({ maxLength: 3 })).map(([id, t, at, junk]) => {
        const c = chunk(id, t);
        const i = at % (c.length + 1);
        return c.slice(0, i) + junk + c.slice(i);
      }) },
    );
    fc.assert(fc.property(fc.array(event, { minLength: 1, maxLength: 12 }), (datas) => same(datas)), { numRuns: 3000 });
  });

  it('keeps its fast path when every event carries a different padding string (OpenAI "obfuscation")', () => {
    const padded = (t: string, pad: string, usage = false): string =>
      JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: t }, finish_reason: null }], ...(usage ? { usage: null } : {}), obfuscation: pad });
    const datas = ['Hel', 'lo, ', 'wor', 'ld! ', 'x'].map((t, k) => padded(t, 'aBc9'.slice(0, 1 + (k % 4)) + 'Zq'.repeat(k)));
    const p = createEventParser([...PATH], { padding: 'obfuscation' });
    p.parse({ data: datas[0] as string });
    const second = p.parse({ data: datas[1] as string });
    for (const d of datas.slice(2)) {
      const got = p.parse({ data: d });
      expect(got).toBe(second);
      expect(got).toEqual(JSON.parse(d));
    }
    // Without the option the padding defeats the template: a new object every time, still exact.
    const plain = createEventParser([...PATH]);
    plain.parse({ data: datas[0] as string });
    const a = plain.parse({ data: datas[1] as string });
    expect(plain.parse({ data: datas[2] as string })).not.toBe(a);
  });

  it('gives what JSON.parse gives for padded chunks, odd padding and hostile envelopes (property)', () => {
    const padded = (id: string, t: string, pad: unknown, usage: boolean): string =>
      JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: t }, finish_reason: null }], ...(usage ? { usage: null } : {}), obfuscation: pad });
    const pad = fc.oneof(text, fc.constant(1), fc.constant(null), fc.constant('PaRaPeTsEnTiNeLx'), fc.constant('QpAdSeNtInElQ'));
    const event = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(fc.constantFrom('c1', 'c2'), text, pad, fc.boolean()).map(([id, t, p, u]) => padded(id, t, p, u)) },
      { weight: 1, arbitrary: fc.tuple(text, text).map(([t, p]) => `{"choices":[{"delta":{"content":${JSON.stringify(t)}}}],"obfuscation":${JSON.stringify(p)},"obfuscation":"x"}`) },
      { weight: 1, arbitrary: fc.tuple(text, text).map(([t, p]) => `{"obfuscation":${JSON.stringify(p)},"choices":[{"delta":{"content":${JSON.stringify(t)}}}]}`) },
      { weight: 1, arbitrary: fc.tuple(text, text).map(([t, p]) => `{"choices":[{"delta":{"content":${JSON.stringify(t)},"obfuscation":${JSON.stringify(p)}}}],"obfuscation":${JSON.stringify(p)}}`) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('c1'), text, text, fc.nat(), fc.string({ maxLength: 3 })).map(([id, t, p, at, junk]) => {
        const c = padded(id, t, p, false);
        const i = at % (c.length + 1);
        return c.slice(0, i) + junk + c.slice(i);
      }) },
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 12 }), (datas) => {
        const p = createEventParser([...PATH], { padding: 'obfuscation' });
        for (const data of datas) expect(outcome(() => p.parse({ data }))).toEqual(outcome(() => parseEventData({ data })));
      }),
      { numRuns: 3000 },
    );
  });

  it('works the same for an Anthropic text delta path', () => {
    const delta = (t: string, index = 0): string => JSON.stringify({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: t } });
    const datas = [delta('Hel'), delta('lo'), delta('"q"'), delta('x', 1), delta('y', 1), delta('\\'), delta('z')];
    const p = createEventParser(['delta', 'text']);
    for (const data of datas) expect(outcome(() => p.parse({ data }))).toEqual(outcome(() => parseEventData({ data })));
  });

  it('never takes a sentinel written in the event itself for the one put into the hole', () => {
    // The first event's text sits in a value a duplicate key then drops: a template built from it
    // would find the event's own sentinel at the delta path and accept a wrong split.
    const datas = [
      '{"choices":[{"delta":{"content":"PaRaPeTsEnTiNeLx"}}],"obfuscation":"PaRaPeTsEnTiNeLx","obfuscation":"x"}',
      '{"choices":[{"delta":{"content":"PaRaPeTsEnTiNeLx"}}],"obfuscation":"","obfuscation":"x"}',
      '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"PaRaPeTsEnTiNeLx"},"finish_reason":null}],"obfuscation":"QpAdSeNtInElQ"}',
    ];
    const padded = createEventParser([...PATH], { padding: 'obfuscation' });
    const plain = createEventParser([...PATH]);
    for (const data of datas) {
      expect(outcome(() => padded.parse({ data }))).toEqual(outcome(() => parseEventData({ data })));
      expect(outcome(() => plain.parse({ data }))).toEqual(outcome(() => parseEventData({ data })));
    }
    // Without a padding hole too: a template cut at "x"'s first value would set the delta to "zzz".
    const dup = (x: string): string => `{"choices":[{"delta":{"content":"PaRaPeTsEnTiNeLx"}}],"x":"${x}","x":"y"}`;
    same([dup('PaRaPeTsEnTiNeLx'), dup('PaRaPeTsEnTiNeLx'), dup('zzz'), dup('q')]);
  });

  it('does not let a duplicate delta key after the text decide the value', () => {
    const dup = (t: string): string => `{"choices":[{"delta":{"content":"${t}","content":"fixed"}}]}`;
    same([dup('one'), dup('two'), dup('three')]);
    const p = createEventParser([...PATH]);
    p.parse({ data: dup('one') });
    expect(p.parse({ data: dup('two') })).toEqual({ choices: [{ delta: { content: 'fixed' } }] });
  });
});
