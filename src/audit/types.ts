// The audit event: one per exchange, written by the gateway, read by `parapet audit` and operators.
// Storage-neutral: SQLite implements it in stores/sqlite, PostgreSQL the same interfaces later.

export type AuditDecision = 'allow' | 'flag' | 'redact' | 'block' | 'error';

export const AUDIT_DECISIONS: readonly AuditDecision[] = ['allow', 'flag', 'redact', 'block', 'error'];

export interface AuditFinding {
  detector: string;
  category: string;
  rule: string;
  score: number;
  severity: string;
  owasp: string[];
  span?: { message?: number; part?: number; start: number; end: number };
  /** Already free of the raw secret or personal data by the detector contract; stored as given. */
  explanation: string;
  direction?: 'input' | 'output';
  /** Session correlation findings: the session turns (1-based) that caused it (src/sessions). */
  turns?: number[];
}

export interface AuditEvent {
  id: string;
  /** ISO 8601. */
  time: string;
  request_id: string;
  app?: string;
  key_id?: string;
  user?: string;
  session_id?: string;
  provider: string;
  model?: string;
  route: string;
  streamed: boolean;
  status: number;
  input_tokens?: number;
  output_tokens?: number;
  latency_ms: number;
  /**
   * The part of latency_ms the gateway itself added (inspection, policy, queueing): all but the wait
   * for the upstream's answer. A streamed answer is inspected while it streams, so its inspection
   * counts as the upstream's time.
   */
  added_latency_ms: number;
  decision: AuditDecision;
  rule?: string;
  reason?: string;
  error?: string;
  findings: AuditFinding[];
}

export interface AuditSink {
  /** Queues the event; returns at once and never throws, whatever the state of the store. */
  write(event: AuditEvent): void;
  /** Resolves once every event written before the call is stored; rejects if that cannot happen in time. */
  flush(): Promise<void>;
  /** Stops accepting events, stores everything queued, releases the store. */
  close(): Promise<void>;
}

export interface AuditQuery {
  /** ISO 8601, inclusive. */
  since?: string;
  /** ISO 8601, exclusive. */
  until?: string;
  app?: string;
  keyId?: string;
  decision?: string;
  /** Events with at least one finding of this category. */
  category?: string;
  /**
   * Events of one session (the session_id of a session alert or of another event). A conversation
   * the gateway identifies by fingerprint records its first turn under its opening alone (see
   * src/sessions/identity.ts), so that turn carries a session id of its own.
   */
  sessionId?: string;
  /** Defaults to DEFAULT_AUDIT_LIMIT. */
  limit?: number;
}

export const DEFAULT_AUDIT_LIMIT = 100;

export interface AuditReader {
  /** Matching events, newest first. Throws on an invalid query (e.g. an unparseable time). */
  query(q: AuditQuery): AuditEvent[];
}

/** Distinct categories of an event's findings, in first-seen order. */
export function eventCategories(event: Pick<AuditEvent, 'findings'>): string[] {
  const seen: string[] = [];
  for (const f of event.findings) if (!seen.includes(f.category)) seen.push(f.category);
  return seen;
}
