import { describe, expect, it } from 'vitest';
import { parseTimeBound } from '../../src/audit/time.ts';

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
