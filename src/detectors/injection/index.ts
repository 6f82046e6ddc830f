// Prompt-injection detector: instruction overrides, role/authority spoofing, system-prompt and
// secret extraction, payload splitting, exfiltration, and instructions aimed at the assistant from
// inside third-party content. Input direction only; decoded views are scanned too.
import type { Finding } from '../../exchange/types.ts';
import type { Detector, ScanContext } from '../types.ts';
import { MULTILINGUAL_LATIN_RULES, MULTILINGUAL_OTHER_RULES } from './multilingual.ts';
import { INJECTION_RULES } from './rules.ts';
import { compileRules, discussionFactor, FindingsMemo, hitsToFindings, runRules, type Hit } from './signatures.ts';
import { hasNonLatin, lowerOf } from '../normalize/text.ts';

export const INJECTION_DETECTOR_ID = 'injection';

const MAIN = compileRules([...INJECTION_RULES, ...MULTILINGUAL_LATIN_RULES]);
const OTHER_SCRIPTS = compileRules(MULTILINGUAL_OTHER_RULES);

// Operator-written text (the system prompt) routinely describes attacks in order to forbid them;
// its hits are kept as low-weight evidence rather than dropped.
const TRUSTED_FACTOR = 0.5;

/** All injection cues in one text, best match per rule. */
export function injectionHits(text: string, ctx: ScanContext): Hit[] {
  const hits = runRules(MAIN, text, ctx);
  if (hasNonLatin(text)) for (const h of runRules(OTHER_SCRIPTS, text, ctx)) hits.push(h);
  if (ctx.trust === 'trusted') for (const h of hits) h.score *= TRUSTED_FACTOR;
  return hits;
}

const memo = new FindingsMemo();

/** Injection findings for a text (memoised for the last few texts and contexts). */
export function scanInjection(text: string, ctx: ScanContext): Finding[] {
  return memo.get(text, ctx, compute);
}

function compute(text: string, ctx: ScanContext): Finding[] {
  const hits = injectionHits(text, ctx);
  if (hits.length === 0) return [];
  return hitsToFindings(hits, {
    detector: INJECTION_DETECTOR_ID,
    category: 'injection',
    owasp: ['LLM01'],
    label: 'prompt-injection',
    scale: discussionFactor(lowerOf(text)),
  });
}

export const injectionDetector: Detector = {
  id: INJECTION_DETECTOR_ID,
  categories: ['injection'],
  directions: ['input'],
  scansViews: true,
  scan: scanInjection,
};
