// Who an HTTP MCP client is: the gateway key it presents (the same keys `parapet keys` manages and the
// gateway accepts), whose app names its MCP client policy. The client never chooses its policy.

import type { IncomingHttpHeaders } from 'node:http';
import type { StaticKey } from '../config/types.ts';
import { hashKey } from '../keys/index.ts';
import type { KeyStore } from '../keys/index.ts';
import { DEFAULT_CLIENT } from './config.ts';
import type { McpIdentity } from './guard.ts';

export type IdentifyResult = { ok: true; identity: McpIdentity } | { ok: false; status: 401; message: string };

export interface IdentifyOptions {
  requireKey: boolean;
  keys?: KeyStore;
  staticKeys?: readonly StaticKey[];
}

/** The gateway key from `x-parapet-key`, else `Authorization: Bearer …`. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const explicit = headers['x-parapet-key'];
  if (typeof explicit === 'string' && explicit.trim() !== '') return explicit.trim();
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') return auth.slice(7).trim();
  return undefined;
}

export function identifyClient(headers: IncomingHttpHeaders, opts: IdentifyOptions): IdentifyResult {
  // Where keys are optional, Authorization may be meant for someone else; only x-parapet-key counts.
  const explicit = headers['x-parapet-key'];
  const key = opts.requireKey ? presentedKey(headers) : typeof explicit === 'string' && explicit.trim() !== '' ? explicit.trim() : undefined;
  if (key === undefined) {
    if (!opts.requireKey) return { ok: true, identity: { client: DEFAULT_CLIENT } };
    return { ok: false, status: 401, message: 'Missing Parapet API key. Send it as a Bearer token or in the x-parapet-key header.' };
  }
  const hash = hashKey(key);
  const fixed = opts.staticKeys?.find((k) => k.sha256 === hash);
  if (fixed !== undefined) return { ok: true, identity: { client: fixed.app, keyId: fixed.id } };
  const record = opts.keys?.findByHash(hash);
  // A key that was presented must be valid even where keys are optional: a wrong key is a mistake
  // (or a probe), not an anonymous client.
  if (record === undefined) return { ok: false, status: 401, message: 'Invalid Parapet API key.' };
  if (record.revokedAt !== undefined) return { ok: false, status: 401, message: 'This Parapet API key has been revoked.' };
  const identity: McpIdentity = { client: record.app, keyId: record.id };
  if (record.user !== undefined) identity.user = record.user;
  return { ok: true, identity };
}
