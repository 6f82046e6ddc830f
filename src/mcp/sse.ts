// Server-Sent Events for the MCP proxy. Unlike the provider parser (src/providers/sse.ts), this one
// keeps `id` and `retry`: an MCP client resumes a broken stream with Last-Event-ID, so the ids the
// upstream assigned must reach it unchanged. Events are re-serialised after the guard has seen them.

export interface McpSseEvent {
  id?: string;
  event?: string;
  retry?: string;
  /** Data lines joined with '\n'; undefined for an event without data (an id-only priming event). */
  data?: string;
}

export interface McpSseParser {
  push(chunk: string): void;
  end(): void;
}

export class SseTooLargeError extends Error {}

/** Parses an event stream fed as decoded text; `onEvent` runs once per complete event. */
export function createMcpSseParser(onEvent: (e: McpSseEvent) => void, maxEventChars = 16 * 1024 * 1024): McpSseParser {
  let buffer = '';
  let current: McpSseEvent = {};
  let size = 0;
  let fields = 0;
  let skipLf = false;

  const dispatch = (): void => {
    if (fields > 0) onEvent(current);
    current = {};
    size = 0;
    fields = 0;
  };

  const line = (text: string): void => {
    if (text === '') {
      dispatch();
      return;
    }
    size += text.length;
    if (size > maxEventChars) throw new SseTooLargeError(`event stream event larger than ${maxEventChars} characters`);
    const colon = text.indexOf(':');
    if (colon === 0) return;
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`;
    else if (field === 'id') current.id = value;
    else if (field === 'event') current.event = value;
    else if (field === 'retry') current.retry = value;
    else return;
    fields++;
  };

  return {
    push(chunk: string): void {
      let text = chunk;
      if (skipLf && text.startsWith('\n')) text = text.slice(1);
      skipLf = false;
      let start = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        const piece = text.slice(start, i);
        const full = buffer === '' ? piece : buffer + piece;
        buffer = '';
        line(full);
        if (c === 13) {
          if (i + 1 < text.length) {
            if (text.charCodeAt(i + 1) === 10) i++;
          } else {
            skipLf = true;
          }
        }
        start = i + 1;
      }
      buffer += text.slice(start);
      if (buffer.length > maxEventChars) throw new SseTooLargeError(`event stream line longer than ${maxEventChars} characters`);
    },
    end(): void {
      // An event without its closing blank line is incomplete and dropped, as EventSource does.
      buffer = '';
      current = {};
    },
  };
}

/** One event in wire form; data with newlines becomes several data lines. */
export function formatSseEvent(e: McpSseEvent): string {
  let out = '';
  if (e.id !== undefined) out += `id: ${e.id}\n`;
  if (e.event !== undefined) out += `event: ${e.event}\n`;
  if (e.retry !== undefined) out += `retry: ${e.retry}\n`;
  if (e.data !== undefined) for (const l of e.data.split('\n')) out += `data: ${l}\n`;
  return `${out}\n`;
}
