import { describe, expect, it } from 'vitest';
import { matchesModel } from '../../src/config/index.ts';

describe('matchesModel', () => {
  it('lets "*" allow every model and an empty list allow none', () => {
    expect(matchesModel(['*'], 'gpt-4o')).toBe(true);
    expect(matchesModel(['*'], '')).toBe(true);
    expect(matchesModel([], 'gpt-4o')).toBe(false);
  });

  it('matches exact names only in full', () => {
    const patterns = ['gpt-4o-mini'];
    expect(matchesModel(patterns, 'gpt-4o-mini')).toBe(true);
    expect(matchesModel(patterns, 'gpt-4o')).toBe(false);
    expect(matchesModel(patterns, 'gpt-4o-mini-2024')).toBe(false);
    expect(matchesModel(patterns, 'GPT-4o-mini')).toBe(false);
  });

  it('treats * as any run of characters and ? as exactly one', () => {
    const patterns = ['gpt-4o*', 'claude-?-haiku'];
    expect(matchesModel(patterns, 'gpt-4o')).toBe(true);
    expect(matchesModel(patterns, 'gpt-4o-2024-08-06')).toBe(true);
    expect(matchesModel(patterns, 'claude-3-haiku')).toBe(true);
    expect(matchesModel(patterns, 'claude-35-haiku')).toBe(false);
    expect(matchesModel(patterns, 'claude--haiku')).toBe(false);
    expect(matchesModel(patterns, 'my-gpt-4o')).toBe(false);
  });

  it('reads regular-expression characters literally', () => {
    const patterns = ['gpt-4.1*', 'ft:gpt-4o:(org)+'];
    expect(matchesModel(patterns, 'gpt-4.1-mini')).toBe(true);
    expect(matchesModel(patterns, 'gpt-4x1-mini')).toBe(false);
    expect(matchesModel(patterns, 'ft:gpt-4o:(org)+')).toBe(true);
    expect(matchesModel(patterns, 'ft:gpt-4o:orgorg')).toBe(false);
  });

  it('does not let a line break in the model escape an anchored pattern', () => {
    expect(matchesModel(['gpt-4o*'], 'gpt-4o\nevil')).toBe(true);
    expect(matchesModel(['gpt-4o'], 'gpt-4o\n')).toBe(false);
    expect(matchesModel(['*-mini'], 'evil\ngpt-4o-mini')).toBe(true);
    expect(matchesModel(['gpt-*'], 'evil\ngpt-4o')).toBe(false);
  });

  it('gives the same answers on repeated calls with the same list', () => {
    const patterns = ['a*', 'b?'];
    for (let i = 0; i < 3; i++) {
      expect(matchesModel(patterns, 'abc')).toBe(true);
      expect(matchesModel(patterns, 'bc')).toBe(true);
      expect(matchesModel(patterns, 'bcd')).toBe(false);
    }
  });
});

describe('model matching cost', () => {
  it('stays fast on a hostile model name against multi-star patterns', () => {
    const patterns = ['claude-*-sonnet*', 'a*a*a*a*b'];
    const hostile = `claude-${'-sonnet'.repeat(20_000)}x`.replace(/x$/, '');
    const t0 = performance.now();
    expect(matchesModel(patterns, 'a'.repeat(50_000))).toBe(false);
    expect(matchesModel(patterns, hostile)).toBe(true);
    expect(matchesModel(patterns, `${'claude-'.repeat(5000)}`)).toBe(false);
    // A backtracking regex takes seconds here; the linear matcher milliseconds.
    expect(performance.now() - t0).toBeLessThan(1000);
  });
  it('supports ? as exactly one character', () => {
    expect(matchesModel(['gpt-4?'], 'gpt-4o')).toBe(true);
    expect(matchesModel(['gpt-4?'], 'gpt-4')).toBe(false);
  });
});
