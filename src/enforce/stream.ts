import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Usage } from '../exchange/types.ts';
import { createSseParser, serializeSse } from '../providers/sse.ts';
import type { Finding } from '../exchange/types.ts';
import type { SseEvent, StreamEventInfo, StreamInspector } from '../providers/types.ts';
import type { PendingApproval, StreamGuard } from './stream-guard.ts';
import type { ToolApprover } from './tools.ts';


/** SSE comment lines keep idle proxies and clients from dropping a stream that waits for a human. */
const KEEPALIVE_MS = 15_000;

const EARLY_RELEASE_EVERY = 32;

export interface StreamResult {
  usage: Partial<Usage>;
  finishReason?: string;
  /** Why the stream did not end normally (malformed upstream data, upstream error, reset). */
  error?: string;
  clientGone: boolean;
  /** Set when the policy stopped the stream: the finding that did it, or why inspection failed. */
  stopped?: { finding?: Finding; reason: string };
  /** Text the model streamed, per channel, for the audit log's token estimate and future checks. */
  outputChars: number;
}

/**
 * Relay an upstream SSE stream to the client event by event. Reading waits on the client's
 * socket (backpressure), so a slow client never makes Parapet buffer the whole response.
 */
export async function relayStream(
  upstream: AsyncIterable<Uint8Array>,
  res: ServerResponse,
  inspector: StreamInspector,
  errorEvent: (message: string) => SseEvent,
  guard?: StreamGuard,
  stopReason: (f: Finding) => string = (f) => f.explanation,
  approve?: ToolApprover,
): Promise<StreamResult> {
  const result: StreamResult = { usage: {}, clientGone: false, outputChars: 0 };
  let done = false;
  let pending: string[] = [];
  let failure: string | undefined;
  let queued = 0;
  /** A write was refused by the client's socket: wait for 'drain' before reading upstream again. */
  let blocked = false;
  /** Held tool calls waiting for an operator (the guard holds their events meanwhile). */
  let waiting: PendingApproval[] = [];
  const parser = createSseParser((ev) => {
    if (failure || result.stopped) return;
    let info: StreamEventInfo;
    try {
      info = inspector.inspect(ev);
    } catch (err) {
      failure = `malformed upstream stream: ${err instanceof Error ? err.message : String(err)}`;
      return;
    }
    for (const d of info.deltas) result.outputChars += d.text.length;
    if (info.usage) Object.assign(result.usage, info.usage);
    if (info.finishReason) result.finishReason = info.finishReason;
    if (info.error) result.error = `upstream error in stream: ${info.error}`;
    if (info.done) done = true;
    if (!guard) {
      pending.push(serializeSse(ev));
      return;
    }
    guard.push(ev, info);
    // One network read can carry hundreds of events; release and write in slices so the first
    // text leaves before the whole read has been processed.
    if (++queued % EARLY_RELEASE_EVERY === 0) {
      advance(false);
      if (pending.length > 0 && !result.clientGone) {
        if (!res.write(pending.join(''))) blocked = true;
        pending = [];
      }
    }
  });

  /** Run the guard over what the last read queued; release or stop. */
  function advance(final: boolean): void {
    if (!guard || result.stopped) return;
    try {
      const step = final ? guard.finish() : guard.step();
      release(step.release);
      if (step.approvals) waiting.push(...step.approvals);
      if (step.stop) stop(step.stop.finding, stopReason(step.stop.finding));
    } catch (err) {
      stop(undefined, `Parapet could not inspect the response (${err instanceof Error ? err.message : String(err)}); stopped because the policy fails closed`);
    }
  }

  function release(events: SseEvent[]): void {
    for (const e of events) {
      pending.push(serializeSse(e));
      inspector.sent(e);
    }
  }
  function stop(finding: Finding | undefined, reason: string): void {
    result.stopped = finding ? { finding, reason } : { reason };
    for (const e of inspector.stopEvents(reason)) pending.push(serializeSse(e));
  }

  /** Ask for every held call, one at a time, releasing what each answer frees. */
  async function settleApprovals(): Promise<void> {
    if (!guard) return;
    while (waiting.length > 0 && !result.stopped && !result.clientGone) {
      const asked = waiting;
      waiting = [];
      for (const call of asked) {
        if (result.stopped || result.clientGone) return;
        let answer: { approved: boolean; finding: Finding };
        const keepalive = setInterval(() => {
          if (!result.clientGone) res.write(': parapet: waiting for an operator to approve a tool call\n\n');
        }, KEEPALIVE_MS);
        try {
          answer = approve ? await approve(call) : { approved: false, finding: call.finding };
        } finally {
          clearInterval(keepalive);
        }
        guard.findings.push(answer.finding);
        const step = guard.resolveApproval(call.channel, answer.approved, answer.finding);
        release(step.release);
        if (step.approvals) waiting.push(...step.approvals);
        if (step.stop) stop(step.stop.finding, stopReason(step.stop.finding));
        if (pending.length > 0 && !result.clientGone) {
          res.write(pending.join(''));
          pending = [];
        }
      }
    }
  }

  const onClose = (): void => {
    if (!res.writableFinished) result.clientGone = true;
  };
  res.on('close', onClose);
  try {
    for await (const chunk of upstream) {
      parser.push(chunk);
      if (!failure) advance(false);
      if (pending.length > 0) {
        const out = pending.length === 1 ? (pending[0] as string) : pending.join('');
        pending = [];
        if (!res.write(out)) blocked = true;
      }
      if (blocked) {
        blocked = false;
        await drainOrClose(res);
      }
      if (waiting.length > 0) await settleApprovals();
      if (result.clientGone) return result;
      if (failure || result.stopped) break;
    }
    if (!result.stopped && !failure) {
      parser.end();
      advance(true);
      if (waiting.length > 0) {
        if (pending.length > 0 && !result.clientGone) {
          res.write(pending.join(''));
          pending = [];
        }
        await settleApprovals();
      }
    }
  } catch (err) {
    if (result.clientGone) return result;
    failure ??= `upstream stream failed: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    res.off('close', onClose);
  }
  if (pending.length > 0 && !result.clientGone) res.write(pending.join(''));
  if (!failure && !done && !result.error && !result.stopped) failure = 'upstream stream ended before its final event';
  if (failure) {
    result.error = failure;
    if (!result.clientGone) res.write(serializeSse(errorEvent(`Parapet: ${failure}.`)));
  }
  if (!result.clientGone) res.end();
  return result;
}

async function drainOrClose(res: ServerResponse): Promise<void> {
  if (res.destroyed) return;
  await Promise.race([once(res, 'drain'), once(res, 'close')]);
}
