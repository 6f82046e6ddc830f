// Plain-text rendering for the CLI: aligned columns that read well in a terminal and survive `grep`.
import type { AuditEvent } from './types.ts';
import { eventCategories } from './types.ts';

/** Left-aligned columns separated by two spaces; no trailing blanks. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function formatEventsTable(events: readonly AuditEvent[]): string {
  const rows = events.map((e) => [
    e.time,
    e.request_id,
    e.app ?? '-',
    e.model ?? '-',
    e.decision,
    String(e.status),
    `${Math.round(e.latency_ms)}ms`,
    eventCategories(e).join(',') || '-',
  ]);
  return formatTable(['TIME', 'REQUEST', 'APP', 'MODEL', 'DECISION', 'STATUS', 'LATENCY', 'CATEGORIES'], rows);
}
