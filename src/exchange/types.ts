// The neutral, provider-free shape of one request/response exchange. Nothing in here knows a wire
// format: providers/ translate to and from these types, everything else reads only these.

export type Provider = 'openai' | 'anthropic';
export type Role = 'system' | 'user' | 'assistant' | 'tool';
/** How much the gateway believes a message: operator text, the end user, or third-party content. */
export type Trust = 'trusted' | 'user' | 'untrusted';
export type Direction = 'input' | 'output';

/** A piece of text inside a message, with the JSON path where it lives in the wire body. */
export interface TextPart {
  text: string;
  /** Path from the root of the wire body to this string (e.g. ['messages', 2, 'content', 0, 'text']). */
  path: readonly (string | number)[];
  /** 'json' when the path holds a JSON value (e.g. structured tool input) rendered as text here. */
  encoding?: 'json';
}

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text of the arguments, as the model produced it. */
  arguments: string;
}

export interface Message {
  /** Position in the neutral message list (system prompt first when the provider keeps it apart). */
  index: number;
  role: Role;
  trust: Trust;
  parts: TextPart[];
  toolCalls?: ToolCall[];
}

export interface ToolDef {
  name: string;
  description: string;
  parameters?: unknown;
}

export interface Principal {
  keyId: string;
  app: string;
  /** The policy name bound to this key (operator configuration, never chosen by the client). */
  policy: string;
  user?: string;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface Exchange {
  requestId: string;
  provider: Provider;
  route: string;
  model: string;
  stream: boolean;
  principal?: Principal;
  sessionId?: string;
  messages: Message[];
  tools: ToolDef[];
  /** The parsed wire body; redactions are written back into it before forwarding. */
  body: Record<string, unknown>;
}

/** Text the model produced, located in the wire response so it can be rewritten. */
export interface OutputPart {
  /** Which choice / content block it belongs to. */
  index: number;
  kind: 'text' | 'tool_arguments';
  text: string;
  path: readonly (string | number)[];
  toolName?: string;
  encoding?: 'json';
}

export interface OutputView {
  parts: OutputPart[];
  usage?: Usage;
  finishReason?: string;
}

// ---- findings and decisions ---------------------------------------------------------------

export type Category =
  | 'injection'
  | 'jailbreak'
  | 'harmful'
  | 'secret'
  | 'pii'
  | 'leakage'
  | 'unsafe_output'
  | 'obfuscation'
  | 'tool_abuse'
  | 'consumption';

export const CATEGORIES: readonly Category[] = [
  'injection',
  'jailbreak',
  'harmful',
  'secret',
  'pii',
  'leakage',
  'unsafe_output',
  'obfuscation',
  'tool_abuse',
  'consumption',
];

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** OWASP Top 10 for LLM Applications (2025) ids. */
export type OwaspId =
  | 'LLM01'
  | 'LLM02'
  | 'LLM03'
  | 'LLM04'
  | 'LLM05'
  | 'LLM06'
  | 'LLM07'
  | 'LLM08'
  | 'LLM09'
  | 'LLM10';

export interface Span {
  /** Index of the message (input) or output part (output) the span is in; set by the engine. */
  message?: number;
  /** Index of the text part inside that message; set by the engine. */
  part?: number;
  start: number;
  end: number;
}

export interface Finding {
  detector: string;
  category: Category;
  rule: string;
  /** Confidence 0..1 that the category applies. */
  score: number;
  severity: Severity;
  owasp: OwaspId[];
  span?: Span;
  /** Short, human explanation. Never contains the raw secret or personal data it found. */
  explanation: string;
}

export type Action = 'allow' | 'flag' | 'redact' | 'block';

export interface Decision {
  action: Action;
  /** The findings that caused the action (empty for allow). */
  findings: Finding[];
  /** The policy rule that chose the action, e.g. "input.injection.block>=0.9". */
  rule?: string;
  /** Human-readable reason, safe to show to the client. */
  reason?: string;
}

const ACTION_RANK: Record<Action, number> = { allow: 0, flag: 1, redact: 2, block: 3 };

/** The stronger of two actions (block > redact > flag > allow). */
export function strongerAction(a: Action, b: Action): Action {
  return ACTION_RANK[a] >= ACTION_RANK[b] ? a : b;
}
