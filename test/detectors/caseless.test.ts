import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandCaseless, expandCaselessSource } from '../../src/detectors/caseless.ts';
import { PII_RULES } from '../../src/detectors/pii/index.ts';
import { SECRET_RULES } from '../../src/detectors/secrets/rules/index.ts';

// Patterns of the shapes the rules use (keyword alternations, optional parts, classes, escapes).
const PATTERNS = [
  /(?i:basic)[ \t]{1,3}([A-Za-z0-9+/]{8,40}={0,2})/dg,
  /(?i:driver'?s?|driving)\s(?i:licen[cs]e)(?:\s(?i:number|no\.?|#))?\s{1,3}([A-Z0-9][A-Z0-9-]{4,19})/dg,
  /(?i:passw(?:or)?d|api[_.-]?key|credentials?)([A-Za-z0-9_.-]{0,30})[:=]\s?(\w{4,20})/dg,
  /(?<![A-Za-z])(?i:sumo|sumologic)[A-Za-z0-9_.-]{0,25}[\s"'`:=,|>([\]]{1,10}([a-z0-9]{14})(?![A-Za-z0-9_])/dg,
  /(?i:jan|feb|mar)[a-z]{0,6}\.?\s\d{1,2}/dg,
];

const piece = fc.constantFrom(
  'basic', 'BASIC', 'Basic', 'driver', "Driver's", 'DRIVING', 'licence', 'LICENSE', 'no.', 'Number', 'password', 'PassWD', 'pwd',
  'api-key', 'API_KEY', 'credential', 'Credentials', 'sumo', 'SUMOLOGIC', 'Jan', 'FEBRUARY', 'mar.', ' ', '\t', ':', '=', '"',
  'abcd1234EFGH', 'xY9', '12', '7', 'a1b2c3d4e5f6g7', 'ZZZZZZZZ', '-', '\n',
);

function allMatches(re: RegExp, s: string): string[] {
  return [...s.matchAll(new RegExp(re.source, re.flags))].map((m) => `${m.index}:${m[0]}:${m[1] ?? ''}`);
}

describe('caseless: (?i:…) groups rewritten as plain classes', () => {
  it('rewrites letters, classes and ranges, and leaves the rest as it was', () => {
    expect(expandCaselessSource('(?i:ab)c')).toBe('(?:[aA][bB])c');
    expect(expandCaselessSource('(?i:licen[cs]e)')).toBe('(?:[lL][iI][cC][eE][nN][cs' + 'CS][eE])');
    expect(expandCaselessSource('(?i:x[a-f0-9])')).toBe('(?:[xX][a-f0-9A-F])');
    expect(expandCaselessSource('(?i:no\\.?|#)\\s[(?i:]')).toBe('(?:[nN][oO]\\.?|#)\\s[(?i:]');
    expect(expandCaselessSource('(?i:passw(?:or)?d)')).toBe('(?:[pP][aA][sS][sS][wW](?:[oO][rR])?[dD])');
  });

  it('matches exactly what the modifier group matches, on any text (property)', () => {
    for (const re of PATTERNS) {
      const plain = expandCaseless(re);
      expect(plain.source).not.toContain('(?i:');
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
          const s = parts.join('');
          expect(allMatches(plain, s)).toEqual(allMatches(re, s));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('leaves no modifier group in any secret or PII rule', () => {
    const left = [...SECRET_RULES, ...PII_RULES].filter((r) => r.pattern.source.includes('(?i:')).map((r) => r.id);
    expect(left).toEqual([]);
  });
});
