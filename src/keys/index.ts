// The keys module's public surface, so callers need not know how it is split into files.
export { generateKey, hashKey, isKeyFormat, KEY_ID_PREFIX, KEY_PREFIX } from './key.ts';
export { isRevoked, validateNewKey } from './types.ts';
export type { KeyRecord, KeyStore, NewKeyInput } from './types.ts';
