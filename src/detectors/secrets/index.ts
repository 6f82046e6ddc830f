export { SecretScanner, findSecrets, secretsDetector, SECRETS_DETECTOR_ID } from './detector.ts';
export type { SecretMatch, ScanOptions } from './detector.ts';
export { SECRET_RULES } from './rules/index.ts';
export type { SecretRule, Candidate, Verdict } from './rule.ts';
export { KeywordIndex } from './keywords.ts';
export { shannonEntropy, isPlaceholder } from './entropy.ts';
