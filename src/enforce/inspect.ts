import type { PolicyConfig } from '../config/index.ts';
import type { DetectionEngine, DetectorFailure } from '../detectors/engine.ts';
import type { ScanContext } from '../detectors/types.ts';
import type { Decision, Exchange, Finding, OutputView } from '../exchange/types.ts';
import { actionFor, decide, mergeDecisions } from '../policy/decide.ts';
import { GatewayError } from '../server/errors.ts';
import { disabledSet, rulesFor } from './rules.ts';
import type { Scope } from './rules.ts';

/** A finding placed in the text it came from, with the action the policy gives it. */
export interface Located {
  finding: Finding;
  /** Message index (input) or output part index (output). */
  unit: number;
  part: number;
  scope: Scope;
}

export interface Verdict {
  decision: Decision;
  located: Located[];
  failures: DetectorFailure[];
}

const ALLOW: Decision = { action: 'allow', findings: [] };

/**
 * Run the detectors over every input message, each judged by the rules of its trust level, and
 * turn the findings into one decision. Detector failures fail closed unless the policy says open.
 */
export function inspectInput(ex: Exchange, engine: DetectionEngine, policy: PolicyConfig, systemPrompt: string | undefined): Verdict {
  const disabled = disabledSet(policy);
  const located: Located[] = [];
  const failures: DetectorFailure[] = [];
  const byScope: Record<'input' | 'untrusted', Finding[]> = { input: [], untrusted: [] };
  for (const m of ex.messages) {
    const scope = m.trust === 'untrusted' ? 'untrusted' : 'input';
    const ctx: ScanContext = { role: m.role, trust: m.trust, direction: 'input', systemPrompt };
    for (let p = 0; p < m.parts.length; p++) {
      const part = m.parts[p];
      if (!part) continue;
      const r = engine.scanText(part.text, ctx, disabled);
      for (const f of r.findings) {
        const finding = f.span ? { ...f, span: { ...f.span, message: m.index, part: p } } : f;
        byScope[scope].push(finding);
        located.push({ finding, unit: m.index, part: p, scope });
      }
      for (const e of r.failures) failures.push(e);
    }
  }
  let decision = ALLOW;
  if (byScope.input.length > 0) decision = decide(byScope.input, rulesFor(policy, 'input'), 'input');
  if (byScope.untrusted.length > 0) {
    decision = mergeDecisions(decision, decide(byScope.untrusted, rulesFor(policy, 'untrusted'), 'untrusted'));
  }
  return { decision: failClosed(decision, failures, policy), located, failures };
}

/** Run the output detectors over what the model produced. */
export function inspectOutput(view: OutputView, engine: DetectionEngine, policy: PolicyConfig, systemPrompt: string | undefined): Verdict {
  const disabled = disabledSet(policy);
  const located: Located[] = [];
  const findings: Finding[] = [];
  const failures: DetectorFailure[] = [];
  for (let i = 0; i < view.parts.length; i++) {
    const part = view.parts[i];
    if (!part) continue;
    const ctx: ScanContext = { role: 'assistant', trust: 'user', direction: 'output', systemPrompt, toolName: part.toolName };
    const r = engine.scanText(part.text, ctx, disabled);
    for (const f of r.findings) {
      const finding = f.span ? { ...f, span: { ...f.span, message: i, part: 0 } } : f;
      findings.push(finding);
      located.push({ finding, unit: i, part: 0, scope: 'output' });
    }
    for (const e of r.failures) failures.push(e);
  }
  const decision = findings.length > 0 ? decide(findings, rulesFor(policy, 'output'), 'output') : ALLOW;
  return { decision: failClosed(decision, failures, policy), located, failures };
}

function failClosed(decision: Decision, failures: DetectorFailure[], policy: PolicyConfig): Decision {
  if (failures.length === 0) return decision;
  const names = [...new Set(failures.map((f) => f.detector))].join(', ');
  if (policy.failMode === 'closed') {
    throw new GatewayError('internal', `Parapet could not complete inspection (detector ${names} failed); refused because the policy fails closed.`);
  }
  return decision.action === 'allow' ? { ...decision, action: 'flag', reason: `Inspection incomplete: detector ${names} failed (fail-open policy).` } : decision;
}

/** The located findings whose own action is redact, for writing redactions back. */
export function redactable(v: Verdict, policy: PolicyConfig): Located[] {
  return v.located.filter((l) => actionFor(l.finding, rulesFor(policy, l.scope)) === 'redact');
}
