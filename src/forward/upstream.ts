import { Pool, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../server/errors.ts';

export interface UpstreamCall {
  /** Full URL: the upstream's base URL plus the provider path. */
  url: URL;
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
      return await this.pool(call.url.origin).request({
        method: 'POST',
        path: call.url.pathname + call.url.search,
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
