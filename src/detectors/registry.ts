// The detectors the gateway and `parapet scan` run by default. Each family registers here.
import type { Detector, Normalizer } from './types.ts';
import { injectionDetector } from './injection/index.ts';
import { jailbreakDetector } from './jailbreak/index.ts';
import { harmfulDetector } from './harmful/index.ts';
import { normalizeText } from './normalize/index.ts';
import { leakageDetectors } from './leakage/index.ts';
import { outputDetector } from './output/index.ts';
import { secretsDetector } from './secrets/index.ts';
import { piiDetector, piiEntitiesDetector } from './pii/index.ts';
import { classifierDetector } from './classifier/index.ts';

export const DEFAULT_DETECTORS: readonly Detector[] = [
  injectionDetector,
  jailbreakDetector,
  harmfulDetector,
  ...leakageDetectors,
  outputDetector,
  secretsDetector,
  piiDetector,
  piiEntitiesDetector,
  classifierDetector,
];

export const DEFAULT_NORMALIZER: Normalizer | undefined = normalizeText;
