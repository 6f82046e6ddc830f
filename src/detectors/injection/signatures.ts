// Shared machinery for the phrase-signature detectors (injection, jailbreak, harmful).
//
// A rule set is a list of precompiled regexes over the lower-cased text. Running dozens of regexes
// over every prompt would cost far more than the gateway can spend, so each rule names a few
// lower-case trigger literals; one combined trigger pass finds which of them occur, and only the
// rules whose triggers were seen run at all. Ordinary prompts usually stop after that single pass.
import type { Category, Finding, OwaspId, Severity } from '../../exchange/types.ts';
import type { ScanContext } from '../types.ts';
import { anyCue, factsOf, MAX_TRIGGER, registerLiterals, registerTriggers } from '../normalize/facts.ts';
import { sortSmall } from '../normalize/sort.ts';
import { splitRule } from './branches.ts';

export interface SignatureRule {
  /** Rule id reported in findings, e.g. "override.ignore-previous". */
  readonly id: string;
  /** Lower-case literals; the rule runs only when the trigger pass saw at least one. */
  readonly triggers: readonly string[];
  /** More triggers (ASCII), each counting only where no letter or digit follows it ("mode", not "model"). */
  readonly endTriggers?: readonly string[];
  /**
   * Groups of lower-case literals the regex cannot match without: the rule runs only when, besides
   * a trigger, one literal of every group occurs. Precision for rules whose triggers are common words.
   */
  readonly requires?: readonly (readonly string[])[];
  /** Global regex, matched against the lower-cased text (or the raw text when caseSensitive). */
  readonly re: RegExp;
  /** Score for text from the user (or the operator). */
  readonly score: number;
  /** Score when the text is third-party content (documents, tool results); defaults to `score`. */
  readonly untrusted?: number;
  /** The rule only means something inside third-party content. */
  readonly untrustedOnly?: boolean;
  /** Context precondition checked before the regex runs (e.g. "the system prompt guards a secret"). */
  readonly applies?: (ctx: ScanContext) => boolean;
  /** Match the raw text: the casing itself is the signal (e.g. the acronym "DAN"). */
  readonly caseSensitive?: boolean;
  /** Mentions quoted inside text that discusses attacks are discounted (default true). */
  readonly quotable?: boolean;
  /** Negated or third-person phrasing ("never ignore…", "if someone asks you to…") is discounted. */
  readonly negatable?: boolean;
  readonly owasp?: readonly OwaspId[];
  readonly severity?: Severity;
  readonly explanation: string;
  /**
   * The regex can only match within the last this many characters (it is anchored at the end):
   * the search starts there instead of at the beginning of the text.
   */
  readonly fromEnd?: number;
  /** Multiplier for one match, for checks a regex cannot express cheaply. 0 drops the match. */
  readonly adjust?: (lower: string, start: number, end: number, ctx: ScanContext) => number;
}

export interface Hit {
  rule: SignatureRule;
  start: number;
  end: number;
  score: number;
}

export interface RuleSet {
  readonly rules: readonly SignatureRule[];
  /** Trigger literal → indices of the rules it enables. */
  readonly byLiteral: ReadonlyMap<string, readonly number[]>;
  /** Trigger literal id (see facts.ts) → indices of the rules it enables (sparse). */
  readonly byId: readonly (readonly number[] | undefined)[];
  /** Rules without triggers (context-gated or cheap): they always run. */
  readonly always: readonly number[];
  /** Per rule, one literal-id mask per `requires` group. */
  readonly requires: readonly (readonly Uint8Array[] | undefined)[];
  readonly anyRequires: boolean;
  /** Scratch marks, one per rule, all zero between calls. */
  readonly marks: Uint8Array;
  /** Per rule, its regex split into literal-keyed branches (see branches.ts); undefined: runs whole. */
  readonly branches: readonly (SplitRule | undefined)[];
}

export interface SplitRule {
  /** Each branch runs only when its literal (id from facts.ts) occurs; id undefined: always. */
  readonly branches: readonly { readonly id: number | undefined; readonly re: RegExp }[];
  /** The whole regex, sticky: which match one search would report at a given position. */
  readonly sticky: RegExp;
}

export interface CompileOptions {
  /** Split regexes into literal-keyed branches (default true; false is the reference in tests). */
  readonly split?: boolean;
}

const MAX_MATCHES_PER_RULE = 6;

/** Validates a list of rules and registers its trigger literals (once, at module load). */
export function compileRules(rules: readonly SignatureRule[], opts: CompileOptions = {}): RuleSet {
  const byLiteral = new Map<string, number[]>();
  const always: number[] = [];
  const byId: (number[] | undefined)[] = [];
  const add = (id: number, i: number): void => {
    while (byId.length <= id) byId.push(undefined);
    const list = (byId[id] ??= []);
    if (!list.includes(i)) list.push(i);
  };
  const requires: (Uint8Array[] | undefined)[] = [];
  rules.forEach((r, i) => {
    if (!r.re.global) throw new Error(`rule ${r.id}: regex must be global`);
    if (r.triggers.length === 0 && !r.endTriggers?.length) always.push(i);
    for (const t of r.endTriggers ?? []) {
      if (t !== t.toLowerCase() || t.length === 0) throw new Error(`rule ${r.id}: trigger "${t}" must be non-empty lower case`);
      for (const id of registerTriggers([t], { word: 'end' })) add(id, i);
    }
    requires.push(
      r.requires?.map((group) => {
        const ids = [...registerLiterals(group).values()];
        const mask = new Uint8Array(Math.max(0, ...ids) + 1);
        for (const id of ids) mask[id] = 1;
        return mask;
      }),
    );
    for (const full of r.triggers) {
      if (full !== full.toLowerCase() || full.length === 0) throw new Error(`rule ${r.id}: trigger "${full}" must be non-empty lower case`);
      const t = full.slice(0, MAX_TRIGGER);
      const list = byLiteral.get(t) ?? [];
      if (!list.includes(i)) list.push(i);
      byLiteral.set(t, list);
    }
  });
  const ids = registerLiterals(byLiteral.keys());
  for (const [lit, idx] of byLiteral) {
    const id = ids.get(lit);
    if (id !== undefined) for (const i of idx) add(id, i);
  }
  const branches = rules.map((r): SplitRule | undefined => {
    if (opts.split === false || r.fromEnd !== undefined) return undefined;
    const parts = splitRule(r.re, r.triggers.map((t) => t.slice(0, MAX_TRIGGER)), MAX_TRIGGER);
    if (!parts) return undefined;
    return {
      // Literals of the rule's own triggers are registered already; other keys are registered here.
      branches: parts.map((b) => ({ id: b.literal === undefined ? undefined : (ids.get(b.literal) ?? registerTriggers([b.literal])[0]), re: b.re })),
      sticky: new RegExp(r.re.source, `${r.re.flags.replace('g', '')}y`),
    };
  });
  return { rules, byLiteral, byId, always, requires, anyRequires: requires.some((r) => r !== undefined), marks: new Uint8Array(rules.length), branches };
}

/** Third-party content: retrieved documents, tool results, web pages. */
export function isThirdParty(ctx: ScanContext): boolean {
  return ctx.trust === 'untrusted' || ctx.role === 'tool';
}

/** The trigger literals (of every registered rule set) present in the text. */
export function triggersIn(text: string): ReadonlySet<string> {
  return factsOf(text).found;
}

/** The rules whose triggers (and required literals) occur, plus those that always run, in rule order. */
function selectRules(set: RuleSet, ids: readonly number[]): readonly number[] {
  const { marks, byId } = set;
  let picked: number[] | undefined;
  for (const id of ids) {
    const idx = byId[id];
    if (idx === undefined) continue;
    picked ??= [];
    for (const i of idx) {
      if (marks[i] === 0) {
        marks[i] = 1;
        picked.push(i);
      }
    }
  }
  if (!picked) return set.anyRequires ? withRequired(set, set.always, ids) : set.always;
  for (const i of picked) marks[i] = 0;
  for (const i of set.always) if (!picked.includes(i)) picked.push(i);
  // Rule order is preserved so findings come out in a stable order.
  sortSmall(picked);
  return set.anyRequires ? withRequired(set, picked, ids) : picked;
}

/** The rules of `list` whose `requires` groups all have a literal in `ids`. */
function withRequired(set: RuleSet, list: readonly number[], ids: readonly number[]): readonly number[] {
  let out: number[] | undefined;
  for (let k = 0; k < list.length; k++) {
    const groups = set.requires[list[k]!];
    let ok = true;
    if (groups) for (const mask of groups) if (!anyCue(ids, mask)) ok = false;
    if (ok) out?.push(list[k]!);
    // A literal the rule's regex needs is missing: it cannot match.
    else out ??= list.slice(0, k);
  }
  return out ?? list;
}

/** Runs a rule set; returns the best match of every rule that fired. */
export function runRules(set: RuleSet, text: string, ctx: ScanContext): Hit[] {
  const hits: Hit[] = [];
  const facts = factsOf(text);
  const selected = selectRules(set, facts.ids);
  if (selected.length === 0) return hits;
  const thirdParty = isThirdParty(ctx);
  let lower = '';
  let aligned = true;
  for (const i of selected) {
    const rule = set.rules[i];
    if (!rule) continue;
    if (rule.untrustedOnly && !thirdParty) continue;
    if (rule.applies && !rule.applies(ctx)) continue;
    if (lower.length === 0) {
      lower = facts.lower;
      // Offsets in the lower-cased copy equal raw offsets unless lower-casing changed the length
      // (a handful of characters such as U+0130 do); spans are dropped in that case.
      aligned = lower.length === text.length;
    }
    const subject = rule.caseSensitive ? text : lower;
    const base = thirdParty ? (rule.untrusted ?? rule.score) : rule.score;
    const split = set.branches[i];
    let best: Hit | undefined;
    if (split) best = bestOfBranches(rule, split, facts.ids, subject, lower, base, ctx);
    else best = bestMatch(rule, rule.re, rule.fromEnd === undefined ? 0 : Math.max(0, subject.length - rule.fromEnd), subject, lower, base, ctx);
    if (best) hits.push(aligned || rule.caseSensitive ? best : { ...best, start: -1, end: -1 });
  }
  return hits;
}

/** The best-scoring of the first MAX_MATCHES_PER_RULE matches of `re` in `subject` from `from`. */
function bestMatch(rule: SignatureRule, re: RegExp, from: number, subject: string, lower: string, base: number, ctx: ScanContext): Hit | undefined {
  re.lastIndex = from;
  let best: Hit | undefined;
  let n = 0;
  for (let m = re.exec(subject); m !== null; m = re.exec(subject)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const start = m.index;
    const end = start + m[0].length;
    const score = scoreMatch(rule, base, lower, start, end, ctx);
    if (score > 0 && (!best || score > best.score)) best = { rule, start, end, score };
    if (++n >= MAX_MATCHES_PER_RULE) break;
  }
  return best;
}

function scoreMatch(rule: SignatureRule, base: number, lower: string, start: number, end: number, ctx: ScanContext): number {
  let score = base;
  if (rule.adjust) score *= rule.adjust(lower, start, end, ctx);
  if (score > 0 && rule.negatable) score *= negationFactor(lower, start);
  if (score > 0 && rule.quotable !== false) score *= quotedMentionFactor(lower, start, end);
  return score;
}

/**
 * The same answer as bestMatch on the whole regex, from the branches whose literal occurred: the
 * leftmost match of any branch is where the whole regex matches next, and the whole regex, sticky at
 * that position, says which match it is (its alternatives' order decides, as in one search).
 */
function bestOfBranches(rule: SignatureRule, split: SplitRule, ids: readonly number[], subject: string, lower: string, base: number, ctx: ScanContext): Hit | undefined {
  // Scratch lists shared by every call (scans are synchronous and scoring runs no rule set).
  const active = activeScratch;
  const next = nextScratch;
  active.length = 0;
  next.length = 0;
  for (const b of split.branches) {
    if (b.id !== undefined && !ids.includes(b.id)) continue;
    active.push(b.re);
    next.push(nextStart(b.re, subject, 0));
  }
  let best: Hit | undefined;
  let n = 0;
  while (n < MAX_MATCHES_PER_RULE) {
    let start = Number.POSITIVE_INFINITY;
    for (const s of next) if (s < start) start = s;
    if (start === Number.POSITIVE_INFINITY) break;
    split.sticky.lastIndex = start;
    const m = split.sticky.exec(subject);
    let pos = start + 1;
    if (m !== null && m[0].length > 0) {
      const end = start + m[0].length;
      const score = scoreMatch(rule, base, lower, start, end, ctx);
      if (score > 0 && (!best || score > best.score)) best = { rule, start, end, score };
      n++;
      pos = end;
    }
    for (let k = 0; k < next.length; k++) if ((next[k] as number) < pos) next[k] = nextStart(active[k] as RegExp, subject, pos);
  }
  return best;
}

const activeScratch: RegExp[] = [];
const nextScratch: number[] = [];

/** Start of the first non-empty match of global `re` at or after `from` (Infinity if none). */
function nextStart(re: RegExp, subject: string, from: number): number {
  re.lastIndex = from;
  for (let m = re.exec(subject); m !== null; m = re.exec(subject)) {
    if (m[0].length > 0) return m.index;
    re.lastIndex++;
  }
  return Number.POSITIVE_INFINITY;
}

// Words that mark text *about* attacks (security docs, detector code, red-team notes). A bare
// "example" is left out: "example.com" sits inside many real injected payloads.
const DISCUSSION =
  /\b(?:attack|attacker|attacks|injection|injections|injected|inject|jailbreak|jailbreaks|jailbreaking|malicious|payload|payloads|examples|for example|e\.g\.|such as|patterns?|detect|detection|detector|classifier|red[- ]team|adversarial|phrases? like|for instance|test cases?|dangerous|suspicious|mitigat\w*|defen[cs]e)\b/;
// Quote styles, each counted on its own so nesting (`"…"`) does not cancel out. A straight single
// quote is also an apostrophe ("don't"), so it opens only after a non-letter and closes only before
// one.
const QUOTE_STYLES: readonly (readonly [string, string])[] = [
  ['"', '"'],
  ['`', '`'],
  ['\u201C', '\u201D'],
  ['\u2018', '\u2019'],
  ["'", "'"],
  ['\u00AB', '\u00BB'],
  ['\u300C', '\u300D'],
];
const WORD_CHAR = /[\p{L}\p{N}]/u;

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/** Whether the straight single quote at s[i] can open (opener) or close (!opener) a quotation. */
function singleQuoteCan(s: string, i: number, opener: boolean): boolean {
  const neighbour = opener ? s[i - 1] : s[i + 1];
  return neighbour === undefined || !WORD_CHAR.test(neighbour);
}

/** Offset of the straight single quote that opens a quotation still open at the end of `before`, or -1. */
function openSingleQuote(before: string): number {
  let open = -1;
  for (let i = before.indexOf("'"); i >= 0; i = before.indexOf("'", i + 1)) {
    if (singleQuoteCan(before, i, true)) open = i;
    else if (open >= 0 && singleQuoteCan(before, i, false)) open = -1;
  }
  return open;
}

/**
 * The quotation around a cue: offsets in `before` where it opens and in `after` where it closes, or
 * undefined when the cue is not quoted.
 */
function enclosingQuote(before: string, after: string): { open: number; close: number } | undefined {
  for (const [open, close] of QUOTE_STYLES) {
    if (open === "'") {
      const at = openSingleQuote(before);
      if (at < 0) continue;
      for (let j = after.indexOf("'"); j >= 0; j = after.indexOf("'", j + 1)) if (singleQuoteCan(after, j, false)) return { open: at, close: j };
      continue;
    }
    const depth = open === close ? count(before, open) % 2 : count(before, open) - count(before, close);
    const closeAt = after.indexOf(close);
    if (depth > 0 && closeAt >= 0) return { open: before.lastIndexOf(open), close: closeAt };
  }
  return undefined;
}

// Words around a quotation that present it as something said or written, or ask about it ("a
// customer typed '…' into our bot — why?", "a regex that matches '…'"): read outside the quote only,
// since an attack may well contain "explain" itself. Carriers ("this e-mail", "the review") are left
// out: a quote handed over as material to work on ("an e-mail based on this resume: '…'") is where
// an indirect injection travels.
const ABOUT_THE_QUOTE =
  /\b(?:typed|typing|wrote|writes|said|says|saying|posted|phrase|phrases|string|strings|wording|contain|contains|containing|mean|means|meaning|refer|refers|why|explain|regex|match|matches|risky)\b/;
const ABOUT_REACH = 150;
// …unless those words then tell the model to act on it.
const ACT_ON_IT = /\b(?:do (?:it|that|this|so|what it says)|follow (?:it|that|this|them|those)|obey|comply|execute (?:it|that|this)|act on (?:it|that|this)|then do|now do|carry (?:it|that|this) out)\b/;

/**
 * A phrase quoted inside text that discusses attacks ("e.g. `ignore previous instructions`") or that
 * reports or asks about it ("someone typed 'ignore all previous instructions' — why?") is a mention,
 * not a use. Attackers can quote too, so this only lowers the score, never removes it.
 */
export function quotedMentionFactor(lower: string, start: number, end: number): number {
  const lineStart = Math.max(lower.lastIndexOf('\n', start - 1) + 1, start - 300);
  let lineEnd = lower.indexOf('\n', end);
  if (lineEnd < 0 || lineEnd > end + 300) lineEnd = Math.min(lower.length, end + 300);
  const before = lower.slice(lineStart, start);
  const after = lower.slice(end, lineEnd);
  const q = enclosingQuote(before, after);
  if (q === undefined && !/^\s*#/.test(before)) return 1;
  const window = lower.slice(Math.max(0, start - 500), Math.min(lower.length, end + 300));
  if (DISCUSSION.test(window)) return 0.35;
  if (q === undefined) return 1;
  const openAt = lineStart + q.open;
  const closeAt = end + q.close + 1;
  // "…: '…'" hands the quote over as material, whatever the words around it.
  if (/:\s*$/.test(lower.slice(Math.max(0, openAt - 4), openAt))) return 1;
  // Near the quote only: a long jailbreak's prose around a quoted name says "explain" somewhere.
  const outside = `${lower.slice(Math.max(0, openAt - ABOUT_REACH), openAt)} ${lower.slice(closeAt, closeAt + ABOUT_REACH)}`;
  return ABOUT_THE_QUOTE.test(outside) && !ACT_ON_IT.test(outside) ? 0.45 : 1;
}

// Text about attacks — security guidance, threat models, detector documentation — names the
// techniques without addressing the model. Several such markers with little second-person
// address around a cue halve its score.
const META_DISCUSSION =
  /\b(?:attack(?:er)?s?\s+(?:pattern|vector|technique|surface)s?|attackers?|mitigations?|mitigat(?:e|es|ing)|vulnerabilit(?:y|ies)|countermeasures?|red[- ]team\w*|threat model\w*|cheat ?sheet|security (?:controls?|teams?|researchers?|guidance|best practices)|prompt injection|adversarial (?:prompts?|attacks?|inputs?)|owasp|cve-\d+|mitre|defen[cs]e[- ]in[- ]depth|guardrails?|input validation|sanitiz\w+|jailbreaking|safety (?:measures|controls|filters)|exfiltration|extraction attacks?|leakage|llms?|language models)\b/g;
const SECOND_PERSON = /\b(?:you|your|you're|yourself)\b/g;

/** Discount of a passage that discusses attacks rather than performing one. */
function passageFactor(passage: string): number {
  // Inflections of one marker ("mitigate", "mitigation") count once.
  const kinds = new Set((passage.match(META_DISCUSSION) ?? []).map((m) => m.slice(0, 6)));
  if (kinds.size < 2) return 1;
  const words = Math.max(1, passage.length / 6);
  const you = passage.match(SECOND_PERSON)?.length ?? 0;
  return you / words < 0.03 || kinds.size >= 4 ? 0.45 : 1;
}

/**
 * How far either side of a cue the discussion markers are read. The whole text was read once, and an
 * attacker could put a paragraph of security writing before an injection to have it discounted:
 * `npm run eval`, "Padded attacks" (short attacks behind ~1 KB of documentation, OWASP cheat-sheet
 * passages among it), signatures alone: injections 356 → 324 of 445 with the whole text read, → 351
 * at 300 characters either side. Other reaches, on the same kind of padded rows in a throwaway run:
 * 600 lost 23 of 356, 400 lost 7, 200 lost 1 but flagged 4 more hard negatives (security writing
 * quoting attacks a few lines from its markers); 300 flags no more hard negatives as injection or
 * jailbreak than the whole-text reading did (two more reach harmful ≥ 0.5, which the default policy
 * flags).
 */
const DISCUSSION_REACH = 300;

/**
 * Discount for a cue at lower[start, end) in text that discusses attacks rather than performing one,
 * judged on the cue's own surroundings; a cue without a span (start < 0) on the whole text.
 */
export function discussionFactor(lower: string, start: number, end: number): number {
  if (start < 0) return passageFactor(lower);
  return passageFactor(lower.slice(Math.max(0, start - DISCUSSION_REACH), Math.min(lower.length, end + DISCUSSION_REACH)));
}

// "never ignore …", "if a user asks you to ignore …", "attempts to reveal …", "phrases such as
// ignore …": the phrase is described or forbidden, not issued. Only the words right before the
// match are examined.
const NEGATION_BEFORE = /\b(?:never|not|don't|dont|do not|must not|mustn't|should not|shouldn't|won't|will not|cannot|can't|refuse to|refusing to)\s+(?:ever\s+)?(?:\w+\s+)?$/;
const MENTION_BEFORE = /\b(?:such as|like|e\.g\.|i\.e\.|for example|phrases?|strings?|keywords?)[\s:,"'`]*$/;
const REQUEST_BEFORE =
  /\b(?:asks?|asked|asking|tells?|told|telling|tries|tried|trying|try|attempts?|attempting|attempted|wants?|wanted|instructions?|requests?|requesting|commands?|seeks?|designed|meant|aims?|used|asking)\s+(?:\w+\s+){0,2}?to\s+$/;
const FIRST_PERSON = /\b(?:i|i'm|im|i am|we|we're|please)\b/;
const THIRD_PERSON = /\b(?:if|when|whenever|should|any|attempts?|tries)\b|\b(?:user|users|someone|anyone|somebody|people|they|he|she|input|document|content|attacker|message)s?\b/;

export function negationFactor(lower: string, start: number): number {
  const before = lower.slice(Math.max(0, start - 60), start);
  if (NEGATION_BEFORE.test(before) || MENTION_BEFORE.test(before)) return 0.3;
  if (REQUEST_BEFORE.test(before)) {
    // "I want you to ignore …" is the attack itself; "if a user asks you to ignore …" is policy.
    return FIRST_PERSON.test(before) && !THIRD_PERSON.test(before) ? 1 : 0.3;
  }
  return 1;
}

/**
 * Combines independent cues: the strongest counts fully, each further cue with damping, so several
 * weak signals add up while one strong signal stands on its own.
 */
export function combineScores(scores: readonly number[], damping = 0.6): number {
  const sorted = [...scores].sort((a, b) => b - a);
  let rest = 1;
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i] ?? 0;
    rest *= 1 - (i === 0 ? s : s * damping);
  }
  return 1 - rest;
}

export function severityFor(score: number): Severity {
  if (score >= 0.85) return 'high';
  if (score >= 0.6) return 'medium';
  return 'low';
}

export interface FindingOptions {
  detector: string;
  category: Category;
  owasp: readonly OwaspId[];
  /** Findings below this score are not reported (they still count towards the combination). */
  minScore?: number;
  damping?: number;
  /** Noun for the combined finding's explanation, e.g. "prompt-injection". */
  label: string;
  /**
   * The scanned text, lower-cased: each cue is discounted when its surroundings in it discuss attacks
   * rather than perform one (discussionFactor). Left out, no cue is discounted.
   */
  discussion?: string;
}

/**
 * Turns hits into findings: one per rule (strongest match), plus a "combined" finding when several
 * cues together are stronger than the best one alone.
 */
export function hitsToFindings(hits: readonly Hit[], opts: FindingOptions): Finding[] {
  if (hits.length === 0) return [];
  const min = opts.minScore ?? 0.3;
  const out: Finding[] = [];
  const lower = opts.discussion;
  const scales = hits.map((h) => (lower === undefined ? 1 : discussionFactor(lower, h.start, h.end)));
  const scaled = hits.map((h, k) => h.score * (scales[k] as number));
  let top = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = -1;
  for (let k = 0; k < hits.length; k++) {
    const h = hits[k] as Hit;
    const score = scaled[k] as number;
    if (score > top) top = score;
    if (h.start >= 0) {
      if (h.start < lo) lo = h.start;
      if (h.end > hi) hi = h.end;
    }
    if (score < min) continue;
    out.push({
      detector: opts.detector,
      category: opts.category,
      rule: h.rule.id,
      score: round(score),
      severity: h.rule.severity ?? severityFor(score),
      owasp: [...(h.rule.owasp ?? opts.owasp)],
      span: h.start >= 0 ? { start: h.start, end: h.end } : undefined,
      explanation: h.rule.explanation,
    });
  }
  if (hits.length > 1) {
    // The pooled evidence takes the discount of its least discounted cue: as a whole-text discount
    // did when every cue had the same one, and one cue outside a discussion keeps its full weight.
    const combined = combineScores(
      hits.map((h) => h.score),
      opts.damping,
    ) * Math.max(...scales);
    if (combined >= min && combined > top + 0.03) {
      const owasp = new Set<OwaspId>(opts.owasp);
      for (const h of hits) for (const o of h.rule.owasp ?? []) owasp.add(o);
      out.push({
        detector: opts.detector,
        category: opts.category,
        rule: 'combined',
        score: round(combined),
        severity: severityFor(combined),
        owasp: [...owasp],
        span: hi >= 0 ? { start: lo, end: hi } : undefined,
        explanation: `${hits.length} ${opts.label} cues together (${hits
          .slice(0, 5)
          .map((h) => h.rule.id)
          .join(', ')}${hits.length > 5 ? ', …' : ''}).`,
      });
    }
  }
  return out;
}

/** Highest score among findings (0 when none). */
interface MemoEntry {
  text: string;
  role: ScanContext['role'];
  trust: ScanContext['trust'];
  system: string | undefined;
  findings: Finding[];
}

/**
 * The findings of one signature detector for the last few (text, context) pairs. The normaliser
 * probes a text and its decoded views with the injection and jailbreak signatures, then the engine
 * runs the same detectors over the same strings: the second run reuses the first. Only the context
 * fields the signature detectors read (role, trust, system prompt) take part in the key. Callers
 * get copies, so they may change what they receive.
 */
export class FindingsMemo {
  private readonly entries: (MemoEntry | undefined)[];
  /** Slot the next entry goes to (the oldest is replaced first). */
  private next = 0;

  constructor(size = 8) {
    this.entries = new Array<MemoEntry | undefined>(size).fill(undefined);
  }

  get(text: string, ctx: ScanContext, compute: (text: string, ctx: ScanContext) => Finding[]): Finding[] {
    for (const e of this.entries) {
      if (e !== undefined && e.text === text && e.role === ctx.role && e.trust === ctx.trust && e.system === ctx.systemPrompt) return e.findings.map(copyFinding);
    }
    const findings = compute(text, ctx);
    this.entries[this.next] = { text, role: ctx.role, trust: ctx.trust, system: ctx.systemPrompt, findings: findings.map(copyFinding) };
    this.next = (this.next + 1) % this.entries.length;
    return findings;
  }
}

function copyFinding(f: Finding): Finding {
  const c: Finding = { ...f, owasp: [...f.owasp] };
  if (f.span) c.span = { ...f.span };
  return c;
}

export function maxScore(findings: readonly Finding[]): number {
  let m = 0;
  for (const f of findings) if (f.score > m) m = f.score;
  return m;
}

function round(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}

/** `[^.!?\n]{0,n}`: a bounded gap that stays inside one sentence. */
export function gap(n: number): string {
  return `[^.!?\\n]{0,${n}}`;
}
