// The errors a session refusal ends in, in the client's own error shape (the gateway's sendError
// turns a GatewayError into the provider's body): an interrupted session is a 403 content-policy
// error that says until when, a throttled key a 429 with retry-after, a key revoked by a rule a 403
// on the turn that revoked it and a 401 after that, like any revoked key.

import { LimitRefusal } from '../limits/refusal.ts';
import { GatewayError } from '../server/errors.ts';

/** Where a refusal's headers go: the Fastify reply, before the error is sent. */
export interface HeaderSink {
  header(name: string, value: string): unknown;
}

function minutesUntil(until: number, now: number): string {
  const s = Math.max(1, Math.ceil((until - now) / 1000));
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}

export function interruptedError(until: number, rule: string, now: number, reply: HeaderSink, why?: string): GatewayError {
  const at = new Date(until).toISOString();
  reply.header('retry-after', String(Math.max(1, Math.ceil((until - now) / 1000))));
  reply.header('x-parapet-session-interrupted-until', at);
  const cause = why === undefined ? '' : ` ${why}`;
  return new GatewayError(
    'content_blocked',
    `Blocked by Parapet: this session is interrupted until ${at} (${minutesUntil(until, now)} from now) by rule ${rule}.${cause} ` +
      'Every turn of it is refused until then; a new conversation is judged on its own.',
    403,
  );
}

export function throttledError(until: number, retryAt: number, rpm: number, rule: string, now: number): LimitRefusal {
  const retry = Math.max(1, Math.ceil((retryAt - now) / 1000));
  return new LimitRefusal({
    kind: 'rate_limit',
    status: 429,
    message:
      `This key is throttled by Parapet to ${rpm} requests per minute until ${new Date(until).toISOString()} (rule ${rule}); ` +
      `this minute's requests are used up. Retry in ${retry} s.`,
    rule: `${rule}.throttle`,
    headers: { 'retry-after': String(retry), 'retry-after-ms': String(Math.max(1, retryAt - now)), 'x-parapet-limit': `${rule}/throttle` },
    blocked: true,
  });
}

export function blockedError(rule: string, why: string): GatewayError {
  return new GatewayError('content_blocked', `Blocked by Parapet: rule ${rule}: ${why}`);
}

export function revokedNowError(rule: string, why: string): GatewayError {
  return new GatewayError('content_blocked', `Blocked by Parapet: this API key has been revoked by rule ${rule}: ${why} Ask the operator for a new key.`, 403);
}

export function revokedError(): GatewayError {
  return new GatewayError('authentication', 'This Parapet API key has been revoked.');
}

export function storeDownError(reply: HeaderSink): GatewayError {
  reply.header('retry-after', '1');
  return new GatewayError('internal', 'Parapet cannot reach its session store, and this key\'s policy fails closed. Retry shortly.', 503);
}
