// The limiter: a policy's limit rules → counter checks for one request → one atomic reservation in
// the LimitStore → admission, or a refusal that names the limit. At the end of the exchange the
// reservation is replaced by what was actually used.
//
// What is reserved: the input tokens counted (or estimated) before forwarding, plus the request's
// output bound (max_tokens and its kin, after the policy's cap). Reserving the bound, not just the
// input, is what makes token limits exact across instances: whatever the upstream produces stays
// within what was admitted. A request with no output bound (and no cap in the policy) reserves 0
// output tokens; its output is charged when it is known, so such traffic can overshoot a limit by
// the output of the requests in flight. Set `max_output_tokens` in the policy for exact limits.

import { randomBytes } from 'node:crypto';
import type { LimitQuotas, LimitRule, LimitsConfig, ModelPrice } from '../config/index.ts';
import { matchesModel } from '../config/index.ts';
import type { Exchange, Principal } from '../exchange/types.ts';
import { costMicros, formatUsd, priceFor } from './prices.ts';
import { LimitRefusal } from './refusal.ts';
import { requestedMaxOutput, setMaxOutput } from './request.ts';
import { countInputTokens } from './tokens.ts';
import type { Adjustment, Admission, Check, CheckFailure, Lease, LimitRequest, LimitStore, LimitUsage, Limiter } from './types.ts';
import { BUCKET_MS, MINUTE_MS, periodOf } from './windows.ts';
import type { Period } from './windows.ts';

type Measure = 'requests' | 'tokens' | 'input' | 'output' | 'cost' | 'slot' | 'stream';

interface Metric {
  field: keyof LimitQuotas;
  /** As in the configuration file. */
  name: string;
  /** In header names: x-ratelimit-limit-<header>. */
  header: string;
  /** In counter keys. */
  short: string;
  measure: Measure;
  period?: Period;
}

const METRICS: readonly Metric[] = [
  { field: 'requestsPerMinute', name: 'requests_per_minute', header: 'requests-per-minute', short: 'rpm', measure: 'requests' },
  { field: 'tokensPerMinute', name: 'tokens_per_minute', header: 'tokens-per-minute', short: 'tpm', measure: 'tokens' },
  { field: 'inputTokensPerMinute', name: 'input_tokens_per_minute', header: 'input-tokens-per-minute', short: 'itpm', measure: 'input' },
  { field: 'outputTokensPerMinute', name: 'output_tokens_per_minute', header: 'output-tokens-per-minute', short: 'otpm', measure: 'output' },
  { field: 'concurrentRequests', name: 'concurrent_requests', header: 'concurrent-requests', short: 'cr', measure: 'slot' },
  { field: 'concurrentStreams', name: 'concurrent_streams', header: 'concurrent-streams', short: 'cs', measure: 'stream' },
  { field: 'tokensPerDay', name: 'tokens_per_day', header: 'tokens-per-day', short: 'td', measure: 'tokens', period: 'day' },
  { field: 'tokensPerMonth', name: 'tokens_per_month', header: 'tokens-per-month', short: 'tm', measure: 'tokens', period: 'month' },
  { field: 'costPerDay', name: 'cost_per_day', header: 'cost-per-day', short: 'cd', measure: 'cost', period: 'day' },
  { field: 'costPerMonth', name: 'cost_per_month', header: 'cost-per-month', short: 'cm', measure: 'cost', period: 'month' },
];

const COST_FIELDS: readonly (keyof LimitQuotas)[] = ['costPerDay', 'costPerMonth'];
const TOKEN_MEASURES: ReadonlySet<Measure> = new Set(['tokens', 'input', 'output', 'cost']);

/** One counter of one rule for this request. */
interface Planned {
  rule: LimitRule;
  metric: Metric;
  check: Check;
}

export interface StoreLimiterOptions {
  store: LimitStore;
  /** The current price table (hot reload swaps it). */
  prices?: () => readonly ModelPrice[];
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
  /** How long a concurrency slot outlives its last renewal; a crashed instance frees its slots after this. */
  leaseTtlMs?: number;
  /** Milliseconds since the epoch, for calendar periods. */
  clock?: () => number;
}

class Granted implements Admission {
  readonly id: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly exactInput: boolean;
  readonly at: number;
  readonly planned: readonly Planned[];
  readonly price: ModelPrice | undefined;
  readonly leases: readonly Lease[];
  settled = false;

  constructor(init: Omit<Granted, 'settled'>) {
    this.id = init.id;
    this.inputTokens = init.inputTokens;
    this.outputTokens = init.outputTokens;
    this.exactInput = init.exactInput;
    this.at = init.at;
    this.planned = init.planned;
    this.price = init.price;
    this.leases = init.leases;
  }
}

const NO_PRICES: readonly ModelPrice[] = [];
/** Characters per token when a stream reports no usage: low, so the estimate errs high. */
const CHARS_PER_TOKEN_FALLBACK = 3;

export class StoreLimiter implements Limiter {
  readonly store: LimitStore;
  readonly #prices: () => readonly ModelPrice[];
  readonly #log: NonNullable<StoreLimiterOptions['log']>;
  readonly #leaseTtlMs: number;
  readonly #clock: () => number;
  readonly #instance = randomBytes(6).toString('hex');
  #seq = 0;
  readonly #live = new Map<string, readonly Lease[]>();
  readonly #pending = new Set<Promise<void>>();
  readonly #renewer: NodeJS.Timeout;
  #storeDown = false;
  #closed = false;

  constructor(options: StoreLimiterOptions) {
    this.store = options.store;
    this.#prices = options.prices ?? (() => NO_PRICES);
    this.#log = options.log ?? (() => {});
    this.#leaseTtlMs = options.leaseTtlMs ?? 60_000;
    this.#clock = options.clock ?? Date.now;
    this.#renewer = setInterval(() => this.#renew(), Math.max(10, Math.floor(this.#leaseTtlMs / 3)));
    this.#renewer.unref();
  }

  async admit(request: LimitRequest): Promise<Admission | undefined> {
    const limits = request.policy.limits;
    if (limits === undefined) return undefined;
    const ex = request.exchange;
    const output = capOutput(ex, limits);

    const rules = limits.rules.filter((r) => r.models === undefined || matchesModel(r.models, ex.model));
    const needsTokens = limits.maxInputTokens !== undefined || rules.some(countsTokens);
    let input = 0;
    let exact = false;
    if (needsTokens) ({ tokens: input, exact } = await countInputTokens(ex));
    if (limits.maxInputTokens !== undefined && input > limits.maxInputTokens) {
      throw new LimitRefusal({
        kind: 'invalid_request',
        status: 400,
        message:
          `Request too large: about ${input} input tokens${exact ? '' : ' (estimated)'}, and this key's policy allows ` +
          `at most ${limits.maxInputTokens} per request (max_input_tokens).`,
        rule: 'limits.max_input_tokens',
        headers: { 'x-parapet-limit': 'max_input_tokens', 'x-ratelimit-limit-max-input-tokens': String(limits.maxInputTokens) },
        blocked: true,
      });
    }
    if (rules.length === 0) return undefined;

    let price: ModelPrice | undefined;
    const costRule = rules.find((r) => COST_FIELDS.some((f) => r[f] !== undefined));
    if (costRule !== undefined) {
      price = priceFor(this.#prices(), ex.model);
      if (price === undefined) {
        throw new LimitRefusal({
          kind: 'permission',
          status: 403,
          message:
            `No price is configured for model '${ex.model}', so the cost budget of limit rule '${costRule.name}' ` +
            'cannot be enforced; the operator must add the model to prices:.',
          rule: `limits.${costRule.name}.price_missing`,
          headers: { 'x-parapet-limit': `${costRule.name}/price` },
          blocked: true,
        });
      }
    }

    const now = this.#clock();
    const leaseId = `${this.#instance}.${(this.#seq++).toString(36)}`;
    const planned = plan(rules, request.policy.name, request.principal, ex, {
      input,
      output,
      cost: price ? costMicros(price, input, output) : 0,
      leaseId,
      leaseTtlMs: this.#leaseTtlMs,
      now,
    });
    if (planned.length === 0) return undefined;

    let result;
    try {
      result = await this.store.reserve(planned.map((p) => p.check));
      this.#up();
    } catch (err) {
      this.#down(err, limits.failMode);
      if (limits.failMode === 'open') return undefined;
      throw new LimitRefusal({
        kind: 'internal',
        status: 503,
        message: 'Parapet cannot reach its limit store, and this key\'s policy fails closed. Retry shortly.',
        rule: 'limits.fail_mode.closed',
        headers: { 'retry-after': '1' },
        blocked: false,
      });
    }
    if (!result.ok) throw refusal(planned, result.failures);

    const leases: Lease[] = [];
    for (const p of planned) {
      if (p.check.kind === 'lease') leases.push({ key: p.check.key, leaseId: p.check.leaseId, ttlMs: p.check.ttlMs });
    }
    const granted = new Granted({ id: leaseId, inputTokens: input, outputTokens: output, exactInput: exact, at: result.at, planned, price, leases });
    if (leases.length > 0) this.#live.set(granted.id, leases);
    return granted;
  }

  settle(admission: Admission, usage: LimitUsage): void {
    if (!(admission instanceof Granted) || admission.settled) return;
    admission.settled = true;
    this.#live.delete(admission.id);
    const actual = actualUsage(admission, usage);
    const cost = admission.price ? costMicros(admission.price, actual.input, actual.output) : 0;
    const adjustments: Adjustment[] = [];
    for (const { metric, check } of admission.planned) {
      if (check.kind === 'lease') {
        adjustments.push({ kind: 'release', key: check.key, leaseId: check.leaseId });
        continue;
      }
      if (!TOKEN_MEASURES.has(metric.measure)) continue;
      const used =
        metric.measure === 'cost' ? cost : metric.measure === 'input' ? actual.input : metric.measure === 'output' ? actual.output : actual.input + actual.output;
      const delta = used - check.amount;
      if (delta === 0) continue;
      if (check.kind === 'window') {
        adjustments.push({ kind: 'window', key: check.key, at: admission.at, delta, windowMs: check.windowMs, bucketMs: check.bucketMs });
      } else {
        adjustments.push({ kind: 'period', key: check.key, delta, expiresAt: check.expiresAt });
      }
    }
    if (adjustments.length === 0) return;
    const p = this.store.adjust(adjustments).then(
      () => this.#up(),
      (err: unknown) => {
        // The reservation stays charged (the safe side) and leases lapse on their own.
        this.#down(err);
      },
    );
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  /** Settlements not yet stored. */
  get pending(): number {
    return this.#pending.size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#renewer);
    await Promise.allSettled([...this.#pending]);
    await this.store.close();
  }

  #renew(): void {
    if (this.#live.size === 0) return;
    const leases: Lease[] = [];
    for (const ls of this.#live.values()) leases.push(...ls);
    this.store.renew(leases).then(
      () => this.#up(),
      (err: unknown) => this.#down(err),
    );
  }

  #down(err: unknown, failMode?: 'open' | 'closed'): void {
    if (this.#storeDown) return;
    this.#storeDown = true;
    this.#log('error', 'limit store unreachable', {
      store: this.store.kind,
      error: err instanceof Error ? err.message : String(err),
      ...(failMode ? { failMode, effect: failMode === 'closed' ? 'refusing requests under limits' : 'admitting requests uncounted' } : {}),
    });
  }

  #up(): void {
    if (!this.#storeDown) return;
    this.#storeDown = false;
    this.#log('info', 'limit store reachable again', { store: this.store.kind });
  }
}

function countsTokens(rule: LimitRule): boolean {
  return (
    rule.tokensPerMinute !== undefined ||
    rule.inputTokensPerMinute !== undefined ||
    rule.outputTokensPerMinute !== undefined ||
    rule.tokensPerDay !== undefined ||
    rule.tokensPerMonth !== undefined ||
    rule.costPerDay !== undefined ||
    rule.costPerMonth !== undefined
  );
}

/** Applies the policy's output cap to the wire body; returns the output bound to reserve (0: none). */
function capOutput(ex: Exchange, limits: LimitsConfig): number {
  const requested = requestedMaxOutput(ex);
  const cap = limits.maxOutputTokens;
  if (cap === undefined) return requested ?? 0;
  if (requested !== undefined && requested <= cap) return requested;
  if (requested !== undefined && limits.maxOutputMode === 'reject') {
    throw new LimitRefusal({
      kind: 'invalid_request',
      status: 400,
      message: `Requested ${requested} output tokens; this key's policy allows at most ${cap} per request (max_output_tokens).`,
      rule: 'limits.max_output_tokens',
      headers: { 'x-parapet-limit': 'max_output_tokens', 'x-ratelimit-limit-max-output-tokens': String(cap) },
      blocked: true,
    });
  }
  // Also when the client set no bound: the cap is what keeps the reservation an upper bound.
  setMaxOutput(ex, cap);
  return cap;
}

function subjectOf(rule: LimitRule, principal: Principal, model: string): string {
  const parts: string[] = [];
  for (const scope of rule.per) {
    let value: string;
    if (scope === 'all') value = '*';
    else if (scope === 'app') value = principal.app;
    else if (scope === 'key') value = principal.keyId;
    // A key without a user counts as its own user, never as one shared anonymous user.
    else if (scope === 'user') value = principal.user ?? `key:${principal.keyId}`;
    else value = model;
    parts.push(`${scope}=${encodeURIComponent(value)}`);
  }
  return parts.join(',');
}

function plan(
  rules: readonly LimitRule[],
  policy: string,
  principal: Principal,
  ex: Exchange,
  amounts: { input: number; output: number; cost: number; leaseId: string; leaseTtlMs: number; now: number },
): Planned[] {
  const out: Planned[] = [];
  const periods = new Map<Period, { id: string; end: number }>();
  for (const rule of rules) {
    const base = `${encodeURIComponent(policy)}:${rule.name}`;
    const subject = subjectOf(rule, principal, ex.model);
    for (const metric of METRICS) {
      const quota = rule[metric.field];
      if (quota === undefined) continue;
      if (metric.measure === 'stream' && !ex.stream) continue;
      const key = `${base}:${metric.short}:${subject}`;
      let check: Check;
      if (metric.measure === 'slot' || metric.measure === 'stream') {
        check = { kind: 'lease', key, limit: quota, leaseId: amounts.leaseId, ttlMs: amounts.leaseTtlMs };
      } else {
        const amount =
          metric.measure === 'requests'
            ? 1
            : metric.measure === 'input'
              ? amounts.input
              : metric.measure === 'output'
                ? amounts.output
                : metric.measure === 'cost'
                  ? amounts.cost
                  : amounts.input + amounts.output;
        // Costs are counted in micro-USD.
        const limit = metric.measure === 'cost' ? Math.round(quota * 1e6) : quota;
        if (metric.period) {
          let p = periods.get(metric.period);
          if (!p) periods.set(metric.period, (p = periodOf(metric.period, amounts.now)));
          check = { kind: 'period', key: `${key}:${p.id}`, limit, amount, expiresAt: p.end };
        } else {
          check = { kind: 'window', key, limit, amount, windowMs: MINUTE_MS, bucketMs: BUCKET_MS };
        }
      }
      out.push({ rule, metric, check });
    }
  }
  return out;
}

/**
 * What the exchange used. Reported usage wins; without it: nothing when the upstream never produced
 * an answer (an error status and no streamed text), the estimate otherwise.
 */
function actualUsage(a: Granted, usage: LimitUsage): { input: number; output: number } {
  const chars = usage.outputChars ?? 0;
  const answered = usage.status >= 200 && usage.status < 300;
  const input = usage.inputTokens ?? (answered || chars > 0 ? a.inputTokens : 0);
  let output = usage.outputTokens;
  if (output === undefined) {
    if (chars > 0) {
      const estimate = Math.ceil(chars / CHARS_PER_TOKEN_FALLBACK);
      output = a.outputTokens > 0 ? Math.min(a.outputTokens, estimate) : estimate;
    } else {
      output = answered ? a.outputTokens : 0;
    }
  }
  return { input, output };
}

// ---- refusals --------------------------------------------------------------------------------

function amountText(metric: Metric, n: number): string {
  return metric.measure === 'cost' ? formatUsd(n) : String(n);
}

function headerValue(metric: Metric, n: number): string {
  return metric.measure === 'cost' ? String(Math.max(0, n) / 1e6) : String(Math.max(0, n));
}

function describe(p: Planned, f: CheckFailure): string {
  const { metric, rule, check } = p;
  const what = `${metric.name} (limit rule '${rule.name}', per ${rule.per.join('+')})`;
  if (check.kind === 'lease') {
    return `Too many concurrent ${metric.measure === 'stream' ? 'streams' : 'requests'}: ${what} allows ${check.limit}.`;
  }
  if (f.retryAfterMs === undefined) {
    return `Request too large for ${what}: it needs ${amountText(metric, check.amount)} and the limit is ${amountText(metric, check.limit)}.`;
  }
  if (check.kind === 'period') {
    return (
      `Budget exhausted: ${what} is ${amountText(metric, check.limit)}; ${amountText(metric, f.used)} used, and this request ` +
      `may need up to ${amountText(metric, check.amount)}. It resets at ${new Date(check.expiresAt).toISOString()}.`
    );
  }
  const retry = Math.ceil(f.retryAfterMs / 1000);
  return (
    `Rate limit reached for ${what}: limit ${amountText(metric, check.limit)}, used ${amountText(metric, f.used)}, this request ` +
    `needs ${amountText(metric, check.amount)}. Retry in ${retry} s.`
  );
}

function refusal(planned: readonly Planned[], failures: readonly CheckFailure[]): LimitRefusal {
  const headers: Record<string, string> = {};
  const names: string[] = [];
  let retryMs = 0;
  let never = false;
  for (const f of failures) {
    const p = planned[f.index];
    if (p === undefined) continue;
    names.push(`${p.rule.name}/${p.metric.name}`);
    if (f.retryAfterMs === undefined) never = true;
    else retryMs = Math.max(retryMs, f.retryAfterMs);
    const h = p.metric.header;
    // Two rules may fail on the same metric: the first (in policy order) names it.
    if (headers[`x-ratelimit-limit-${h}`] !== undefined) continue;
    headers[`x-ratelimit-limit-${h}`] = headerValue(p.metric, p.check.limit);
    headers[`x-ratelimit-remaining-${h}`] = headerValue(p.metric, p.check.limit - f.used);
    if (f.retryAfterMs !== undefined) headers[`x-ratelimit-reset-${h}`] = String(Math.ceil(f.retryAfterMs / 1000));
  }
  headers['x-parapet-limit'] = names.join(', ');
  // A request that can never fit gets no retry-after: retrying it would only fail again.
  if (!never) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryMs / 1000)));
    headers['retry-after-ms'] = String(Math.max(1, Math.ceil(retryMs)));
  }
  const first = failures[0];
  const primary = first === undefined ? undefined : planned[first.index];
  const message = primary && first ? describe(primary, first) : 'Rate limit reached.';
  return new LimitRefusal({
    kind: 'rate_limit',
    status: 429,
    message,
    rule: primary ? `limits.${primary.rule.name}.${primary.metric.name}` : 'limits',
    headers,
    blocked: true,
  });
}
