// OpenAI Chat Completions (POST /v1/chat/completions): the only code that knows its wire format.
// Shapes follow the official SDK's type definitions (openai/resources/chat/completions).
import type { Exchange, Message, OutputPart, OutputView, Role, TextPart, ToolCall, ToolDef, Trust } from '../../exchange/types.ts';
import { createEventParser } from '../event-template.ts';
import { formatPath } from '../path.ts';
import type { JsonPath } from '../path.ts';
import { RequestShapeError, ResponseFormatError, StreamFormatError } from '../types.ts';
import type {
  ErrorKind,
  ErrorShape,
  ProviderAdapter,
  SseEvent,
  StreamDelta,
  StreamEventInfo,
  StreamInspector,
  StreamMeta,
} from '../types.ts';
import { collectUnknownText, isRecord, num, parseEventData, str } from '../util.ts';

export { StreamFormatError };

// ---- requests -----------------------------------------------------------------------------

const ROLE_MAP: Record<string, { role: Role; trust: Trust }> = {
  system: { role: 'system', trust: 'trusted' },
  developer: { role: 'system', trust: 'trusted' },
  user: { role: 'user', trust: 'user' },
  // The client writes the whole history, so an "assistant" turn is only as trustworthy as the client.
  assistant: { role: 'assistant', trust: 'user' },
  tool: { role: 'tool', trust: 'untrusted' },
  function: { role: 'tool', trust: 'untrusted' },
};

/** Part types that carry no text for the model to read (media and file references). */
const NON_TEXT_PARTS = new Set(['image_url', 'input_audio', 'file']);

function shapeError(path: JsonPath, message: string): RequestShapeError {
  const field = formatPath(path);
  return new RequestShapeError(field, `${field}: ${message}`);
}

function contentParts(content: unknown, path: JsonPath, required: boolean, out: TextPart[]): void {
  if (content === undefined || content === null) {
    if (required) throw shapeError(path, 'is required');
    return;
  }
  if (typeof content === 'string') {
    if (content !== '') out.push({ text: content, path });
    return;
  }
  if (!Array.isArray(content)) throw shapeError(path, 'must be a string, an array of content parts, or null');
  content.forEach((part, j) => {
    const partPath = [...path, j];
    if (!isRecord(part)) throw shapeError(partPath, 'must be an object');
    const type = part.type;
    if (typeof type !== 'string') throw shapeError([...partPath, 'type'], 'must be a string');
    if (type === 'text' || type === 'refusal') {
      const text = part[type];
      if (typeof text !== 'string') throw shapeError([...partPath, type], 'must be a string');
      if (text !== '') out.push({ text, path: [...partPath, type] });
    } else if (!NON_TEXT_PARTS.has(type)) {
      collectUnknownText(part, partPath, out);
    }
  });
}

function toolCallsOf(m: Record<string, unknown>, path: JsonPath, parts: TextPart[]): ToolCall[] {
  const calls: ToolCall[] = [];
  const list = m.tool_calls;
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list)) throw shapeError([...path, 'tool_calls'], 'must be an array');
    list.forEach((tc, j) => {
      const tcPath = [...path, 'tool_calls', j];
      if (!isRecord(tc)) throw shapeError(tcPath, 'must be an object');
      const id = str(tc.id) ?? '';
      if (tc.type === 'custom') {
        const custom = tc.custom;
        if (!isRecord(custom) || typeof custom.input !== 'string') {
          throw shapeError([...tcPath, 'custom', 'input'], 'must be a string');
        }
        calls.push({ id, name: str(custom.name) ?? '', arguments: custom.input });
        if (custom.input !== '') parts.push({ text: custom.input, path: [...tcPath, 'custom', 'input'] });
        return;
      }
      const fn = tc.function;
      if (!isRecord(fn)) throw shapeError([...tcPath, 'function'], 'must be an object');
      if (typeof fn.name !== 'string') throw shapeError([...tcPath, 'function', 'name'], 'must be a string');
      if (typeof fn.arguments !== 'string') throw shapeError([...tcPath, 'function', 'arguments'], 'must be a string');
      calls.push({ id, name: fn.name, arguments: fn.arguments });
      if (fn.arguments !== '') parts.push({ text: fn.arguments, path: [...tcPath, 'function', 'arguments'] });
    });
  }
  const fc = m.function_call;
  if (fc !== undefined && fc !== null) {
    if (!isRecord(fc) || typeof fc.arguments !== 'string') {
      throw shapeError([...path, 'function_call', 'arguments'], 'must be a string');
    }
    calls.push({ id: '', name: str(fc.name) ?? '', arguments: fc.arguments });
    if (fc.arguments !== '') parts.push({ text: fc.arguments, path: [...path, 'function_call', 'arguments'] });
  }
  return calls;
}

function toolDefs(body: Record<string, unknown>): ToolDef[] {
  const defs: ToolDef[] = [];
  const tools = body.tools;
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools)) throw shapeError(['tools'], 'must be an array');
    tools.forEach((t, i) => {
      if (!isRecord(t)) throw shapeError(['tools', i], 'must be an object');
      const key = t.type === 'custom' ? 'custom' : 'function';
      const fn = t[key];
      if (!isRecord(fn) || typeof fn.name !== 'string' || fn.name === '') {
        throw shapeError(['tools', i, key, 'name'], 'must be a non-empty string');
      }
      const def: ToolDef = { name: fn.name, description: str(fn.description) ?? '' };
      const params = key === 'custom' ? fn.format : fn.parameters;
      if (params !== undefined) def.parameters = params;
      defs.push(def);
    });
  }
  // The deprecated `functions` parameter still reaches the model the same way.
  const functions = body.functions;
  if (functions !== undefined && functions !== null) {
    if (!Array.isArray(functions)) throw shapeError(['functions'], 'must be an array');
    functions.forEach((fn, i) => {
      if (!isRecord(fn) || typeof fn.name !== 'string' || fn.name === '') {
        throw shapeError(['functions', i, 'name'], 'must be a non-empty string');
      }
      const def: ToolDef = { name: fn.name, description: str(fn.description) ?? '' };
      if (fn.parameters !== undefined) def.parameters = fn.parameters;
      defs.push(def);
    });
  }
  return defs;
}

function parseRequest(body: unknown, meta: { requestId: string; route: string }): Exchange {
  if (!isRecord(body)) throw new RequestShapeError('body', 'the request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') throw shapeError(['model'], 'must be a non-empty string');
  const wire = body.messages;
  if (!Array.isArray(wire) || wire.length === 0) throw shapeError(['messages'], 'must be a non-empty array');

  const messages: Message[] = [];
  wire.forEach((m, i) => {
    const path: JsonPath = ['messages', i];
    if (!isRecord(m)) throw shapeError(path, 'must be an object');
    const mapped = typeof m.role === 'string' ? ROLE_MAP[m.role] : undefined;
    if (mapped === undefined) {
      throw shapeError([...path, 'role'], `must be one of ${Object.keys(ROLE_MAP).join(', ')}`);
    }
    const parts: TextPart[] = [];
    const isAssistant = m.role === 'assistant';
    // Assistant turns may be tool calls only; a function result may be null.
    contentParts(m.content, [...path, 'content'], !isAssistant && m.role !== 'function', parts);
    const message: Message = { index: messages.length, role: mapped.role, trust: mapped.trust, parts };
    if (isAssistant) {
      if (typeof m.refusal === 'string' && m.refusal !== '') parts.push({ text: m.refusal, path: [...path, 'refusal'] });
      const calls = toolCallsOf(m, path, parts);
      if (calls.length > 0) message.toolCalls = calls;
    }
    messages.push(message);
  });

  return {
    requestId: meta.requestId,
    provider: 'openai',
    route: meta.route,
    model: body.model,
    stream: body.stream === true,
    messages,
    tools: toolDefs(body),
    body,
  };
}

// ---- responses ----------------------------------------------------------------------------

function parseResponse(body: unknown): OutputView {
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw new ResponseFormatError('chat completion response has no choices array');
  }
  const parts: OutputPart[] = [];
  body.choices.forEach((choice, ci) => {
    if (!isRecord(choice)) throw new ResponseFormatError(`choices[${ci}] is not an object`);
    const index = num(choice.index) ?? ci;
    const msg = choice.message;
    if (!isRecord(msg)) throw new ResponseFormatError(`choices[${ci}].message is not an object`);
    const base: JsonPath = ['choices', ci, 'message'];
    const text = (t: unknown, path: JsonPath): void => {
      if (typeof t === 'string' && t !== '') parts.push({ index, kind: 'text', text: t, path });
    };
    text(msg.content, [...base, 'content']);
    text(msg.refusal, [...base, 'refusal']);
    if (isRecord(msg.audio)) text(msg.audio.transcript, [...base, 'audio', 'transcript']);
    if (Array.isArray(msg.tool_calls)) {
      msg.tool_calls.forEach((tc, j) => {
        if (!isRecord(tc)) return;
        const key = tc.type === 'custom' ? 'custom' : 'function';
        const call = tc[key];
        if (!isRecord(call)) return;
        const field = key === 'custom' ? 'input' : 'arguments';
        const args = call[field];
        if (typeof args !== 'string') return;
        const part: OutputPart = { index, kind: 'tool_arguments', text: args, path: [...base, 'tool_calls', j, key, field] };
        const name = str(call.name);
        if (name !== undefined) part.toolName = name;
        parts.push(part);
      });
    }
    const fc = msg.function_call;
    if (isRecord(fc) && typeof fc.arguments === 'string') {
      const part: OutputPart = { index, kind: 'tool_arguments', text: fc.arguments, path: [...base, 'function_call', 'arguments'] };
      const name = str(fc.name);
      if (name !== undefined) part.toolName = name;
      parts.push(part);
    }
  });
  const view: OutputView = { parts };
  const usage = body.usage;
  if (isRecord(usage)) {
    view.usage = { inputTokens: num(usage.prompt_tokens) ?? 0, outputTokens: num(usage.completion_tokens) ?? 0 };
  }
  const first = body.choices[0];
  if (isRecord(first) && typeof first.finish_reason === 'string') view.finishReason = first.finish_reason;
  return view;
}

// ---- streams ------------------------------------------------------------------------------

function isDone(event: SseEvent): boolean {
  // The same test the official SDK applies before it tries to parse the data as JSON.
  return event.data.startsWith('[DONE]');
}

function errorMessage(err: unknown): string {
  if (isRecord(err)) return str(err.message) ?? 'upstream error';
  return typeof err === 'string' ? err : 'upstream error';
}

function createStreamInspector(): StreamInspector {
  const meta: StreamMeta = {};
  let metaSeen = false;
  const choices = new Set<number>();
  const toolNames = new Map<string, string>();
  // Text chunks of one completion share their envelope: parsed once, see event-template.ts. The
  // object it returns is reused, so nothing below keeps `chunk` or anything but strings and numbers from it.
  const events = createEventParser(['choices', 0, 'delta', 'content'], { padding: 'obfuscation' });

  return {
    get meta() {
      return meta;
    },
    inspect(event: SseEvent): StreamEventInfo {
      if (isDone(event)) return { deltas: [], done: true, endsText: true };
      const chunk = events.parse(event);
      if (chunk.error !== undefined && chunk.error !== null) {
        return { deltas: [], done: false, error: errorMessage(chunk.error) };
      }
      if (event.event === 'error') return { deltas: [], done: false, error: errorMessage(chunk) };

      const info: StreamEventInfo = { deltas: [], done: false };
      if (!metaSeen && (typeof chunk.id === 'string' || typeof chunk.model === 'string')) {
        metaSeen = true;
        const id = str(chunk.id);
        const model = str(chunk.model);
        const created = num(chunk.created);
        if (id !== undefined) meta.id = id;
        if (model !== undefined) meta.model = model;
        if (created !== undefined) meta.created = created;
        info.meta = { ...meta };
      }
      if (Array.isArray(chunk.choices)) {
        chunk.choices.forEach((choice, ci) => {
          if (!isRecord(choice)) throw new StreamFormatError(`choices[${ci}] is not an object`);
          const index = num(choice.index) ?? ci;
          choices.add(index);
          if (info.finishReason === undefined && typeof choice.finish_reason === 'string') {
            info.finishReason = choice.finish_reason;
          }
          const delta = choice.delta;
          if (isRecord(delta)) collectDeltas(index, delta, toolNames, info.deltas);
        });
      }
      if (info.finishReason !== undefined) info.endsText = true;
      const usage = chunk.usage;
      if (isRecord(usage)) {
        info.usage = {};
        const input = num(usage.prompt_tokens);
        const output = num(usage.completion_tokens);
        if (input !== undefined) info.usage.inputTokens = input;
        if (output !== undefined) info.usage.outputTokens = output;
      }
      return info;
    },
    // Chat Completions chunks are self-contained: ending the stream needs no record of what was sent.
    sent(_event: SseEvent): void {},
    stopEvents(reason: string): SseEvent[] {
      return stopEventsFor(meta, reason, choices.size === 0 ? [0] : [...choices].sort((a, b) => a - b));
    },
  };
}

function collectDeltas(index: number, delta: Record<string, unknown>, toolNames: Map<string, string>, out: StreamDelta[]): void {
  if (typeof delta.content === 'string' && delta.content !== '') {
    out.push({ channel: `${index}:text`, kind: 'text', text: delta.content });
  }
  if (typeof delta.refusal === 'string' && delta.refusal !== '') {
    out.push({ channel: `${index}:refusal`, kind: 'text', text: delta.refusal });
  }
  if (Array.isArray(delta.tool_calls)) {
    delta.tool_calls.forEach((tc, j) => {
      if (!isRecord(tc)) return;
      const channel = `${index}:tool:${num(tc.index) ?? j}`;
      const fn = tc.function;
      if (!isRecord(fn)) return;
      if (typeof fn.name === 'string' && fn.name !== '') {
        toolNames.set(channel, fn.name);
        // The call's opening chunk: an empty delta names the channel so a tool policy can hold it.
        if (typeof fn.arguments !== 'string' || fn.arguments === '') out.push({ channel, kind: 'tool_arguments', text: '', toolName: fn.name });
      }
      if (typeof fn.arguments === 'string' && fn.arguments !== '') {
        const d: StreamDelta = { channel, kind: 'tool_arguments', text: fn.arguments };
        const name = toolNames.get(channel);
        if (name !== undefined) d.toolName = name;
        out.push(d);
      }
    });
  }
  const fc = delta.function_call;
  if (isRecord(fc)) {
    const channel = `${index}:function`;
    if (typeof fc.name === 'string' && fc.name !== '') {
      toolNames.set(channel, fc.name);
      if (typeof fc.arguments !== 'string' || fc.arguments === '') out.push({ channel, kind: 'tool_arguments', text: '', toolName: fc.name });
    }
    if (typeof fc.arguments === 'string' && fc.arguments !== '') {
      const d: StreamDelta = { channel, kind: 'tool_arguments', text: fc.arguments };
      const name = toolNames.get(channel);
      if (name !== undefined) d.toolName = name;
      out.push(d);
    }
  }
}

/** Replace the text one channel carries in this event (see the channel names in collectDeltas). */
export function rewriteEventDelta(event: SseEvent, channel: string, newText: string): SseEvent {
  const chunk = parseEventData(event);
  const [indexText, kind, toolIndexText] = channel.split(':');
  const index = Number(indexText);
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  const choice = choices.find((c, ci) => isRecord(c) && (num(c.index) ?? ci) === index);
  const delta = isRecord(choice) ? choice.delta : undefined;
  let done = false;
  if (isRecord(delta)) {
    if ((kind === 'text' || kind === 'refusal') && toolIndexText === undefined) {
      const key = kind === 'text' ? 'content' : 'refusal';
      if (typeof delta[key] === 'string') {
        delta[key] = newText;
        done = true;
      }
    } else if (kind === 'tool' && Array.isArray(delta.tool_calls)) {
      const toolIndex = Number(toolIndexText);
      const tc = delta.tool_calls.find((t, j) => isRecord(t) && (num(t.index) ?? j) === toolIndex);
      if (isRecord(tc) && isRecord(tc.function) && typeof tc.function.arguments === 'string') {
        tc.function.arguments = newText;
        done = true;
      }
    } else if (kind === 'function' && isRecord(delta.function_call) && typeof delta.function_call.arguments === 'string') {
      delta.function_call.arguments = newText;
      done = true;
    }
  }
  if (!done) throw new Error(`event carries no delta on channel ${channel}`);
  const data = JSON.stringify(chunk);
  return event.event === undefined ? { data } : { event: event.event, data };
}

export function continuationEvent(meta: StreamMeta, channel: string, text: string): SseEvent {
  const [indexText, kind, toolIndexText] = channel.split(':');
  const index = Number(indexText);
  const delta =
    kind === 'tool'
      ? { tool_calls: [{ index: Number(toolIndexText), function: { arguments: text } }] }
      : kind === 'function'
        ? { function_call: { arguments: text } }
        : kind === 'refusal'
          ? { refusal: text }
          : { content: text };
  const chunk = {
    id: meta.id ?? 'chatcmpl-parapet',
    object: 'chat.completion.chunk',
    created: meta.created ?? Math.floor(Date.now() / 1000),
    model: meta.model ?? 'unknown',
    choices: [{ index, delta, finish_reason: null }],
  };
  return { data: JSON.stringify(chunk) };
}

function stopEventsFor(meta: StreamMeta, reason: string, choiceIndexes: readonly number[]): SseEvent[] {
  const chunk = {
    id: meta.id ?? 'chatcmpl-parapet',
    object: 'chat.completion.chunk',
    created: meta.created ?? Math.floor(Date.now() / 1000),
    model: meta.model ?? '',
    // 'content_filter' is the finish reason OpenAI itself gives when its filter cuts a completion,
    // so clients already handle it (the SDK's parse helpers raise ContentFilterFinishReasonError).
    // The role rides along because the stream may be stopped before the client saw any chunk, and
    // the SDK's final-message helper insists on one; repeating it is harmless.
    choices: choiceIndexes.map((index) => ({ index, delta: { role: 'assistant' }, logprobs: null, finish_reason: 'content_filter' })),
    // SDKs ignore unknown fields; this tells a human reading the stream who stopped it and why.
    parapet: { reason },
  };
  return [{ data: JSON.stringify(chunk) }, { data: '[DONE]' }];
}

/** The events that end an OpenAI stream early: a content_filter finish chunk, then [DONE]. */
export function contentFilterEvents(meta: StreamMeta, reason: string): SseEvent[] {
  return stopEventsFor(meta, reason, [0]);
}

// ---- errors -------------------------------------------------------------------------------

// The official SDK picks its exception class from the HTTP status alone; type and code are what
// client code may branch on after that.
const ERRORS: Record<ErrorKind, { status: number; type: string; code: string | null }> = {
  invalid_request: { status: 400, type: 'invalid_request_error', code: null },
  authentication: { status: 401, type: 'authentication_error', code: 'invalid_api_key' },
  permission: { status: 403, type: 'permission_error', code: null },
  not_found: { status: 404, type: 'invalid_request_error', code: 'not_found' },
  payload_too_large: { status: 413, type: 'invalid_request_error', code: 'payload_too_large' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', code: 'unsupported_media_type' },
  rate_limit: { status: 429, type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' },
  // OpenAI answers a prompt its own safety system rejects with 400 invalid_request_error and code
  // content_policy_violation; clients already handle that shape, so a Parapet block looks the same.
  content_blocked: { status: 400, type: 'invalid_request_error', code: 'content_policy_violation' },
  upstream: { status: 502, type: 'server_error', code: 'upstream_error' },
  timeout: { status: 504, type: 'server_error', code: 'timeout' },
  internal: { status: 500, type: 'server_error', code: null },
};

export function errorShape(kind: ErrorKind, message: string, status?: number): ErrorShape {
  const e = ERRORS[kind];
  const text = kind === 'content_blocked' && !message.includes('Parapet') ? `Blocked by Parapet: ${message}` : message;
  return { status: status ?? e.status, body: { error: { message: text, type: e.type, param: null, code: e.code } } };
}

/**
 * A chunk carrying only an `error` object: the official SDK raises it as an APIError, which is how
 * OpenAI reports a failure after the response has started.
 */
export function streamErrorEvent(message: string, kind: ErrorKind = 'upstream'): SseEvent {
  return { data: JSON.stringify(errorShape(kind, message).body) };
}

/**
 * Takes denied calls out of `choices[i].message.tool_calls` (or `function_call`) and appends `note`
 * to the message content; a choice left without calls finishes with 'stop', as a plain answer would.
 */
export function dropToolCalls(body: unknown, parts: readonly OutputPart[], note: string): void {
  if (!isRecord(body) || !Array.isArray(body.choices)) return;
  const byChoice = new Map<number, Set<number | 'function'>>();
  for (const p of parts) {
    const [, ci, , field, j] = p.path;
    if (typeof ci !== 'number') continue;
    const drop = byChoice.get(ci) ?? new Set();
    if (field === 'tool_calls' && typeof j === 'number') drop.add(j);
    else if (field === 'function_call') drop.add('function');
    byChoice.set(ci, drop);
  }
  for (const [ci, drop] of byChoice) {
    const choice = body.choices[ci];
    if (!isRecord(choice) || !isRecord(choice.message)) continue;
    const msg = choice.message;
    if (Array.isArray(msg.tool_calls)) {
      const kept = msg.tool_calls.filter((_c, j) => !drop.has(j));
      if (kept.length === 0) delete msg.tool_calls;
      else msg.tool_calls = kept;
    }
    if (drop.has('function')) delete msg.function_call;
    msg.content = typeof msg.content === 'string' && msg.content !== '' ? `${msg.content}\n\n${note}` : note;
    if (msg.tool_calls === undefined && msg.function_call === undefined) choice.finish_reason = 'stop';
  }
}

/** The note as more content of the call's choice (the call's own chunks are discarded). */
export function toolNoteEvents(meta: StreamMeta, channel: string, note: string): SseEvent[] {
  const index = Number(channel.split(':')[0]);
  return [continuationEvent(meta, `${index}:text`, `\n\n${note}`)];
}

export function endTurnEvent(event: SseEvent): SseEvent {
  if (isDone(event)) return event;
  const chunk = parseEventData(event);
  if (!Array.isArray(chunk.choices)) return event;
  let changed = false;
  for (const c of chunk.choices) {
    if (isRecord(c) && (c.finish_reason === 'tool_calls' || c.finish_reason === 'function_call')) {
      c.finish_reason = 'stop';
      changed = true;
    }
  }
  return changed ? { ...event, data: JSON.stringify(chunk) } : event;
}

export const openaiChatAdapter: ProviderAdapter = {
  provider: 'openai',
  parseRequest,
  parseResponse,
  createStreamInspector,
  rewriteEventDelta,
  continuationEvent,
  contentFilterEvents,
  streamErrorEvent,
  errorShape,
  dropToolCalls,
  toolNoteEvents,
  endTurnEvent,
};
