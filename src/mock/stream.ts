// Writing a streamed answer, and cutting it short for the malformed and truncate faults.
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from './script.ts';

/**
 * A complete SSE answer as preformatted events. `preamble` counts the opening events (OpenAI's role
 * chunk; Anthropic's message_start, first content_block_start and ping) and `trailer` the closing
 * ones a client needs to see the answer as finished (finish chunk, usage, [DONE]; message_delta,
 * message_stop). The faults keep the preamble and cut into the body between them.
 */
export interface StreamEvents {
  events: string[];
  preamble: number;
  trailer: number;
  /** An event whose data is not JSON, in the provider's framing. */
  malformed: string;
}

export function applyFault(s: StreamEvents, fault: Fault | undefined): string[] {
  const body = s.events.length - s.preamble - s.trailer;
  if (fault === 'truncate') {
    const keep = Math.min(body, Math.max(1, Math.floor(body / 2)));
    return s.events.slice(0, s.preamble + keep);
  }
  if (fault === 'malformed') {
    const out = s.events.slice(0, s.preamble + Math.min(1, body));
    out.push(s.malformed);
    return out;
  }
  return s.events;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
} as const;

/**
 * Sends the events. Without a delay they go out in one write, which is what lets the mock keep up
 * with a gateway benchmark; with one, each event is its own write so clients see them arrive apart.
 */
export async function writeEvents(res: ServerResponse, events: readonly string[], delayMs: number): Promise<void> {
  if (delayMs <= 0) {
    res.end(events.join(''));
    return;
  }
  const ac = new AbortController();
  const onClose = (): void => ac.abort();
  res.once('close', onClose);
  try {
    for (let i = 0; i < events.length; i++) {
      if (i > 0) await sleep(delayMs, undefined, { signal: ac.signal });
      if (res.destroyed) return;
      res.write(events[i]);
    }
    res.end();
  } catch {
    // Aborted: the client went away (or close() destroyed the socket); nothing left to send to.
  } finally {
    res.off('close', onClose);
  }
}
