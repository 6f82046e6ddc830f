// System prompt leakage (OWASP LLM07): planted canaries and verbatim overlap with the prompt.
export { CANARY_PREFIX, canaryDetector, canaryMarker, findCanaries, insertCanary, isCanary, makeCanary, plantCanary } from './canary.ts';
export { MIN_PROMPT_WORDS, SHINGLE_SIZE, measureOverlap, overlapDetector, overlapScore } from './overlap.ts';
export type { OverlapResult } from './overlap.ts';

import type { Detector } from '../types.ts';
import { canaryDetector } from './canary.ts';
import { overlapDetector } from './overlap.ts';

export const leakageDetectors: readonly Detector[] = [canaryDetector, overlapDetector];
