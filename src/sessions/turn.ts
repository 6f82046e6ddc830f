// A request's turns as the session records them. The current turn is what follows the last assistant
// message (the user's new message, or the tool results an agent sends back); the turns before it are
// in the history the client re-sent, already scanned with the rest of the request, and are recorded
// only when the session is new to the store. Scores come from the detection engine's findings, so
// a turn costs no detector work beyond the inspection the request gets anyway.

import type { PolicyConfig } from '../config/index.ts';
import type { SessionPolicy } from '../config/sessions.ts';
import type { Located } from '../enforce/inspect.ts';
import { rulesFor } from '../enforce/rules.ts';
import type { Action, Category, Exchange, Message } from '../exchange/types.ts';
import { strongerAction } from '../exchange/types.ts';
import { actionFor } from '../policy/decide.ts';
import { redactText } from '../redact/index.ts';
import { isRefusal } from './refusal.ts';
import { simhash } from './simhash.ts';
import type { TurnRecord } from './types.ts';

/** History turns sent along when a session is new: enough for any rule's look-back. */
export const MAX_HISTORY = 8;

export interface RequestTurns {
  current: TurnRecord;
  /** Earlier turns from the re-sent history, oldest first (at most MAX_HISTORY); none unless asked for. */
  history: TurnRecord[];
  /** Rough token count of the whole request (characters / 4), for the key's baseline. */
  tokens: number;
}

interface Group {
  messages: Message[];
  /** The assistant message this group answers. */
  before: Message | undefined;
}

function groupsOf(ex: Exchange): Group[] {
  const groups: Group[] = [];
  let current: Group | undefined;
  let assistant: Message | undefined;
  for (const m of ex.messages) {
    if (m.role === 'system') continue;
    if (m.role === 'assistant') {
      assistant = m;
      current = undefined;
      continue;
    }
    if (current === undefined) {
      current = { messages: [], before: assistant };
      groups.push(current);
    }
    current.messages.push(m);
  }
  return groups;
}

function textOf(m: Message): string {
  return m.parts.map((p) => p.text).join('\n');
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function isProbe(l: Located): boolean {
  const f = l.finding;
  if (f.category === 'leakage') return true;
  const rule = f.rule.split('@')[0] ?? '';
  return rule.startsWith('extraction.');
}

/** The turn's user text with every secret and personal value masked, cut to `chars`. */
function excerptOf(messages: readonly Message[], byUnit: Map<number, Located[]>, chars: number): string {
  if (chars <= 0) return '';
  const pieces: string[] = [];
  let length = 0;
  for (const m of messages) {
    if (m.trust !== 'user') continue;
    m.parts.forEach((part, p) => {
      if (length > chars) return;
      const sensitive = (byUnit.get(m.index) ?? []).filter((l) => l.part === p && (l.finding.category === 'secret' || l.finding.category === 'pii'));
      // A finding without a span came from a decoded view: nothing of that part can be shown.
      const text = sensitive.some((l) => !l.finding.span)
        ? '[REDACTED]'
        : redactText(
            part.text,
            sensitive.map((l) => ({ start: l.finding.span?.start ?? 0, end: l.finding.span?.end ?? 0, label: l.finding.rule })),
            'mask',
          );
      pieces.push(text);
      length += text.length + 1;
    });
  }
  const whole = pieces.join(' ').replace(/\s+/g, ' ').trim();
  return whole.length > chars ? `${whole.slice(0, chars)}…` : whole;
}

function recordOf(
  g: Group,
  byUnit: Map<number, Located[]>,
  policy: PolicyConfig,
  sessions: SessionPolicy,
  requestId: string,
  now: number,
  signed: boolean,
): TurnRecord {
  const scores: Partial<Record<Category, number>> = {};
  let action: Action = 'allow';
  let probe = false;
  for (const m of g.messages) {
    for (const l of byUnit.get(m.index) ?? []) {
      const f = l.finding;
      const s = Number.isNaN(f.score) ? 1 : f.score;
      if (s > (scores[f.category] ?? 0)) scores[f.category] = round3(s);
      action = strongerAction(action, actionFor(f, rulesFor(policy, l.scope)));
      // Only the caller's own words count as probing; a document asking is an injection, judged as such.
      if (m.trust === 'user' && isProbe(l)) probe = true;
    }
  }
  let risk = 0;
  for (const c of sessions.riskCategories) risk = Math.max(risk, scores[c] ?? 0);
  const userText = g.messages.filter((m) => m.trust === 'user').map(textOf).join('\n');
  return {
    at: now,
    req: requestId,
    risk,
    scores,
    action,
    probe,
    refusedBefore: g.before !== undefined && isRefusal(textOf(g.before)),
    sig: signed ? simhash(userText) : '',
    excerpt: excerptOf(g.messages, byUnit, sessions.excerptChars),
  };
}

export function turnsOf(
  ex: Exchange,
  located: readonly Located[],
  policy: PolicyConfig,
  sessions: SessionPolicy,
  now: number,
  withHistory = true,
): RequestTurns {
  const byUnit = new Map<number, Located[]>();
  for (const l of located) {
    if (l.scope === 'output') continue;
    const list = byUnit.get(l.unit);
    if (list) list.push(l);
    else byUnit.set(l.unit, [l]);
  }
  let chars = 0;
  for (const m of ex.messages) for (const p of m.parts) chars += p.text.length;
  const groups = groupsOf(ex);
  const last = groups[groups.length - 1] ?? { messages: [], before: undefined };
  const current = recordOf(last, byUnit, policy, sessions, ex.requestId, now, true);
  // Signatures serve the key's near-duplicate count, which only the new turn enters.
  const history = withHistory
    ? groups.slice(Math.max(0, groups.length - 1 - MAX_HISTORY), -1).map((g) => recordOf(g, byUnit, policy, sessions, '', now, false))
    : [];
  return { current, history, tokens: Math.ceil(chars / 4) };
}
