// The MCP policy engine. Transports (the Streamable HTTP proxy, the stdio wrapper) hand it every
// JSON-RPC message in both directions; it answers what to forward, what to rewrite and what to refuse,
// and writes one audit event per tools/call and tools/list (and per refusal):
//
//   client → server   tools/call: client allowlist, pin state and poisoning verdict of the tool,
//                     operator argument patterns, detectors over the arguments (tool_abuse, secrets)
//   server → client   tools/list: pin every tool at first sight, withhold changed (rug pull) and
//                     poisoned tools, hide tools the client may not use; tools/call results: detectors
//                     as untrusted tool content, block or redact; initialize: server instructions
//
// Everything else passes unchanged. Transport-free and synchronous apart from the audit sink, so the
// two transports enforce exactly the same policy.

import { randomUUID } from 'node:crypto';
import { auditEventId } from '../audit/id.ts';
import { performance } from 'node:perf_hooks';
import type { AuditEvent, AuditFinding, AuditSink } from '../audit/types.ts';
import type { CategoryRules } from '../config/types.ts';
import { globMatch } from '../config/models.ts';
import { DetectionEngine } from '../detectors/engine.ts';
import type { DetectorFailure } from '../detectors/engine.ts';
import { DEFAULT_DETECTORS, DEFAULT_NORMALIZER } from '../detectors/registry.ts';
import { strongerAction } from '../exchange/types.ts';
import type { Action, Category, Finding } from '../exchange/types.ts';
import { actionFor, decide } from '../policy/decide.ts';
import { redactText } from '../redact/index.ts';
import type { RedactionSpan } from '../redact/index.ts';
import { clientPolicy } from './config.ts';
import type { McpClientPolicy, McpConfig } from './config.ts';
import { checkArgumentRule } from '../tools/arguments.ts';
import { pinnedView, toolHash } from './definitions.ts';
import { INVALID_REQUEST, POLICY_BLOCKED, errorResponse, idKey, isNotification, isObject, isRequest, isResponse } from './jsonrpc.ts';
import type { JsonObject, JsonRpcId, JsonRpcMessage, JsonRpcRequest, JsonRpcResponse } from './jsonrpc.ts';
import { pinStatus } from './pins.ts';
import type { PinStore, ToolPin } from './pins.ts';
import { poisoningDetector, scanDefinition, toolTexts } from './poisoning.ts';
import type { DefinitionScan } from './poisoning.ts';
import { CATEGORY_LABEL } from '../policy/decide.ts';

export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/** Who is on the client side of a session, as the operator's configuration knows them. */
export interface McpIdentity {
  /** Client policy name: the gateway app of the key, or `--client` of `mcp wrap`. */
  client: string;
  keyId?: string;
  user?: string;
}

export interface SessionInfo {
  /** Server name: pins and tool patterns are per server. */
  server: string;
  identity: McpIdentity;
  sessionId?: string;
}

export interface GuardOptions {
  /** The current policy; a function so a hot reload applies to sessions already open. */
  config: () => McpConfig;
  pins: PinStore;
  audit: AuditSink;
  /** Detectors for arguments and results; the default registry when absent. */
  engine?: DetectionEngine;
  /** Detectors for tool definitions; the default registry plus the poisoning rules when absent. */
  descriptionEngine?: DetectionEngine;
  log?: Log;
}

/** Requests whose every call is audited (others only when something was found). */
const AUDITED = new Set(['tools/call', 'tools/list', 'resources/read', 'prompts/get']);
/** Requests whose results are scanned as untrusted content. */
const SCANNED = new Set(['tools/call', 'resources/read', 'prompts/get']);

export type ClientVerdict =
  | { action: 'forward'; message: JsonRpcMessage }
  /** Answer the client directly; nothing goes to the server. */
  | { action: 'reply'; message: JsonRpcResponse };

interface Pending {
  method: string;
  tool?: string;
  requestId: string;
  t0: number;
  inspectMs: number;
  findings: AuditFinding[];
  action: Action;
  rule?: string;
  reason?: string;
}

interface Judgement {
  action: Action;
  /** Findings that earned more than allow. */
  findings: Finding[];
  rule?: string;
  reason?: string;
}

const MAX_PENDING = 4096;
const MAX_SCAN_CACHE = 4096;


/**
 * A redaction inside a tool definition would still leave the server's words in charge of the model,
 * so for definitions anything stronger than flag withholds the tool.
 */
function withholds(action: Action): boolean {
  return action === 'block' || action === 'redact';
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Judges findings by one rule table. `table` names it in rule ids (mcp.results.injection.block>=0.8);
 * detector failures block when the policy fails closed.
 */
function judge(findings: readonly Finding[], failures: readonly DetectorFailure[], rules: CategoryRules, table: string, config: McpConfig): Judgement {
  const d = decide(findings, rules, 'untrusted');
  const j: Judgement = { action: d.action, findings: d.findings };
  if (d.rule !== undefined) j.rule = `mcp.${table}.${d.rule.slice(d.rule.indexOf('.') + 1)}`;
  if (d.action !== 'allow') {
    let top: Finding | undefined;
    for (const f of d.findings) if (actionFor(f, rules) === d.action && (top === undefined || f.score > top.score)) top = f;
    if (top !== undefined) j.reason = `${CATEGORY_LABEL[top.category]} (${top.detector}/${top.rule}, score ${top.score.toFixed(2)}): ${top.explanation}`;
  }
  if (failures.length > 0 && config.failMode === 'closed' && j.action !== 'block') {
    j.action = 'block';
    j.rule = 'mcp.fail_mode.closed';
    j.reason = `a detector failed (${failures.map((f) => f.detector).join(', ')}) and the MCP policy fails closed`;
  }
  return j;
}

function toAudit(f: Finding, direction: 'input' | 'output'): AuditFinding {
  const a: AuditFinding = {
    detector: f.detector,
    category: f.category,
    rule: f.rule,
    score: f.score,
    severity: f.severity,
    owasp: [...f.owasp],
    explanation: f.explanation,
    direction,
  };
  if (f.span !== undefined) a.span = { ...f.span };
  return a;
}

function policyFinding(rule: string, category: Category, explanation: string, owasp: Finding['owasp'] = ['LLM06']): Finding {
  return { detector: 'mcp-policy', category, rule, score: 1, severity: 'high', owasp, explanation };
}

/** `server/tool` matched against a pattern; a pattern without '/' names a tool on any server. */
export function toolMatches(pattern: string, server: string, tool: string): boolean {
  const slash = pattern.indexOf('/');
  if (slash === -1) return globMatch(pattern, tool);
  return globMatch(pattern.slice(0, slash), server) && globMatch(pattern.slice(slash + 1), tool);
}

export function toolAllowed(policy: McpClientPolicy, server: string, tool: string): boolean {
  if (!policy.tools.some((p) => toolMatches(p, server, tool))) return false;
  return !policy.denyTools.some((p) => toolMatches(p, server, tool));
}

/** A model-visible string inside a tool result, with a way to write a redacted version back. */
interface ResultText {
  text: string;
  write: (next: string) => void;
}

/**
 * The texts of what a server returns for tools/call (content blocks, structuredContent), resources/read
 * (contents) and prompts/get (messages and their content). Binary blocks (images, audio, blobs) are
 * not text and are left alone. Same order for the same result, so a copy can be written in place.
 */
function resultTexts(result: JsonObject): ResultText[] {
  const out: ResultText[] = [];
  const field = (holder: JsonObject, key: string): void => {
    const v = holder[key];
    if (typeof v === 'string') out.push({ text: v, write: (t) => (holder[key] = t) });
  };
  const block = (item: unknown): void => {
    if (!isObject(item)) return;
    field(item, 'text');
    field(item, 'description');
    const resource = item['resource'];
    if (isObject(resource)) field(resource, 'text');
  };
  const blocks = (list: unknown): void => {
    if (Array.isArray(list)) for (const item of list) block(item);
    else block(list);
  };
  blocks(result['content']);
  if (Array.isArray(result['contents'])) blocks(result['contents']);
  if (Array.isArray(result['messages'])) for (const m of result['messages']) if (isObject(m)) blocks(m['content']);
  field(result, 'description');
  const walk = (holder: JsonObject | unknown[], key: string | number, depth: number): void => {
    const v = (holder as Record<string | number, unknown>)[key];
    if (typeof v === 'string') {
      out.push({ text: v, write: (t) => ((holder as Record<string | number, unknown>)[key] = t) });
    } else if (depth < 32 && Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v, i, depth + 1);
    } else if (depth < 32 && isObject(v)) {
      for (const k of Object.keys(v)) walk(v, k, depth + 1);
    }
  };
  if (result['structuredContent'] !== undefined) walk(result, 'structuredContent', 0);
  return out;
}

export class McpGuard {
  readonly #config: () => McpConfig;
  readonly #pins: PinStore;
  readonly #audit: AuditSink;
  readonly #engine: DetectionEngine;
  readonly #descriptionEngine: DetectionEngine;
  readonly #log: Log;
  /** Definition scans by hash: a server lists the same tools at every session start. */
  readonly #scans = new Map<string, DefinitionScan>();

  constructor(opts: GuardOptions) {
    this.#config = opts.config;
    this.#pins = opts.pins;
    this.#audit = opts.audit;
    this.#engine = opts.engine ?? new DetectionEngine({ detectors: DEFAULT_DETECTORS, normalize: DEFAULT_NORMALIZER });
    this.#descriptionEngine =
      opts.descriptionEngine ?? new DetectionEngine({ detectors: [...DEFAULT_DETECTORS, poisoningDetector], normalize: DEFAULT_NORMALIZER });
    this.#log = opts.log ?? (() => undefined);
  }

  get config(): McpConfig {
    return this.#config();
  }

  session(info: SessionInfo): McpSession {
    return new McpSession(this, info);
  }

  /** @internal The poisoning scan of one definition, cached by its hash. */
  scanTool(hash: string, tool: JsonObject): DefinitionScan {
    let scan = this.#scans.get(hash);
    if (scan === undefined) {
      const name = typeof tool['name'] === 'string' ? tool['name'] : '?';
      try {
        scan = scanDefinition(this.#descriptionEngine, `tool '${name}'`, toolTexts(tool));
      } catch (err) {
        scan = { findings: [], failures: [{ detector: 'mcp-poisoning', error: errorText(err) }] };
      }
      if (this.#scans.size >= MAX_SCAN_CACHE) this.#scans.clear();
      this.#scans.set(hash, scan);
    }
    return scan;
  }

  /** @internal */
  scanInstructions(text: string): DefinitionScan {
    return scanDefinition(this.#descriptionEngine, 'server instructions', [{ field: 'instructions', text }]);
  }

  /** @internal */
  scanText(text: string, ctx: Parameters<DetectionEngine['scanText']>[1]): ReturnType<DetectionEngine['scanText']> {
    return this.#engine.scanText(text, ctx);
  }

  /** @internal */
  get pins(): PinStore {
    return this.#pins;
  }

  /** @internal */
  get log(): Log {
    return this.#log;
  }

  /** @internal */
  write(event: AuditEvent): void {
    try {
      this.#audit.write(event);
    } catch (err) {
      this.#log('error', 'audit write failed', { requestId: event.request_id, error: errorText(err) });
    }
  }
}

/**
 * One client connection to one server: a stdio wrapper process, or one Streamable HTTP request (the
 * response to a POST arrives on that POST's own stream). Tracks the client's requests in flight so a
 * response can be judged by what it answers.
 */
export class McpSession {
  readonly #guard: McpGuard;
  readonly info: SessionInfo;
  readonly #pending = new Map<string, Pending>();

  constructor(guard: McpGuard, info: SessionInfo) {
    this.#guard = guard;
    this.info = info;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  // ---- client → server --------------------------------------------------------------------

  fromClient(msg: unknown): ClientVerdict {
    if (isRequest(msg)) return this.#clientRequest(msg);
    if (isNotification(msg)) {
      if (msg.method === 'notifications/cancelled' && isObject(msg.params)) {
        const id = msg.params['requestId'];
        if (typeof id === 'string' || typeof id === 'number') this.#finishWithError(id, 'cancelled by the client', 499);
      }
      return { action: 'forward', message: msg };
    }
    if (isResponse(msg)) return { action: 'forward', message: msg };
    const id = isObject(msg) && (typeof msg['id'] === 'string' || typeof msg['id'] === 'number') ? msg['id'] : null;
    return { action: 'reply', message: errorResponse(id, INVALID_REQUEST, 'Blocked by Parapet: not a JSON-RPC 2.0 request, notification or response') };
  }

  #clientRequest(req: JsonRpcRequest): ClientVerdict {
    const t0 = performance.now();
    const requestId = `mcp_${randomUUID().replaceAll('-', '')}`;
    const pending: Pending = { method: req.method, requestId, t0, inspectMs: 0, findings: [], action: 'allow' };
    if (this.#pending.size >= MAX_PENDING) {
      return { action: 'reply', message: errorResponse(req.id, POLICY_BLOCKED, `Blocked by Parapet: more than ${MAX_PENDING} requests in flight on one session`) };
    }
    if (req.method === 'tools/call') {
      const verdict = this.#checkCall(req, pending);
      pending.inspectMs = performance.now() - t0;
      if (verdict !== undefined) return verdict;
    }
    this.#pending.set(idKey(req.id), pending);
    return { action: 'forward', message: req };
  }

  #checkCall(req: JsonRpcRequest, pending: Pending): ClientVerdict | undefined {
    const config = this.#guard.config;
    const { server, identity } = this.info;
    const params = isObject(req.params) ? req.params : undefined;
    const name = params?.['name'];
    if (typeof name !== 'string' || name === '') {
      return this.#refuse(req.id, pending, 'mcp.tools_call.invalid', 'tools/call needs params.name (the tool to call)', []);
    }
    pending.tool = name;
    const args = params?.['arguments'];

    const policy = clientPolicy(config, identity.client);
    if (!toolAllowed(policy, server, name)) {
      const rule = `mcp.clients.${identity.client}.tools`;
      const f = policyFinding(rule, 'tool_abuse', `Client '${identity.client}' may not call tool '${name}' on server '${server}'.`);
      return this.#refuse(req.id, pending, rule, `tool '${name}' is not allowed for client '${identity.client}'`, [f]);
    }

    const pin = this.#guard.pins.get(server, name);
    if (pin === undefined) {
      const f = policyFinding('mcp.pins.unknown', 'tool_abuse', `Tool '${name}' was never listed by server '${server}', so its definition is uninspected.`, ['LLM03', 'LLM06']);
      return this.#refuse(req.id, pending, 'mcp.pins.unknown', `tool '${name}' has not been listed (and inspected) yet: call tools/list first`, [f]);
    }
    const definition = this.#definitionVerdict(pin);
    for (const f of definition.findings) pending.findings.push(toAudit(f, 'output'));
    if (withholds(definition.action)) {
      return this.#refuse(req.id, pending, definition.rule ?? 'mcp.descriptions', definition.reason ?? `tool '${name}' is withheld`, []);
    }
    this.#note(pending, definition);

    const argFindings: Finding[] = [];
    for (const rule of policy.arguments) {
      if (rule.tools.length > 0 && !rule.tools.some((p) => toolMatches(p, server, name))) continue;
      const v = checkArgumentRule(rule, args);
      if (v === undefined) continue;
      const id = `mcp.clients.${identity.client}.arguments[${rule.index}]`;
      // The value itself is never quoted: it may be the very secret the rule keeps from leaving.
      argFindings.push(
        v.kind === 'deny'
          ? policyFinding(`${id}.deny`, 'tool_abuse', `Tool '${name}': ${v.where} matches a denied pattern.`)
          : policyFinding(`${id}.allow`, 'tool_abuse', `Tool '${name}': ${v.where} matches none of the allowed patterns.`),
      );
    }
    if (argFindings.length > 0) {
      const first = argFindings[0];
      return this.#refuse(req.id, pending, first?.rule ?? 'mcp.arguments', first?.explanation ?? 'argument denied', argFindings);
    }

    // Arguments are what the model decided to do: scanned like model output addressed to a tool, so
    // the output detector's tool_abuse rules (shell, SQL, paths) and the secret detectors apply.
    const text = args === undefined ? '' : JSON.stringify(args);
    const scan = this.#guard.scanText(text, { role: 'assistant', trust: 'user', direction: 'output', toolName: name });
    const j = judge(scan.findings, scan.failures, config.arguments, 'arguments', config);
    for (const f of j.findings) pending.findings.push(toAudit(f, 'input'));
    if (j.action === 'block' || j.action === 'redact') {
      // Rewritten arguments would make the tool do something nobody asked for: refuse instead.
      return this.#refuse(req.id, pending, j.rule ?? 'mcp.arguments', j.reason ?? 'arguments refused', []);
    }
    this.#note(pending, j);
    return undefined;
  }

  /** The poisoning and pin verdict for the definition of a pinned tool, as of its latest sighting. */
  #definitionVerdict(pin: ToolPin): Judgement {
    const config = this.#guard.config;
    const scan = this.#guard.scanTool(pin.seenHash, pin.seenDefinition);
    let j = judge(scan.findings, scan.failures, config.descriptions, 'descriptions', config);
    j = this.#operatorReviewed(pin, pin.seenHash, j);
    if (pinStatus(pin) === 'changed') {
      // The change leads the verdict: it is what the operator has to act on (review, then approve),
      // and approving also settles what the scan found in the new text.
      const action = strongerAction(config.onChange, j.action);
      const also = j.action === 'allow' ? '' : `; the new definition also has findings: ${j.reason ?? j.action}`;
      j = { action, findings: [changedFinding(pin), ...j.findings], rule: `mcp.pins.on_change.${config.onChange}`, reason: `${changedReason(pin)}${also}` };
    }
    return j;
  }

  /** An operator who approved exactly this definition has reviewed its findings: they stay on record as flags. */
  #operatorReviewed(pin: ToolPin, hash: string, j: Judgement): Judgement {
    if (pin.approvedBy !== 'operator' || pin.pinnedHash !== hash || j.action === 'allow' || j.action === 'flag') return j;
    return { ...j, action: 'flag', rule: 'mcp.pins.operator_approved', reason: `approved by an operator at ${pin.pinnedAt}; was: ${j.reason ?? j.action}` };
  }

  #refuse(id: JsonRpcId, pending: Pending, rule: string, reason: string, findings: Finding[]): ClientVerdict {
    for (const f of findings) pending.findings.push(toAudit(f, 'input'));
    pending.action = 'block';
    pending.rule = rule;
    pending.reason = reason;
    pending.inspectMs = performance.now() - pending.t0;
    this.#record(pending, 403, undefined);
    const message = `Blocked by Parapet: ${reason}`;
    return {
      action: 'reply',
      message: errorResponse(id, POLICY_BLOCKED, message, { parapet: { request_id: pending.requestId, decision: 'block', rule } }),
    };
  }

  // ---- server → client --------------------------------------------------------------------

  /** The message to pass to the client in place of `msg` (the same object when nothing changed). */
  fromServer(msg: unknown): JsonRpcMessage | undefined {
    if (!isResponse(msg)) {
      // Server requests (sampling, elicitation, roots) and notifications (list_changed, progress)
      // pass: the client's own answer to them comes back through fromClient.
      if (isRequest(msg) || isNotification(msg)) return msg;
      this.#guard.log('warn', 'dropped a server message that is not JSON-RPC', { server: this.info.server });
      return undefined;
    }
    const key = msg.id === null ? undefined : idKey(msg.id);
    let pending = key === undefined ? undefined : this.#pending.get(key);
    if (key !== undefined) this.#pending.delete(key);
    const result = isObject(msg.result) ? msg.result : undefined;
    // A response to a request this session did not see (a resumed stream, a confused server) is
    // judged by its shape: tools in it are still inspected, content is still scanned.
    if (pending === undefined && result !== undefined) {
      const method = Array.isArray(result['tools']) ? 'tools/list' : Array.isArray(result['content']) ? 'tools/call' : undefined;
      if (method !== undefined) {
        pending = { method, tool: '(unknown request)', requestId: `mcp_${randomUUID().replaceAll('-', '')}`, t0: performance.now(), inspectMs: 0, findings: [], action: 'allow' };
      }
    }
    if (pending === undefined) return msg;

    const t = performance.now();
    let out: JsonRpcResponse = msg;
    try {
      if (msg.error !== undefined) {
        if (AUDITED.has(pending.method)) this.#record(pending, 200, `server error ${msg.error.code}: ${String(msg.error.message).slice(0, 500)}`);
        return msg;
      }
      if (result === undefined) return msg;
      if (pending.method === 'tools/list') {
        out = { ...msg, result: this.#filterTools(result, pending) };
      } else if (SCANNED.has(pending.method)) {
        const inspected = this.#inspectResult(result, pending);
        if (inspected !== undefined) {
          out = inspected === result ? msg : { ...msg, result: inspected };
        } else if (pending.method === 'tools/call') {
          // A tool's failure goes back to the model as a result (MCP's isError), so an agent carries on.
          const text = `Blocked by Parapet: the result of '${pending.tool ?? 'tool'}' was withheld: ${pending.reason ?? 'policy'} (request ${pending.requestId})`;
          out = { jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text }], isError: true } };
        } else {
          out = errorResponse(msg.id, POLICY_BLOCKED, `Blocked by Parapet: the ${pending.method} result was withheld: ${pending.reason ?? 'policy'}`, {
            parapet: { request_id: pending.requestId, decision: 'block', rule: pending.rule },
          });
        }
      } else if (pending.method === 'initialize') {
        out = { ...msg, result: this.#inspectInitialize(result, pending) };
      }
    } finally {
      pending.inspectMs += performance.now() - t;
    }
    if (AUDITED.has(pending.method) || pending.findings.length > 0) this.#record(pending, 200, undefined);
    return out;
  }

  #filterTools(result: JsonObject, pending: Pending): JsonObject {
    const config = this.#guard.config;
    const { server, identity } = this.info;
    const policy = clientPolicy(config, identity.client);
    const tools = result['tools'] as unknown[];
    const kept: unknown[] = [];
    const withheld: string[] = [];
    let hidden = 0;
    for (const tool of tools) {
      if (!isObject(tool) || typeof tool['name'] !== 'string') {
        withheld.push('(malformed tool)');
        continue;
      }
      const name = tool['name'];
      const hash = toolHash(tool);
      let verdict: Judgement;
      try {
        const { pin } = this.#guard.pins.observe(server, name, hash, pinnedView(tool));
        verdict = this.#definitionVerdict(pin);
      } catch (err) {
        // Without its pin the tool cannot be checked for a change: withheld, whatever the fail mode.
        this.#guard.log('error', 'pin store failed', { server, tool: name, error: errorText(err) });
        verdict = { action: 'block', findings: [], rule: 'mcp.pins.unavailable', reason: `pin store unavailable: ${errorText(err)}` };
      }
      const allowed = toolAllowed(policy, server, name);
      if (allowed) for (const f of verdict.findings) pending.findings.push(toAudit(f, 'output'));
      if (withholds(verdict.action)) {
        if (allowed) {
          withheld.push(`${name} (${verdict.reason ?? verdict.rule ?? 'withheld'})`);
          if (pending.action !== 'block') {
            pending.action = 'block';
            pending.rule = verdict.rule;
          }
        }
        continue;
      }
      if (!allowed) {
        hidden++;
        continue;
      }
      if (verdict.action === 'flag' && pending.action === 'allow') {
        pending.action = 'flag';
        pending.rule = verdict.rule;
        pending.reason = verdict.reason;
      }
      kept.push(tool);
    }
    if (withheld.length > 0) pending.reason = `withheld ${withheld.length} tool(s): ${withheld.join('; ')}`;
    if (hidden > 0) pending.reason = `${pending.reason ? `${pending.reason}; ` : ''}${hidden} tool(s) not allowed for client '${identity.client}'`;
    return { ...result, tools: kept };
  }

  /** The result as the client may see it (the same object when unchanged); undefined when withheld. */
  #inspectResult(result: JsonObject, pending: Pending): JsonObject | undefined {
    const config = this.#guard.config;
    const texts = resultTexts(result);
    const findings: Finding[] = [];
    const failures: DetectorFailure[] = [];
    const perText: Finding[][] = [];
    for (const t of texts) {
      const r = this.#guard.scanText(t.text, { role: 'tool', trust: 'untrusted', direction: 'input', toolName: pending.tool });
      perText.push(r.findings);
      for (const f of r.findings) findings.push(f);
      for (const e of r.failures) failures.push(e);
    }
    const j = judge(findings, failures, config.results, 'results', config);
    for (const f of j.findings) pending.findings.push(toAudit(f, 'output'));
    this.#note(pending, j);
    if (j.action === 'block') return undefined;
    if (j.action === 'redact') {
      const copy = structuredClone(result);
      resultTexts(copy).forEach((t, i) => {
        const redacting = (perText[i] ?? []).filter((f) => actionFor(f, config.results) === 'redact' || actionFor(f, config.results) === 'block');
        if (redacting.length === 0) return;
        // A finding in a decoded view has no span in this text: the whole text goes.
        const spans: RedactionSpan[] = redacting.some((f) => f.span === undefined)
          ? [{ start: 0, end: t.text.length, label: redacting[0]?.category ?? 'redacted' }]
          : redacting.map((f) => ({ start: f.span?.start ?? 0, end: f.span?.end ?? 0, label: f.rule }));
        t.write(redactText(t.text, spans, 'mask'));
      });
      return copy;
    }
    return result;
  }

  #inspectInitialize(result: JsonObject, pending: Pending): JsonObject {
    const instructions = result['instructions'];
    if (typeof instructions !== 'string' || instructions === '') return result;
    const config = this.#guard.config;
    const scan = this.#guard.scanInstructions(instructions);
    const j = judge(scan.findings, scan.failures, config.descriptions, 'descriptions', config);
    for (const f of j.findings) pending.findings.push(toAudit(f, 'output'));
    this.#note(pending, j);
    if (!withholds(j.action)) return result;
    const { instructions: _dropped, ...rest } = result;
    return rest;
  }

  /** Folds a judgement into the request's decision: the strongest action keeps its rule and reason. */
  #note(pending: Pending, j: Judgement): void {
    if (j.action === 'allow') return;
    if (pending.action !== 'allow' && strongerAction(pending.action, j.action) === pending.action) return;
    pending.action = j.action;
    pending.rule = j.rule;
    pending.reason = j.reason;
  }

  // ---- bookkeeping --------------------------------------------------------------------------

  #finishWithError(id: JsonRpcId, error: string, status: number): void {
    const key = idKey(id);
    const pending = this.#pending.get(key);
    if (pending === undefined) return;
    this.#pending.delete(key);
    if (AUDITED.has(pending.method)) this.#record(pending, status, error, 'error');
  }

  /** The connection ended: requests still waiting for an answer are audited as errors. */
  close(reason = 'the connection closed before the server answered'): void {
    for (const [key, pending] of this.#pending) {
      this.#pending.delete(key);
      if (AUDITED.has(pending.method)) this.#record(pending, 502, reason, 'error');
    }
  }

  #record(pending: Pending, status: number, error: string | undefined, decision?: 'error'): void {
    const { server, identity, sessionId } = this.info;
    const total = performance.now() - pending.t0;
    const event: AuditEvent = {
      id: auditEventId(),
      time: new Date().toISOString(),
      request_id: pending.requestId,
      app: identity.client,
      provider: 'mcp',
      model: server,
      // The tool is part of the route: it is what an operator filters a tool audit by.
      route: pending.tool !== undefined && pending.method === 'tools/call' ? `tools/call/${pending.tool}` : pending.method,
      streamed: false,
      status,
      latency_ms: round(total),
      added_latency_ms: round(Math.min(total, pending.inspectMs)),
      decision: decision ?? pending.action,
      findings: pending.findings,
    };
    if (identity.keyId !== undefined) event.key_id = identity.keyId;
    if (identity.user !== undefined) event.user = identity.user;
    if (sessionId !== undefined) event.session_id = sessionId;
    if (pending.rule !== undefined) event.rule = pending.rule;
    if (pending.reason !== undefined) event.reason = pending.reason;
    if (error !== undefined) event.error = error;
    this.#guard.write(event);
  }
}

function changedFinding(pin: ToolPin): Finding {
  return {
    detector: 'mcp-pins',
    category: 'tool_abuse',
    rule: 'definition-changed',
    score: 1,
    severity: 'high',
    owasp: ['LLM03', 'LLM06'],
    explanation: `Tool '${pin.tool}' on server '${pin.server}' changed since it was pinned at ${pin.pinnedAt} (sha256 ${pin.pinnedHash.slice(0, 12)} → ${pin.seenHash.slice(0, 12)}).`,
  };
}

function changedReason(pin: ToolPin): string {
  return `tool '${pin.tool}' changed since it was pinned (a possible rug pull); review it with \`parapet mcp pins list\` and approve with \`parapet mcp pins approve ${pin.server} ${pin.tool}\``;
}
