import type { Severity } from '../../exchange/types.ts';
import { expandCaseless } from '../caseless.ts';
import type { Candidate, Verdict } from '../secrets/rule.ts';
import type { CueGroup } from '../normalize/facts.ts';

export type { Candidate, Verdict };

/**
 * What must be in a text for a rule to be worth running: a digit, a run of three digits, an "@", a
 * letter, a gate regex (non-global), or a Gate. All but the regex are answered by the shared
 * character pass (normalize/facts.ts) that runs once per text, so a text without what a rule needs
 * costs that rule nothing. A gate must hold whenever the rule can produce a finding.
 */
export type Needs = 'digit' | 'digits3' | 'at' | 'letter' | RegExp | Gate;


/** Conditions that must all hold (each omitted one holds). */
export interface Gate {
  /** At least this many ASCII digits in the text. */
  readonly digits?: number;
  /** A run of at least this many digits. */
  readonly digitRun?: number;
  /** A run of at least this many ASCII capitals. */
  readonly upperRun?: number;
  /** A run of at least this many hex digits. */
  readonly hexRun?: number;
  /** A run of at least this many [A-Za-z0-9+/_-] inside a token that is not letters only (see TextFacts). */
  readonly mixedRun?: number;
  /** At least one literal of one of the groups (non-ASCII ones: any non-ASCII text qualifies). */
  readonly cues?: readonly CueGroup[];
  /** Finally, this (non-global) regex matches. */
  readonly re?: RegExp;
}

export interface PiiRule {
  /** Stable id, one per kind of data, e.g. "email", "credit-card", "fr-nir". */
  readonly id: string;
  /** Human name for the explanation; never the value. */
  readonly title: string;
  /** Flags `gd` (plus `u`/`i` where needed); bounded repetitions only. */
  readonly pattern: RegExp;
  readonly score: number;
  readonly severity: Severity;
  readonly needs: Needs;
  /** First capture group that holds the value (earlier groups carry context); 0 = whole match. */
  readonly valueGroup: number;
  readonly verify?: (c: Candidate) => Verdict;
}

export function rule(
  id: string,
  title: string,
  pattern: RegExp,
  o: { score: number; severity?: Severity; needs?: Needs; valueGroup?: number; verify?: (c: Candidate) => Verdict },
): PiiRule {
  if (!pattern.global || !pattern.hasIndices) throw new Error(`pii rule ${id}: pattern needs the g and d flags`);
  return {
    id,
    title,
    pattern: expandCaseless(pattern),
    score: o.score,
    severity: o.severity ?? 'medium',
    needs: o.needs ?? 'digit',
    valueGroup: o.valueGroup ?? 0,
    verify: o.verify,
  };
}

/** Whether `re` matches within `window` characters before `start` (a cue such as "SSN:"). */
export function cueBefore(text: string, start: number, re: RegExp, window = 48): boolean {
  return re.test(text.slice(Math.max(0, start - window), start));
}

/** Whether `re` matches within `window` characters after `end`. */
export function cueAfter(text: string, end: number, re: RegExp, window = 24): boolean {
  return re.test(text.slice(end, Math.min(text.length, end + window)));
}
