import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEvent, AuditFinding, AuditSink } from '../audit/index.ts';
import type { GatewayConfig } from '../config/index.ts';
import type { DetectionEngine } from '../detectors/engine.ts';
import { systemPromptOf } from '../detectors/engine.ts';
import { inspectInput, inspectOutput, redactable } from '../enforce/inspect.ts';
import type { Verdict } from '../enforce/inspect.ts';
import { writeRedactions } from '../enforce/redact.ts';
import { relayStream } from '../enforce/stream.ts';
import { outputGuard, blockReason } from '../enforce/stream-policy.ts';
import { rulesFor } from '../enforce/rules.ts';
import { decide } from '../policy/decide.ts';
import type { Action, Decision, Direction, Exchange, Finding, Provider } from '../exchange/types.ts';
import { approverFor, denialNote, judgeToolCalls } from '../enforce/tools.ts';
import { MemoryApprovals } from '../respond/approvals.ts';
import type { ApprovalRegistry, NewApproval } from '../respond/approvals.ts';
import { TOOL_POLICY_DETECTOR } from '../tools/judge.ts';
import { registerAdmin } from './admin.ts';
import { auditEventId } from '../audit/id.ts';
import { isoTime } from '../audit/time.ts';
import { strongerAction } from '../exchange/types.ts';
import { responseHeaders, upstreamHeaders } from '../forward/headers.ts';
import { Upstreams, toGatewayError, upstreamTarget } from '../forward/upstream.ts';
import type { KeyStore } from '../keys/index.ts';
import { LimitRefusal } from '../limits/refusal.ts';
import type { Admission, Limiter } from '../limits/types.ts';
import { adapterForRoute } from '../providers/index.ts';
import { setAtPath } from '../providers/path.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import { RequestShapeError } from '../providers/types.ts';
import { Vault } from '../redact/index.ts';
import { transformUntrusted } from '../respond/untrusted.ts';
import type { SessionGuard, SessionTurn } from '../sessions/index.ts';
import { checkModel, identify } from './auth.ts';
import { parseJsonBody } from './body.ts';
import { GatewayError } from './errors.ts';

export interface GatewayDeps {
  /** The current configuration; hot reload swaps what this returns. */
  config: () => GatewayConfig;
  keys: KeyStore;
  audit: AuditSink;
  engine: DetectionEngine;
  /** Rate limits, quotas and budgets (src/limits); none enforced when absent. */
  limits?: Limiter;
  /**
   * Pending human approvals (held tool calls): shared through Redis with several instances; a fresh
   * in-memory registry when absent. The caller owns it (closes it after the drain).
   */
  approvals?: ApprovalRegistry;
  /** Session correlation and active response (src/sessions); no session state is kept when absent. */
  sessions?: SessionGuard;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export interface Gateway {
  app: FastifyInstance;
  listen(host: string, port: number): Promise<string>;
  /** Stop accepting, finish in-flight exchanges, flush the audit log. */
  drain(): Promise<void>;
  inFlight(): number;
}

/** Per-exchange facts collected along the path, written as one audit event at the end. */
interface Trace {
  requestId: string;
  provider: Provider;
  route: string;
  t0: number;
  upstreamMs: number;
  streamed: boolean;
  model?: string;
  app?: string;
  keyId?: string;
  user?: string;
  sessionId?: string;
  status: number;
  action: Action | 'error';
  rule?: string;
  reason?: string;
  error?: string;
  inputTokens?: number;
  outputTokens?: number;
  findings: AuditFinding[];
  /** Limits: the reservation to settle when the exchange ends, and the streamed text's size. */
  admission?: Admission;
  outputChars?: number;
  /** Sessions: this exchange's turn, finished when the exchange ends. */
  session?: SessionTurn;
}

const ROUTES: readonly string[] = ['/v1/chat/completions', '/v1/messages'];

export function createGateway(deps: GatewayDeps): Gateway {
  const initial = deps.config();
  const upstreams = new Upstreams();
  let active = 0;
  let draining = false;
  const log = deps.log ?? (() => {});
  const approvals = deps.approvals ?? new MemoryApprovals();

  const app = Fastify({
    logger: false,
    bodyLimit: initial.server.bodyLimitBytes,
    genReqId: requestId,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  // Bodies are kept raw: UTF-8, depth and JSON are checked in one place so every failure gets the
  // provider's error shape instead of the framework's.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  for (const route of ROUTES) {
    const adapter = adapterForRoute('POST', route);
    if (!adapter) throw new Error(`no provider adapter for ${route}`);
    app.post(route, (req, reply) => handle(adapter, req, reply));
  }

  registerAdmin(app, { tokenSha256: () => deps.config().server.adminTokenSha256, approvals, ...(deps.sessions ? { sessions: deps.sessions } : {}) });

  app.setNotFoundHandler((req, reply) => {
    const provider = providerForPath(req.url);
    const trace = newTrace(req.id, provider, req.url);
    const err = new GatewayError('not_found', `Unknown route: ${req.method} ${req.url.split('?')[0]}. Parapet serves POST ${ROUTES.join(' and POST ')}.`);
    sendError(reply, trace, err);
    record(trace);
  });

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, req, reply) => {
    const provider = providerForPath(req.url);
    const trace = newTrace(req.id, provider, req.url);
    let err: GatewayError;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      err = new GatewayError('payload_too_large', `Request body exceeds the gateway limit of ${deps.config().server.bodyLimitBytes} bytes.`);
    } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
      err = new GatewayError('unsupported_media_type', `Unsupported content type '${req.headers['content-type'] ?? ''}'; send application/json.`);
    } else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      err = new GatewayError('invalid_request', 'Request body is empty; expected a JSON object.');
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      err = new GatewayError('invalid_request', error.message, error.statusCode);
    } else {
      log('error', 'unhandled error', { requestId: req.id, error: error.message });
      err = new GatewayError('internal', 'Internal gateway error.');
    }
    sendError(reply, trace, err);
    record(trace);
  });

  async function handle(adapter: ProviderAdapter, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    active++;
    const trace = newTrace(req.id, adapter.provider, req.url);
    try {
      await pipeline(adapter, req, reply, trace);
    } catch (e) {
      const err = e instanceof GatewayError ? e : toGatewayError(e);
      if (!(e instanceof GatewayError) && !(e instanceof Error && 'code' in e)) {
        log('error', 'exchange failed', { requestId: trace.requestId, error: e instanceof Error ? e.stack : String(e) });
      }
      if (!reply.sent && !reply.raw.headersSent) sendError(reply, trace, err);
      else {
        trace.error ??= err.message;
        if (!reply.raw.writableEnded) reply.raw.end();
      }
    } finally {
      // Limits: settled here and only here, so every path (answer, stream, error) settles exactly once.
      if (trace.admission) {
        deps.limits?.settle(trace.admission, { inputTokens: trace.inputTokens, outputTokens: trace.outputTokens, outputChars: trace.outputChars, status: trace.status });
      }
      // Sessions: what the output revealed (e.g. a leaked system prompt), recorded off the request path.
      trace.session?.finish(trace);
      record(trace);
      active--;
      // Keep-alive sockets would hold a draining server open forever: drop each one as it goes idle.
      if (draining) setImmediate(() => app.server.closeIdleConnections());
    }
  }

  async function pipeline(adapter: ProviderAdapter, req: FastifyRequest, reply: FastifyReply, trace: Trace): Promise<void> {
    const cfg = deps.config();
    const provider = adapter.provider;
    const identity = identify(provider, req.headers, cfg, deps.keys);
    trace.app = identity.principal.app;
    trace.keyId = identity.principal.keyId;
    trace.user = identity.principal.user;
    const session = req.headers['x-parapet-session'];
    if (typeof session === 'string' && session.length > 0) trace.sessionId = session.slice(0, 200);

    if (!Buffer.isBuffer(req.body)) {
      throw new GatewayError('unsupported_media_type', `Unsupported content type '${req.headers['content-type'] ?? ''}'; send application/json.`);
    }
    const body = parseJsonBody(req.body, cfg.server.maxJsonDepth);
    let ex: Exchange;
    try {
      ex = adapter.parseRequest(body, { requestId: trace.requestId, route: trace.route });
    } catch (e) {
      if (e instanceof RequestShapeError) throw new GatewayError('invalid_request', e.message);
      throw e;
    }
    ex.principal = identity.principal;
    if (trace.sessionId) ex.sessionId = trace.sessionId;
    trace.model = ex.model;
    trace.streamed = ex.stream;
    checkModel(identity, ex.model);
    // Sessions (src/sessions): the turn's session (x-parapet-session or the conversation fingerprint);
    // refused at once when this process knows the session is interrupted.
    trace.session = deps.sessions?.begin(ex, identity.principal, identity.policy, trace, reply);

    const policy = identity.policy;
    const systemPrompt = systemPromptOf(ex);
    const input = inspectInput(ex, deps.engine, policy, systemPrompt);
    note(trace, input, 'input');
    // Sessions: record the turn (blocked ones count too) and run the correlation rules; may refuse it.
    if (trace.session) await trace.session.record(input);
    if (input.decision.action === 'block') {
      throw new GatewayError('content_blocked', input.decision.reason ?? 'Request blocked by policy.');
    }
    const vault = policy.redaction === 'placeholder' ? new Vault() : undefined;
    if (input.decision.action === 'redact') {
      writeRedactions(ex.body, (m, p) => ex.messages[m]?.parts[p], redactable(input, policy), policy.redaction, vault);
    }
    // Untrusted content (tool results, documents): neutralised and spotlighted per policy (src/respond/untrusted.ts).
    transformUntrusted(ex, input, policy, trace);

    // Limits: admit (reserving the estimate) or throw a LimitRefusal; may cap the body's max tokens.
    if (deps.limits) trace.admission = await deps.limits.admit({ exchange: ex, policy, principal: identity.principal });

    const upstream = cfg.upstreams[provider];
    // Query parameters (e.g. the Anthropic SDK's ?beta=true) mean something to the provider.
    const q = req.url.indexOf('?');
    const target = upstreamTarget(upstreamPath(upstream.baseUrl, provider), q >= 0 ? req.url.slice(q) : '');
    const abort = new AbortController();
    const onClientClose = (): void => {
      if (!reply.raw.writableFinished) abort.abort();
    };
    reply.raw.on('close', onClientClose);
    const tUp = performance.now();
    // When the upstream's answer was fully read: what follows (output inspection, sending) is the
    // gateway's own time. A stream is inspected as it is relayed, so all of it counts as upstream.
    let tRead: number | undefined;
    try {
      const res = await upstreams.request({
        origin: target.origin,
        path: target.path,
        headers: upstreamHeaders(provider, req.headers, identity.clientProviderKey ?? upstream.apiKey, trace.requestId),
        body: JSON.stringify(ex.body),
        signal: abort.signal,
        timeoutMs: cfg.server.upstreamTimeoutMs,
      });
      const contentType = String(res.headers['content-type'] ?? '');
      if (res.statusCode >= 400) {
        const errorText = await res.body.text();
        tRead = performance.now();
        await passUpstreamError(adapter, reply, trace, res.statusCode, res.headers, errorText);
        return;
      }
      if (ex.stream && contentType.startsWith('text/event-stream')) {
        reply.hijack();
        const raw = reply.raw;
        raw.writeHead(200, {
          ...responseHeaders(res.headers),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          'x-parapet-request-id': trace.requestId,
          'x-parapet-decision': headerDecision(trace),
          ...(draining ? { connection: 'close' } : {}),
        });
        trace.status = 200;
        const inspector = adapter.createStreamInspector();
        const guard = outputGuard(deps.engine, policy, systemPrompt, adapter, inspector);
        const approve = policy.tools ? approverFor(approvals, approvalContext(trace), policy.tools.approvalTimeoutMs, abort.signal) : undefined;
        const result = await relayStream(res.body, raw, inspector, (msg) => adapter.streamErrorEvent(msg), guard, (f) => blockReason(f, policy), approve);
        if (result.clientGone || result.stopped) abort.abort();
        for (const f of guard.findings) trace.findings.push({ ...f, direction: 'output' });
        if (result.stopped) {
          trace.action = 'block';
          trace.reason = result.stopped.reason;
          const f = result.stopped.finding;
          trace.rule = f === undefined ? 'fail_mode.closed' : f.detector === TOOL_POLICY_DETECTOR ? f.rule : decide([f], rulesFor(policy, 'output'), 'output').rule;
        } else if (guard.dropped.length > 0) {
          noteTools(trace, [], guard.dropped);
        } else if (guard.redactedCount > 0) {
          trace.action = strongerAction(trace.action === 'error' ? 'allow' : trace.action, 'redact');
        } else if (guard.findings.length > 0 && trace.action === 'allow') {
          trace.action = 'flag';
        }
        trace.inputTokens = result.usage.inputTokens;
        trace.outputTokens = result.usage.outputTokens;
        trace.outputChars = result.outputChars;
        if (result.error) trace.error = result.error;
        else if (result.clientGone) trace.error = 'client disconnected before the stream ended';
        return;
      }
      const text = await res.body.text();
      tRead = performance.now();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new GatewayError('upstream', 'The upstream provider returned a malformed response (not JSON).');
      }
      const view = adapter.parseResponse(parsed);
      trace.inputTokens = view.usage?.inputTokens;
      trace.outputTokens = view.usage?.outputTokens;
      const output = inspectOutput(view, deps.engine, policy, systemPrompt);
      note(trace, output, 'output');
      if (output.decision.action === 'block') {
        throw new GatewayError('content_blocked', output.decision.reason ?? 'Response blocked by policy.');
      }
      let outBody = text;
      const tools = policy.tools ? await judgeToolCalls(view, policy.tools, approverFor(approvals, approvalContext(trace), policy.tools.approvalTimeoutMs, abort.signal)) : undefined;
      if (tools) {
        noteTools(trace, tools.findings, tools.denied.map((d) => d.finding));
        const first = tools.denied[0];
        if (first !== undefined && policy.tools?.onDeny === 'block') throw new GatewayError('content_blocked', first.finding.explanation);
      }
      const denied = tools?.denied ?? [];
      if (denied.length > 0 || output.decision.action === 'redact' || (vault && vault.size > 0)) {
        if (output.decision.action === 'redact') {
          writeRedactions(parsed, (i) => view.parts[i], redactable(output, policy), policy.redaction);
        }
        if (vault && vault.size > 0) restoreVault(parsed, view, vault);
        // Last: dropping calls shifts the paths the redactions above were written through.
        if (denied.length > 0) adapter.dropToolCalls(parsed, denied.map((d) => d.part), denialNote(denied));
        outBody = JSON.stringify(parsed);
      }
      trace.status = res.statusCode;
      if (draining) reply.header('connection', 'close');
      reply
        .code(res.statusCode)
        .headers(responseHeaders(res.headers))
        .header('content-type', 'application/json')
        .header('x-parapet-request-id', trace.requestId)
        .header('x-parapet-decision', headerDecision(trace));
      await reply.send(outBody);
    } finally {
      trace.upstreamMs = (tRead ?? performance.now()) - tUp;
      reply.raw.off('close', onClientClose);
    }
  }

  async function passUpstreamError(
    adapter: ProviderAdapter,
    reply: FastifyReply,
    trace: Trace,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    text: string,
  ): Promise<void> {
    let body: string;
    let message: string;
    try {
      JSON.parse(text);
      body = text;
      message = `upstream answered ${status}`;
    } catch {
      // A proxy's HTML error page is not something an SDK can parse: wrap it.
      const shape = adapter.errorShape('upstream', `The upstream provider answered ${status} with a non-JSON body.`, status);
      body = JSON.stringify(shape.body);
      message = `upstream answered ${status} (non-JSON body)`;
    }
    trace.status = status;
    trace.action = 'error';
    trace.error = message;
    reply
      .code(status)
      .headers(responseHeaders(headers))
      .header('content-type', 'application/json')
      .header('x-parapet-request-id', trace.requestId)
      .header('x-parapet-decision', headerDecision(trace));
    await reply.send(body);
  }

  function sendError(reply: FastifyReply, trace: Trace, err: GatewayError): void {
    const adapter = adapterForProvider(trace.provider);
    const shape = adapter.errorShape(err.kind, err.message, err.status);
    trace.status = shape.status;
    // Limits: which limit refused and what remains, and a 'consumption' finding for the audit log.
    if (err instanceof LimitRefusal) {
      void reply.headers(err.headers);
      if (err.finding) trace.findings.push({ ...err.finding, direction: 'input' });
      trace.rule = err.rule;
    }
    if (err.kind === 'content_blocked' || (err instanceof LimitRefusal && err.blocked)) {
      trace.action = 'block';
      trace.reason = err.message;
    } else {
      trace.action = 'error';
      trace.error = err.message;
    }
    void reply
      .code(shape.status)
      .header('content-type', 'application/json')
      .header('x-parapet-request-id', trace.requestId)
      .header('x-parapet-decision', headerDecision(trace))
      .send(JSON.stringify(shape.body));
  }

  function record(trace: Trace): void {
    const total = performance.now() - trace.t0;
    const now = Date.now();
    const event: AuditEvent = {
      id: auditEventId(now),
      time: isoTime(now),
      request_id: trace.requestId,
      app: trace.app,
      key_id: trace.keyId,
      user: trace.user,
      session_id: trace.sessionId,
      provider: trace.provider,
      model: trace.model,
      route: trace.route,
      streamed: trace.streamed,
      status: trace.status,
      input_tokens: trace.inputTokens,
      output_tokens: trace.outputTokens,
      latency_ms: round(total),
      added_latency_ms: round(Math.max(0, total - trace.upstreamMs)),
      decision: trace.action,
      rule: trace.rule,
      reason: trace.reason,
      error: trace.error,
      findings: trace.findings,
    };
    try {
      deps.audit.write(event);
    } catch (e) {
      log('error', 'audit write failed', { requestId: trace.requestId, error: e instanceof Error ? e.message : String(e) });
    }
  }

  return {
    app,
    async listen(host: string, port: number): Promise<string> {
      return app.listen({ host, port });
    },
    async drain(): Promise<void> {
      draining = true;
      // A response held for approval would keep the drain waiting for a human: deny (fail closed).
      // Settled at once; what remains is removing them from a shared store.
      const denied = approvals.denyAll('parapet: gateway shutting down').catch((e: unknown) => {
        log('warn', 'could not remove denied approvals from the approval store; they expire on their own', { error: e instanceof Error ? e.message : String(e) });
      });
      const closing = app.close();
      // A client may leave a socket open that never goes idle in Node's eyes (an SDK that aborted a
      // stream on a reused connection): once no exchange is in flight, nothing is lost by closing it.
      const sweep = setInterval(() => {
        if (active === 0) app.server.closeAllConnections();
      }, 50);
      try {
        await closing;
      } finally {
        clearInterval(sweep);
      }
      await upstreams.close();
      await denied;
      await deps.audit.flush();
    },
    inFlight: () => active,
  };
}

/** `req_` and the 32 hex digits of a random UUID; slices cost about half of replaceAll('-', ''). */
function requestId(): string {
  const u = randomUUID();
  return `req_${u.slice(0, 8)}${u.slice(9, 13)}${u.slice(14, 18)}${u.slice(19, 23)}${u.slice(24)}`;
}

function newTrace(requestId: string, provider: Provider, url: string): Trace {
  return {
    requestId,
    provider,
    route: url.split('?')[0] ?? url,
    t0: performance.now(),
    upstreamMs: 0,
    streamed: false,
    status: 0,
    action: 'allow',
    findings: [],
  };
}

/** Fold a verdict into the trace: the strongest action wins, its rule and reason are kept. */
function note(trace: Trace, v: Verdict, direction: Direction): void {
  const d: Decision = v.decision;
  for (const f of d.findings) trace.findings.push({ ...f, direction });
  if (trace.action === 'error') return;
  const next = strongerAction(trace.action, d.action);
  if (next !== trace.action || (d.action !== 'allow' && !trace.rule)) {
    trace.rule = d.rule;
    trace.reason = d.reason;
  }
  trace.action = next;
}

/**
 * Tool-policy findings into the trace. Denied calls were taken out of the answer (or the answer was
 * refused), so the exchange counts as at least redacted and names the tool rule that did it.
 */
function noteTools(trace: Trace, findings: readonly Finding[], denials: readonly Finding[]): void {
  for (const f of findings) trace.findings.push({ ...f, direction: 'output' });
  const first = denials[0];
  if (first === undefined || trace.action === 'error') return;
  if (trace.action !== 'block') {
    trace.action = 'redact';
    trace.rule = first.rule;
    trace.reason = first.explanation;
  }
}

function approvalContext(trace: Trace): Omit<NewApproval, 'tool' | 'arguments' | 'reason'> {
  const c: Omit<NewApproval, 'tool' | 'arguments' | 'reason'> = { requestId: trace.requestId, provider: trace.provider };
  if (trace.app !== undefined) c.app = trace.app;
  if (trace.keyId !== undefined) c.keyId = trace.keyId;
  if (trace.user !== undefined) c.user = trace.user;
  if (trace.sessionId !== undefined) c.sessionId = trace.sessionId;
  if (trace.model !== undefined) c.model = trace.model;
  return c;
}

function headerDecision(trace: Trace): string {
  return trace.action;
}

function restoreVault(body: unknown, view: { parts: { kind: string; path: readonly (string | number)[]; text: string }[] }, vault: Vault): void {
  for (const part of view.parts) {
    if (part.kind !== 'text') continue;
    const restored = vault.restore(part.text);
    if (restored !== part.text) setAtPath(body, part.path, restored);
  }
}

function upstreamPath(baseUrl: string, provider: Provider): string {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  // OpenAI-style base URLs include /v1; Anthropic-style are the host root.
  return provider === 'openai' ? `${base}/chat/completions` : `${base}/v1/messages`;
}

function providerForPath(url: string): Provider {
  return url.startsWith('/v1/messages') || url.startsWith('/v1/complete') ? 'anthropic' : 'openai';
}

function adapterForProvider(provider: Provider): ProviderAdapter {
  const a = adapterForRoute('POST', provider === 'anthropic' ? '/v1/messages' : '/v1/chat/completions');
  if (!a) throw new Error(`no adapter for ${provider}`);
  return a;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
