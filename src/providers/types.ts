import type { Exchange, OutputView, Provider, Usage } from '../exchange/types.ts';

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
}

/** What the gateway learns from one upstream stream event. */
export interface StreamEventInfo {
  deltas: StreamDelta[];
  usage?: Partial<Usage>;
  finishReason?: string;
  /** The event is the provider's final marker ([DONE] / message_stop). */
  done: boolean;
  /** The upstream signalled an error inside the stream. */
  error?: string;
}

/**
 * A provider adapter: the only code that knows a wire format. Each provider folder exports one.
 * Request bodies arrive already JSON-parsed and checked for size, UTF-8 and depth.
 */
export interface ProviderAdapter {
  readonly provider: Provider;
  /** Parse a request body into the neutral Exchange; throws RequestShapeError on a bad shape. */
  parseRequest(body: unknown, meta: { requestId: string; route: string }): Exchange;
  /** Parse a non-streamed JSON response into the text the model produced. */
  parseResponse(body: unknown): OutputView;
  /** Inspect one upstream SSE event (the JSON in `data` is parsed once, here). */
  inspectEvent(event: SseEvent): StreamEventInfo;
  /** The provider's error body for a gateway error. */
  errorShape(kind: ErrorKind, message: string, status?: number): ErrorShape;
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
