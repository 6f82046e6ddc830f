import type { CategoryRules, PolicyConfig } from '../config/index.ts';

export type Scope = 'input' | 'untrusted' | 'output';

// Policies are immutable once loaded (hot reload swaps whole objects), so the merged rule table
// for untrusted content is computed once per policy object, not per request.
const untrustedCache = new WeakMap<PolicyConfig, CategoryRules>();

/** The category rules that apply to a scope: untrusted content inherits input rules it does not override. */
export function rulesFor(policy: PolicyConfig, scope: Scope): CategoryRules {
  if (scope === 'input') return policy.input;
  if (scope === 'output') return policy.output;
  let merged = untrustedCache.get(policy);
  if (!merged) {
    merged = { ...policy.input, ...policy.untrusted };
    untrustedCache.set(policy, merged);
  }
  return merged;
}

export function disabledSet(policy: PolicyConfig): ReadonlySet<string> {
  let s = disabledCache.get(policy);
  if (!s) {
    s = new Set(policy.disabledDetectors);
    disabledCache.set(policy, s);
  }
  return s;
}
const disabledCache = new WeakMap<PolicyConfig, ReadonlySet<string>>();
