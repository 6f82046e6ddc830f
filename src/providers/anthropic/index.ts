// Anthropic Messages (POST /v1/messages): the only code that knows its wire format.
// Shapes follow the official SDK's type definitions (@anthropic-ai/sdk/resources/messages).
import type { Exchange, Message, OutputPart, OutputView, Role, TextPart, ToolDef, Trust } from '../../exchange/types.ts';
import { formatPath } from '../path.ts';
import type { EncodedText, JsonPath } from '../path.ts';
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
import { createEventParser } from '../event-template.ts';
import { collectUnknownText, isRecord, num, parseEventData, str } from '../util.ts';

export { StreamFormatError };

// ---- requests -----------------------------------------------------------------------------

function shapeError(path: JsonPath, message: string): RequestShapeError {
  const field = formatPath(path);
  return new RequestShapeError(field, `${field}: ${message}`);
}

function blockType(block: unknown, path: JsonPath): { block: Record<string, unknown>; type: string } {
  if (!isRecord(block)) throw shapeError(path, 'must be an object');
  if (typeof block.type !== 'string') throw shapeError([...path, 'type'], 'must be a string');
  return { block, type: block.type };
}

function textBlock(block: Record<string, unknown>, path: JsonPath, out: TextPart[]): void {
  if (typeof block.text !== 'string') throw shapeError([...path, 'text'], 'must be a string');
  if (block.text !== '') out.push({ text: block.text, path: [...path, 'text'] });
}

function pushString(value: unknown, path: JsonPath, out: TextPart[]): void {
  if (typeof value === 'string' && value !== '') out.push({ text: value, path });
}

/** Text a document carries inline. PDFs (base64), URLs and file ids cannot be read here. */
function documentText(block: Record<string, unknown>, path: JsonPath, out: TextPart[]): void {
  pushString(block.title, [...path, 'title'], out);
  pushString(block.context, [...path, 'context'], out);
  const source = block.source;
  if (!isRecord(source)) return;
  if (source.type === 'text') {
    pushString(source.data, [...path, 'source', 'data'], out);
  } else if (source.type === 'content') {
    if (typeof source.content === 'string') pushString(source.content, [...path, 'source', 'content'], out);
    else if (Array.isArray(source.content)) blocksText(source.content, [...path, 'source', 'content'], out);
  }
}

/** Text of one block that came from somewhere other than the user (tool results, documents). */
function foreignBlockText(block: Record<string, unknown>, type: string, path: JsonPath, out: TextPart[]): void {
  if (type === 'text') textBlock(block, path, out);
  else if (type === 'document') documentText(block, path, out);
  else if (type === 'search_result') {
    pushString(block.title, [...path, 'title'], out);
    if (Array.isArray(block.content)) blocksText(block.content, [...path, 'content'], out);
  } else if (type !== 'image') collectUnknownText(block, path, out);
}

function blocksText(blocks: unknown[], path: JsonPath, out: TextPart[]): void {
  blocks.forEach((b, j) => {
    const { block, type } = blockType(b, [...path, j]);
    foreignBlockText(block, type, [...path, j], out);
  });
}

interface TurnBuilder {
  /** The neutral message to add to: the current one if role and trust match, else a new one. */
  want(role: Role, trust: Trust, fresh?: boolean): Message;
  /** Whether this wire turn produced any neutral message yet. */
  readonly any: boolean;
}

function turnBuilder(messages: Message[]): TurnBuilder {
  let current: Message | undefined;
  return {
    want(role, trust, fresh = false) {
      if (current !== undefined && !fresh && current.role === role && current.trust === trust) return current;
      current = { index: messages.length, role, trust, parts: [] };
      messages.push(current);
      return current;
    },
    get any() {
      return current !== undefined;
    },
  };
}

function parseTurn(m: unknown, i: number, messages: Message[]): void {
  const path: JsonPath = ['messages', i];
  if (!isRecord(m)) throw shapeError(path, 'must be an object');
  if (m.role !== 'user' && m.role !== 'assistant') throw shapeError([...path, 'role'], 'must be one of user, assistant');
  // The client writes the whole history, so an assistant turn is only as trustworthy as the client.
  const role: Role = m.role;
  const turn = turnBuilder(messages);
  const content = m.content;
  const cPath: JsonPath = [...path, 'content'];

  if (typeof content === 'string') {
    const msg = turn.want(role, 'user');
    if (content !== '') msg.parts.push({ text: content, path: cPath });
    return;
  }
  if (!Array.isArray(content)) throw shapeError(cPath, 'must be a string or an array of content blocks');

  content.forEach((b, j) => {
    const bPath = [...cPath, j];
    const { block, type } = blockType(b, bPath);
    switch (type) {
      case 'text':
        textBlock(block, bPath, turn.want(role, 'user').parts);
        break;
      // Images carry no text; thinking blocks are signed by Anthropic, so a client cannot alter
      // them without the API rejecting the request.
      case 'image':
      case 'thinking':
      case 'redacted_thinking':
        break;
      case 'tool_use':
      case 'server_tool_use':
      case 'mcp_tool_use': {
        const input = block.input;
        if (input === undefined) throw shapeError([...bPath, 'input'], 'is required');
        const name = str(block.name) ?? '';
        const text = JSON.stringify(input);
        const msg = turn.want(role, 'user');
        // The value at this path is the input object, not the text: write-back goes through
        // writePartText, which re-parses the JSON (see path.ts).
        const part: TextPart & EncodedText = { text, path: [...bPath, 'input'], encoding: 'json' };
        msg.parts.push(part);
        (msg.toolCalls ??= []).push({ id: str(block.id) ?? '', name, arguments: text });
        break;
      }
      case 'tool_result': {
        // Each tool result is its own turn of third-party content.
        const msg = turn.want('tool', 'untrusted', true);
        const rc = block.content;
        if (typeof rc === 'string') pushString(rc, [...bPath, 'content'], msg.parts);
        else if (Array.isArray(rc)) blocksText(rc, [...bPath, 'content'], msg.parts);
        else if (rc !== undefined && rc !== null) {
          throw shapeError([...bPath, 'content'], 'must be a string or an array of content blocks');
        }
        break;
      }
      case 'document':
      case 'search_result':
        foreignBlockText(block, type, bPath, turn.want(role, 'untrusted').parts);
        break;
      default: {
        // New or server-tool block types: scan what text they hold, as content from outside.
        const msg = turn.want(type.endsWith('tool_result') ? 'tool' : role, 'untrusted');
        collectUnknownText(block, bPath, msg.parts);
      }
    }
  });
  // Every wire turn is represented, even one with nothing to scan (e.g. an image alone).
  if (!turn.any) turn.want(role, 'user');
}

function systemMessage(system: unknown): Message | undefined {
  if (system === undefined || system === null) return undefined;
  const msg: Message = { index: 0, role: 'system', trust: 'trusted', parts: [] };
  if (typeof system === 'string') {
    pushString(system, ['system'], msg.parts);
  } else if (Array.isArray(system)) {
    system.forEach((b, i) => {
      const { block, type } = blockType(b, ['system', i]);
      if (type !== 'text') throw shapeError(['system', i, 'type'], 'must be "text"');
      textBlock(block, ['system', i], msg.parts);
    });
  } else {
    throw shapeError(['system'], 'must be a string or an array of text blocks');
  }
  return msg;
}

function toolDefs(tools: unknown): ToolDef[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw shapeError(['tools'], 'must be an array');
  return tools.map((t, i) => {
    if (!isRecord(t)) throw shapeError(['tools', i], 'must be an object');
    if (typeof t.name !== 'string' || t.name === '') throw shapeError(['tools', i, 'name'], 'must be a non-empty string');
    const def: ToolDef = { name: t.name, description: str(t.description) ?? '' };
    if (t.input_schema !== undefined) def.parameters = t.input_schema;
    return def;
  });
}

function parseRequest(body: unknown, meta: { requestId: string; route: string }): Exchange {
  if (!isRecord(body)) throw new RequestShapeError('body', 'the request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') throw shapeError(['model'], 'must be a non-empty string');
  const maxTokens = body.max_tokens;
  if (maxTokens === undefined) throw shapeError(['max_tokens'], 'is required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw shapeError(['max_tokens'], 'must be a positive integer');
  }
  const wire = body.messages;
  if (!Array.isArray(wire) || wire.length === 0) throw shapeError(['messages'], 'must be a non-empty array');

  const messages: Message[] = [];
  const system = systemMessage(body.system);
  if (system !== undefined) messages.push(system);
  wire.forEach((m, i) => parseTurn(m, i, messages));

  return {
    requestId: meta.requestId,
    provider: 'anthropic',
    route: meta.route,
    model: body.model,
    stream: body.stream === true,
    messages,
    tools: toolDefs(body.tools),
    body,
  };
}

// ---- responses ----------------------------------------------------------------------------

const TOOL_BLOCKS = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use']);

function parseResponse(body: unknown): OutputView {
  if (!isRecord(body) || !Array.isArray(body.content)) {
    throw new ResponseFormatError('message response has no content array');
  }
  const parts: OutputPart[] = [];
  body.content.forEach((block, i) => {
    if (!isRecord(block)) throw new ResponseFormatError(`content[${i}] is not an object`);
    if (block.type === 'text' && typeof block.text === 'string') {
      parts.push({ index: i, kind: 'text', text: block.text, path: ['content', i, 'text'] });
    } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      // Reasoning reaches the client too, so it can leak what the answer itself would not.
      parts.push({ index: i, kind: 'text', text: block.thinking, path: ['content', i, 'thinking'] });
    } else if (typeof block.type === 'string' && TOOL_BLOCKS.has(block.type)) {
      const part: OutputPart & EncodedText = {
        index: i,
        kind: 'tool_arguments',
        text: JSON.stringify(block.input ?? {}),
        path: ['content', i, 'input'],
        encoding: 'json',
      };
      const name = str(block.name);
      if (name !== undefined) part.toolName = name;
      parts.push(part);
    }
  });
  const view: OutputView = { parts };
  if (isRecord(body.usage)) {
    view.usage = { inputTokens: num(body.usage.input_tokens) ?? 0, outputTokens: num(body.usage.output_tokens) ?? 0 };
  }
  if (typeof body.stop_reason === 'string') view.finishReason = body.stop_reason;
  return view;
}

// ---- streams ------------------------------------------------------------------------------

type BlockKind = 'text' | 'tool' | 'thinking' | 'other';

/** Events that change what the client must be told when the stream is cut short. */
type Effect = { kind: 'start' } | { kind: 'open'; index: number } | { kind: 'close'; index: number } | { kind: 'end' };

const STRUCTURAL = new Set(['message_start', 'content_block_start', 'content_block_stop', 'message_stop']);

function effectOf(type: string, data: Record<string, unknown>): Effect | undefined {
  switch (type) {
    case 'message_start':
      return { kind: 'start' };
    case 'message_stop':
      return { kind: 'end' };
    case 'content_block_start':
    case 'content_block_stop': {
      const index = num(data.index);
      if (index === undefined) return undefined;
      return { kind: type === 'content_block_start' ? 'open' : 'close', index };
    }
  }
  return undefined;
}

/** What the client has seen of a stream, which decides how to end it well-formed. */
export interface AnthropicStreamState {
  meta: StreamMeta;
  /** message_start reached the client. */
  started: boolean;
  /** Content blocks the client saw start but not stop. */
  openBlocks: readonly number[];
  inputTokens?: number;
  outputTokens?: number;
}

/**
 * The events that end an Anthropic stream early: a message_start if the client never got one,
 * content_block_stop for each open block, a message_delta with stop_reason 'refusal', message_stop.
 */
export function stopEventsFor(state: AnthropicStreamState, reason: string): SseEvent[] {
  const out: SseEvent[] = [];
  const ev = (event: string, data: Record<string, unknown>): void => {
    out.push({ event, data: JSON.stringify({ type: event, ...data }) });
  };
  if (!state.started) {
    ev('message_start', {
      message: {
        id: state.meta.id ?? 'msg_parapet',
        type: 'message',
        role: 'assistant',
        model: state.meta.model ?? '',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: state.inputTokens ?? 0, output_tokens: 0 },
      },
    });
  }
  for (const index of [...state.openBlocks].sort((a, b) => a - b)) ev('content_block_stop', { index });
  ev('message_delta', {
    // 'refusal' is the stop reason the API itself gives when its streaming classifiers stop a
    // response, so clients that handle Anthropic's own refusals handle Parapet's the same way.
    delta: {
      stop_reason: 'refusal',
      stop_sequence: null,
      stop_details: { type: 'refusal', category: null, explanation: reason },
    },
    usage: { output_tokens: state.outputTokens ?? 0 },
    // SDKs ignore unknown fields; this tells a human reading the stream who stopped it and why.
    parapet: { reason },
  });
  ev('message_stop', {});
  return out;
}

/** Stateless stop events: assumes the client got message_start and no block is open. */
export function contentFilterEvents(meta: StreamMeta, reason: string): SseEvent[] {
  return stopEventsFor({ meta, started: true, openBlocks: [] }, reason);
}

function createStreamInspector(): StreamInspector {
  const meta: StreamMeta = {};
  const kinds = new Map<number, BlockKind>();
  const toolNames = new Map<number, string>();
  // Keyed by the event object so sent() needs no second parse; weak so dropped events cost nothing.
  const effects = new WeakMap<SseEvent, Effect>();
  let inputTokens: number | undefined;
  let outputTokens: number | undefined;
  // The client's view, advanced by sent().
  let started = false;
  let ended = false;
  const open = new Set<number>();
  // Text deltas of one message share their envelope: parsed once, see event-template.ts. The object
  // it returns is reused, so nothing below keeps `data` or anything but strings and numbers from it.
  const events = createEventParser(['delta', 'text']);

  const delta = (index: number, kind: BlockKind, text: string, out: StreamDelta[]): void => {
    if (text === '') return;
    if (kind === 'tool') {
      const d: StreamDelta = { channel: `${index}:tool`, kind: 'tool_arguments', text };
      const name = toolNames.get(index);
      if (name !== undefined) d.toolName = name;
      out.push(d);
    } else if (kind === 'text' || kind === 'thinking') {
      out.push({ channel: `${index}:${kind}`, kind: 'text', text });
    }
  };

  return {
    get meta() {
      return meta;
    },
    inspect(event: SseEvent): StreamEventInfo {
      const data = events.parse(event);
      const type = event.event ?? str(data.type) ?? '';
      const info: StreamEventInfo = { deltas: [], done: false };
      const effect = effectOf(type, data);
      if (effect !== undefined) effects.set(event, effect);

      switch (type) {
        case 'message_start': {
          const message = isRecord(data.message) ? data.message : {};
          const id = str(message.id);
          const model = str(message.model);
          if (id !== undefined) meta.id = id;
          if (model !== undefined) meta.model = model;
          info.meta = { ...meta };
          if (isRecord(message.usage)) {
            info.usage = {};
            inputTokens = num(message.usage.input_tokens);
            const output = num(message.usage.output_tokens);
            if (inputTokens !== undefined) info.usage.inputTokens = inputTokens;
            if (output !== undefined) info.usage.outputTokens = outputTokens = output;
          }
          break;
        }
        case 'content_block_start': {
          const index = num(data.index);
          const block = data.content_block;
          if (index === undefined || !isRecord(block)) throw new StreamFormatError('content_block_start without index or block');
          const blockType = str(block.type) ?? '';
          if (TOOL_BLOCKS.has(blockType)) {
            kinds.set(index, 'tool');
            const name = str(block.name);
            if (name !== undefined) toolNames.set(index, name);
            // An empty delta names the channel at the block's start, so a tool policy can hold it.
            info.deltas.push({ channel: `${index}:tool`, kind: 'tool_arguments', text: '', toolName: name ?? '' });
          } else if (blockType === 'text') {
            kinds.set(index, 'text');
            delta(index, 'text', str(block.text) ?? '', info.deltas);
          } else if (blockType === 'thinking') {
            kinds.set(index, 'thinking');
            delta(index, 'thinking', str(block.thinking) ?? '', info.deltas);
          } else {
            kinds.set(index, 'other');
          }
          break;
        }
        case 'content_block_delta': {
          const index = num(data.index);
          const d = data.delta;
          if (index === undefined || !isRecord(d)) throw new StreamFormatError('content_block_delta without index or delta');
          if (d.type === 'text_delta') delta(index, 'text', str(d.text) ?? '', info.deltas);
          else if (d.type === 'input_json_delta') delta(index, 'tool', str(d.partial_json) ?? '', info.deltas);
          else if (d.type === 'thinking_delta') delta(index, 'thinking', str(d.thinking) ?? '', info.deltas);
          break;
        }
        case 'content_block_stop':
          info.endsText = true;
          break;
        case 'message_delta': {
          info.endsText = true;
          const d = data.delta;
          if (isRecord(d) && typeof d.stop_reason === 'string') info.finishReason = d.stop_reason;
          if (isRecord(data.usage)) {
            info.usage = {};
            const output = num(data.usage.output_tokens);
            const input = num(data.usage.input_tokens);
            if (output !== undefined) info.usage.outputTokens = outputTokens = output;
            if (input !== undefined) info.usage.inputTokens = inputTokens = input;
          }
          break;
        }
        case 'message_stop':
          info.done = true;
          info.endsText = true;
          break;
        case 'error': {
          const err = data.error;
          info.error = (isRecord(err) ? str(err.message) : undefined) ?? 'upstream error';
          break;
        }
        // ping and event types added later carry nothing to scan.
      }
      return info;
    },
    sent(event: SseEvent): void {
      let effect = effects.get(event);
      if (effect === undefined && (event.event === undefined || STRUCTURAL.has(event.event))) {
        // An event the inspector never saw as this object (e.g. a copy): read it once more.
        let data: Record<string, unknown> | undefined;
        try {
          data = parseEventData(event);
        } catch {
          data = undefined;
        }
        if (data !== undefined) effect = effectOf(event.event ?? str(data.type) ?? '', data);
      }
      if (effect === undefined) return;
      if (effect.kind === 'start') started = true;
      else if (effect.kind === 'end') ended = true;
      else if (effect.kind === 'open') open.add(effect.index);
      else open.delete(effect.index);
    },
    stopEvents(reason: string): SseEvent[] {
      if (ended) return [];
      const state: AnthropicStreamState = { meta, started, openBlocks: [...open] };
      if (inputTokens !== undefined) state.inputTokens = inputTokens;
      if (outputTokens !== undefined) state.outputTokens = outputTokens;
      return stopEventsFor(state, reason);
    },
  };
}

/** Replace the text one channel carries in this event: `${index}:text|tool|thinking`. */
export function rewriteEventDelta(event: SseEvent, channel: string, newText: string): SseEvent {
  const data = parseEventData(event);
  const [indexText, kind] = channel.split(':');
  const index = Number(indexText);
  const type = event.event ?? str(data.type);
  let done = false;
  if (num(data.index) === index) {
    if (type === 'content_block_delta' && isRecord(data.delta)) {
      const field = kind === 'text' ? 'text' : kind === 'tool' ? 'partial_json' : kind === 'thinking' ? 'thinking' : undefined;
      if (field !== undefined && typeof data.delta[field] === 'string') {
        data.delta[field] = newText;
        done = true;
      }
    } else if (type === 'content_block_start' && isRecord(data.content_block)) {
      const field = kind === 'text' ? 'text' : kind === 'thinking' ? 'thinking' : undefined;
      if (field !== undefined && typeof data.content_block[field] === 'string') {
        data.content_block[field] = newText;
        done = true;
      }
    }
  }
  if (!done) throw new Error(`event carries no delta on channel ${channel}`);
  const out = JSON.stringify(data);
  return event.event === undefined ? { data: out } : { event: event.event, data: out };
}

export function continuationEvent(_meta: StreamMeta, channel: string, text: string): SseEvent {
  const [indexText, kind] = channel.split(':');
  const index = Number(indexText);
  const delta =
    kind === 'tool' ? { type: 'input_json_delta', partial_json: text } : kind === 'thinking' ? { type: 'thinking_delta', thinking: text } : { type: 'text_delta', text };
  return { event: 'content_block_delta', data: JSON.stringify({ type: 'content_block_delta', index, delta }) };
}

// ---- errors -------------------------------------------------------------------------------

// The official SDK picks its exception class from the HTTP status; `type` is what code branches on.
const ERRORS: Record<ErrorKind, { status: number; type: string }> = {
  invalid_request: { status: 400, type: 'invalid_request_error' },
  authentication: { status: 401, type: 'authentication_error' },
  permission: { status: 403, type: 'permission_error' },
  not_found: { status: 404, type: 'not_found_error' },
  payload_too_large: { status: 413, type: 'request_too_large' },
  unsupported_media_type: { status: 415, type: 'invalid_request_error' },
  rate_limit: { status: 429, type: 'rate_limit_error' },
  content_blocked: { status: 400, type: 'invalid_request_error' },
  upstream: { status: 502, type: 'api_error' },
  // The SDK's ErrorType has 'timeout_error' (its GatewayTimeoutErrorObject) for exactly this case.
  timeout: { status: 504, type: 'timeout_error' },
  internal: { status: 500, type: 'api_error' },
};

export function errorShape(kind: ErrorKind, message: string, status?: number): ErrorShape {
  const e = ERRORS[kind];
  const text = kind === 'content_blocked' && !message.includes('Parapet') ? `Blocked by Parapet: ${message}` : message;
  return { status: status ?? e.status, body: { type: 'error', error: { type: e.type, message: text } } };
}

/** An `error` event, as the API sends mid-stream; the SDK raises it as an APIError. */
export function streamErrorEvent(message: string, kind: ErrorKind = 'upstream'): SseEvent {
  const body = errorShape(kind, message).body;
  return { event: 'error', data: JSON.stringify(body) };
}

/**
 * Takes denied tool_use blocks out of `content` and adds `note` as a text block; a message left
 * without tool calls stops with 'end_turn', as a plain answer would.
 */
export function dropToolCalls(body: unknown, parts: readonly OutputPart[], note: string): void {
  if (!isRecord(body) || !Array.isArray(body.content)) return;
  const drop = new Set<number>();
  for (const p of parts) if (p.path[0] === 'content' && typeof p.path[1] === 'number') drop.add(p.path[1]);
  if (drop.size === 0) return;
  const content = body.content.filter((_b, i) => !drop.has(i));
  content.push({ type: 'text', text: note });
  body.content = content;
  if (!content.some((b) => isRecord(b) && typeof b.type === 'string' && TOOL_BLOCKS.has(b.type))) body.stop_reason = 'end_turn';
}

/**
 * A text block at the tool block's own index: the upstream's content_block_stop for that index then
 * closes it, so indexes stay in order for the SDK.
 */
export function toolNoteEvents(_meta: StreamMeta, channel: string, note: string): SseEvent[] {
  const index = Number(channel.split(':')[0]);
  return [
    { event: 'content_block_start', data: JSON.stringify({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }) },
    continuationEvent(_meta, `${index}:text`, note),
  ];
}

export function endTurnEvent(event: SseEvent): SseEvent {
  if (event.event !== 'message_delta') return event;
  const data = parseEventData(event);
  if (!isRecord(data.delta) || data.delta.stop_reason !== 'tool_use') return event;
  data.delta.stop_reason = 'end_turn';
  return { ...event, data: JSON.stringify(data) };
}

export const anthropicMessagesAdapter: ProviderAdapter = {
  provider: 'anthropic',
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
