// Small helpers shared by the provider adapters; nothing here knows a wire format.
import type { JsonPath } from './path.ts';
import { StreamFormatError } from './types.ts';
import type { SseEvent } from './types.ts';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The JSON object in an event's data; anything else means the stream cannot be trusted further. */
export function parseEventData(event: SseEvent): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.data);
  } catch {
    throw new StreamFormatError(`stream event data is not JSON: ${event.data.slice(0, 80)}`);
  }
  if (!isRecord(parsed)) throw new StreamFormatError('stream event data is not a JSON object');
  return parsed;
}

const MAX_FALLBACK_DEPTH = 8;

/**
 * Text inside content of a type this adapter does not know. Rather than let new content types
 * through unscanned, collect every `text` string and string `content` under it: those are where both
 * providers put text meant for the model. Binary payloads (`data`, base64) are left alone.
 */
export function collectUnknownText(node: unknown, path: JsonPath, out: { text: string; path: JsonPath }[], depth = 0): void {
  if (depth > MAX_FALLBACK_DEPTH) return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => collectUnknownText(item, [...path, i], out, depth + 1));
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') {
      if ((key === 'text' || key === 'content') && value !== '') out.push({ text: value, path: [...path, key] });
    } else if (value !== null && typeof value === 'object') {
      collectUnknownText(value, [...path, key], out, depth + 1);
    }
  }
}

