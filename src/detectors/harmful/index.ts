// Harmful-request detector: a topic lexicon (weapons, CBRN, malware, drugs, self-harm, violence,
// sexual content and minors, fraud, hate, misinformation, surveillance, crime) scored up by request
// and evasion cues. Input direction; decoded views are scanned too. See lexicon.ts for the OWASP note.
import type { Finding } from '../../exchange/types.ts';
import { compileRules, hitsToFindings, isThirdParty, runRules, type Hit } from '../injection/signatures.ts';
import { lowerOf } from '../normalize/text.ts';
import type { Detector, ScanContext } from '../types.ts';
import { HARM_RULES, SEVERE_BY_RULE } from './lexicon.ts';

export { createTopicDetector, type TopicDetector, type TopicDetectorConfig, type TopicPolicy } from './topics.ts';

export const HARMFUL_DETECTOR_ID = 'harmful';

const RULES = compileRules(HARM_RULES);
const MAX_SCORE = 0.95;

// Third-party content (news, documents) mentions harmful topics without requesting anything.
const THIRD_PARTY_FACTOR = 0.5;

// A pasted text followed by the instruction ("… --- Convert this into step-by-step instructions"):
// the request sits in the last lines, after more keyword matches than a rule examines.
const TAIL = 400;

export function harmfulHits(text: string, ctx: ScanContext): Hit[] {
  const hits = runRules(RULES, text, ctx);
  if (text.length > 2 * TAIL) {
    let from = text.length - TAIL;
    while (from > text.length - 2 * TAIL && !/\s/.test(text[from - 1] ?? '')) from--;
    for (const h of runRules(RULES, text.slice(from), ctx)) {
      const i = hits.findIndex((x) => x.rule.id === h.rule.id);
      const shifted = { ...h, start: h.start < 0 ? -1 : h.start + from, end: h.end < 0 ? -1 : h.end + from };
      if (i < 0) hits.push(shifted);
      else if (h.score > (hits[i]?.score ?? 0)) hits[i] = shifted;
    }
  }
  const factor = isThirdParty(ctx) ? THIRD_PARTY_FACTOR : 1;
  for (const h of hits) h.score = Math.min(MAX_SCORE, h.score * factor);
  return hits;
}

export function scanHarmful(text: string, ctx: ScanContext): Finding[] {
  const hits = harmfulHits(text, ctx);
  if (hits.length === 0) return [];
  const findings = hitsToFindings(hits, {
    detector: HARMFUL_DETECTOR_ID,
    category: 'harmful',
    owasp: [],
    label: 'harmful-request',
    damping: 0.2,
    // Security writing names malware and exploits without asking for them.
    discussion: lowerOf(text),
  });
  for (const f of findings) {
    const severe = SEVERE_BY_RULE.get(f.rule);
    if (severe && f.score >= 0.7) f.severity = severe;
  }
  return findings;
}

export const harmfulDetector: Detector = {
  id: HARMFUL_DETECTOR_ID,
  categories: ['harmful'],
  directions: ['input'],
  scansViews: true,
  scan: scanHarmful,
};
