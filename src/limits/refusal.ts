// A request the limits refuse: the provider-shaped error (429 for rates and budgets, 400 for a single
// request over a per-request cap, 503 when the store is down and the policy fails closed), the
// headers that say which limit and what remains, and the finding the audit event records.
//
// A refusal by a limit is audited as decision 'block' with one finding of category 'consumption'
// (OWASP LLM10, Unbounded Consumption), so `parapet audit query --decision block --category
// consumption` lists them. An unreachable store is an 'error', not a policy decision.

import type { Finding } from '../exchange/types.ts';
import type { ErrorKind } from '../providers/types.ts';
import { GatewayError } from '../server/errors.ts';

export class LimitRefusal extends GatewayError {
  /** Response headers: retry-after and x-ratelimit-{limit,remaining,reset}-<metric>, x-parapet-limit. */
  readonly headers: Record<string, string>;
  /** Audit rule, e.g. "limits.key.tokens_per_minute". */
  readonly rule: string;
  /** The consumption finding; absent for an unavailable store. */
  readonly finding: Finding | undefined;
  /** A policy decision (audited as block) rather than a failure (audited as error). */
  readonly blocked: boolean;

  constructor(init: {
    kind: ErrorKind;
    status: number;
    message: string;
    rule: string;
    headers: Record<string, string>;
    blocked: boolean;
  }) {
    super(init.kind, init.message, init.status);
    this.name = 'LimitRefusal';
    this.headers = init.headers;
    this.rule = init.rule;
    this.blocked = init.blocked;
    this.finding = init.blocked
      ? {
          detector: 'limits',
          category: 'consumption',
          rule: init.rule,
          score: 1,
          severity: 'medium',
          owasp: ['LLM10'],
          explanation: init.message,
        }
      : undefined;
  }
}
