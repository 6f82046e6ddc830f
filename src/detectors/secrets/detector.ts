import type { Finding, Severity } from '../../exchange/types.ts';
import type { Detector } from '../types.ts';
import { isPlaceholder, shannonEntropy } from './entropy.ts';
import { factsOf, registerTriggers, type TextFacts } from '../normalize/facts.ts';
import { sortSmall } from '../normalize/sort.ts';
import type { SecretRule } from './rule.ts';
import { SECRET_RULES } from './rules/index.ts';
import { resolveOverlaps } from '../overlaps.ts';

export interface SecretMatch {
  rule: SecretRule;
  start: number;
  end: number;
  score: number;
  title: string;
}

/** Shortest text that can hold any rule's match; shorter texts are skipped outright. */
const MIN_TEXT = 8;
/** Upper bound on matches kept per text, so a hostile input cannot balloon the finding list. */
const MAX_MATCHES = 5000;

export interface ScanOptions {
  /** Ignore keyword positions and run every active rule over the whole text (for tests). */
  forceGlobal?: boolean;
}

/**
 * Compiled rule set. Its keywords join the shared character pass of normalize/facts.ts (one pass
 * per text for every family), which reports where each occurs; rules whose keywords are absent
 * never run their regex, and anchored rules run only at their keywords' positions.
 */
export class SecretScanner {
  readonly rules: readonly SecretRule[];
  private readonly keywords: string[];
  private readonly ruleKeywords: number[][];
  private readonly keywordRules: number[][];
  private readonly sticky: RegExp[];
  /** Shared-pass literal id → local keyword index (-1 for literals of others). */
  private readonly localOf: Int32Array;
  private readonly literalOf: number[];
  // Per-scan scratch, reset through `active` so the fixed cost per text stays tiny.
  private readonly ruleMark: Uint8Array;
  private readonly active: number[] = [];

  constructor(rules: readonly SecretRule[] = SECRET_RULES) {
    this.rules = rules;
    this.keywords = [];
    this.keywordRules = [];
    const byKeyword = new Map<string, number>();
    this.ruleKeywords = rules.map((rule, ri) =>
      rule.keywords.map((kw) => {
        let id = byKeyword.get(kw);
        if (id === undefined) {
          id = this.keywords.length;
          byKeyword.set(kw, id);
          this.keywords.push(kw);
          this.keywordRules.push([]);
        }
        this.keywordRules[id]!.push(ri);
        return id;
      }),
    );
    for (const kw of this.keywords) {
      for (let i = 0; i < kw.length; i++) if (kw.charCodeAt(i) >= 128) throw new Error(`keyword ${JSON.stringify(kw)}: ASCII only`);
    }
    this.literalOf = registerTriggers(this.keywords, { positions: true, exactDigits: true });
    this.localOf = new Int32Array(Math.max(0, ...this.literalOf) + 1).fill(-1);
    this.literalOf.forEach((lit, k) => (this.localOf[lit] = k));
    this.sticky = rules.map((r) => new RegExp(r.pattern.source, `${r.pattern.flags.replace('g', '')}y`));
    this.ruleMark = new Uint8Array(rules.length);
  }

  /** All accepted matches, overlaps resolved (highest score wins), sorted by position. */
  scan(text: string, opts: ScanOptions = {}): SecretMatch[] {
    if (text.length < MIN_TEXT) return [];
    const facts = factsOf(text);
    const { ruleMark, active, localOf } = this;
    try {
      for (const lit of facts.ids) {
        const k = lit < localOf.length ? localOf[lit]! : -1;
        if (k < 0) continue;
        for (const ri of this.keywordRules[k]!) {
          if (ruleMark[ri] === 0) {
            ruleMark[ri] = 1;
            active.push(ri);
          }
        }
      }
      if (active.length === 0) return [];
      // Rule order is the reporting priority for ties; keep it independent of keyword order.
      sortSmall(active);
      const out: SecretMatch[] = [];
      for (const ri of active) {
        if (out.length >= MAX_MATCHES) break;
        const rule = this.rules[ri]!;
        const kws = this.ruleKeywords[ri]!;
        let global = opts.forceGlobal === true || !rule.anchored;
        for (const k of kws) if (facts.overflowed(this.literalOf[k]!)) global = true;
        if (global) runGlobal(rule, text, out);
        else runAt(rule, this.sticky[ri]!, text, this.starts(kws, facts), out);
      }
      return resolveOverlaps(out);
    } finally {
      for (const ri of active) ruleMark[ri] = 0;
      active.length = 0;
    }
  }

  /** Sorted, distinct start positions of a rule's keyword occurrences. */
  private starts(kws: readonly number[], facts: TextFacts): number[] {
    const starts: number[] = [];
    let lists = 0;
    for (const k of kws) {
      const e = facts.positionsOf(this.literalOf[k]!);
      if (!e || e.length === 0) continue;
      lists++;
      const len = this.keywords[k]!.length;
      for (const end of e) starts.push(end - len);
    }
    if (lists > 1) sortSmall(starts);
    return starts;
  }
}

function runGlobal(rule: SecretRule, text: string, out: SecretMatch[]): void {
  const re = rule.pattern;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const accepted = accept(rule, text, m, out);
    // A rejected candidate may hide a real one that starts inside it.
    if (!accepted) re.lastIndex = m.index + 1;
    if (out.length >= MAX_MATCHES) break;
  }
  re.lastIndex = 0;
}

/** Sticky attempts at each keyword start; an accepted match hides occurrences inside it. */
function runAt(rule: SecretRule, re: RegExp, text: string, starts: readonly number[], out: SecretMatch[]): void {
  let covered = -1;
  let last = -1;
  for (const at of starts) {
    if (at === last || at < covered) continue;
    last = at;
    re.lastIndex = at;
    const m = re.exec(text);
    if (m !== null && accept(rule, text, m, out)) {
      covered = m.index + m[0].length;
      if (out.length >= MAX_MATCHES) break;
    }
  }
  re.lastIndex = 0;
}

function accept(rule: SecretRule, text: string, m: RegExpExecArray, out: SecretMatch[]): boolean {
  let start = m.index;
  let end = m.index + m[0].length;
  let value = m[0];
  const idx = m.indices;
  if (idx) {
    for (let g = rule.valueGroup; g < idx.length; g++) {
      const span = idx[g];
      if (span) {
        start = span[0];
        end = span[1];
        value = m[g]!;
        break;
      }
    }
  }
  if (rule.placeholder !== 'none' && isPlaceholder(value, rule.placeholder === 'strict')) return false;
  if (rule.minEntropy !== undefined && shannonEntropy(value) < rule.minEntropy) return false;
  let score = rule.score;
  let title = rule.title;
  if (rule.verify) {
    const v = rule.verify({ value, start, end, text, match: m });
    if (v === false) return false;
    if (typeof v === 'number') score = v;
    else if (typeof v === 'object') {
      start = v.start;
      end = v.end;
      if (v.score !== undefined) score = v.score;
      if (v.title !== undefined) title = v.title;
    }
  }
  if (end <= start) return false;
  out.push({ rule, start, end, score, title });
  return true;
}


const DEFAULT_SCANNER = new SecretScanner();

/** Secret matches in a text with the built-in rule set. */
export function findSecrets(text: string, opts?: ScanOptions): SecretMatch[] {
  return DEFAULT_SCANNER.scan(text, opts);
}

export const SECRETS_DETECTOR_ID = 'secrets';

function toFinding(m: SecretMatch): Finding {
  return {
    detector: SECRETS_DETECTOR_ID,
    category: 'secret',
    rule: m.rule.id,
    score: m.score,
    severity: severityFor(m),
    owasp: ['LLM02'],
    span: { start: m.start, end: m.end },
    explanation: `${m.title} found.`,
  };
}

function severityFor(m: SecretMatch): Severity {
  return m.score < 0.6 && m.rule.severity !== 'low' ? 'medium' : m.rule.severity;
}

/**
 * Credentials and keys in any message, both directions. Raw text only: a span has to point at the
 * exact characters so redaction can remove them.
 */
export const secretsDetector: Detector = {
  id: SECRETS_DETECTOR_ID,
  categories: ['secret'],
  directions: ['input', 'output'],
  scansViews: false,
  scan(text: string): Finding[] {
    return findSecrets(text).map(toFinding);
  },
};
