// Jailbreak detector: attempts to make the model drop its safety policy (DAN-style personas,
// rule-removal role-play, refusal suppression, dual responses, token games, fiction framing,
// optimised adversarial suffixes). Input direction; decoded views are scanned too.
import type { Finding } from '../../exchange/types.ts';
import { compileRules, FindingsMemo, hitsToFindings, runRules, type Hit, type SignatureRule } from '../injection/signatures.ts';
import { lowerOf } from '../normalize/text.ts';
import type { Detector, ScanContext } from '../types.ts';
import { JAILBREAK_RULES } from './rules.ts';
import { adversarialSuffix } from './suffix.ts';

export const JAILBREAK_DETECTOR_ID = 'jailbreak';

const RULES = compileRules(JAILBREAK_RULES);

const SUFFIX_RULE: SignatureRule = {
  id: 'adversarial-suffix',
  triggers: [],
  re: /$^/g,
  score: 0,
  explanation: 'Ends in a run of optimised “token soup” typical of adversarial-suffix attacks.',
};

const TRUSTED_FACTOR = 0.5;

export function jailbreakHits(text: string, ctx: ScanContext): Hit[] {
  const hits = runRules(RULES, text, ctx);
  const suffix = adversarialSuffix(text);
  if (suffix) hits.push({ rule: SUFFIX_RULE, start: suffix.start, end: suffix.end, score: suffix.score });
  if (ctx.trust === 'trusted') for (const h of hits) h.score *= TRUSTED_FACTOR;
  return hits;
}

const memo = new FindingsMemo();

/** Jailbreak findings for a text (memoised for the last few texts and contexts). */
export function scanJailbreak(text: string, ctx: ScanContext): Finding[] {
  return memo.get(text, ctx, compute);
}

function compute(text: string, ctx: ScanContext): Finding[] {
  const hits = jailbreakHits(text, ctx);
  if (hits.length === 0) return [];
  return hitsToFindings(hits, {
    detector: JAILBREAK_DETECTOR_ID,
    category: 'jailbreak',
    owasp: ['LLM01'],
    label: 'jailbreak',
    discussion: lowerOf(text),
    // Jailbreak templates stack many weak cues; each further cue counts a little less.
    damping: 0.6,
  });
}

export const jailbreakDetector: Detector = {
  id: JAILBREAK_DETECTOR_ID,
  categories: ['jailbreak'],
  directions: ['input'],
  scansViews: true,
  scan: scanJailbreak,
};
