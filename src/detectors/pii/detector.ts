import type { Finding, Severity } from '../../exchange/types.ts';
import type { Detector } from '../types.ts';
import { NAME_RULES } from './names.ts';
import { phoneRule } from './phone.ts';
import type { PhoneOptions } from './phone.ts';
import type { PiiRule } from './rule.ts';
import { PII_RULES } from './rules.ts';
import { resolveOverlaps } from '../overlaps.ts';

export interface PiiMatch {
  rule: PiiRule;
  start: number;
  end: number;
  score: number;
  title: string;
}

export interface PiiOptions extends PhoneOptions {
  /** Rule ids to leave out (e.g. "person-name" where names are expected and harmless). */
  disable?: readonly string[];
}

const MAX_MATCHES = 5000;

export class PiiScanner {
  readonly rules: readonly PiiRule[];

  constructor(opts: PiiOptions = {}) {
    const off = new Set(opts.disable ?? []);
    this.rules = [...PII_RULES, phoneRule(opts), ...NAME_RULES].filter((r) => !off.has(r.id));
  }

  scan(text: string): PiiMatch[] {
    if (text.length < 5) return [];
    const hasDigit = /\d/.test(text);
    const hasDigits3 = hasDigit && /\d{3}/.test(text);
    const hasAt = text.includes('@');
    const hasLetter = /[A-Za-z\p{L}]/u.test(text);
    const out: PiiMatch[] = [];
    for (const r of this.rules) {
      if (r.needs === 'digit' && !hasDigit) continue;
      if (r.needs === 'digits3' && !hasDigits3) continue;
      if (r.needs === 'at' && !hasAt) continue;
      if (r.needs === 'letter' && !hasLetter) continue;
      if (r.needs instanceof RegExp && !r.needs.test(text)) continue;
      run(r, text, out);
      if (out.length >= MAX_MATCHES) break;
    }
    return resolveOverlaps(out);
  }
}

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

const DEFAULT_SCANNER = new PiiScanner();

export function findPii(text: string): PiiMatch[] {
  return DEFAULT_SCANNER.scan(text);
}

function severityFor(m: PiiMatch): Severity {
  return m.score < 0.5 ? 'low' : m.rule.severity;
}

/** A PII detector with its own options (default region for phone numbers, disabled rules). */
export function createPiiDetector(opts: PiiOptions = {}): Detector {
  const scanner = new PiiScanner(opts);
  return {
    id: PII_DETECTOR_ID,
    categories: ['pii'],
    directions: ['input', 'output'],
    scansViews: false,
    scan(text: string): Finding[] {
      return scanner.scan(text).map(
        (m): Finding => ({
          detector: PII_DETECTOR_ID,
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

/** Personal data in any message, both directions, raw text only (spans must be exact for redaction). */
export const piiDetector: Detector = createPiiDetector();
