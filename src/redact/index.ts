export { Vault, redactText, mergeSpans, createRestoreStream, MAX_PLACEHOLDER_LENGTH } from './redact.ts';
export type { RedactionMode, RedactionSpan, RedactOptions } from './redact.ts';
