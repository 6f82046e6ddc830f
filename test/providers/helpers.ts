import { expect } from 'vitest';
import type { Exchange, OutputView } from '../../src/exchange/types.ts';
import { getAtPath } from '../../src/providers/path.ts';
import type { ProviderAdapter, SseEvent, StreamEventInfo } from '../../src/providers/types.ts';

/** Every part points at exactly its text in the wire body (JSON-encoded parts at the value they encode). */
export function expectPathsPointAtText(body: unknown, parts: readonly { text: string; path: readonly (string | number)[] }[]): void {
  for (const part of parts) {
    const at = getAtPath(body, part.path);
    const encoding = (part as { encoding?: string }).encoding;
    if (encoding === 'json') expect(JSON.stringify(at)).toBe(part.text);
    else expect(at).toBe(part.text);
  }
}

export function allParts(ex: Exchange): Exchange['messages'][number]['parts'] {
  return ex.messages.flatMap((m) => m.parts);
}

export function expectOutputPaths(body: unknown, view: OutputView): void {
  expectPathsPointAtText(body, view.parts);
}

/** Run a whole stream through one inspector; returns per-event infos and the text per channel. */
export function inspectAll(adapter: ProviderAdapter, events: readonly SseEvent[]): { infos: StreamEventInfo[]; channels: Map<string, string> } {
  const inspector = adapter.createStreamInspector();
  const infos = events.map((e) => inspector.inspect(e));
  const channels = new Map<string, string>();
  for (const info of infos) for (const d of info.deltas) channels.set(d.channel, (channels.get(d.channel) ?? '') + d.text);
  return { infos, channels };
}
