// The `limits:` section of a policy and the top-level `prices:` table: validated data → LimitsConfig
// and ModelPrice[], with the cross-field checks the schema cannot express.

import type { FieldIssue } from './errors.ts';
import { modelPatternProblem } from './models.ts';
import type { RawLimitRule, RawLimits } from './schema.ts';
import type { FailMode, LimitQuotas, LimitRule, LimitScope, LimitsConfig, ModelPrice } from './types.ts';

type Path = readonly (string | number)[];

/** File field → LimitQuotas field, in the order headers and messages list them. */
export const QUOTA_FIELDS = [
  ['requests_per_minute', 'requestsPerMinute'],
  ['tokens_per_minute', 'tokensPerMinute'],
  ['input_tokens_per_minute', 'inputTokensPerMinute'],
  ['output_tokens_per_minute', 'outputTokensPerMinute'],
  ['concurrent_requests', 'concurrentRequests'],
  ['concurrent_streams', 'concurrentStreams'],
  ['tokens_per_day', 'tokensPerDay'],
  ['tokens_per_month', 'tokensPerMonth'],
  ['cost_per_day', 'costPerDay'],
  ['cost_per_month', 'costPerMonth'],
] as const satisfies readonly (readonly [keyof RawLimitRule, keyof LimitQuotas])[];

function buildRule(raw: RawLimitRule, path: Path, issues: FieldIssue[]): LimitRule {
  const per: LimitScope[] = raw.per == null ? ['key'] : typeof raw.per === 'string' ? [raw.per] : [...raw.per];
  if (new Set(per).size !== per.length) issues.push({ path: [...path, 'per'], message: 'a scope is listed twice' });
  if (per.includes('all') && per.length > 1) {
    issues.push({ path: [...path, 'per'], message: "'all' is one counter for everyone and cannot be combined with other scopes" });
  }
  const rule: LimitRule = { name: raw.name ?? per.join('+'), per };
  if (raw.models) rule.models = [...raw.models];
  let quotas = 0;
  for (const [file, field] of QUOTA_FIELDS) {
    const value = raw[file];
    if (value == null) continue;
    rule[field] = value;
    quotas++;
  }
  if (quotas === 0) {
    issues.push({
      path,
      message: `a limit rule needs at least one quota (${QUOTA_FIELDS.map(([f]) => f).join(', ')})`,
    });
  }
  return rule;
}

/** Undefined when the policy sets no limits at all. */
export function buildLimits(
  raw: RawLimits | null | undefined,
  policyFailMode: FailMode,
  hasPrices: boolean,
  path: Path,
  issues: FieldIssue[],
): LimitsConfig | undefined {
  if (raw == null) return undefined;
  const rules: LimitRule[] = [];
  const names = new Map<string, number>();
  (raw.rules ?? []).forEach((r, i) => {
    const rulePath = [...path, 'rules', i];
    const rule = buildRule(r, rulePath, issues);
    const seen = names.get(rule.name);
    if (seen !== undefined) {
      issues.push({
        path: [...rulePath, r.name != null ? 'name' : 'per'],
        message: `rule name '${rule.name}' is already used by rules[${seen}]; give one of them a distinct name`,
      });
    } else {
      names.set(rule.name, i);
    }
    if ((rule.costPerDay !== undefined || rule.costPerMonth !== undefined) && !hasPrices) {
      issues.push({ path: rulePath, message: 'cost budgets need a top-level prices: table (USD per 1M tokens per model)' });
    }
    rules.push(rule);
  });
  if (raw.max_output_mode != null && raw.max_output_tokens == null) {
    issues.push({ path: [...path, 'max_output_mode'], message: 'max_output_mode applies to max_output_tokens, which is not set' });
  }
  const limits: LimitsConfig = {
    failMode: raw.fail_mode ?? policyFailMode,
    maxOutputMode: raw.max_output_mode ?? 'clamp',
    rules,
  };
  if (raw.max_input_tokens != null) limits.maxInputTokens = raw.max_input_tokens;
  if (raw.max_output_tokens != null) limits.maxOutputTokens = raw.max_output_tokens;
  return limits;
}

export function buildPrices(
  raw: Record<string, { input: number; output: number } | null | undefined> | null | undefined,
  issues: FieldIssue[],
): ModelPrice[] {
  const prices: ModelPrice[] = [];
  for (const [pattern, p] of Object.entries(raw ?? {})) {
    const problem = modelPatternProblem(pattern);
    if (problem !== undefined) {
      issues.push({ path: ['prices', pattern], message: problem, atKey: true });
      continue;
    }
    if (p == null) {
      issues.push({ path: ['prices', pattern], message: 'expected { input, output } in USD per 1M tokens', atKey: true });
      continue;
    }
    prices.push({ pattern, input: p.input, output: p.output });
  }
  return prices;
}
