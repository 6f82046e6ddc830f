// Which session a turn belongs to. An explicit id from the client (x-parapet-session) wins; otherwise
// the conversation's anchor is fingerprinted: the system prompt, the first user message and the
// model's first answer. A chat client re-sends the whole history with every turn, so from the second
// turn on every turn of one conversation carries the same anchor and maps to the same session, while
// the turns that follow it do not enter the hash.
//
// Why the first answer: many apps open every chat with the same words (a fixed greeting, "hi", a
// template). Keyed on the opening alone, all those chats of one key would be one session: one user's
// blocked turns would interrupt everybody's chat, and escalation would read strangers' turns as one
// climb. The model's first answer almost always tells two chats apart (a model answering identical
// openings identically, e.g. at temperature 0, still merges them: such apps should send
// x-parapet-session). The price: the first turn, sent before any answer exists, is recorded under its
// opening alone, and the session of the second turn starts from the history the request carries (as
// any session new to the gateway does), so the first turn's scores still count.
// Both kinds are scoped to the gateway key: one key can never read, fill or interrupt the session of
// another, even by sending its id.

import { hash } from 'node:crypto';
import type { Exchange, Message } from '../exchange/types.ts';

export const FINGERPRINT_PREFIX = 'fp_';

/** Enough of the first answer to tell chats apart; hashing more only costs time. */
const ANSWER_CHARS = 2_000;

function textOf(m: Message | undefined): string {
  if (m === undefined) return '';
  let s = '';
  for (const p of m.parts) s = s === '' ? p.text : `${s}\n${p.text}`;
  return s;
}

/** The first answer as the client re-sends it: its text and tool calls, whitespace-insensitive. */
function answerOf(m: Message): string {
  let s = textOf(m);
  for (const c of m.toolCalls ?? []) s += `\n${c.name}(${c.arguments})`;
  return s.slice(0, ANSWER_CHARS).replace(/\s+/g, ' ').trim();
}

/**
 * `fp_` and 22 base64url characters (132 bits) of SHA-256 over key, system prompt, first user message
 * and the first answer. Before any answer, the count of user messages stands in for it, so a chat's
 * opening turn never shares a session with a longer answer-less history that starts the same way.
 */
export function fingerprint(ex: Exchange, keyId: string): string {
  let system = '';
  let first: Message | undefined;
  let answer: Message | undefined;
  let users = 0;
  for (const m of ex.messages) {
    if (m.role === 'system') system = system === '' ? textOf(m) : `${system}\n${textOf(m)}`;
    else if (m.role === 'user' && m.trust === 'user') {
      first ??= m;
      users++;
    } else if (m.role === 'assistant') answer ??= m;
  }
  const user = textOf(first).trim();
  const tail = answer !== undefined ? `a${answerOf(answer)}` : `u${users}`;
  // Lengths first, so no choice of texts can make two different anchors hash alike.
  const anchor = `${keyId.length}:${keyId}${system.length}:${system}${user.length}:${user}${tail.length}:${tail}`;
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
