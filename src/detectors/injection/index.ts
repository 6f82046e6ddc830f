// Prompt-injection detector: instruction overrides, role/authority spoofing, system-prompt and
// secret extraction, payload splitting, exfiltration, and instructions aimed at the assistant from
// inside third-party content. Input direction only; decoded views are scanned too.
import type { Finding } from '../../exchange/types.ts';
import type { Detector, ScanContext } from '../types.ts';
import { MULTILINGUAL_LATIN_RULES, MULTILINGUAL_OTHER_RULES } from './multilingual.ts';
import { INJECTION_RULES } from './rules.ts';
import { compileRules, FindingsMemo, hitsToFindings, runRules, type Hit } from './signatures.ts';
import { hasNonLatin, lowerOf } from '../normalize/text.ts';
import { restrictedTopicIn, restrictedTopicsOf } from './topics.ts';
import type { SignatureRule } from './signatures.ts';

export const INJECTION_DETECTOR_ID = 'injection';

const MAIN = compileRules([...INJECTION_RULES, ...MULTILINGUAL_LATIN_RULES]);
const OTHER_SCRIPTS = compileRules(MULTILINGUAL_OTHER_RULES);

// Operator-written text (the system prompt) routinely describes attacks in order to forbid them;
// its hits are kept as low-weight evidence rather than dropped.
const TRUSTED_FACTOR = 0.5;

// Not a regex rule: its terms come from each system prompt (see topics.ts). The entry carries the
// id, score and explanation its findings report.
const TOPIC_RULE: SignatureRule = {
  id: 'scope.restricted-topic',
  triggers: [],
  re: /$^/g,
  score: 0.6,
  owasp: ['LLM01'],
  explanation: 'Raises a subject that the system prompt forbids (an attempt to take the assistant outside its operator’s rules).',
};

/** All injection cues in one text, best match per rule. */
export function injectionHits(text: string, ctx: ScanContext): Hit[] {
  const hits = runRules(MAIN, text, ctx);
  if (hasNonLatin(text)) for (const h of runRules(OTHER_SCRIPTS, text, ctx)) hits.push(h);
  // Only the user's own turn: a document may well mention the subject, and the operator's
  // text is where the rule comes from.
  if (ctx.systemPrompt !== undefined && ctx.role === 'user' && ctx.trust === 'user') {
    const guard = restrictedTopicsOf(ctx.systemPrompt);
    const m = guard ? restrictedTopicIn(text, lowerOf(text), guard) : undefined;
    if (m) hits.push({ rule: TOPIC_RULE, start: m.start, end: m.end, score: TOPIC_RULE.score });
  }
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
    discussion: lowerOf(text),
  });
}

export const injectionDetector: Detector = {
  id: INJECTION_DETECTOR_ID,
  categories: ['injection'],
  directions: ['input'],
  scansViews: true,
  scan: scanInjection,
};
