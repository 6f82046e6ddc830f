// The `sessions:` and `untrusted_content:` sections of a policy and the top-level `alerts:` section:
// their schema (snake_case, everything optional) and their normalised, camelCase form with defaults
// filled in. Kept apart from schema.ts/load.ts so session correlation and active response own their
// configuration; schema.ts and load.ts only hook these in.

import { z } from 'zod';
import { CATEGORIES } from '../exchange/types.ts';
import type { Category } from '../exchange/types.ts';
import type { FieldIssue } from './errors.ts';
import type { FailMode } from './types.ts';

type Path = readonly (string | number)[];

// ---- normalised types --------------------------------------------------------------------------

/**
 * What a correlation rule does when it fires, weakest first: `flag` only records findings; `alert`
 * also sends the incident webhook; `block` refuses this turn; `interrupt` refuses this turn and every
 * later one of the session for `interrupt_for`; `throttle` caps the key's request rate for a while;
 * `revoke` revokes the key. Every action from `alert` up sends an alert when a webhook is configured.
 */
export const SESSION_ACTIONS = ['flag', 'alert', 'block', 'interrupt', 'throttle', 'revoke'] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];

/** Harm or jailbreak risk rising over consecutive turns (crescendo). */
export interface EscalationRule {
  action: SessionAction;
  /** Turns in the rising run, the current one included. */
  turns: number;
  /** A turn below this risk breaks the run. */
  floor: number;
  /** Risk the current turn must reach. */
  minTurn: number;
  /** How far risk must have climbed from the first turn of the run to the current one. */
  climb: number;
  /** Decayed cumulative risk of the session the run must bring it to. */
  risk: number;
}

/** Repeated attempts to get the system prompt or hidden instructions out of the model. */
export interface ExtractionRule {
  action: SessionAction;
  attempts: number;
  /** Counted in one session, or over every session of the key (attempts spread over new chats). */
  per: 'session' | 'key';
  /** Only for per: key: attempts older than this are forgotten. */
  windowMs: number;
}

/** A session that keeps going after its turns were blocked or refused by the model. */
export interface PersistenceRule {
  action: SessionAction;
  blocked: number;
  refusals: number;
}

/** Many near-duplicate or systematically varied prompts from one key (model extraction). */
export interface DuplicatesRule {
  action: SessionAction;
  /** Near-duplicates of this prompt among the key's last `of` prompts. */
  similar: number;
  of: number;
  /** Bits out of 64 in which two prompt signatures may differ and still count as near-duplicates. */
  distance: number;
}

/** A burst of requests or tokens against the key's own baseline, together with detections. */
export interface AnomalyRule {
  action: SessionAction;
  /** Times the key's baseline rate (per minute) the current minute must reach. */
  factor: number;
  /** Floors, so a quiet key's first busy minute is not an anomaly by itself. */
  minRequests: number;
  minTokens: number;
  /** Flagged or blocked turns of the key in the current minute. */
  detections: number;
}

export interface SessionRules {
  escalation?: EscalationRule;
  extraction?: ExtractionRule;
  persistence?: PersistenceRule;
  duplicates?: DuplicatesRule;
  anomaly?: AnomalyRule;
}

export type SessionRuleName = keyof SessionRules;
export const SESSION_RULE_NAMES: readonly SessionRuleName[] = ['escalation', 'extraction', 'persistence', 'duplicates', 'anomaly'];

export interface SessionPolicy {
  enabled: boolean;
  /** When the session store cannot be reached. */
  failMode: FailMode;
  /** Session and key state is forgotten this long after its last turn. */
  ttlMs: number;
  interruptMs: number;
  throttle: { requestsPerMinute: number; durationMs: number };
  /** A turn's risk is the highest score of these categories among its messages. */
  riskCategories: Category[];
  /** Cumulative risk = previous × decay + this turn's risk. */
  decay: number;
  /** Characters of each turn's (redacted) text kept for alerts; 0 keeps no text at all. */
  excerptChars: number;
  rules: SessionRules;
}

export type SpotlightMode = 'off' | 'delimit' | 'datamark';

export interface UntrustedContentPolicy {
  /** Mark untrusted text so the model can tell data from instructions (Hines et al., 2024). */
  spotlight: SpotlightMode;
  /** Cut detected instructions (flag level and above) out of untrusted text before forwarding. */
  neutralize: boolean;
}

export interface AlertsConfig {
  webhook: string;
  /** HMAC-SHA256 key for the x-parapet-signature header. */
  secret: string;
  timeoutMs: number;
  maxAttempts: number;
}

// ---- defaults ----------------------------------------------------------------------------------

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Defaults of each rule. They act on the session only; key-wide actions are the operator's choice. */
export function defaultSessionRules(): Required<SessionRules> {
  return {
    escalation: { action: 'interrupt', turns: 3, floor: 0.2, minTurn: 0.5, climb: 0.25, risk: 1.0 },
    extraction: { action: 'interrupt', attempts: 3, per: 'session', windowMs: HOUR },
    persistence: { action: 'interrupt', blocked: 3, refusals: 4 },
    duplicates: { action: 'alert', similar: 20, of: 50, distance: 10 },
    anomaly: { action: 'alert', factor: 5, minRequests: 30, minTokens: 60_000, detections: 3 },
  };
}

export function defaultSessionPolicy(failMode: FailMode): SessionPolicy {
  return {
    enabled: true,
    failMode,
    ttlMs: HOUR,
    interruptMs: 15 * MINUTE,
    throttle: { requestsPerMinute: 10, durationMs: 15 * MINUTE },
    riskCategories: ['harmful', 'jailbreak', 'injection'],
    decay: 0.7,
    excerptChars: 160,
    rules: defaultSessionRules(),
  };
}

export function defaultUntrustedContent(): UntrustedContentPolicy {
  return { spotlight: 'off', neutralize: false };
}

/** Most prompt signatures a key keeps; bounds `duplicates.of`. */
export const MAX_SIGNATURES = 200;

// ---- schema ------------------------------------------------------------------------------------

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: MINUTE, h: HOUR, d: 24 * HOUR };

/** Seconds as a number, or a string with a unit: "90s", "15m", "1h", "7d". */
const DURATION_HINT = 'expected a duration: seconds, or a number with a unit, e.g. "30s", "15m", "1h", "7d"';
const duration = z.union([z.number().positive({ error: 'must be greater than 0' }), z.string().regex(DURATION, { error: DURATION_HINT })], { error: DURATION_HINT });

/** Milliseconds in a duration value that passed the schema. */
export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return Math.round(value * 1000);
  const m = DURATION.exec(value);
  return Math.round(Number(m?.[1] ?? 'NaN') * (UNIT_MS[(m?.[2] ?? 's').toLowerCase()] ?? 1000));
}

const count = z
  .number({ error: 'expected a whole number' })
  .int({ error: 'expected a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(1_000_000, { error: 'must be at most 1000000' });
const score = z
  .number({ error: 'expected a score between 0 and 1' })
  .min(0, { error: 'must be between 0 and 1' })
  .max(1, { error: 'must be between 0 and 1' });
const action = z.enum(SESSION_ACTIONS, { error: `expected one of ${SESSION_ACTIONS.join(', ')}` });
/** `off` (or false) disables a rule; a mapping overrides its defaults one field at a time. */
const off = z.literal(['off', false], { error: 'expected off, or a mapping of the rule\'s settings' });

const escalation = z.strictObject({
  action: action.nullish(),
  turns: count.min(2, { error: 'a rising run needs at least 2 turns' }).max(16, { error: 'must be at most 16 (turns kept per session)' }).nullish(),
  floor: score.nullish(),
  min_turn: score.nullish(),
  climb: score.nullish(),
  risk: z.number({ error: 'expected a number' }).min(0, { error: 'must not be negative' }).max(16, { error: 'must be at most 16' }).nullish(),
});
const extraction = z.strictObject({
  action: action.nullish(),
  attempts: count.max(32, { error: 'must be at most 32 (attempts remembered per key)' }).nullish(),
  per: z.enum(['session', 'key'], { error: 'expected session or key' }).nullish(),
  window: duration.nullish(),
});
const persistence = z.strictObject({
  action: action.nullish(),
  blocked: count.nullish(),
  refusals: count.nullish(),
});
const duplicates = z.strictObject({
  action: action.nullish(),
  similar: count.nullish(),
  of: count.max(MAX_SIGNATURES, { error: `must be at most ${MAX_SIGNATURES}` }).nullish(),
  distance: z.number().int({ error: 'expected a whole number of bits' }).min(0, { error: 'must be between 0 and 32' }).max(32, { error: 'must be between 0 and 32' }).nullish(),
});
const anomaly = z.strictObject({
  action: action.nullish(),
  factor: z.number({ error: 'expected a number' }).min(1, { error: 'must be at least 1' }).max(1000, { error: 'must be at most 1000' }).nullish(),
  min_requests: count.nullish(),
  min_tokens: count.max(1e12, { error: 'must be at most 1e12' }).nullish(),
  detections: count.nullish(),
});

const riskCategory = z.enum(CATEGORIES as readonly [Category, ...Category[]], { error: `expected a category (${CATEGORIES.join(', ')})` });

export const sessionsSchema = z.strictObject({
  enabled: z.boolean({ error: 'expected true or false' }).nullish(),
  fail_mode: z.enum(['closed', 'open'], { error: 'expected closed or open' }).nullish(),
  ttl: duration.nullish(),
  interrupt_for: duration.nullish(),
  throttle: z
    .strictObject({
      requests_per_minute: count.nullish(),
      for: duration.nullish(),
    })
    .nullish(),
  risk: z
    .strictObject({
      categories: z.array(riskCategory, { error: 'expected a list of categories' }).min(1, { error: 'list at least one category' }).nullish(),
      decay: z.number({ error: 'expected a number between 0 and 1' }).min(0, { error: 'must be between 0 and 1' }).max(0.99, { error: 'must be below 1, or risk never fades' }).nullish(),
    })
    .nullish(),
  excerpt_chars: z.number().int({ error: 'expected a whole number' }).min(0, { error: 'must not be negative' }).max(2000, { error: 'must be at most 2000' }).nullish(),
  rules: z
    .strictObject({
      escalation: z.union([off, escalation]).nullish(),
      extraction: z.union([off, extraction]).nullish(),
      persistence: z.union([off, persistence]).nullish(),
      duplicates: z.union([off, duplicates]).nullish(),
      anomaly: z.union([off, anomaly]).nullish(),
    })
    .nullish(),
});
export type RawSessions = z.infer<typeof sessionsSchema>;

export const untrustedContentSchema = z.strictObject({
  spotlight: z.literal(['off', 'delimit', 'datamark', false], { error: 'expected off, delimit or datamark' }).nullish(),
  neutralize: z.boolean({ error: 'expected true or false' }).nullish(),
});
export type RawUntrustedContent = z.infer<typeof untrustedContentSchema>;

export const alertsSchema = z.strictObject({
  webhook: z.string({ error: 'expected a URL' }).superRefine((value, ctx) => {
    if (!URL.canParse(value) || !['http:', 'https:'].includes(new URL(value).protocol)) {
      ctx.addIssue({ code: 'custom', message: 'expected an http:// or https:// URL' });
    }
  }),
  secret: z.string({ error: 'expected the signing secret (use ${ENV_VAR})' }).min(16, { error: 'the signing secret must be at least 16 characters' }),
  timeout_ms: count.max(120_000, { error: 'must be at most 120000' }).nullish(),
  max_attempts: count.max(20, { error: 'must be at most 20' }).nullish(),
});
export type RawAlerts = z.infer<typeof alertsSchema>;

// ---- normalisation -----------------------------------------------------------------------------

function ms(value: number | string | null | undefined, fallback: number): number {
  return value == null ? fallback : parseDuration(value);
}

/** The policy's session settings: the defaults with the file's overrides, rule by rule. */
export function buildSessionPolicy(raw: RawSessions | null | undefined, policyFailMode: FailMode, path: Path, issues: FieldIssue[]): SessionPolicy {
  const p = defaultSessionPolicy(policyFailMode);
  if (raw == null) return p;
  if (raw.enabled != null) p.enabled = raw.enabled;
  if (raw.fail_mode != null) p.failMode = raw.fail_mode;
  p.ttlMs = ms(raw.ttl, p.ttlMs);
  p.interruptMs = ms(raw.interrupt_for, p.interruptMs);
  if (raw.throttle?.requests_per_minute != null) p.throttle.requestsPerMinute = raw.throttle.requests_per_minute;
  p.throttle.durationMs = ms(raw.throttle?.for, p.throttle.durationMs);
  if (raw.risk?.categories != null) p.riskCategories = [...new Set(raw.risk.categories)];
  if (raw.risk?.decay != null) p.decay = raw.risk.decay;
  if (raw.excerpt_chars != null) p.excerptChars = raw.excerpt_chars;

  const r = raw.rules;
  const rules = p.rules;
  const defaults = defaultSessionRules();
  if (r?.escalation === 'off' || r?.escalation === false) delete rules.escalation;
  else if (r?.escalation != null) {
    const e = r.escalation;
    rules.escalation = {
      action: e.action ?? defaults.escalation.action,
      turns: e.turns ?? defaults.escalation.turns,
      floor: e.floor ?? defaults.escalation.floor,
      minTurn: e.min_turn ?? defaults.escalation.minTurn,
      climb: e.climb ?? defaults.escalation.climb,
      risk: e.risk ?? defaults.escalation.risk,
    };
  }
  if (r?.extraction === 'off' || r?.extraction === false) delete rules.extraction;
  else if (r?.extraction != null) {
    const e = r.extraction;
    rules.extraction = {
      action: e.action ?? defaults.extraction.action,
      attempts: e.attempts ?? defaults.extraction.attempts,
      per: e.per ?? defaults.extraction.per,
      windowMs: ms(e.window, defaults.extraction.windowMs),
    };
    if (e.window != null && e.per !== 'key') {
      issues.push({ path: [...path, 'rules', 'extraction', 'window'], message: 'window applies to per: key (a session counts its attempts for as long as it lives)' });
    }
  }
  if (r?.persistence === 'off' || r?.persistence === false) delete rules.persistence;
  else if (r?.persistence != null) {
    const e = r.persistence;
    rules.persistence = {
      action: e.action ?? defaults.persistence.action,
      blocked: e.blocked ?? defaults.persistence.blocked,
      refusals: e.refusals ?? defaults.persistence.refusals,
    };
  }
  if (r?.duplicates === 'off' || r?.duplicates === false) delete rules.duplicates;
  else if (r?.duplicates != null) {
    const e = r.duplicates;
    rules.duplicates = {
      action: e.action ?? defaults.duplicates.action,
      similar: e.similar ?? defaults.duplicates.similar,
      of: e.of ?? defaults.duplicates.of,
      distance: e.distance ?? defaults.duplicates.distance,
    };
    if (rules.duplicates.similar >= rules.duplicates.of) {
      issues.push({ path: [...path, 'rules', 'duplicates', 'similar'], message: `must be below of (${rules.duplicates.of}): it counts earlier prompts among the last 'of'` });
    }
  }
  if (r?.anomaly === 'off' || r?.anomaly === false) delete rules.anomaly;
  else if (r?.anomaly != null) {
    const e = r.anomaly;
    rules.anomaly = {
      action: e.action ?? defaults.anomaly.action,
      factor: e.factor ?? defaults.anomaly.factor,
      minRequests: e.min_requests ?? defaults.anomaly.minRequests,
      minTokens: e.min_tokens ?? defaults.anomaly.minTokens,
      detections: e.detections ?? defaults.anomaly.detections,
    };
  }

  const extractionWindow = rules.extraction?.per === 'key' ? rules.extraction.windowMs : 0;
  if (extractionWindow > p.ttlMs) {
    issues.push({ path: [...path, 'ttl'], message: `must be at least the extraction window (${Math.round(extractionWindow / 1000)} s): state older than ttl is forgotten` });
  }
  return p;
}

export function buildUntrustedContent(raw: RawUntrustedContent | null | undefined): UntrustedContentPolicy {
  const u = defaultUntrustedContent();
  if (raw?.spotlight != null) u.spotlight = raw.spotlight === false ? 'off' : raw.spotlight;
  if (raw?.neutralize != null) u.neutralize = raw.neutralize;
  return u;
}

export function buildAlerts(raw: RawAlerts | null | undefined): AlertsConfig | undefined {
  if (raw == null) return undefined;
  return { webhook: raw.webhook, secret: raw.secret, timeoutMs: raw.timeout_ms ?? 5000, maxAttempts: raw.max_attempts ?? 6 };
}
