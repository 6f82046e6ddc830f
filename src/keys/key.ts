// Gateway API keys: how they look, how they are generated, and how they are hashed for storage.
import { hash, randomBytes } from 'node:crypto';

export const KEY_PREFIX = 'ppt_';
export const KEY_ID_PREFIX = 'key_';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = 62n;
// 62^43 > 2^256, so 43 digits hold any 32-byte value and every key has the same length.
const SECRET_DIGITS = 43;
const ID_CHARS = 12;
const KEY_PATTERN = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${SECRET_DIGITS}}$`);

/** Base62 keeps keys to one "word": no '-' or '_' that break double-click selection or shell quoting. */
function base62(bytes: Uint8Array, digits: number): string {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  const out: string[] = new Array<string>(digits);
  for (let i = digits - 1; i >= 0; i--) {
    out[i] = ALPHABET[Number(value % BASE)] ?? '0';
    value /= BASE;
  }
  return out.join('');
}

/** Uniform random base62 characters; bytes >= 248 are rejected so that `% 62` is unbiased. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b >= 248) continue;
      out += ALPHABET[b % 62] ?? '';
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new key (the secret handed to the client once) and its public id (safe to log and show). */
export function generateKey(): { id: string; key: string } {
  return {
    id: KEY_ID_PREFIX + randomBase62(ID_CHARS),
    key: KEY_PREFIX + base62(randomBytes(32), SECRET_DIGITS),
  };
}

/**
 * The stored form of a key. A plain SHA-256 is the right tool here, not bcrypt/scrypt/argon2: a key
 * carries 256 random bits, so there is nothing for a slow hash to protect against brute force, and
 * the hash must be deterministic and cheap because it is looked up on every request.
 */
export function hashKey(key: string): string {
  // One-shot hash(): the same digest as createHash().update().digest(), at a third of the cost.
  return hash('sha256', key, 'hex');
}

/** Whether a string has the shape of a Parapet key: lets callers reject junk without a store lookup. */
export function isKeyFormat(candidate: string): boolean {
  return KEY_PATTERN.test(candidate);
}
