import type { Severity } from '../../exchange/types.ts';
import { isPlaceholder, shannonEntropy } from './entropy.ts';
import { expandCaseless } from '../caseless.ts';

/** What a rule's `verify` sees for one regex candidate. */
export interface Candidate {
  /** The secret value (the first participating capture group, or the whole match). */
  value: string;
  start: number;
  end: number;
  text: string;
  match: RegExpExecArray;
}

/**
 * `false` drops the candidate, `true` keeps it with the rule's score, a number keeps it with that
 * score, and an object moves the span (and optionally sets the score).
 */
export type Verdict = boolean | number | { start: number; end: number; score?: number; title?: string };

export interface SecretRule {
  /** Stable id reported in findings and usable in policy, e.g. "aws-access-key-id". */
  readonly id: string;
  /** Human name used in the explanation; never the value. */
  readonly title: string;
  /**
   * Lower-case literals; the rule runs only on texts containing at least one of them. Every string
   * the pattern can match must contain one of these, or the rule would silently never fire.
   */
  readonly keywords: readonly string[];
  /**
   * Precompiled, flags `gd`. The first capture group (from `valueGroup` on) that participates in a
   * match is the secret; with no capture groups the whole match is. Linear-time: bounded
   * repetitions only.
   */
  readonly pattern: RegExp;
  /** First capture group that may hold the secret (earlier groups carry context). Default 1. */
  readonly valueGroup: number;
  /**
   * Every match starts exactly where one of the keywords starts (case-insensitively). The scanner
   * then runs a sticky copy of the pattern only at keyword occurrences instead of over the text.
   */
  readonly anchored: boolean;
  readonly score: number;
  readonly severity: Severity;
  /** Minimum Shannon entropy (bits/char) of the value. */
  readonly minEntropy?: number;
  /**
   * 'markers' rejects template/placeholder markers only; 'strict' also rejects low-variety values;
   * 'none' skips the check (the rule validates structure itself).
   */
  readonly placeholder: 'markers' | 'strict' | 'none';
  readonly verify?: (c: Candidate) => Verdict;
}

export interface RuleOptions {
  score?: number;
  severity?: Severity;
  minEntropy?: number;
  placeholder?: 'markers' | 'strict' | 'none';
  valueGroup?: number;
  /** Characters that may not precede a prefixed token (regex class body). Default `A-Za-z0-9.`. */
  notAfter?: string;
  /** See SecretRule.anchored. Defaults: prefixed and keyed true, custom false. */
  anchored?: boolean;
  verify?: (c: Candidate) => Verdict;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Character classes and shapes shared by many provider formats. */
export const HEX = (n: number | string): string => `[a-fA-F0-9]{${n}}`;
export const ALNUM = (n: number | string): string => `[A-Za-z0-9]{${n}}`;
export const UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';

/**
 * A token recognised by its own shape, usually a fixed prefix: `source` must not capture. The match
 * may not touch a letter or digit on either side, nor follow a dot (a prefix inside a longer word or
 * a file name such as `video.ico-…` is something else).
 */
export function prefixed(id: string, title: string, keywords: readonly string[], source: string, o: RuleOptions = {}): SecretRule {
  return {
    id,
    title,
    keywords: keywords.map((k) => k.toLowerCase()),
    pattern: new RegExp(`(?<![${o.notAfter ?? 'A-Za-z0-9.'}])(?:${source})(?![A-Za-z0-9])`, 'gd'),
    score: o.score ?? 0.95,
    severity: o.severity ?? 'high',
    minEntropy: o.minEntropy,
    placeholder: o.placeholder ?? 'markers',
    valueGroup: 1,
    anchored: o.anchored ?? true,
    verify: o.verify,
  };
}

/**
 * A value without a distinctive shape, recognised by a provider keyword in the name it is assigned
 * to: `HEROKU_API_KEY = "…"`, `"oktaToken": "…"`, `sourcegraph: …`. The keyword starts a word
 * (`CameraKit` is not `meraki`) and may be followed by
 * up to 25 identifier characters, then a separator run (quotes, `=`, `:`, `,`, `(`, `|`, `>`, blanks)
 * that cannot overlap either side, so backtracking stays bounded. Only `value` is reported. The
 * keyword part alone is case-insensitive through a regex modifier group `(?i:…)` (V8 12.5+, Node 23+),
 * so provider value alphabets keep their case.
 */
export function keyed(id: string, title: string, keywords: readonly string[], value: string, o: RuleOptions = {}): SecretRule {
  const kw = keywords.map(escapeRe).join('|');
  return {
    id,
    title,
    keywords: keywords.map((k) => k.toLowerCase()),
    pattern: expandCaseless(new RegExp(`(?<![A-Za-z])(?i:${kw})[A-Za-z0-9_.-]{0,25}[\\s"'\`:=,|>(\\[\\]]{1,10}(${value})(?![A-Za-z0-9_])`, 'gd')),
    score: o.score ?? 0.8,
    severity: o.severity ?? 'high',
    minEntropy: o.minEntropy ?? 3,
    placeholder: o.placeholder ?? 'strict',
    valueGroup: 1,
    anchored: true,
    verify: o.verify,
  };
}

/**
 * Like `prefixed`, for tokens whose literal comes after a fixed-length random part (`<32 hex>-us12`,
 * `<76 chars>AZDO…`). The random part is matched by a lookbehind so the regex starts at the
 * literal: V8 then skips through the text for the literal instead of trying every position, which is
 * an order of magnitude cheaper on ordinary prose. The span is widened back over the lead.
 */
export function suffixed(
  id: string,
  title: string,
  keywords: readonly string[],
  lead: { source: string; length: number },
  source: string,
  o: RuleOptions = {},
): SecretRule {
  const verify = o.verify;
  return {
    id,
    title,
    keywords: keywords.map((k) => k.toLowerCase()),
    pattern: new RegExp(`(?<=(?<![A-Za-z0-9.])${lead.source})(?:${source})(?![A-Za-z0-9])`, 'gd'),
    score: o.score ?? 0.95,
    severity: o.severity ?? 'high',
    minEntropy: undefined,
    placeholder: 'none',
    valueGroup: 1,
    anchored: false,
    verify: (c) => {
      const start = c.start - lead.length;
      const value = c.text.slice(start, c.end);
      if (isPlaceholder(value, false)) return false;
      if (o.minEntropy !== undefined && shannonEntropy(value) < o.minEntropy) return false;
      const v = verify ? verify({ ...c, value, start }) : true;
      if (v === false) return false;
      if (typeof v === 'object') return v;
      return typeof v === 'number' ? { start, end: c.end, score: v } : { start, end: c.end };
    },
  };
}

/** A rule whose whole pattern is written by hand (structure, not a prefix or a keyword). */
export function custom(
  id: string,
  title: string,
  keywords: readonly string[],
  pattern: RegExp,
  o: RuleOptions & { score: number; severity: Severity },
): SecretRule {
  if (!pattern.global || !pattern.hasIndices) throw new Error(`rule ${id}: pattern needs the g and d flags`);
  return {
    id,
    title,
    keywords: keywords.map((k) => k.toLowerCase()),
    pattern: expandCaseless(pattern),
    score: o.score,
    severity: o.severity,
    minEntropy: o.minEntropy,
    placeholder: o.placeholder ?? 'strict',
    valueGroup: o.valueGroup ?? 1,
    anchored: o.anchored ?? false,
    verify: o.verify,
  };
}
