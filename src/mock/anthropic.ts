// Anthropic Messages wire format for the mock: request checks, the non-streamed message, the named
// SSE event sequence, and the error envelope.
import type { Checked } from './openai.ts';
import type { Plan } from './script.ts';
import type { StreamEvents } from './stream.ts';
import { chunkText, completionChars, isRecord, partsText, tokensFor } from './text.ts';

export interface MessagesRequest {
  model: string;
  stream: boolean;
  system: unknown;
  messages: unknown[];
}

export function checkMessagesRequest(body: unknown, needMaxTokens = true): Checked<MessagesRequest> {
  if (!isRecord(body)) return { ok: false, message: 'the request body must be a JSON object', param: null };
  if (typeof body.model !== 'string' || body.model === '') {
    return { ok: false, message: 'model: Field required', param: 'model' };
  }
  if (needMaxTokens && (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1)) {
    return { ok: false, message: 'max_tokens: Field required (a positive integer)', param: 'max_tokens' };
  }
  if (!Array.isArray(body.messages)) return { ok: false, message: 'messages: Field required', param: 'messages' };
  return { ok: true, value: { model: body.model, stream: body.stream === true, system: body.system, messages: body.messages } };
}

/** Text of a tool_result block's content (a string or text blocks). */
function toolResultText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  let out: string | undefined;
  for (const block of content) {
    if (isRecord(block) && block.type === 'tool_result') {
      const t = partsText(block.content, 'text');
      if (t !== undefined) out = out === undefined ? t : `${out}\n${t}`;
    }
  }
  return out;
}

/**
 * The text of the last role:'user' message: string content or its text blocks joined by newlines.
 * A turn that only carries tool results is matched on the results' text instead.
 */
export function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (isRecord(m) && m.role === 'user') return partsText(m.content, 'text') ?? toolResultText(m.content) ?? '';
  }
  return '';
}

function promptChars(req: MessagesRequest): number {
  let n = partsText(req.system, 'text')?.length ?? 0;
  for (const m of req.messages) {
    if (!isRecord(m)) continue;
    n += partsText(m.content, 'text')?.length ?? 0;
    n += toolResultText(m.content)?.length ?? 0;
  }
  return n;
}

interface WireToolUse {
  id: string;
  name: string;
  input: Record<string, unknown>;
  json: string;
}

function toolUses(plan: Plan, seq: string): WireToolUse[] {
  return plan.toolCalls.map((tc, i) => {
    const input = tc.arguments ?? {};
    return { id: tc.id ?? `toolu_${seq}_${i}`, name: tc.name, input, json: JSON.stringify(input) };
  });
}

function usageOf(req: MessagesRequest, plan: Plan, tools: readonly WireToolUse[]) {
  return {
    input_tokens: plan.usage.input ?? tokensFor(promptChars(req)),
    output_tokens: plan.usage.output ?? tokensFor(completionChars(plan.text, tools)),
  };
}

export function countTokens(req: MessagesRequest): string {
  return JSON.stringify({ input_tokens: tokensFor(promptChars(req)) });
}

export function message(req: MessagesRequest, plan: Plan, seq: string): string {
  const tools = toolUses(plan, seq);
  const content: unknown[] = [];
  // A real answer that only calls tools has no text block.
  if (plan.text !== '' || tools.length === 0) content.push({ type: 'text', text: plan.text });
  for (const t of tools) content.push({ type: 'tool_use', id: t.id, name: t.name, input: t.input });
  return JSON.stringify({
    id: `msg_${seq}`,
    type: 'message',
    role: 'assistant',
    model: req.model,
    content,
    stop_reason: tools.length > 0 ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: usageOf(req, plan, tools),
  });
}

function sse(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function messageStream(req: MessagesRequest, plan: Plan, seq: string): StreamEvents {
  const tools = toolUses(plan, seq);
  const usage = usageOf(req, plan, tools);
  const events: string[] = [
    sse('message_start', {
      type: 'message_start',
      message: {
        id: `msg_${seq}`,
        type: 'message',
        role: 'assistant',
        model: req.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.input_tokens, output_tokens: 1 },
      },
    }),
  ];
  let index = 0;
  const afterStart = (): void => {
    // The API sends its first ping right after the first content block opens.
    if (index === 0) events.push(sse('ping', { type: 'ping' }));
  };
  if (plan.text !== '' || tools.length === 0) {
    events.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
    afterStart();
    for (const piece of chunkText(plan.text, plan.chunkSize)) {
      events.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }));
    }
    events.push(sse('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  }
  for (const t of tools) {
    events.push(
      sse('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: t.id, name: t.name, input: {} },
      }),
    );
    afterStart();
    for (const piece of chunkText(t.json, plan.chunkSize)) {
      events.push(
        sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }),
      );
    }
    events.push(sse('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  }
  events.push(
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: tools.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
    sse('message_stop', { type: 'message_stop' }),
  );
  return { events, preamble: 3, trailer: 2, malformed: 'event: content_block_delta\ndata: {not json\n\n' };
}

function errorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

export function anthropicError(status: number, message: string): string {
  return JSON.stringify({ type: 'error', error: { type: errorType(status), message } });
}

export function modelList(): string {
  return JSON.stringify({
    data: [{ type: 'model', id: 'mock-model', display_name: 'Mock Model', created_at: '2025-01-01T00:00:00Z' }],
    has_more: false,
    first_id: 'mock-model',
    last_id: 'mock-model',
  });
}
