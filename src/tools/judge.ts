// The operator's rules for one tool call the model made: which tools it may call, what their
// arguments may hold, where URLs in them may point, and which calls wait for a human. Pure and
// synchronous; the gateway decides what a verdict does to the response (strip, stop, hold).

import { globMatch } from '../config/models.ts';
import type { Finding } from '../exchange/types.ts';
import { argumentLeaves, checkArgumentRule } from './arguments.ts';
import type { ToolPolicy } from './config.ts';
import { domainAllowed, urlHosts } from './urls.ts';

export const TOOL_POLICY_DETECTOR = 'tool-policy';

export interface ToolCall {
  name: string;
  /** The arguments as the model wrote them (JSON text). */
  arguments: string;
}

export type ToolVerdict =
  | { action: 'allow' }
  /** The call must not reach the client; `finding.explanation` says why, safe to show. */
  | { action: 'deny'; finding: Finding }
  /** The call waits for an operator's approval; denied when none comes in time. */
  | { action: 'approve'; finding: Finding };

function finding(rule: string, explanation: string, severity: Finding['severity'] = 'high'): Finding {
  return { detector: TOOL_POLICY_DETECTOR, category: 'tool_abuse', rule, score: 1, severity, owasp: ['LLM06'], explanation };
}

function anyMatch(patterns: readonly string[], name: string): boolean {
  return patterns.some((p) => globMatch(p, name));
}

export function judgeToolCall(policy: ToolPolicy, call: ToolCall): ToolVerdict {
  const { name } = call;
  if (anyMatch(policy.deny, name)) {
    return { action: 'deny', finding: finding('tools.deny', `Tool '${name}' is on the policy's deny list.`) };
  }
  if (policy.allow !== undefined && !anyMatch(policy.allow, name)) {
    return { action: 'deny', finding: finding('tools.allow', `Tool '${name}' is not on the policy's list of allowed tools.`) };
  }

  const needsArgs = policy.schemas.has(name) || policy.arguments.length > 0 || policy.urlDomains !== undefined;
  let args: unknown;
  if (needsArgs) {
    try {
      args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
    } catch {
      // Rules cannot vouch for arguments they cannot read: a tool would get them as they are.
      return { action: 'deny', finding: finding('tools.arguments.invalid_json', `Tool '${name}': its arguments are not valid JSON.`) };
    }
  }

  const schema = policy.schemas.get(name);
  if (schema !== undefined) {
    const r = schema.safeParse(args);
    if (!r.success) {
      const first = r.error.issues[0];
      const where = first && first.path.length > 0 ? `'${first.path.join('.')}'` : 'the arguments';
      // Zod's message names the constraint, not the value, so it is safe to show.
      return { action: 'deny', finding: finding(`tools.schemas.${name}`, `Tool '${name}': ${where} breaks the policy's schema (${first?.message ?? 'invalid'}).`) };
    }
  }

  for (const rule of policy.arguments) {
    if (rule.tools.length > 0 && !anyMatch(rule.tools, name)) continue;
    const v = checkArgumentRule(rule, args);
    if (v === undefined) continue;
    const id = `tools.arguments[${rule.index}].${v.kind}`;
    // The value itself is never quoted: it may be the very secret the rule keeps from leaving.
    const what = v.kind === 'deny' ? 'matches a denied pattern' : 'matches none of the allowed patterns';
    return { action: 'deny', finding: finding(id, `Tool '${name}': ${v.where} ${what}.`) };
  }

  if (policy.urlDomains !== undefined) {
    for (const value of argumentLeaves(args)) {
      for (const host of urlHosts(value)) {
        if (!domainAllowed(host, policy.urlDomains)) {
          return { action: 'deny', finding: finding('tools.url_domains', `Tool '${name}': an argument points to '${host}', which is not an allowed domain.`) };
        }
      }
    }
  }

  if (anyMatch(policy.approvalTools, name)) {
    return { action: 'approve', finding: finding('tools.approval', `Tool '${name}' needs an operator's approval.`, 'medium') };
  }
  return { action: 'allow' };
}
