// The normaliser: runs once per text, returns the decoded/normalised views the signature detectors
// should also read, and findings about the hiding itself (category "obfuscation", OWASP LLM01).
//
// Cost on ordinary text: one regex test for non-Latin characters and the shared character pass of
// facts.ts (which the signature detectors reuse). Views are produced only when something actually
// decoded or changed.
import type { Finding } from '../../exchange/types.ts';
import { scanInjection } from '../injection/index.ts';
import { maxScore, severityFor } from '../injection/signatures.ts';
import { scanJailbreak } from '../jailbreak/index.ts';
import type { Normalizer, ScanContext, TextView } from '../types.ts';
import { DECODERS, profileOf } from './decoders.ts';
import { factsOf } from './facts.ts';
import { hasNonLatin } from './text.ts';
import { foldUnicode, type UnicodeStats } from './unicode.ts';

export const NORMALIZER_ID = 'normalize';

export interface NormalizerOptions {
  /** How many encoding layers deep to decode (base64 of rot13 of … ). Default 3. */
  maxDepth?: number;
  /** Most views produced for one text. Default 8. */
  maxViews?: number;
  /**
   * How instruction-like a text is, 0..1. Decoded views that score ≥ 0.5 here while the raw text
   * does not are reported as hidden instructions. Defaults to the injection + jailbreak signatures.
   */
  probe?: (text: string) => number;
}

const PROBE_CTX: ScanContext = { role: 'user', trust: 'user', direction: 'input' };

/** Injection/jailbreak strength of a text, as the signature detectors would score it. */
export function instructionScore(text: string): number {
  return Math.max(maxScore(scanInjection(text, PROBE_CTX)), maxScore(scanJailbreak(text, PROBE_CTX)));
}

function finding(rule: string, score: number, explanation: string, severity = severityFor(score)): Finding {
  return { detector: NORMALIZER_ID, category: 'obfuscation', rule, score, severity, owasp: ['LLM01'], explanation };
}

function unicodeFindings(s: UnicodeStats, out: Finding[]): void {
  if (s.tagText.length > 0) {
    // Tag characters render as nothing; outside emoji flags they have no business in a prompt.
    out.push(finding('tag-smuggling', 0.95, `Invisible Unicode tag characters carry hidden text (${s.tagText.length} characters).`, 'critical'));
  }
  if (s.selectorText.length > 0) {
    out.push(finding('variation-selector-smuggling', 0.9, 'A run of variation selectors encodes hidden bytes.', 'high'));
  }
  if (s.invisibleInWord > 0) {
    out.push(finding('invisible-in-word', s.invisibleInWord >= 3 ? 0.7 : 0.55, `Zero-width/invisible characters split words (${s.invisibleInWord}).`));
  } else if (s.invisible >= 3) {
    out.push(finding('invisible-characters', 0.3, `Invisible format characters present (${s.invisible}).`));
  }
  if (s.bidiOverrides > 0) {
    out.push(finding('bidi-override', 0.5, `Bidirectional override/embedding controls reorder the displayed text (${s.bidiOverrides}).`));
  }
  if (s.confusableWords > 0) {
    out.push(finding('confusables', s.confusableWords >= 3 ? 0.65 : 0.5, `Look-alike letters from other scripts disguise words (${s.confusableWords}).`));
  }
  if (s.compat >= 4) {
    out.push(finding('compatibility-letters', 0.25, `Fullwidth/mathematical/enclosed letters restyle the text (${s.compat}).`, 'low'));
  }
  if (s.maxCombiningRun >= 3) {
    out.push(finding('stacked-diacritics', 0.3, 'Stacked combining marks obscure the letters.', 'low'));
  }
}

export function createNormalizer(opts: NormalizerOptions = {}): Normalizer {
  const maxDepth = opts.maxDepth ?? 3;
  const maxViews = opts.maxViews ?? 8;
  const probe = opts.probe ?? instructionScore;

  return (text: string) => {
    const views: TextView[] = [];
    const findings: Finding[] = [];
    if (text.length === 0) return { views, findings };

    let base = text;
    if (hasNonLatin(text)) {
      const u = foldUnicode(text);
      if (u) {
        base = u.text;
        views.push({ name: 'unicode', text: base });
        unicodeFindings(u.stats, findings);
      }
    }

    // Ordinary text: nothing folded, nothing any decoder could apply to.
    if (base === text) {
      const profile = profileOf(factsOf(text));
      if (!DECODERS.some((d) => d.applies(profile))) return { views, findings };
    }
    const queue: { name: string; text: string; depth: number; last: string }[] = [{ name: base === text ? '' : 'unicode', text: base, depth: 0, last: '' }];
    const seen = new Set<string>([text, base]);
    while (queue.length > 0 && views.length < maxViews) {
      const cur = queue.shift();
      if (!cur) break;
      const profile = profileOf(factsOf(cur.text));
      for (const d of DECODERS) {
        if (views.length >= maxViews) break;
        if (!d.applies(profile) || (d.involutive && d.name === cur.last)) continue;
        let out = d.decode(cur.text);
        if (out === null) continue;
        // A decoded layer may itself hide characters (base64 of zero-width-split text).
        if (hasNonLatin(out)) {
          const u = foldUnicode(out);
          if (u) {
            out = u.text;
            unicodeFindings(u.stats, findings);
          }
        }
        if (seen.has(out)) continue;
        seen.add(out);
        const name = cur.name ? `${cur.name}>${d.name}` : d.name;
        views.push({ name, text: out });
        if (cur.depth + 1 < maxDepth) queue.push({ name, text: out, depth: cur.depth + 1, last: d.name });
      }
    }

    // An instruction that only appears once decoded was hidden on purpose.
    let rawScore: number | undefined;
    let best: { name: string; score: number } | undefined;
    for (const v of views) {
      const s = probe(v.text);
      if (s < 0.5) continue;
      rawScore ??= probe(text);
      if (s > rawScore + 0.1 && (!best || s > best.score)) best = { name: v.name, score: s };
    }
    if (best) {
      findings.push(finding(`hidden-instruction.${best.name}`, Math.max(0.85, Math.min(0.98, best.score)), `An instruction is hidden by ${best.name} encoding/obfuscation.`, 'high'));
    }
    return { views, findings: dedupe(findings) };
  };
}

function dedupe(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const byRule = new Map<string, Finding>();
  for (const f of findings) {
    const prev = byRule.get(f.rule);
    if (!prev || f.score > prev.score) byRule.set(f.rule, f);
  }
  return [...byRule.values()];
}

/** The default normaliser the gateway runs. */
export const normalizeText: Normalizer = createNormalizer();
