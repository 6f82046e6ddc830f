// `parapet mcp proxy`: a Streamable HTTP endpoint per configured server (/mcp/NAME) in front of the
// server's own Streamable HTTP endpoint. Every JSON-RPC message goes through the guard: the POSTed one
// before it is forwarded, and each one the server answers with — a JSON body or every event of an SSE
// stream — before it reaches the client. Session ids, protocol version and event ids pass unchanged, so
// sessions and resumption work as if the client spoke to the server itself.

import { once } from 'node:events';
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, errors as undiciErrors } from 'undici';
import type { Dispatcher } from 'undici';
import { OldestFirst } from '../collections/oldest-first.ts';
import type { McpServerConfig } from './config.ts';
import type { Log, McpGuard, McpIdentity, McpSession } from './guard.ts';
import type { IdentifyResult } from './identity.ts';
import { INVALID_REQUEST, PARSE_ERROR, UPSTREAM_FAILED, errorResponse, isObject, isRequest } from './jsonrpc.ts';
import type { JsonRpcId, JsonRpcMessage } from './jsonrpc.ts';
import { createMcpSseParser, formatSseEvent } from './sse.ts';

export interface McpProxyOptions {
  guard: McpGuard;
  /** The servers to serve, read per request so a reloaded configuration applies at once. */
  servers: () => Record<string, McpServerConfig>;
  identify: (headers: IncomingHttpHeaders) => IdentifyResult;
  log: Log;
  /** Largest request body accepted from a client. */
  bodyLimitBytes?: number;
  /** Largest JSON (not streamed) response accepted from a server. */
  responseLimitBytes?: number;
}

export interface McpProxy {
  server: http.Server;
  listen(host: string, port: number): Promise<string>;
  /** Stops accepting, ends open streams, closes upstream connections. */
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;
const DEFAULT_RESPONSE_LIMIT = 32 * 1024 * 1024;
/** Sessions whose owner is remembered; the oldest are forgotten first past this. */
const MAX_SESSION_OWNERS = 100_000;
const ROUTE = /^\/mcp\/([^/]+)\/?$/;

/** Client headers the MCP transport defines; everything else (the gateway key, cookies) stays here. */
const PASS_REQUEST = ['mcp-session-id', 'mcp-protocol-version', 'last-event-id'] as const;
const PASS_RESPONSE = ['content-type', 'mcp-session-id', 'mcp-protocol-version', 'cache-control', 'www-authenticate', 'retry-after', 'allow'] as const;

class BodyTooLarge extends Error {}

async function readBody(stream: AsyncIterable<Buffer | Uint8Array>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`body larger than ${limit} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function requestId(msg: unknown): JsonRpcId | null {
  return isRequest(msg) ? msg.id : null;
}

/**
 * Browsers send Origin; a page on another site must not reach a local MCP server through the proxy
 * (DNS rebinding), so a present Origin has to name the host the request was sent to.
 */
function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (!URL.canParse(origin)) return false;
  const host = req.headers.host;
  return host !== undefined && new URL(origin).host === host;
}

export function createMcpProxy(opts: McpProxyOptions): McpProxy {
  const { guard, log } = opts;
  const bodyLimit = opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const responseLimit = opts.responseLimitBytes ?? DEFAULT_RESPONSE_LIMIT;
  const pools = new Map<string, Pool>();
  const open = new Set<ServerResponse>();
  // Session id → the key (or client) that opened it. The upstream session holds state the client
  // built (subscriptions, context): another key holder who learns the id must not step into it.
  const owners = new Map<string, string>();
  const ownersOldest = new OldestFirst(owners);
  const own = (sessionId: string, owner: string): void => {
    if (owners.size >= MAX_SESSION_OWNERS) ownersOldest.evict();
    owners.set(sessionId, owner);
  };

  const pool = (origin: string): Pool => {
    let p = pools.get(origin);
    if (p === undefined) {
      p = new Pool(origin, { connections: 64, keepAliveTimeout: 30_000 });
      pools.set(origin, p);
    }
    return p;
  };

  function upstreamHeaders(req: IncomingMessage, server: McpServerConfig, accept: string): Record<string, string> {
    const h: Record<string, string> = { accept, 'accept-encoding': 'identity' };
    for (const name of PASS_REQUEST) {
      const v = req.headers[name];
      if (typeof v === 'string') h[name] = v;
    }
    for (const [k, v] of Object.entries(server.headers)) h[k.toLowerCase()] = v;
    return h;
  }

  function clientHeaders(up: Dispatcher.ResponseData): Record<string, string> {
    const h: Record<string, string> = {};
    for (const name of PASS_RESPONSE) {
      const v = up.headers[name];
      if (typeof v === 'string') h[name] = v;
    }
    return h;
  }

  async function callUpstream(
    method: 'POST' | 'GET' | 'DELETE',
    req: IncomingMessage,
    res: ServerResponse,
    server: McpServerConfig,
    body: string | undefined,
    streaming: boolean,
  ): Promise<Dispatcher.ResponseData> {
    const url = new URL(server.url ?? '');
    const ac = new AbortController();
    // A client that goes away takes its upstream request (and any tool call still running) with it.
    res.once('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    const headers = upstreamHeaders(req, server, method === 'GET' ? 'text/event-stream' : (req.headers.accept ?? 'application/json, text/event-stream'));
    if (body !== undefined) headers['content-type'] = 'application/json';
    return pool(url.origin).request({
      method,
      path: url.pathname + url.search,
      headers,
      body,
      signal: ac.signal,
      headersTimeout: server.timeoutMs,
      // A standalone GET stream may stay quiet for as long as the server has nothing to say.
      bodyTimeout: streaming ? 0 : server.timeoutMs,
    });
  }

  /** Sends the upstream's answer to the client with every JSON-RPC message in it passed through the guard. */
  async function relay(up: Dispatcher.ResponseData, res: ServerResponse, session: McpSession, owner: string): Promise<void> {
    const sessionHeader = up.headers['mcp-session-id'];
    if (typeof sessionHeader === 'string') {
      session.info.sessionId ??= sessionHeader;
      if (!owners.has(sessionHeader)) own(sessionHeader, owner);
    }
    const type = String(up.headers['content-type'] ?? '').toLowerCase();
    const headers = clientHeaders(up);

    if (type.startsWith('text/event-stream')) {
      res.writeHead(up.statusCode, { ...headers, 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
      res.flushHeaders();
      let out = '';
      const parser = createMcpSseParser((e) => {
        if (e.data !== undefined) {
          let msg: unknown;
          try {
            msg = JSON.parse(e.data);
          } catch {
            log('warn', 'dropped a server event that is not JSON', { server: session.info.server });
            return;
          }
          const passed = session.fromServer(msg);
          if (passed === undefined) return;
          e.data = JSON.stringify(passed);
        }
        out += formatSseEvent(e);
      });
      const decoder = new TextDecoder('utf-8');
      try {
        for await (const chunk of up.body) {
          parser.push(decoder.decode(chunk as Uint8Array, { stream: true }));
          if (out === '') continue;
          const ok = res.write(out);
          out = '';
          if (!ok) await once(res, 'drain');
        }
        parser.push(decoder.decode());
        parser.end();
        if (out !== '') res.write(out);
      } finally {
        session.close('the server ended the stream before it answered');
        res.end();
      }
      return;
    }

    let text: string;
    try {
      text = await readBody(up.body, responseLimit);
    } catch (err) {
      session.close('the server response was too large');
      throw err;
    }
    if (type.includes('json') && text.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        session.close('the server answered with invalid JSON');
        if (up.statusCode >= 200 && up.statusCode < 300) {
          sendJson(res, 502, errorResponse(null, UPSTREAM_FAILED, 'Parapet: the MCP server answered with invalid JSON'));
        } else {
          res.writeHead(up.statusCode, headers).end(text);
        }
        return;
      }
      let body: unknown;
      if (Array.isArray(parsed)) body = parsed.map((m) => session.fromServer(m)).filter((m): m is JsonRpcMessage => m !== undefined);
      else body = session.fromServer(parsed) ?? errorResponse(null, UPSTREAM_FAILED, 'Parapet: the MCP server answered with something that is not JSON-RPC');
      session.close('the server did not answer the request');
      sendJson(res, up.statusCode, body, headers);
      return;
    }
    session.close('the server did not answer the request');
    res.writeHead(up.statusCode, headers).end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const m = ROUTE.exec(path);
    let name: string | undefined;
    try {
      name = m?.[1] === undefined ? undefined : decodeURIComponent(m[1]);
    } catch {
      name = undefined;
    }
    const servers = opts.servers();
    const server = name !== undefined && Object.hasOwn(servers, name) ? servers[name] : undefined;
    if (name === undefined || server?.url === undefined) {
      sendJson(res, 404, errorResponse(null, INVALID_REQUEST, `Not found: MCP servers are served at /mcp/<name>; configured: ${Object.keys(servers).join(', ') || '(none)'}`));
      return;
    }
    if (!originAllowed(req)) {
      sendJson(res, 403, errorResponse(null, INVALID_REQUEST, 'Forbidden: Origin does not match the host'));
      return;
    }
    const who = opts.identify(req.headers);
    if (!who.ok) {
      sendJson(res, who.status, errorResponse(null, INVALID_REQUEST, who.message));
      return;
    }
    const identity: McpIdentity = who.identity;
    const owner = identity.keyId ?? `client:${identity.client}`;
    const sessionHeader = req.headers['mcp-session-id'];
    if (typeof sessionHeader === 'string') {
      const known = owners.get(sessionHeader);
      if (known !== undefined && known !== owner) {
        // What the server says for a session it does not know, so nothing tells a prober it exists.
        sendJson(res, 404, errorResponse(null, INVALID_REQUEST, 'Session not found'));
        return;
      }
      // Sessions opened before a restart of the proxy are claimed by their first user.
      if (known === undefined) own(sessionHeader, owner);
    }
    const session = guard.session({ server: name, identity, ...(typeof sessionHeader === 'string' ? { sessionId: sessionHeader } : {}) });

    if (req.method === 'POST') {
      let text: string;
      try {
        text = await readBody(req, bodyLimit);
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          sendJson(res, 413, errorResponse(null, INVALID_REQUEST, `Request body larger than ${bodyLimit} bytes`));
          return;
        }
        throw err;
      }
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        sendJson(res, 400, errorResponse(null, PARSE_ERROR, 'Parse error: the body is not JSON'));
        return;
      }
      if (Array.isArray(msg)) {
        // MCP 2025-06-18 dropped batching; judging a batch part by part and stitching answers back
        // together is complexity no current client needs.
        sendJson(res, 400, errorResponse(null, INVALID_REQUEST, 'Parapet does not accept JSON-RPC batches: send one message per request'));
        return;
      }
      const verdict = session.fromClient(msg);
      if (verdict.action === 'reply') {
        sendJson(res, isRequest(msg) ? 200 : 400, verdict.message);
        return;
      }
      let up: Dispatcher.ResponseData;
      try {
        up = await callUpstream('POST', req, res, server, JSON.stringify(verdict.message), false);
      } catch (err) {
        session.close(`the server could not be reached: ${describe(err)}`);
        sendJson(res, 502, errorResponse(requestId(msg), UPSTREAM_FAILED, `Parapet: the MCP server '${name}' could not be reached (${describe(err)})`));
        return;
      }
      await relay(up, res, session, owner);
      return;
    }

    if (req.method === 'GET' || req.method === 'DELETE') {
      let up: Dispatcher.ResponseData;
      try {
        up = await callUpstream(req.method, req, res, server, undefined, req.method === 'GET');
      } catch (err) {
        sendJson(res, 502, errorResponse(null, UPSTREAM_FAILED, `Parapet: the MCP server '${name}' could not be reached (${describe(err)})`));
        return;
      }
      if (req.method === 'DELETE' && typeof sessionHeader === 'string' && up.statusCode < 300) owners.delete(sessionHeader);
      await relay(up, res, session, owner);
      return;
    }

    sendJson(res, 405, errorResponse(null, INVALID_REQUEST, 'Method not allowed'), { allow: 'GET, POST, DELETE' });
  }

  const server = http.createServer((req, res) => {
    open.add(res);
    res.once('close', () => open.delete(res));
    handle(req, res).catch((err: unknown) => {
      if (isAbort(err)) return;
      log('error', 'mcp proxy request failed', { url: req.url, error: describe(err) });
      if (!res.headersSent) sendJson(res, 502, errorResponse(null, UPSTREAM_FAILED, `Parapet: ${describe(err)}`));
      else res.destroy();
    });
  });

  return {
    server,
    async listen(host: string, port: number): Promise<string> {
      server.listen(port, host);
      await once(server, 'listening');
      const addr = server.address() as AddressInfo;
      const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      return `http://${shown}:${addr.port}`;
    },
    async close(): Promise<void> {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Long-lived SSE streams would keep close() waiting forever.
      for (const res of open) res.destroy();
      server.closeIdleConnections();
      await closed;
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
    },
  };
}

function isAbort(err: unknown): boolean {
  return err instanceof undiciErrors.RequestAbortedError || (err instanceof Error && err.name === 'AbortError');
}

function describe(err: unknown): string {
  if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) return 'timed out';
  const code = isObject(err) && typeof err['code'] === 'string' ? err['code'] : undefined;
  return code ?? (err instanceof Error ? err.message : String(err));
}
