export { actionFor, decide, mergeDecisions } from './decide.ts';
export type { Scope } from './decide.ts';
