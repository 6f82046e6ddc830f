// Hand-written wire fixtures following the official OpenAI and Anthropic streaming formats.
import type { SseEvent } from '../../src/providers/types.ts';

const base = { id: 'chatcmpl-9x1', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_0a' };

function chunk(choices: unknown[], usage: unknown = null): SseEvent {
  return { data: JSON.stringify({ ...base, choices, usage }) };
}

export const openaiTextStream: SseEvent[] = [
  chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
  chunk([{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }]),
  chunk([{ index: 0, delta: { content: ' wör' }, logprobs: null, finish_reason: null }]),
  chunk([{ index: 0, delta: { content: 'ld 🌍' }, logprobs: null, finish_reason: null }]),
  chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
  chunk([], { prompt_tokens: 19, completion_tokens: 4, total_tokens: 23 }),
  { data: '[DONE]' },
];

export const openaiToolStream: SseEvent[] = [
  chunk([
    {
      index: 0,
      delta: {
        role: 'assistant',
        content: null,
        tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '' } }],
        refusal: null,
      },
      logprobs: null,
      finish_reason: null,
    },
  ]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }, logprobs: null, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }, logprobs: null, finish_reason: null }]),
  chunk([
    {
      index: 0,
      delta: { tool_calls: [{ index: 1, id: 'call_def', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } }] },
      logprobs: null,
      finish_reason: null,
    },
  ]),
  chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }]),
  chunk([], { prompt_tokens: 82, completion_tokens: 31, total_tokens: 113 }),
  { data: '[DONE]' },
];

function ev(type: string, body: Record<string, unknown>): SseEvent {
  return { event: type, data: JSON.stringify({ type, ...body }) };
}

export const anthropicStream: SseEvent[] = [
  ev('message_start', {
    message: {
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      type: 'message',
      role: 'assistant',
      model: 'claude-test-model-20250929',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 472, output_tokens: 2 },
    },
  }),
  ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  { event: 'ping', data: '{"type": "ping"}' },
  ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Okay, let me check ' } }),
  ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'the weather — ☀️.' } }),
  ev('content_block_stop', { index: 0 }),
  ev('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_01T1x1', name: 'get_weather', input: {} } }),
  ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '' } }),
  ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"location": "San Fra' } }),
  ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: 'ncisco, CA"}' } }),
  ev('content_block_stop', { index: 1 }),
  ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89 } }),
  ev('message_stop', {}),
];

/** Wire text of a stream, with a chosen line ending. */
export function wire(events: readonly SseEvent[], eol = '\n'): string {
  return events
    .map((e) => (e.event === undefined ? '' : `event: ${e.event}${eol}`) + e.data.split('\n').map((l) => `data: ${l}${eol}`).join('') + eol)
    .join('');
}
