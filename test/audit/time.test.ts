import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime, parseTimeBound } from '../../src/audit/time.ts';

const now = Date.parse('2025-06-10T12:00:00.000Z');

describe('parseTimeBound', () => {
  it('turns durations into instants before now', () => {
    expect(parseTimeBound('90s', now)).toBe('2025-06-10T11:58:30.000Z');
    expect(parseTimeBound('15m', now)).toBe('2025-06-10T11:45:00.000Z');
    expect(parseTimeBound('2h', now)).toBe('2025-06-10T10:00:00.000Z');
    expect(parseTimeBound('7d', now)).toBe('2025-06-03T12:00:00.000Z');
    expect(parseTimeBound('1w', now)).toBe('2025-06-03T12:00:00.000Z');
    expect(parseTimeBound('1.5h', now)).toBe('2025-06-10T10:30:00.000Z');
  });

  it('normalises ISO times to UTC', () => {
    expect(parseTimeBound('2025-06-01', now)).toBe('2025-06-01T00:00:00.000Z');
    expect(parseTimeBound('2025-06-01T12:00:00Z', now)).toBe('2025-06-01T12:00:00.000Z');
    expect(parseTimeBound('2025-06-01T14:00:00+02:00', now)).toBe('2025-06-01T12:00:00.000Z');
  });

  it('rejects anything else', () => {
    for (const bad of ['', '15', 'm', '15x', '-5m', 'yesterday', 'June 1', '2025-13-45', '1 h']) {
      expect(parseTimeBound(bad, now), bad).toBeUndefined();
    }
  });
});

describe('isoTime', () => {
  it('is toISOString, whatever order the times come in (property)', () => {
    // Times in the same second, across second boundaries, going back, and before 1970: a stale
    // cached second would show as a wrong prefix.
    const near = fc.integer({ min: -2500, max: 2500 });
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: 253_000_000_000_000 }), fc.array(near, { maxLength: 20 }), (base, steps) => {
        for (const t of [base, ...steps.map((s) => base + s)]) expect(isoTime(t)).toBe(new Date(t).toISOString());
      }),
    );
  });

  it('keeps Date’s edges: fractions truncate, -0, the range limits, and invalid times throw', () => {
    for (const t of [0, -0, 999.9, 1000, -0.5, -1, -1.5, -1000, -1001, 1_700_000_000_999.7, 8.64e15, -8.64e15]) {
      expect(isoTime(t), String(t)).toBe(new Date(t).toISOString());
    }
    for (const t of [Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, -8.64e15 - 1]) {
      expect(() => isoTime(t), String(t)).toThrow(RangeError);
    }
    expect(isoTime(1_700_000_000_123)).toBe('2023-11-14T22:13:20.123Z');
  });
});
