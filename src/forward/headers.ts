import type { IncomingHttpHeaders } from 'node:http';
import type { Provider } from '../exchange/types.ts';

// Client headers that carry meaning for the provider and are safe to pass on. Everything else
// (cookies, the gateway key, hop-by-hop headers) stays at the gateway.
const PASS: Record<Provider, readonly string[]> = {
  openai: ['openai-organization', 'openai-project', 'openai-beta', 'user-agent'],
  anthropic: ['anthropic-version', 'anthropic-beta', 'user-agent'],
};

/** Headers for the upstream call: provider credential from config (or the client's, by opt-in). */
export function upstreamHeaders(
  provider: Provider,
  client: IncomingHttpHeaders,
  apiKey: string | undefined,
  requestId: string,
): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': 'application/json',
    // Parapet must read what the model says, so ask for an uncompressed body.
    'accept-encoding': 'identity',
    'x-request-id': requestId,
  };
  for (const name of PASS[provider]) {
    const v = client[name];
    if (typeof v === 'string') h[name] = v;
  }
  if (provider === 'anthropic') {
    h['anthropic-version'] ??= '2023-06-01';
    if (apiKey) h['x-api-key'] = apiKey;
  } else if (apiKey) {
    h.authorization = `Bearer ${apiKey}`;
  }
  return h;
}

/** The credential a client sent in its provider's usual header (a gateway key, or a provider key). */
export function clientCredential(provider: Provider, headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') {
    return auth.slice(7).trim();
  }
  if (provider === 'anthropic') {
    const k = headers['x-api-key'];
    if (typeof k === 'string' && k.length > 0) return k.trim();
  }
  return undefined;
}

// Upstream response headers that must not be copied: framing is redone by Parapet.
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'date', 'server']);

export function responseHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  // for..in rather than Object.entries: no [key, value] array per header on every response.
  for (const k in upstream) {
    const v = upstream[k];
    if (v === undefined || DROP_RESPONSE.has(k)) continue;
    out[k] = v;
  }
  return out;
}
