// The correlation rules: a session's and a key's state after this turn → findings, each with the
// action its rule asks for and the turns that caused it. Pure functions of the state, so the memory
// and the Redis store reach the same verdicts, and each rule is explained by the numbers it used.

import type { AnomalyRule, DuplicatesRule, EscalationRule, ExtractionRule, PersistenceRule, SessionAction, SessionPolicy, SessionRuleName } from '../config/sessions.ts';
import type { Category, OwaspId } from '../exchange/types.ts';
import { countNear } from './simhash.ts';
import type { KeyState, SessionState, TurnRecord } from './types.ts';

export interface SessionFinding {
  rule: SessionRuleName;
  action: SessionAction;
  category: Category;
  owasp: OwaspId[];
  /** Strength of the evidence, 0..1. */
  score: number;
  /** Session turn numbers (1-based) that caused it. */
  turns: number[];
  explanation: string;
}

/** A dip this small below the previous turn does not break a rising run (detector scores wobble). */
export const RISE_TOLERANCE = 0.05;

const ACTION_RANK: Record<SessionAction, number> = { flag: 0, alert: 1, block: 2, throttle: 3, interrupt: 4, revoke: 5 };

/** The strongest of the actions (revoke > interrupt > throttle > block > alert > flag). */
export function strongestAction(findings: readonly SessionFinding[]): SessionAction | undefined {
  let best: SessionAction | undefined;
  for (const f of findings) if (best === undefined || ACTION_RANK[f.action] > ACTION_RANK[best]) best = f.action;
  return best;
}

/** Turn number of recent[i]. */
function turnNumber(s: SessionState, i: number): number {
  return s.turns - (s.recent.length - 1 - i);
}

/** Decayed cumulative risk: each turn's risk, fading by `decay` with every turn since. */
export function cumulativeRisk(recent: readonly TurnRecord[], decay: number): number {
  let r = 0;
  for (const t of recent) r = r * decay + t.risk;
  return r;
}

function topCategory(t: TurnRecord, categories: readonly Category[]): Category {
  let best: Category = categories[0] ?? 'harmful';
  let score = -1;
  for (const c of categories) {
    const s = t.scores[c] ?? 0;
    if (s > score) {
      best = c;
      score = s;
    }
  }
  return best;
}

function round2(n: number): string {
  return n.toFixed(2);
}

export function escalation(s: SessionState, rule: EscalationRule, policy: SessionPolicy): SessionFinding | undefined {
  const recent = s.recent;
  const last = recent.length - 1;
  const cur = recent[last];
  if (cur === undefined || cur.risk < rule.minTurn) return undefined;
  // Walk back while the risk keeps rising towards this turn.
  let first = last;
  for (let j = last - 1; j >= 0; j--) {
    const t = recent[j] as TurnRecord;
    const next = recent[j + 1] as TurnRecord;
    if (t.risk < rule.floor || t.risk > next.risk + RISE_TOLERANCE) break;
    first = j;
  }
  const run = last - first + 1;
  if (run < rule.turns) return undefined;
  const start = recent[first] as TurnRecord;
  if (cur.risk - start.risk < rule.climb) return undefined;
  const total = cumulativeRisk(recent, policy.decay);
  if (total < rule.risk) return undefined;
  const turns: number[] = [];
  for (let i = first; i <= last; i++) turns.push(turnNumber(s, i));
  const category = topCategory(cur, policy.riskCategories);
  return {
    rule: 'escalation',
    action: rule.action,
    category,
    owasp: category === 'harmful' ? [] : ['LLM01'],
    score: cur.risk,
    turns,
    explanation:
      `Risk rose over ${run} consecutive turns (${turns.map((n, i) => `turn ${n}: ${round2(recent[first + i]?.risk ?? 0)}`).join(', ')}); ` +
      `session risk ${round2(total)} ≥ ${round2(rule.risk)}.`,
  };
}

export function extraction(s: SessionState, k: KeyState, rule: ExtractionRule, now: number): SessionFinding | undefined {
  const cur = s.recent[s.recent.length - 1];
  if (cur === undefined || !cur.probe) return undefined;
  const attempts = rule.per === 'session' ? s.probes + s.outputIncidents : k.probes.filter((t) => t > now - rule.windowMs).length;
  if (attempts < rule.attempts) return undefined;
  const turns: number[] = [];
  s.recent.forEach((t, i) => {
    if (t.probe) turns.push(turnNumber(s, i));
  });
  const where = rule.per === 'session' ? 'in this session' : `by this key within ${Math.round(rule.windowMs / 60_000)} min`;
  return {
    rule: 'extraction',
    action: rule.action,
    category: 'leakage',
    owasp: ['LLM07'],
    score: Math.min(1, attempts / (rule.attempts * 2)) + 0.5,
    turns,
    explanation: `${attempts} attempts to obtain the system prompt or hidden instructions ${where} (limit ${rule.attempts}).`,
  };
}

export function persistence(s: SessionState, rule: PersistenceRule): SessionFinding | undefined {
  const cur = s.recent[s.recent.length - 1];
  if (cur === undefined) return undefined;
  const blocked = cur.action === 'block' && s.blocked >= rule.blocked;
  const refused = cur.refusedBefore && s.refusals >= rule.refusals;
  if (!blocked && !refused) return undefined;
  const turns: number[] = [];
  s.recent.forEach((t, i) => {
    if ((blocked && t.action === 'block') || (refused && t.refusedBefore)) turns.push(turnNumber(s, i));
  });
  const why = blocked ? `${s.blocked} turns of this session were blocked` : `the model refused ${s.refusals} times in this session`;
  return {
    rule: 'persistence',
    action: rule.action,
    category: 'jailbreak',
    owasp: ['LLM01'],
    score: 0.8,
    turns,
    explanation: `The session keeps trying: ${why} (limit ${blocked ? rule.blocked : rule.refusals}).`,
  };
}

export function duplicates(s: SessionState, k: KeyState, rule: DuplicatesRule): SessionFinding | undefined {
  const cur = s.recent[s.recent.length - 1];
  if (cur === undefined || cur.sig === '') return undefined;
  // The current prompt is the key's last signature; compare it with the ones before.
  // Indexes rather than a slice: this runs on every request of a session-keeping policy.
  const sigs = k.sigs;
  const end = sigs.length - 1;
  const from = Math.max(0, end - rule.of);
  const similar = countNear(sigs, from, end, cur.sig, rule.distance);
  if (similar < rule.similar) return undefined;
  const compared = Math.max(0, end - from);
  return {
    rule: 'duplicates',
    action: rule.action,
    category: 'consumption',
    owasp: ['LLM10'],
    score: Math.min(1, similar / compared),
    turns: [s.turns],
    explanation: `${similar} of this key's last ${compared} prompts are near-duplicates of this one (within ${rule.distance} of 64 bits): systematic querying, as in model extraction.`,
  };
}

export function anomaly(s: SessionState, k: KeyState, rule: AnomalyRule): SessionFinding | undefined {
  const cur = s.recent[s.recent.length - 1];
  if (cur === undefined || cur.action === 'allow') return undefined;
  const requestBar = Math.max(rule.minRequests, rule.factor * k.baseRequests);
  const tokenBar = Math.max(rule.minTokens, rule.factor * k.baseTokens);
  const burst = k.requests >= requestBar || k.tokens >= tokenBar;
  if (!burst || k.detections < rule.detections) return undefined;
  const what = k.requests >= requestBar ? `${k.requests} requests this minute (baseline ${k.baseRequests.toFixed(1)}/min)` : `${k.tokens} tokens this minute (baseline ${Math.round(k.baseTokens)}/min)`;
  return {
    rule: 'anomaly',
    action: rule.action,
    category: 'consumption',
    owasp: ['LLM10'],
    score: Math.min(1, k.detections / (rule.detections * 2)) + 0.5,
    turns: [s.turns],
    explanation: `Burst against the key's own baseline: ${what}, with ${k.detections} flagged or blocked turns.`,
  };
}

/** Every rule of the policy that fires on the state after this turn. */
export function evaluate(s: SessionState, k: KeyState, policy: SessionPolicy, now: number): SessionFinding[] {
  const r = policy.rules;
  const out: SessionFinding[] = [];
  const push = (f: SessionFinding | undefined): void => {
    if (f !== undefined) out.push({ ...f, score: Math.min(1, Math.round(f.score * 1000) / 1000) });
  };
  if (r.escalation) push(escalation(s, r.escalation, policy));
  if (r.extraction) push(extraction(s, k, r.extraction, now));
  if (r.persistence) push(persistence(s, r.persistence));
  if (r.duplicates) push(duplicates(s, k, r.duplicates));
  if (r.anomaly) push(anomaly(s, k, r.anomaly));
  return out;
}
