// Per-text memos shared by the normaliser and the signature detectors. The engine hands the same
// string to every detector in turn (and then its decoded views), so derived values are computed
// once per text instead of once per detector; they live on the text's facts (facts.ts).
export { RecentCache } from './cache.ts';
export { hasNonLatin, lowerOf } from './facts.ts';
