export { PiiScanner, findPii, piiDetector, piiEntitiesDetector, createPiiDetector, PII_DETECTOR_ID, PII_ENTITIES_DETECTOR_ID } from './detector.ts';
export type { PiiMatch, PiiOptions } from './detector.ts';
export { PII_RULES } from './rules.ts';
export { NAME_RULES } from './names.ts';
export { phoneRule } from './phone.ts';
export type { PiiRule } from './rule.ts';
export * as checksums from './checksums.ts';
export { ENTITY_RULES, QUASI_IDENTIFIER_RULES, QUASI_SCORE } from './entities.ts';
export type { EntityRule } from './entities.ts';
