import type { PolicyConfig } from '../config/index.ts';
import type { DetectionEngine } from '../detectors/engine.ts';
import type { Finding } from '../exchange/types.ts';
import { actionFor, decide } from '../policy/decide.ts';
import type { ProviderAdapter, StreamInspector } from '../providers/types.ts';
import { redactText } from '../redact/index.ts';
import { disabledSet, rulesFor } from './rules.ts';
import { StreamGuard } from './stream-guard.ts';
import type { ToolCallInfo } from './stream-guard.ts';
import { denialNote, toolGate } from './tools.ts';
import type { SseEvent } from '../providers/types.ts';
import { TOOL_POLICY_DETECTOR } from '../tools/judge.ts';

/** A stream guard that applies a policy's output rules with the shared detection engine. */
export function outputGuard(
  engine: DetectionEngine,
  policy: PolicyConfig,
  systemPrompt: string | undefined,
  adapter: ProviderAdapter,
  inspector: StreamInspector,
): StreamGuard {
  const rules = rulesFor(policy, 'output');
  const disabled = disabledSet(policy);
  // Placeholders exist to be restored for the user; output that must be redacted is masked.
  const mode = policy.redaction === 'placeholder' ? 'mask' : policy.redaction;
  const tools = policy.tools;
  return new StreamGuard({
    ...(tools ? { judgeTool: (call: ToolCallInfo) => toolGate(tools, call.toolName, call.arguments) } : {}),
    ...(tools?.onDeny === 'explain'
      ? {
          toolNote: (channel: string, f: Finding) => adapter.toolNoteEvents(inspector.meta, channel, denialNote([{ finding: f }])),
          endTurn: (ev: SseEvent) => adapter.endTurnEvent(ev),
        }
      : {}),
    scan(text, ch) {
      const r = engine.scanText(text, { role: 'assistant', trust: 'user', direction: 'output', systemPrompt, toolName: ch.toolName }, disabled);
      if (r.failures.length > 0 && policy.failMode === 'closed') {
        throw new Error(`detector ${r.failures.map((f) => f.detector).join(', ')} failed`);
      }
      return r.findings;
    },
    actionFor: (f) => actionFor(f, rules),
    replacement: (label, original) => redactText(original, [{ start: 0, end: original.length, label }], mode),
    rewrite: (ev, channel, text) => adapter.rewriteEventDelta(ev, channel, text),
    continuation: (meta, channel, text) => adapter.continuationEvent(meta, channel, text),
    meta: () => inspector.meta,
  });
}

/** The client-facing reason for stopping a stream on one finding. */
export function blockReason(f: Finding, policy: PolicyConfig): string {
  // Tool-policy findings carry their own reason: no category threshold chose them.
  if (f.detector === TOOL_POLICY_DETECTOR) return `Blocked by Parapet: ${f.explanation}`;
  return decide([f], rulesFor(policy, 'output'), 'output').reason ?? `Response stopped by policy: ${f.category}.`;
}
