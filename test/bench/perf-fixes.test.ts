// Behaviour checks for the performance changes that came out of profiling (issue 8): each must
// give exactly what the code it replaced gave. No timing here.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEventId } from '../../src/audit/index.ts';
import { hashKey } from '../../src/keys/index.ts';
import { parseJsonBody } from '../../src/server/body.ts';
import { GatewayError } from '../../src/server/errors.ts';

/** The nesting scan as it was: one character at a time, a backslash skipping the next one. */
function referenceNesting(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

function outcome(text: string, limit: number): string {
  try {
    parseJsonBody(Buffer.from(text), limit);
    return 'ok';
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    return /nested deeper/.test(err.message) ? 'too deep' : 'invalid';
  }
}

function expected(text: string, limit: number): string {
  if (text.length === 0) return 'invalid';
  if (referenceNesting(text, limit) > limit) return 'too deep';
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? 'ok' : 'invalid';
  } catch {
    return 'invalid';
  }
}

describe('request body nesting check', () => {
  it('judges every text as the character-by-character scan did', () => {
    const piece = fc.constantFrom('[', ']', '{', '}', '"', '\\', '\\\\', '\\"', 'a', ':', ',', ' ', '"x"', '{"k":', '[1,');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 0, max: 6 }), (parts, limit) => {
        const text = parts.join('');
        expect(outcome(text, limit)).toBe(expected(text, limit));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on real JSON with escaped quotes and backslashes in long strings', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 8 }), (value, limit) => {
        const text = JSON.stringify({ v: value, s: 'a "quoted" \\ path \\\\"' });
        expect(outcome(text, limit)).toBe(expected(text, limit));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('key hashing', () => {
  it('gives the same digest as createHash', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (key) => {
        expect(hashKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
      }),
    );
  });
});

describe('audit event ids', () => {
  it('are UUIDv7: the time in front, version 7, RFC 9562 variant', () => {
    const id = auditEventId(0x0123456789ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(Array.from({ length: 1000 }, () => auditEventId(1))).size).toBe(1000);
  });

  it('carry their own time when times alternate (the time half is reused only within one millisecond)', () => {
    const times = [5, 5, 6, 5, 0x0123456789ab, 0x0123456789ab, 7, 0];
    for (const t of times) expect(auditEventId(t).replaceAll('-', '').slice(0, 12)).toBe(t.toString(16).padStart(12, '0'));
  });

  it('sort by time, so new ids append to the stores’ unique index', () => {
    const ids = [1, 2, 1_000, 1_700_000_000_000, 1_700_000_000_001].map((t) => auditEventId(t));
    expect([...ids].sort()).toEqual(ids);
  });
});
