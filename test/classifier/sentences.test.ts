import { describe, expect, it } from 'vitest';
import { SENTENCE_MIN_TEXT, SentencePieces } from '../../src/detectors/classifier/sentences.ts';

function pieces(text: string): string[] {
  const s = new SentencePieces();
  const n = s.split(text);
  const out: string[] = [];
  // Trimmed: a sentence keeps the white space before it, which folds away in the features anyway.
  for (let k = 0; k < n; k++) out.push(text.slice(s.pieces[2 * k], s.pieces[2 * k + 1]).trim());
  return out;
}

const A = 'The library opens at nine on weekdays and at ten on Saturdays.';
const B = 'Members may borrow up to twelve books for three weeks at a time.';
const C = 'Overdue books cost ten cents a day, capped at the price of the book.';
const D = 'The reading room upstairs is quiet and has sockets at every table.';
const E = 'Ask at the front desk for a guest pass to the computer lab downstairs.';

describe('sentence pieces of a long user turn', () => {
  it('leaves short texts and single sentences whole (0 pieces)', () => {
    expect(pieces(`${A} ${B}`)).toEqual([]);
    expect(`${A} ${B}`.length).toBeLessThan(SENTENCE_MIN_TEXT);
    expect(pieces('x'.repeat(600))).toEqual([]);
  });

  it('yields each sentence, covering the text', () => {
    const text = [A, B, C, D, E].join(' ');
    expect(pieces(text)).toEqual([A, B, C, D, E]);
  });

  it('cuts at line breaks and CJK full stops, and joins short fragments to what follows', () => {
    const text = `Note:\n${A}\n${B}。${C}\n${D}\n${E}`;
    expect(pieces(text)).toEqual([`Note:\n${A}`, `${B}。`, C, D, E]);
  });

  it('joins a short tail to the sentence before it, so a closing "Thanks!" is not judged alone', () => {
    const text = `${A} ${B} ${C} ${D} ${E} Thanks!`;
    const got = pieces(text);
    expect(got[got.length - 1]).toBe(`${E} Thanks!`);
  });

  it('reuses its buffers across texts of any size', () => {
    const s = new SentencePieces();
    const big = `${A} `.repeat(2000);
    expect(s.split(big)).toBe(2000);
    expect(s.split([A, B, C, D, E].join(' '))).toBe(5);
  });
});
