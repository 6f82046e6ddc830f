// The audit module's public surface, so callers need not know how it is split into files.
export { BufferedAuditSink } from './buffered-sink.ts';
export type { BatchWriter, BufferedSinkOptions } from './buffered-sink.ts';
export { formatEventsTable, formatTable } from './format.ts';
export { auditEventId } from './id.ts';
export { parseTimeBound } from './time.ts';
export { AUDIT_DECISIONS, DEFAULT_AUDIT_LIMIT, eventCategories } from './types.ts';
export type { AuditDecision, AuditEvent, AuditFinding, AuditQuery, AuditReader, AuditSink } from './types.ts';
