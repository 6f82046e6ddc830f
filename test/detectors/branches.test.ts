// Trigger-keyed branches of signature regexes (src/detectors/injection/branches.ts): what the
// analysis takes as a precondition, and that a split rule set reports exactly the hits of the
// whole regexes on text built to match them many times over.
import { describe, expect, it } from 'vitest';
import { mandatoryFragments, splitRule, topLevelAlternatives } from '../../src/detectors/injection/branches.ts';
import { compileRules, runRules, type SignatureRule } from '../../src/detectors/injection/signatures.ts';
import { HARM_RULES } from '../../src/detectors/harmful/lexicon.ts';
import { JAILBREAK_RULES } from '../../src/detectors/jailbreak/rules.ts';
import { INJECTION_RULES } from '../../src/detectors/injection/rules.ts';
import { MULTILINGUAL_LATIN_RULES } from '../../src/detectors/injection/multilingual.ts';
import type { ScanContext } from '../../src/detectors/types.ts';
import { prng } from '../../src/detectors/classifier/train/sgd.ts';

describe('regex analysis', () => {
  it('splits at top-level bars only', () => {
    expect(topLevelAlternatives('a(?:b|c)|[|]d|e\\|f')).toEqual(['a(?:b|c)', '[|]d', 'e\\|f']);
    // JavaScript closes a class at its first unescaped bracket, even right after "[" or "[^".
    expect(topLevelAlternatives('a[]|b[^]|c')).toEqual(['a[]', 'b[^]', 'c']);
  });

  it('keeps only the text every match contains', () => {
    expect(mandatoryFragments('harm(?:s|ed)? (?:animals|people)')).toEqual(['harm', ' ']);
    expect(mandatoryFragments('beats? their')).toEqual(['beat', ' their']);
    expect(mandatoryFragments('drawn and quartered')).toEqual(['drawn and quartered']);
    expect(mandatoryFragments('a+b{2}c{0,3}d*e')).toEqual(['a', 'b', 'e']);
    expect(mandatoryFragments('\\bfoo\\s+bar\\.baz\\u201cqux')).toEqual(['foo', 'bar.baz', 'qux']);
    expect(mandatoryFragments('x[abc]y.z\\p{L}w')).toEqual(['x', 'y', 'z', 'w']);
  });

  it('keys an alternative by a trigger, or by its own text, only where every match holds it', () => {
    const b = splitRule(/\b(?:drawn and quartered|(?:on|from) the black market|hit ?men|(?:means|ways) of gaining access|ab?c)\b/g, ['quarter', 'black market', 'hitmen'], 12);
    expect(b?.map((x) => [x.literal, x.re.source])).toEqual([
      ['quarter', '\\b(?:drawn and quartered)\\b'],
      ['black market', '\\b(?:(?:on|from) the black market)\\b'],
      // "hit ?men" matches "hit men": the trigger "hitmen" is not a precondition, and "hit" is too short a key.
      // "ab?c" has no text of four characters every match holds.
      [undefined, '\\b(?:hit ?men|ab?c)\\b'],
      ['of gaining a', '\\b(?:(?:means|ways) of gaining access)\\b'],
    ]);
  });

  it('leaves alone what it cannot split safely', () => {
    expect(splitRule(/(abcd|bcde)\1/g, [], 12)).toBeUndefined();
    expect(splitRule(/xyzw(abcd|bcde)/g, [], 12)).toBeUndefined();
    expect(splitRule(/\b(?:abcd|bcde)+\b/g, [], 12)).toBeUndefined();
    expect(splitRule(/\b(?:a|b)\b/g, ['gamma'], 12)).toBeUndefined();
  });
});

// ---- a sampler of strings that (mostly) match a pattern ------------------------------------------

/** A random string the pattern is likely to match (lookarounds and anchors are ignored). */
function sample(src: string, rand: () => number): string {
  let i = 0;
  const alternation = (): string => {
    const alts: string[] = [];
    let cur = sequence();
    alts.push(cur);
    while (src[i] === '|') {
      i++;
      cur = sequence();
      alts.push(cur);
    }
    return alts[Math.floor(rand() * alts.length)] ?? '';
  };
  const sequence = (): string => {
    let out = '';
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      const atomStart = i;
      let atom = '';
      const c = src[i] as string;
      if (c === '(') {
        i++;
        let look = false;
        if (src[i] === '?') {
          look = src[i + 1] !== ':';
          i += src[i + 1] === '<' && (src[i + 2] === '=' || src[i + 2] === '!') ? 3 : 2;
        }
        const inner = alternation();
        i++; // ')'
        atom = look ? '' : inner;
      } else if (c === '[') {
        let j = i + 1;
        const negated = src[j] === '^';
        const chars: string[] = [];
        if (negated) j++;
        for (; j < src.length && src[j] !== ']'; j++) {
          if (src[j] === '\\') {
            j++;
            chars.push(src[j] === 's' ? ' ' : src[j] === 'w' ? 'a' : src[j] === 'd' ? '1' : (src[j] ?? ''));
          } else chars.push(src[j] as string);
        }
        i = j + 1;
        atom = negated ? 'x' : (chars[Math.floor(rand() * chars.length)] ?? 'x');
      } else if (c === '\\') {
        const e = src[i + 1] ?? '';
        i += 2;
        if (e === 'u' && src[i] === '{') i = src.indexOf('}', i) + 1;
        else if (e === 'u') {
          atom = String.fromCharCode(parseInt(src.slice(i, i + 4), 16));
          i += 4;
        } else if (e === 'p' || e === 'P') {
          i = src.indexOf('}', i) + 1;
          atom = 'a';
        } else atom = e === 's' ? ' ' : e === 'w' ? 'a' : e === 'd' ? '1' : e === 'b' || e === 'B' ? '' : e === 'n' ? '\n' : e === 't' ? '\t' : e;
      } else if (c === '^' || c === '$') {
        i++;
      } else if (c === '.') {
        i++;
        atom = 'x';
      } else {
        i++;
        atom = c;
      }
      const q = /^(?:([?*+])|\{(\d+)(?:,(\d*))?\})\??/.exec(src.slice(i));
      let times = 1;
      if (q) {
        i += q[0].length;
        if (q[1] === '?') times = rand() < 0.5 ? 0 : 1;
        else if (q[1] === '*') times = Math.floor(rand() * 3);
        else if (q[1] === '+') times = 1 + Math.floor(rand() * 2);
        else {
          const min = Number(q[2]);
          const max = q[3] === undefined ? min : q[3] === '' ? min + 2 : Math.min(Number(q[3]), min + 2);
          times = min + Math.floor(rand() * (max - min + 1));
        }
      }
      if (i === atomStart) i++;
      out += atom.repeat(times);
    }
    return out;
  };
  return alternation();
}

describe('split rule sets report what the whole regexes report', () => {
  const sets: [string, readonly SignatureRule[]][] = [
    ['harmful', HARM_RULES],
    ['jailbreak', JAILBREAK_RULES],
    ['injection', [...INJECTION_RULES, ...MULTILINGUAL_LATIN_RULES]],
  ];
  const contexts: ScanContext[] = [
    { role: 'user', trust: 'user', direction: 'input' },
    { role: 'tool', trust: 'untrusted', direction: 'input' },
  ];
  const FILLER = ['the', 'report', 'please', 'and then', 'ok.', 'you', '"', 'e.g.', 'never', '\n', 'how do i', 'for example', 'do not', 'why would someone', 'step by step'];

  for (const [name, rules] of sets) {
    it(`${name}: identical hits on text dense with matches of many alternatives`, () => {
      const whole = compileRules(rules, { split: false });
      const split = compileRules(rules);
      expect(split.branches.some((b) => b !== undefined)).toBe(true);
      const rand = prng(name.length * 7919);
      // Samples of every alternative of every split rule, so branches meet, overlap and repeat.
      const pieces: string[] = [];
      const byRule: string[][] = [];
      rules.forEach((r, k) => {
        if (!split.branches[k]) return;
        const own: string[] = [];
        for (let n = 0; n < 8; n++) own.push(sample(r.re.source, rand));
        byRule.push(own);
        pieces.push(...own.slice(0, 3));
      });
      let compared = 0;
      let matched = 0;
      for (let t = 0; t < 600; t++) {
        const parts: string[] = [];
        // Half the texts repeat one rule many times (past the matches a rule scores, with scores
        // that differ by context); the others mix every rule.
        const from = t % 2 === 0 ? pieces : (byRule[Math.floor(rand() * byRule.length)] ?? pieces);
        const count = t % 2 === 0 ? 1 + Math.floor(rand() * 14) : 8 + Math.floor(rand() * 12);
        for (let p = 0; p < count; p++) {
          parts.push(from[Math.floor(rand() * from.length)] ?? '');
          if (rand() < 0.5) parts.push(FILLER[Math.floor(rand() * FILLER.length)] ?? '');
        }
        const text = parts.join(rand() < 0.5 ? ' ' : '');
        for (const ctx of contexts) {
          const a = runRules(whole, text, ctx).map((h) => [h.rule.id, h.start, h.end, h.score]);
          const b = runRules(split, text, ctx).map((h) => [h.rule.id, h.start, h.end, h.score]);
          expect(b, text).toEqual(a);
          compared++;
          matched += a.length;
        }
      }
      // The corpus must exercise the rules, or the comparison says nothing.
      expect(matched).toBeGreaterThan(compared);
    });
  }
});
