import type { RedactionMode, Vault } from '../redact/index.ts';
import { redactText } from '../redact/index.ts';
import type { TextPart } from '../exchange/types.ts';
import { writePartText } from '../providers/path.ts';
import { GatewayError } from '../server/errors.ts';
import type { Located } from './inspect.ts';

/**
 * Write redactions back into the wire body. A finding without a span (it came from a decoded view
 * of the text) cannot be cut out precisely, so the whole text part is replaced: never less.
 */
export function writeRedactions(
  body: unknown,
  partOf: (unit: number, part: number) => TextPart | undefined,
  items: readonly Located[],
  mode: RedactionMode,
  vault?: Vault,
): number {
  const groups = new Map<string, Located[]>();
  for (const l of items) {
    const key = `${l.unit}:${l.part}`;
    const g = groups.get(key);
    if (g) g.push(l);
    else groups.set(key, [l]);
  }
  let written = 0;
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const part = partOf(first.unit, first.part);
    if (!part) continue;
    const whole = group.some((l) => !l.finding.span);
    const spans = whole
      ? [{ start: 0, end: part.text.length, label: first.finding.rule.split('@')[0] ?? first.finding.category }]
      : group.map((l) => ({ start: l.finding.span?.start ?? 0, end: l.finding.span?.end ?? 0, label: l.finding.rule }));
    const next = redactText(part.text, spans, mode, vault);
    try {
      writePartText(body, part, next);
    } catch {
      // e.g. a redaction that broke structured tool input: refusing beats forwarding the value.
      throw new GatewayError('content_blocked', 'Content that policy requires to be redacted could not be redacted in place; refused.');
    }
    part.text = next;
    written++;
  }
  return written;
}
