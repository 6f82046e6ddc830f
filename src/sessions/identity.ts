// Which session a turn belongs to. An explicit id from the client (x-parapet-session) wins; otherwise
// the conversation's anchor is fingerprinted: the system prompt and the first user message. A chat
// client re-sends the whole history with every turn, so every turn of one conversation carries the
// same anchor and maps to the same session, while the turns that follow it do not enter the hash.
// Both kinds are scoped to the gateway key: one key can never read, fill or interrupt the session
// of another, even by sending its id.

import { hash } from 'node:crypto';
import type { Exchange, Message } from '../exchange/types.ts';

export const FINGERPRINT_PREFIX = 'fp_';

function textOf(m: Message | undefined): string {
  if (m === undefined) return '';
  let s = '';
  for (const p of m.parts) s = s === '' ? p.text : `${s}\n${p.text}`;
  return s;
}

/** `fp_` and 22 base64url characters (132 bits) of SHA-256 over key, system prompt and first user message. */
export function fingerprint(ex: Exchange, keyId: string): string {
  const system = ex.messages.filter((m) => m.role === 'system').map(textOf).join('\n');
  const first = ex.messages.find((m) => m.role === 'user' && m.trust === 'user');
  const user = textOf(first).trim();
  // Lengths first, so no choice of texts can make two different anchors hash alike. One-shot hash()
  // of the joined string (the same bytes the former chain of update() calls fed, since every part
  // is bounded by ASCII) costs less than a Hash object and six updates on every request.
  const anchor = `${keyId.length}:${keyId}${system.length}:${system}${user.length}:${user}`;
  return FINGERPRINT_PREFIX + hash('sha256', anchor, 'base64url').slice(0, 22);
}

/** The session id of a turn: the client's, or the conversation fingerprint. */
export function sessionIdOf(ex: Exchange, keyId: string, explicit: string | undefined): string {
  return explicit !== undefined && explicit !== '' ? explicit : fingerprint(ex, keyId);
}

/** Store keys: the session under its key, and the key itself. */
export function sessionStoreKey(keyId: string, sessionId: string): string {
  return `${encodeURIComponent(keyId)}:${encodeURIComponent(sessionId)}`;
}

export function keyStoreKey(keyId: string): string {
  return encodeURIComponent(keyId);
}
