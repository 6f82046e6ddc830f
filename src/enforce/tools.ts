// Tool calls in model output under the operator's tool policy (src/tools): judged per call, held for
// approval when the policy says so, and — for a non-streamed response — denied calls are taken out
// of the body (the provider adapter rewrites it) with a note the model reads on the next turn.

import type { Finding, OutputPart, OutputView } from '../exchange/types.ts';
import type { ApprovalDecision, ApprovalRegistry, NewApproval } from '../respond/approvals.ts';
import type { ToolPolicy } from '../tools/config.ts';
import { judgeToolCall, TOOL_POLICY_DETECTOR } from '../tools/judge.ts';
import type { ToolGate } from './stream-guard.ts';

export interface HeldCall {
  toolName: string;
  arguments: string;
  /** The policy's reason for asking. */
  finding: Finding;
}

/** Asks a human about one call; resolves to the outcome and a finding that records it. */
export type ToolApprover = (call: HeldCall) => Promise<{ approved: boolean; finding: Finding }>;

export function toolGate(policy: ToolPolicy, toolName: string, args: string): ToolGate {
  return judgeToolCall(policy, { name: toolName, arguments: args });
}

function outcomeFinding(call: HeldCall, id: string, d: ApprovalDecision, timeoutMs: number): Finding {
  const base = { detector: TOOL_POLICY_DETECTOR, category: 'tool_abuse' as const, score: 1, owasp: ['LLM06' as const] };
  const tool = `Tool '${call.toolName}'`;
  switch (d.outcome) {
    case 'approved':
      return { ...base, rule: 'tools.approval.approved', severity: 'low', explanation: `${tool} was approved by ${d.by ?? 'an operator'} (${id}).` };
    case 'denied':
      return { ...base, rule: 'tools.approval.denied', severity: 'high', explanation: `${tool} was denied by ${d.by ?? 'an operator'} (${id}).` };
    case 'timeout':
      return { ...base, rule: 'tools.approval.timeout', severity: 'high', explanation: `${tool} needed an operator's approval and none came within ${Math.round(timeoutMs / 1000)} s (${id}).` };
    default:
      return { ...base, rule: 'tools.approval.cancelled', severity: 'medium', explanation: `${tool} was waiting for approval when the client went away (${id}).` };
  }
}

/** An approver backed by the gateway's pending-approval registry. */
export function approverFor(
  approvals: ApprovalRegistry,
  context: Omit<NewApproval, 'tool' | 'arguments' | 'reason'>,
  timeoutMs: number,
  signal: AbortSignal,
): ToolApprover {
  return async (call) => {
    const { id, decision } = approvals.request({ ...context, tool: call.toolName, arguments: call.arguments, reason: call.finding.explanation }, timeoutMs, signal);
    const d = await decision;
    return { approved: d.outcome === 'approved', finding: outcomeFinding(call, id, d, timeoutMs) };
  };
}

export interface ToolCallsVerdict {
  /** Calls that must not reach the client, each with the finding that says why. */
  denied: { part: OutputPart; finding: Finding }[];
  /** Every tool-policy finding (denials, approvals and their outcomes), for the audit log. */
  findings: Finding[];
}

/** Judges every tool call of a non-streamed response; calls that need approval are asked in parallel. */
export async function judgeToolCalls(view: OutputView, policy: ToolPolicy, approve: ToolApprover): Promise<ToolCallsVerdict> {
  const out: ToolCallsVerdict = { denied: [], findings: [] };
  const asks: Promise<void>[] = [];
  for (const part of view.parts) {
    if (part.kind !== 'tool_arguments') continue;
    const toolName = part.toolName ?? '';
    const v = toolGate(policy, toolName, part.text);
    if (v.action === 'allow') continue;
    out.findings.push(v.finding);
    if (v.action === 'deny') {
      out.denied.push({ part, finding: v.finding });
      continue;
    }
    asks.push(
      approve({ toolName, arguments: part.text, finding: v.finding }).then((r) => {
        out.findings.push(r.finding);
        if (!r.approved) out.denied.push({ part, finding: r.finding });
      }),
    );
  }
  await Promise.all(asks);
  return out;
}

/** What the model reads in place of a call it was not allowed to make. */
export function denialNote(denied: readonly { finding: Finding }[]): string {
  const lines = denied.map((d) => `- ${d.finding.explanation}`);
  return `[Parapet] The gateway's tool policy stopped ${denied.length === 1 ? 'a tool call' : `${denied.length} tool calls`}; ${denied.length === 1 ? 'it was' : 'they were'} not run:\n${lines.join('\n')}`;
}
