// The per-text scan pipeline behind `parapet scan`, the evaluation and the benchmarks: detectors →
// policy decision → redaction. Transport-free and synchronous, so any caller gets exactly the verdict
// the CLI prints.
import type { CategoryRules, PolicyConfig } from '../config/types.ts';
import { CATEGORIES } from '../exchange/types.ts';
import type { Action, Category, Finding } from '../exchange/types.ts';
import { DetectionEngine } from '../detectors/engine.ts';
import type { DetectorFailure } from '../detectors/engine.ts';
import { DEFAULT_DETECTORS, DEFAULT_NORMALIZER } from '../detectors/registry.ts';
import type { ScanContext } from '../detectors/types.ts';
import { actionFor, decide } from '../policy/decide.ts';
import type { Scope } from '../policy/decide.ts';
import { Vault, redactText } from '../redact/index.ts';
import type { RedactionSpan } from '../redact/index.ts';
import type { ScanRecord } from './record.ts';

/** One output line of `parapet scan` (DESIGN.md). */
export interface Verdict {
  verdict: Action;
  /** Highest finding score, 0 when nothing was found. */
  risk: number;
  /** Every category with the highest score any finding gave it (0 when none). */
  categories: Record<Category, number>;
  findings: Finding[];
  /** The text with the spans the policy redacts rewritten; present exactly when verdict is redact. */
  redacted?: string;
  /** Detectors that threw (absent when none did); with fail mode closed they make the verdict block. */
  failures?: DetectorFailure[];
}

/** The engine with every registered detector and the registered normaliser. */
export function createDefaultEngine(): DetectionEngine {
  return new DetectionEngine({ detectors: DEFAULT_DETECTORS, normalize: DEFAULT_NORMALIZER });
}

/** Which rule table of the policy judges a record. */
export function scopeOf(record: Pick<ScanRecord, 'direction' | 'trust'>): Scope {
  if (record.direction === 'output') return 'output';
  return record.trust === 'untrusted' ? 'untrusted' : 'input';
}

const disabledCache = new WeakMap<PolicyConfig, ReadonlySet<string>>();

function disabledOf(policy: PolicyConfig): ReadonlySet<string> {
  let s = disabledCache.get(policy);
  if (!s) {
    s = new Set(policy.disabledDetectors);
    disabledCache.set(policy, s);
  }
  return s;
}

/** Scans one record with `engine` and judges it by `policy`. */
export function scanRecord(record: ScanRecord, engine: DetectionEngine, policy: PolicyConfig): Verdict {
  const ctx: ScanContext = { role: record.role, trust: record.trust, direction: record.direction };
  if (record.system !== undefined) ctx.systemPrompt = record.system;
  if (record.tool !== undefined) ctx.toolName = record.tool;
  const result = engine.scanText(record.text, ctx, disabledOf(policy));
  const scope = scopeOf(record);
  const rules = policy[scope];
  const decision = decide(result.findings, rules, scope);
  let action = decision.action;
  // Fail closed: a detector that could not look is not evidence the text is safe.
  if (result.failures.length > 0 && policy.failMode === 'closed') action = 'block';

  const categories = emptyCategories();
  let risk = 0;
  for (const f of result.findings) {
    const s = clampScore(f.score);
    if (s > categories[f.category]) categories[f.category] = s;
    if (s > risk) risk = s;
  }
  const verdict: Verdict = { verdict: action, risk, categories, findings: result.findings };
  if (action === 'redact') verdict.redacted = redact(record.text, result.findings, rules, policy);
  if (result.failures.length > 0) verdict.failures = result.failures;
  return verdict;
}

/**
 * The text with every span the rules redact rewritten in the policy's style. As in the gateway, a
 * redacting finding without a span (found in a decoded view) cannot be cut out precisely, so the
 * whole text is replaced: never less than the policy asked for. Overlapping spans are merged by
 * redactText.
 */
function redact(text: string, findings: readonly Finding[], rules: CategoryRules, policy: PolicyConfig): string {
  // A scan has no later turn to restore placeholders into; the vault only numbers them.
  const vault = policy.redaction === 'placeholder' ? new Vault() : undefined;
  const spans: RedactionSpan[] = [];
  for (const f of findings) {
    if (actionFor(f, rules) !== 'redact') continue;
    if (!f.span) return redactText(text, [{ start: 0, end: text.length, label: f.rule.split('@')[0] ?? f.category }], policy.redaction, vault);
    spans.push({ start: f.span.start, end: f.span.end, label: f.rule });
  }
  return redactText(text, spans, policy.redaction, vault);
}

const ZERO_CATEGORIES: Readonly<Record<Category, number>> = Object.fromEntries(CATEGORIES.map((k) => [k, 0])) as Record<Category, number>;

export function emptyCategories(): Record<Category, number> {
  // A copy of one template: a fixed shape, built without a loop per scan.
  return { ...ZERO_CATEGORIES };
}

function clampScore(s: number): number {
  if (Number.isNaN(s)) return 1;
  return s < 0 ? 0 : s > 1 ? 1 : s;
}

