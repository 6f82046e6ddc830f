import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OldestFirst } from '../../src/collections/oldest-first.ts';

type Op = { kind: 'set' | 'touch' | 'delete'; key: number } | { kind: 'evict' } | { kind: 'clear' };

describe('OldestFirst', () => {
  it('evicts exactly what a fresh keys().next() would, whatever happened to the map in between', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constantFrom('set', 'touch', 'delete'), key: fc.nat(30) }) as fc.Arbitrary<Op>,
      fc.constant({ kind: 'evict' } as Op),
      fc.constant({ kind: 'evict' } as Op),
      fc.constant({ kind: 'clear' } as Op),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const a = new Map<number, number>();
        const b = new Map<number, number>();
        const cursor = new OldestFirst(a);
        for (const o of ops) {
          if (o.kind === 'evict') {
            const first = b.keys().next();
            const expected = first.done === true ? undefined : first.value;
            if (expected !== undefined) b.delete(expected);
            expect(cursor.evict()).toBe(expected);
          } else if (o.kind === 'clear') {
            a.clear();
            b.clear();
          } else {
            // set: a new key goes last, an existing one keeps its place; touch moves it last.
            for (const m of [a, b]) {
              if (o.kind !== 'set') m.delete(o.key);
              if (o.kind !== 'delete') m.set(o.key, o.key);
            }
          }
          expect([...a.keys()]).toEqual([...b.keys()]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps going after the map ran empty and filled up again', () => {
    const m = new Map<string, number>([['a', 1]]);
    const cursor = new OldestFirst(m);
    expect(cursor.evict()).toBe('a');
    expect(cursor.evict()).toBeUndefined();
    m.set('b', 2);
    m.set('c', 3);
    expect(cursor.evict()).toBe('b');
    expect([...m.keys()]).toEqual(['c']);
  });
});
