import type { Exchange, OutputPart, OutputView, Provider, Usage } from '../exchange/types.ts';

/** One Server-Sent Event as read from (or written to) the wire. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Error kinds the gateway reports; each provider maps them to its own error shape. */
export type ErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limit'
  | 'content_blocked'
  | 'upstream'
  | 'timeout'
  | 'internal';

export interface ErrorShape {
  status: number;
  body: Record<string, unknown>;
}

/** A text delta carried by one streamed event. */
export interface StreamDelta {
  /** Stable id of the stream of text this delta extends, e.g. "0:text" or "0:tool:1". */
  channel: string;
  kind: 'text' | 'tool_arguments';
  text: string;
  /** For tool_arguments: the tool being called, once the stream has named it. */
  toolName?: string;
}

/** Identity of a streamed response, needed to write well-formed events of our own into it. */
export interface StreamMeta {
  id?: string;
  model?: string;
  /** Unix seconds (OpenAI chunks carry it; Anthropic streams do not). */
  created?: number;
}

/** What the gateway learns from one upstream stream event. */
export interface StreamEventInfo {
  deltas: StreamDelta[];
  usage?: Partial<Usage>;
  finishReason?: string;
  /** The event is the provider's final marker ([DONE] / message_stop). */
  done: boolean;
  /**
   * No more text follows on the channels this event closes (a finish_reason, content_block_stop,
   * message_delta, the final marker): anything held back must be released before it.
   */
  endsText?: boolean;
  /** The upstream signalled an error inside the stream. */
  error?: string;
  /** Set on the event that first reveals the response id / model. */
  meta?: StreamMeta;
}

/**
 * Per-stream state: some providers (Anthropic) only say which content block is a tool call in an
 * earlier event, so one inspector must see every event of one stream, in order.
 */
export interface StreamInspector {
  /** Inspect one upstream event (its JSON is parsed once, here). Throws StreamFormatError. */
  inspect(event: SseEvent): StreamEventInfo;
  /**
   * Record that an inspected event was written to the client. stopEvents() closes exactly what the
   * client has seen, which differs from what was inspected while events are held back.
   */
  sent(event: SseEvent): void;
  /**
   * The events that end this stream early because policy stopped it, well-formed for the client's
   * SDK given the events passed to sent(). The caller writes them and then closes the response.
   */
  stopEvents(reason: string): SseEvent[];
  /** What the stream has revealed about itself so far. */
  readonly meta: StreamMeta;
}

/**
 * A provider adapter: the only code that knows a wire format. Each provider folder exports one.
 * Request bodies arrive already JSON-parsed and checked for size, UTF-8 and depth.
 */
export interface ProviderAdapter {
  readonly provider: Provider;
  /** Parse a request body into the neutral Exchange; throws RequestShapeError on a bad shape. */
  parseRequest(body: unknown, meta: { requestId: string; route: string }): Exchange;
  /** Parse a non-streamed JSON response into the text the model produced; throws ResponseFormatError. */
  parseResponse(body: unknown): OutputView;
  /** A fresh inspector for one streamed response. */
  createStreamInspector(): StreamInspector;
  /**
   * Replace the text the event carries on `channel` with `newText` and re-serialise the event.
   * Throws if the event carries nothing on that channel.
   */
  rewriteEventDelta(event: SseEvent, channel: string, newText: string): SseEvent;
  /**
   * A minimal event that carries only more text on one channel (no role, tool id or name), used
   * when the gateway releases the rest of an event it split at the hold-back boundary.
   */
  continuationEvent(meta: StreamMeta, channel: string, text: string): SseEvent;
  /**
   * Stateless version of StreamInspector.stopEvents, for a stream whose inspector is not at hand:
   * assumes the client has seen the start of the response but no open content block.
   */
  contentFilterEvents(meta: StreamMeta, reason: string): SseEvent[];
  /**
   * The event that reports a failure inside a stream that has already started (headers sent), in
   * the form the provider's SDK raises as an API error. The caller writes it and ends the response.
   */
  streamErrorEvent(message: string, kind?: ErrorKind): SseEvent;
  /** The provider's error body for a gateway error. */
  errorShape(kind: ErrorKind, message: string, status?: number): ErrorShape;
  /**
   * Take the tool calls at `parts` (tool_arguments parts of parseResponse's view of `body`) out of a
   * non-streamed response and put `note` where the model's next turn will read it; when no call is
   * left, the response ends as an ordinary answer.
   */
  dropToolCalls(body: unknown, parts: readonly OutputPart[], note: string): void;
  /**
   * The streamed counterpart of dropToolCalls: events that stand where the tool call on `channel`
   * would have been (whose own events are discarded), carrying `note` as text.
   */
  toolNoteEvents(meta: StreamMeta, channel: string, note: string): SseEvent[];
  /**
   * `event` (the one carrying the finish / stop reason) with a tool-call stop reason turned into an
   * ordinary end of turn, for a stream whose every tool call was taken out; other events unchanged.
   */
  endTurnEvent(event: SseEvent): SseEvent;
}

/** Thrown by parseRequest when the body does not have the provider's request shape. */
export class RequestShapeError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'RequestShapeError';
    this.field = field;
  }
}

/** Thrown when an upstream stream event cannot be read; the gateway should end the stream. */
export class StreamFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamFormatError';
  }
}

/** Thrown by parseResponse when an upstream response body does not have the expected shape. */
export class ResponseFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseFormatError';
  }
}
