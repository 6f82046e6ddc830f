// `parapet mock-llm`: a deterministic OpenAI- and Anthropic-compatible upstream for tests and
// benchmarks. Plain node:http with keep-alive, so the mock is never the bottleneck when the gateway
// in front of it is measured.
//
// Routes:
//   POST /v1/chat/completions            OpenAI Chat Completions (streamed with `stream: true`)
//   POST /v1/messages                    Anthropic Messages (streamed with `stream: true`)
//   POST /v1/messages/count_tokens       Anthropic token count, by the mock's rule (text.ts)
//   GET  /v1/models                      model list; Anthropic's shape when anthropic-version is sent
//   GET  /_mock/requests                 the recorded requests (last 1000), oldest first
//   DELETE /_mock/requests               forget them
//   PUT  /_mock/script                   replace the script with the JSONL body
//
// Faults (script `fault`); reset and hang win over `status`, which wins over malformed and truncate:
//   reset      the socket is reset without any response
//   hang       no response at all; close() still ends the connection
//   malformed  streamed: the opening events, one body event, then an event whose data is not JSON;
//              not streamed: a 200 whose JSON body is cut in half
//   truncate   streamed: the opening events and half the body, then the response ends cleanly
//              without the finishing events ([DONE] / message_stop)
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as anthropic from './anthropic.ts';
import * as openai from './openai.ts';
import { parseScript, Script } from './script.ts';
import type { Plan, ScriptLine } from './script.ts';
import { applyFault, SSE_HEADERS, writeEvents } from './stream.ts';
import type { StreamEvents } from './stream.ts';

export interface MockOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  script?: ScriptLine[];
  /** How many requests to keep for inspection (default MAX_RECORDED); 0 turns recording off. */
  maxRecorded?: number;
}

export interface RecordedRequest {
  method: string;
  /** The request target as received, query string included. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; the raw text when it is not JSON; null when there is none. */
  body: unknown;
}

export interface MockServer {
  url: string;
  port: number;
  /** The last `maxRecorded` requests to the provider routes, oldest first. Cleared in place. */
  requests: RecordedRequest[];
  /** Replaces the script (and restarts the `times` counts). Throws on an invalid line. */
  setScript(script: ScriptLine[]): void;
  close(): Promise<void>;
}

export const MAX_RECORDED = 1000;
const MAX_BODY_BYTES = 32 * 1024 * 1024;

type Provider = 'openai' | 'anthropic';

/** The answer to a valid request, built only once faults and status have had their say. */
interface Answer {
  stream: boolean;
  json(): string;
  sse(): StreamEvents;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

function errorBody(provider: Provider, status: number, message: string, param: string | null = null): string {
  return provider === 'anthropic' ? anthropic.anthropicError(status, message) : openai.openaiError(status, message, param);
}

/** Waits, unless the client goes away first; says whether there is still someone to answer. */
async function pause(res: ServerResponse, ms: number): Promise<boolean> {
  if (ms <= 0) return true;
  const ac = new AbortController();
  const onClose = (): void => ac.abort();
  res.once('close', onClose);
  try {
    await sleep(ms, undefined, { signal: ac.signal });
    return !res.destroyed;
  } catch {
    return false;
  } finally {
    res.off('close', onClose);
  }
}

export async function startMockLlm(opts: MockOptions = {}): Promise<MockServer> {
  let script = new Script(opts.script ?? []);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let counter = 0;
  const maxRecorded = opts.maxRecorded ?? MAX_RECORDED;

  const record = (req: IncomingMessage, path: string, body: unknown): void => {
    if (maxRecorded <= 0) return;
    // Copied because node's header object has no prototype, which surprises deep-equality checks.
    const headers: IncomingHttpHeaders = { ...req.headers };
    requests.push({ method: req.method ?? 'GET', path, headers, body });
    if (requests.length > maxRecorded) requests.splice(0, requests.length - maxRecorded);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const method = req.method ?? 'GET';

    if (path === '/_mock/requests') {
      if (method === 'GET') return send(res, 200, JSON.stringify(requests));
      if (method === 'DELETE') {
        requests.length = 0;
        return send(res, 200, '{"cleared":true}');
      }
      return send(res, 405, '{"error":"use GET or DELETE"}');
    }

    const raw = await readBody(req);
    if (path === '/_mock/script') {
      if (method !== 'PUT' && method !== 'POST') return send(res, 405, '{"error":"use PUT"}');
      try {
        script = new Script(parseScript(raw?.toString('utf8') ?? ''));
      } catch (err) {
        return send(res, 400, JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
      }
      return send(res, 200, '{"ok":true}');
    }

    const provider: Provider =
      path.startsWith('/v1/messages') || req.headers['anthropic-version'] !== undefined ? 'anthropic' : 'openai';
    const seq = `mock${(++counter).toString().padStart(8, '0')}`;
    const idHeaders: Record<string, string> = provider === 'anthropic' ? { 'request-id': `req_${seq}` } : { 'x-request-id': `req_${seq}` };

    let body: unknown = null;
    let parsed = false;
    if (raw === undefined) {
      body = `<body over ${MAX_BODY_BYTES} bytes>`;
    } else if (raw.length > 0) {
      const text = raw.toString('utf8');
      try {
        body = JSON.parse(text);
        parsed = true;
      } catch {
        body = text;
      }
    }
    record(req, target, body);

    const fail = (status: number, message: string, param: string | null = null): void =>
      send(res, status, errorBody(provider, status, message, param), idHeaders);

    if (raw === undefined) return fail(413, `request body is larger than ${MAX_BODY_BYTES} bytes`);

    const route =
      path === '/v1/chat/completions'
        ? 'chat'
        : path === '/v1/messages'
          ? 'messages'
          : path === '/v1/messages/count_tokens'
            ? 'count'
            : path === '/v1/models'
              ? 'models'
              : undefined;
    if (route === undefined) return fail(404, `unknown route ${method} ${path}`);
    if (route === 'models') {
      if (method !== 'GET') return fail(405, `method ${method} not allowed on ${path}`);
      return send(res, 200, provider === 'anthropic' ? anthropic.modelList() : openai.modelList(), idHeaders);
    }
    if (method !== 'POST') return fail(405, `method ${method} not allowed on ${path}`);
    if (!parsed) return fail(400, 'the request body is not valid JSON');

    let plan: Plan;
    let a: Answer;
    if (route === 'chat') {
      const checked = openai.checkChatRequest(body);
      if (!checked.ok) return fail(400, checked.message, checked.param);
      const r = checked.value;
      plan = script.plan(openai.lastUserText(r.messages));
      const created = Math.floor(Date.now() / 1000);
      const p = plan;
      a = {
        stream: r.stream,
        json: () => openai.chatCompletion(r, p, seq, created),
        sse: () => openai.chatStream(r, p, seq, created),
      };
    } else {
      const checked = anthropic.checkMessagesRequest(body, route === 'messages');
      if (!checked.ok) return fail(400, checked.message);
      const r = checked.value;
      if (route === 'count') return send(res, 200, anthropic.countTokens(r), idHeaders);
      plan = script.plan(anthropic.lastUserText(r.messages));
      const p = plan;
      a = {
        stream: r.stream,
        json: () => anthropic.message(r, p, seq),
        sse: () => anthropic.messageStream(r, p, seq),
      };
    }

    if (plan.fault === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    if (plan.fault === 'hang') return;

    const headers = plan.headers === undefined ? idHeaders : { ...idHeaders, ...plan.headers };
    if (plan.status !== undefined || !a.stream) {
      if (!(await pause(res, plan.delayMs))) return;
      if (plan.status !== undefined) {
        return send(res, plan.status, errorBody(provider, plan.status, plan.text), headers);
      }
      const json = a.json();
      return send(res, 200, plan.fault === 'malformed' ? json.slice(0, Math.floor(json.length / 2)) : json, headers);
    }
    res.writeHead(200, { ...SSE_HEADERS, ...headers });
    await writeEvents(res, applyFault(a.sse(), plan.fault), plan.delayMs);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      send(res, 500, openai.openaiError(500, `mock-llm internal error: ${err instanceof Error ? err.message : String(err)}`));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('mock-llm: unexpected listen address');
  const port = address.port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    requests,
    setScript(lines: ScriptLine[]): void {
      script = new Script(lines);
    },
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung requests and idle keep-alive connections would otherwise hold close() open forever.
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
