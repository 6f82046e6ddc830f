// The limits module's public surface.
export { StoreLimiter } from './limiter.ts';
export type { StoreLimiterOptions } from './limiter.ts';
export { MemoryLimitStore } from './memory.ts';
export { LimitRefusal } from './refusal.ts';
export { costMicros, formatUsd, priceFor } from './prices.ts';
export { requestedMaxOutput, setMaxOutput } from './request.ts';
export { countInputTokens, preloadTokenizers, tokenizerFor } from './tokens.ts';
export type { TokenizerFamily } from './tokens.ts';
export type { Adjustment, Admission, Check, CheckFailure, Lease, LimitRequest, LimitStore, LimitUsage, Limiter, ReserveResult } from './types.ts';
export { BUCKET_MS, MINUTE_MS, periodOf, windowRetryAfter } from './windows.ts';
