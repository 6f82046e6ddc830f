// OpenAI Chat Completions wire format for the mock: request checks, the non-streamed completion,
// the SSE chunk sequence, and the error envelope.
import type { Plan } from './script.ts';
import type { StreamEvents } from './stream.ts';
import { chunkText, completionChars, isRecord, partsText, tokensFor } from './text.ts';

export interface ChatRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** Pad every streamed chunk with an "obfuscation" string, as OpenAI does unless told not to. */
  obfuscate: boolean;
  messages: unknown[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string; param: string | null };

export function checkChatRequest(body: unknown): Checked<ChatRequest> {
  if (!isRecord(body)) return { ok: false, message: 'the request body must be a JSON object', param: null };
  if (typeof body.model !== 'string' || body.model === '') {
    return { ok: false, message: 'you must provide a model parameter', param: 'model' };
  }
  if (!Array.isArray(body.messages)) {
    return { ok: false, message: "'messages' is a required property and must be an array", param: 'messages' };
  }
  const opts = body.stream_options;
  return {
    ok: true,
    value: {
      model: body.model,
      stream: body.stream === true,
      includeUsage: isRecord(opts) && opts.include_usage === true,
      obfuscate: !(isRecord(opts) && opts.include_obfuscation === false),
      messages: body.messages,
    },
  };
}

/** The text of the last role:'user' message (string content, or its text parts joined by newlines). */
export function lastUserText(messages: readonly unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (isRecord(m) && m.role === 'user') return partsText(m.content, 'text') ?? '';
  }
  return '';
}

function promptChars(messages: readonly unknown[]): number {
  let n = 0;
  for (const m of messages) {
    if (isRecord(m)) n += partsText(m.content, 'text')?.length ?? 0;
  }
  return n;
}

interface WireToolCall {
  id: string;
  name: string;
  json: string;
}

function wireToolCalls(plan: Plan, idBase: string): WireToolCall[] {
  return plan.toolCalls.map((tc, i) => ({
    id: tc.id ?? `call_${idBase}_${i}`,
    name: tc.name,
    json: JSON.stringify(tc.arguments ?? {}),
  }));
}

function usageOf(req: ChatRequest, plan: Plan, calls: readonly WireToolCall[]) {
  const prompt = plan.usage.input ?? tokensFor(promptChars(req.messages));
  const completion = plan.usage.output ?? tokensFor(completionChars(plan.text, calls));
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export function chatCompletion(req: ChatRequest, plan: Plan, seq: string, created: number): string {
  const calls = wireToolCalls(plan, seq);
  const message: Record<string, unknown> = {
    role: 'assistant',
    // A real completion that only calls tools has null content.
    content: calls.length > 0 && plan.text === '' ? null : plan.text,
    refusal: null,
  };
  if (calls.length > 0) {
    message.tool_calls = calls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.json },
    }));
  }
  return JSON.stringify({
    id: `chatcmpl-${seq}`,
    object: 'chat.completion',
    created,
    model: req.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: calls.length > 0 ? 'tool_calls' : 'stop' }],
    usage: usageOf(req, plan, calls),
  });
}

export function chatStream(req: ChatRequest, plan: Plan, seq: string, created: number): StreamEvents {
  const calls = wireToolCalls(plan, seq);
  // Official streams repeat these fields on every chunk; usage is null on all but the last chunk
  // when the client asked for it.
  const head = `{"id":"chatcmpl-${seq}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(req.model)},`;
  const tail = req.includeUsage ? ',"usage":null' : '';
  let n = 0;
  const chunk = (delta: unknown, finish: string | null): string => {
    const d = JSON.stringify(delta);
    // OpenAI pads each chunk with random characters so sizes do not give the text away; here the
    // padding is made up from the chunk's number, so runs are repeatable.
    const pad = req.obfuscate ? `,"obfuscation":"${padding(n++, d.length)}"` : '';
    return `data: ${head}"choices":[{"index":0,"delta":${d},"logprobs":null,"finish_reason":${JSON.stringify(finish)}}]${tail}${pad}}\n\n`;
  };

  const events: string[] = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
  for (const piece of chunkText(plan.text, plan.chunkSize)) events.push(chunk({ content: piece }, null));
  calls.forEach((c, index) => {
    events.push(
      chunk({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, null),
    );
    for (const piece of chunkText(c.json, plan.chunkSize)) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null));
    }
  });
  let trailer = 2;
  events.push(chunk({}, calls.length > 0 ? 'tool_calls' : 'stop'));
  if (req.includeUsage) {
    events.push(`data: ${head}"choices":[],"usage":${JSON.stringify(usageOf(req, plan, calls))}}\n\n`);
    trailer++;
  }
  events.push('data: [DONE]\n\n');
  return { events, preamble: 1, trailer, malformed: 'data: {not json\n\n' };
}

const PAD_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A padding string that brings a chunk's delta up to the next multiple of 16 characters (at least one). */
function padding(n: number, deltaLength: number): string {
  const len = 1 + ((15 - (deltaLength % 16)) % 16);
  let s = '';
  for (let i = 0; i < len; i++) s += PAD_CHARS[(n * 7 + i * 13) % PAD_CHARS.length];
  return s;
}

function errorType(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 404) return { type: 'invalid_request_error', code: 'not_found' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

export function openaiError(status: number, message: string, param: string | null = null): string {
  const { type, code } = errorType(status);
  return JSON.stringify({ error: { message, type, param, code } });
}

export function modelList(): string {
  return JSON.stringify({
    object: 'list',
    data: [{ id: 'mock-model', object: 'model', created: 0, owned_by: 'parapet-mock' }],
  });
}
