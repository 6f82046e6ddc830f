import { Pool, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../server/errors.ts';

export interface UpstreamCall {
  /** The upstream's origin (scheme, host, port): one pool each. */
  origin: string;
  /** Request target: the base URL's path plus the provider path, and the client's query if any. */
  path: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * Keep-alive connection pools to upstream providers, one per origin. Pools live for the process:
 * a hot-reloaded base URL simply opens a new pool next to the old one.
 */
export class Upstreams {
  private readonly pools = new Map<string, Pool>();

  private pool(origin: string): Pool {
    let p = this.pools.get(origin);
    if (!p) {
      p = new Pool(origin, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });
      this.pools.set(origin, p);
    }
    return p;
  }

  async request(call: UpstreamCall): Promise<Dispatcher.ResponseData> {
    try {
      return await this.pool(call.origin).request({
        method: 'POST',
        path: call.path,
        headers: call.headers,
        body: call.body,
        signal: call.signal,
        headersTimeout: call.timeoutMs,
        bodyTimeout: call.timeoutMs,
      });
    } catch (err) {
      throw toGatewayError(err);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}

export interface UpstreamTarget {
  origin: string;
  path: string;
}

const TARGETS_MAX = 64;
const targets = new Map<string, UpstreamTarget>();

/**
 * Origin and request target of a full upstream URL, with the client's query string (from `?`, or
 * '' for none) as the URL parser encodes it. Without a query the answer depends on the configured
 * URL alone and is cached: parsing a URL on every request showed in profiles.
 */
export function upstreamTarget(url: string, query: string): UpstreamTarget {
  if (query === '') {
    const hit = targets.get(url);
    if (hit !== undefined) return hit;
  }
  const u = new URL(url);
  if (query !== '') {
    u.search = query;
    return { origin: u.origin, path: u.pathname + u.search };
  }
  const t = { origin: u.origin, path: u.pathname + u.search };
  // Only configured base URLs land here, and a hot reload rarely changes them: clearing is enough.
  if (targets.size >= TARGETS_MAX) targets.clear();
  targets.set(url, t);
  return t;
}

/** Map a transport failure talking to the upstream to the error the client sees. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return new GatewayError('timeout', 'The upstream provider did not answer in time.');
  }
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  const detail = code || (err instanceof Error ? err.message : String(err));
  return new GatewayError('upstream', `Could not reach the upstream provider (${detail}).`);
}
