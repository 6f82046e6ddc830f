// The policy decision step: findings + the rules of one scope → one action. It runs on every request
// and every streamed output window, so it is a single pass with no regex and allocates only for what it
// returns.

import type { CategoryRules, Rule } from '../config/types.ts';
import { strongerAction } from '../exchange/types.ts';
import type { Action, Category, Decision, Finding } from '../exchange/types.ts';

/** Which rule table judged the findings: request messages, untrusted request content, or model output. */
export type Scope = 'input' | 'untrusted' | 'output';

/** Human names of the categories, for reasons shown to clients and operators. */
export const CATEGORY_LABEL: Record<Category, string> = {
  injection: 'prompt injection',
  jailbreak: 'jailbreak attempt',
  harmful: 'harmful content',
  secret: 'secret',
  pii: 'personal data',
  leakage: 'system prompt leakage',
  unsafe_output: 'unsafe output',
  obfuscation: 'obfuscated content',
  tool_abuse: 'tool misuse',
  consumption: 'excessive resource use',
};

const VERB: Record<Action, string> = { allow: 'allowed', flag: 'flagged', redact: 'redacted', block: 'blocked' };

// A NaN score is a detector bug; reading it as certainty keeps a broken detector from waving traffic through.
function scoreOf(finding: Finding): number {
  const s = finding.score;
  if (s >= 0) return s;
  return Number.isNaN(s) ? 1 : 0;
}

/** The action one rule gives a score: the strongest threshold the score reaches. */
function actionFromRule(rule: Rule, score: number): Action {
  if (rule.block !== undefined && score >= rule.block) return 'block';
  if (rule.redact !== undefined && score >= rule.redact) return 'redact';
  if (rule.flag !== undefined && score >= rule.flag) return 'flag';
  return 'allow';
}

function thresholdOf(rule: Rule, action: Action): number {
  if (action === 'block') return rule.block ?? 0;
  if (action === 'redact') return rule.redact ?? 0;
  return rule.flag ?? 0;
}

/** The action the rules give one finding on its own (allow when its category has no rule). */
export function actionFor(finding: Finding, rules: CategoryRules): Action {
  const rule = rules[finding.category];
  return rule === undefined ? 'allow' : actionFromRule(rule, scoreOf(finding));
}

/**
 * Judges `findings` by the `rules` of `scope`. The decision's action is the strongest any finding earns;
 * its findings are all those that earned more than allow (a flag rides along with a block); `rule` and
 * `reason` describe the finding that set the action (the highest-scoring one among equals).
 */
export function decide(findings: readonly Finding[], rules: CategoryRules, scope: Scope): Decision {
  let action: Action = 'allow';
  let top: Finding | undefined;
  let topScore = -1;
  let topRule: Rule | undefined;
  let hits: Finding[] | undefined;

  for (const finding of findings) {
    const rule = rules[finding.category];
    if (rule === undefined) continue;
    const score = scoreOf(finding);
    const earned = actionFromRule(rule, score);
    if (earned === 'allow') continue;
    if (hits === undefined) hits = [finding];
    else hits.push(finding);
    const stronger = strongerAction(action, earned) !== action;
    if (stronger || (earned === action && score > topScore)) {
      action = earned;
      top = finding;
      topScore = score;
      topRule = rule;
    }
  }

  if (top === undefined || topRule === undefined || hits === undefined) return { action: 'allow', findings: [] };
  const subject = scope === 'output' ? 'Response' : 'Request';
  const where = scope === 'untrusted' ? ' in untrusted content' : '';
  return {
    action,
    findings: hits,
    rule: `${scope}.${top.category}.${action}>=${thresholdOf(topRule, action)}`,
    reason: `${subject} ${VERB[action]} by policy: ${CATEGORY_LABEL[top.category]} detected${where} (score ${topScore.toFixed(2)}).`,
  };
}

/**
 * Combines two decisions (input and untrusted, or successive output windows): the stronger action with
 * its rule and reason (the first on a tie), and the findings of both.
 */
export function mergeDecisions(a: Decision, b: Decision): Decision {
  if (b.findings.length === 0 && b.action === 'allow') return a;
  if (a.findings.length === 0 && a.action === 'allow') return b;
  const lead = strongerAction(a.action, b.action) === a.action ? a : b;
  const merged: Decision = { action: lead.action, findings: a.findings.concat(b.findings) };
  if (lead.rule !== undefined) merged.rule = lead.rule;
  if (lead.reason !== undefined) merged.reason = lead.reason;
  return merged;
}
