// Route → adapter. The gateway's only way to reach a wire format.
import { anthropicMessagesAdapter } from './anthropic/index.ts';
import { openaiChatAdapter } from './openai/index.ts';
import type { ProviderAdapter } from './types.ts';

const ROUTES: ReadonlyMap<string, ProviderAdapter> = new Map([
  ['/v1/chat/completions', openaiChatAdapter],
  ['/v1/messages', anthropicMessagesAdapter],
]);

/**
 * The adapter for a request line, or undefined. The query string is ignored: the Anthropic SDK calls
 * /v1/messages?beta=true for its beta surface, which has the same wire format.
 */
export function adapterForRoute(method: string, path: string): ProviderAdapter | undefined {
  if (method.toUpperCase() !== 'POST') return undefined;
  const q = path.indexOf('?');
  return ROUTES.get(q === -1 ? path : path.slice(0, q));
}

export { anthropicMessagesAdapter, openaiChatAdapter };
export { createSseParser, serializeSse } from './sse.ts';
export { getAtPath, setAtPath, writePartText, formatPath } from './path.ts';
export type * from './types.ts';
export { RequestShapeError, ResponseFormatError, StreamFormatError } from './types.ts';
