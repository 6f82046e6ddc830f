import { crc32 } from 'node:zlib';
import { decodeBase64 } from './entropy.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * GitHub (2021) and npm (2021) tokens end in a 6-character base62 CRC32 of the 30 random characters
 * that follow the prefix ("Behind GitHub's new authentication token formats", github.blog,
 * 2021-04-05). A match proves the token is well-formed, not that it is live.
 */
export function hasBase62Crc32(token: string, prefixLength: number): boolean {
  const entropy = token.slice(prefixLength, token.length - 6);
  const tail = token.slice(token.length - 6);
  let n = crc32(entropy);
  let enc = '';
  do {
    enc = BASE62[n % 62] + enc;
    n = Math.floor(n / 62);
  } while (n > 0);
  return enc.padStart(6, '0') === tail;
}

/** True when `segment` is base64url of a JSON object (JWT/JWS payload); tolerant of truncation. */
export function isJsonSegment(segment: string): boolean {
  const s = decodeBase64(segment);
  if (s === undefined) return false;
  return /^\s*\{\s*"[A-Za-z_][\w-]{0,40}"\s*:/.test(s) && /^[\x20-\x7e\s]*$/.test(s.slice(0, 64));
}

/** True when `segment` is base64url of a JOSE header: a complete JSON object naming alg/typ/kid. */
export function isJoseHeader(segment: string): boolean {
  const s = decodeBase64(segment);
  if (s === undefined) return false;
  try {
    const h = JSON.parse(s) as unknown;
    return typeof h === 'object' && h !== null && ('alg' in h || 'typ' in h || 'kid' in h);
  } catch {
    return false;
  }
}

/** True when base64 text decodes to `user:password` (HTTP basic credentials, docker config auth). */
export function isBasicCredential(b64: string): boolean {
  const s = decodeBase64(b64);
  if (s === undefined) return false;
  const colon = s.indexOf(':');
  if (colon <= 0 || colon === s.length - 1) return false;
  // Printable ASCII only: random base64 almost never decodes to that.
  return /^[\x20-\x7e]+$/.test(s);
}
