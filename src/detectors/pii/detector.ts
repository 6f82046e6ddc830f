import type { Finding, Severity } from '../../exchange/types.ts';
import type { Detector } from '../types.ts';
import { NAME_RULES } from './names.ts';
import { phoneRule } from './phone.ts';
import type { PhoneOptions } from './phone.ts';
import type { PiiRule } from './rule.ts';
import { PII_RULES } from './rules.ts';
import { resolveOverlaps } from '../overlaps.ts';
import { ENTITY_RULES, scanEntities, type EntityRule } from './entities.ts';
import { anyCue, cueMask, factsOf, type TextFacts } from '../normalize/facts.ts';
import type { Gate, Needs } from './rule.ts';

export interface PiiMatch {
  /** A pattern rule, or one of the entity kinds of the token pass (entities.ts). */
  rule: PiiRule | EntityRule;
  start: number;
  end: number;
  score: number;
  title: string;
}

export interface PiiOptions extends PhoneOptions {
  /**
   * Rule ids to leave out (e.g. "person-name" where names are expected and harmless; it takes
   * "person-mention" with it). Entity ids (entities.ts) work too: "location", "date" …
   */
  disable?: readonly string[];
  /** Run the entity pass (names, places, organisations … see entities.ts); default true. */
  entities?: boolean;
  /**
   * Report only what the entity pass found (the pattern rules still run, as its anchors). The
   * `pii-entities` detector: a policy that does not want it lists it in `detectors.disabled` and saves
   * its cost (on long prose about as much again as every other PII rule together).
   */
  entitiesOnly?: boolean;
  /**
   * With `entitiesOnly`: take the pattern matches (the entity pass's anchors) from this scanner, which
   * the engine has just run over the same text as the `pii` detector, instead of matching them again.
   */
  anchorsFrom?: PiiScanner;
}

const MAX_MATCHES = 5000;

type Check = (facts: TextFacts, text: string) => boolean;

const LETTER = /\p{L}/u;
const NON_ASCII = /[\u0080-\uFFFF]/;

/** A rule's `needs` as a predicate over the shared facts of the text. */
function compileNeeds(needs: Needs): Check {
  if (needs === 'digit') return (f) => f.digits > 0;
  if (needs === 'digits3') return (f) => f.maxDigitRun >= 3;
  if (needs === 'at') return (f) => f.at;
  if (needs === 'letter') return (f, t) => f.asciiLetter || (f.nonAscii && LETTER.test(t));
  if (needs instanceof RegExp) return (_f, t) => needs.test(t);
  return compileGate(needs);
}

function compileGate(g: Gate): Check {
  let mask: Uint8Array | undefined;
  // The shared pass finds ASCII literals; a cue with other characters ("Straße") is assumed present
  // in any text with non-ASCII characters and left to `re` and the rule itself.
  let nonAsciiCue = false;
  if (g.cues) {
    const ascii = g.cues.map((c) => ({ ...c, literals: c.literals.filter((l) => !NON_ASCII.test(l)) }));
    nonAsciiCue = ascii.some((c, i) => c.literals.length < (g.cues?.[i]?.literals.length ?? 0));
    mask = cueMask(ascii);
  }
  const { digits = 0, digitRun = 0, upperRun = 0, hexRun = 0, mixedRun = 0, re } = g;
  return (f, t) => {
    if (f.digits < digits || f.maxDigitRun < digitRun || f.maxUpperRun < upperRun || f.maxHexRun < hexRun || f.maxMixedRun < mixedRun) return false;
    if (mask && !anyCue(f.ids, mask) && !(nonAsciiCue && f.nonAscii)) return false;
    return !re || re.test(t);
  };
}

export class PiiScanner {
  readonly rules: readonly PiiRule[];
  private readonly checks: readonly Check[];
  private readonly off: ReadonlySet<string>;
  private readonly entities: boolean;
  private readonly entitiesOnly: boolean;
  private readonly anchorsFrom: PiiScanner | undefined;
  /** The last text's pattern matches, for a scanner that takes its anchors from this one. */
  private memoText: string | undefined;
  private memoMatches: readonly PiiMatch[] = [];

  constructor(opts: PiiOptions = {}) {
    const off = new Set(opts.disable ?? []);
    // Where names are expected and harmless, possible names are too.
    if (off.has('person-name')) off.add('person-mention');
    this.off = off;
    this.entitiesOnly = opts.entitiesOnly ?? false;
    this.entities = this.entitiesOnly || (opts.entities ?? true);
    this.rules = [...PII_RULES, phoneRule(opts), ...NAME_RULES].filter((r) => !off.has(r.id));
    this.checks = this.rules.map((r) => compileNeeds(r.needs));
    this.anchorsFrom = this.entitiesOnly ? opts.anchorsFrom : undefined;
  }

  /** The pattern rules' matches, before overlaps are resolved (remembered for the last text). */
  patternMatches(text: string, facts: TextFacts = factsOf(text)): PiiMatch[] {
    if (text === this.memoText) return [...this.memoMatches];
    const out: PiiMatch[] = [];
    for (let i = 0; i < this.rules.length; i++) {
      if (!this.checks[i]!(facts, text)) continue;
      run(this.rules[i]!, text, out);
      if (out.length >= MAX_MATCHES) break;
    }
    this.memoText = text;
    this.memoMatches = out;
    return [...out];
  }

  scan(text: string): PiiMatch[] {
    if (text.length < 5) return [];
    const facts = factsOf(text);
    let out: PiiMatch[] | undefined = (this.anchorsFrom ?? this).patternMatches(text, facts);
    if (out.length === 0) out = undefined;
    // Capitalised words, digit runs and their neighbours; every text with a letter or digit has some.
    if (this.entities && (facts.asciiLetter || facts.nonAscii || facts.digits > 0)) {
      out ??= [];
      if (out.length < MAX_MATCHES) scanEntities(text, out, this.off);
    }
    const found = out && out.length > 0 ? resolveOverlaps(out) : [];
    return this.entitiesOnly ? found.filter((m) => ENTITY_KINDS.has(m.rule)) : found;
  }
}

// By identity: a name found by the entity pass and one found after a cue share the id `person-name`.
const ENTITY_KINDS: ReadonlySet<PiiRule | EntityRule> = new Set<PiiRule | EntityRule>(ENTITY_RULES);

function run(r: PiiRule, text: string, out: PiiMatch[]): void {
  const re = r.pattern;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let start = m.index;
    let end = m.index + m[0].length;
    let value = m[0];
    if (r.valueGroup > 0 && m.indices) {
      for (let g = r.valueGroup; g < m.indices.length; g++) {
        const span = m.indices[g];
        if (span) {
          [start, end] = span;
          value = m[g]!;
          break;
        }
      }
    }
    let score = r.score;
    let title = r.title;
    let ok = true;
    if (r.verify) {
      const v = r.verify({ value, start, end, text, match: m });
      if (v === false) ok = false;
      else if (typeof v === 'number') score = v;
      else if (typeof v === 'object') {
        start = v.start;
        end = v.end;
        if (v.score !== undefined) score = v.score;
        if (v.title !== undefined) title = v.title;
      }
    }
    if (ok && end > start) {
      out.push({ rule: r, start, end, score, title });
      if (out.length >= MAX_MATCHES) break;
    } else re.lastIndex = m.index + 1;
  }
  re.lastIndex = 0;
}


export const PII_DETECTOR_ID = 'pii';
/** The entity pass as a detector of its own, so a policy can switch it off (`detectors.disabled`). */
export const PII_ENTITIES_DETECTOR_ID = 'pii-entities';

const DEFAULT_SCANNER = new PiiScanner();

export function findPii(text: string): PiiMatch[] {
  return DEFAULT_SCANNER.scan(text);
}

function severityFor(m: PiiMatch): Severity {
  return m.score < 0.5 ? 'low' : m.rule.severity;
}

/** A PII detector with its own options (default region for phone numbers, disabled rules). */
export function createPiiDetector(opts: PiiOptions = {}): Detector {
  return detectorOf(new PiiScanner(opts), opts.entitiesOnly === true ? PII_ENTITIES_DETECTOR_ID : PII_DETECTOR_ID);
}

function detectorOf(scanner: PiiScanner, id: string): Detector {
  return {
    id,
    categories: ['pii'],
    directions: ['input', 'output'],
    scansViews: false,
    scan(text: string): Finding[] {
      return scanner.scan(text).map(
        (m): Finding => ({
          detector: id,
          category: 'pii',
          rule: m.rule.id,
          score: m.score,
          severity: severityFor(m),
          owasp: ['LLM02'],
          span: { start: m.start, end: m.end },
          explanation: `${m.title} found.`,
        }),
      );
    },
  };
}

/**
 * Personal data in any message, both directions, raw text only (spans must be exact for redaction):
 * the pattern rules (`pii`) and the entity pass (`pii-entities`) as two detectors, which together
 * report what `findPii` does.
 */
const PATTERNS_SCANNER = new PiiScanner({ entities: false });
export const piiDetector: Detector = detectorOf(PATTERNS_SCANNER, PII_DETECTOR_ID);
export const piiEntitiesDetector: Detector = detectorOf(new PiiScanner({ entitiesOnly: true, anchorsFrom: PATTERNS_SCANNER }), PII_ENTITIES_DETECTOR_ID);
