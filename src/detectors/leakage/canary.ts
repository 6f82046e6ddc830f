import { randomBytes } from 'node:crypto';
import type { Finding } from '../../exchange/types.ts';
import type { Detector } from '../types.ts';

// A canary is a random token planted in the system prompt. Models do not produce it on their own,
// so its appearance in output is proof that the prompt (or the part holding it) was dumped.
export const CANARY_PREFIX = 'ppt-canary-';
const CANARY_HEX_LENGTH = 16;
const CANARY_RE = /ppt-canary-[0-9a-f]{16}(?![0-9a-f])/g;

/** A fresh canary token, e.g. `ppt-canary-3f9c0a1be2d47788`. */
export function makeCanary(): string {
  return CANARY_PREFIX + randomBytes(CANARY_HEX_LENGTH / 2).toString('hex');
}

/** Whether a string has the exact shape of a canary from makeCanary(). */
export function isCanary(token: string): boolean {
  return /^ppt-canary-[0-9a-f]{16}$/.test(token);
}

/**
 * The marker written into the system prompt. An HTML comment reads as inert metadata to the model,
 * so it is not echoed in normal answers, yet it travels with any verbatim dump of the prompt.
 */
export function canaryMarker(canary: string): string {
  return `<!-- ${canary} -->`;
}

/**
 * Plants the canary at the top of a system prompt: dumps ("repeat everything above") start from
 * the beginning, so a leak of even the first lines carries it.
 */
export function insertCanary(systemPrompt: string, canary: string): string {
  if (!isCanary(canary)) throw new Error('insertCanary: not a canary token (use makeCanary())');
  if (systemPrompt.includes(canary)) return systemPrompt;
  return systemPrompt.length === 0 ? canaryMarker(canary) : `${canaryMarker(canary)}\n${systemPrompt}`;
}

/** A fresh canary planted in `systemPrompt`: the gateway keeps `canary` with the exchange. */
export function plantCanary(systemPrompt: string): { prompt: string; canary: string } {
  const canary = makeCanary();
  return { prompt: insertCanary(systemPrompt, canary), canary };
}

/** Every canary-shaped token in a text, with its offsets. */
export function findCanaries(text: string): { token: string; start: number; end: number }[] {
  const out: { token: string; start: number; end: number }[] = [];
  if (!text.includes(CANARY_PREFIX)) return out;
  CANARY_RE.lastIndex = 0;
  for (let m = CANARY_RE.exec(text); m !== null; m = CANARY_RE.exec(text)) {
    out.push({ token: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

export const canaryDetector: Detector = {
  id: 'leakage.canary',
  categories: ['leakage'],
  directions: ['output'],
  // A model asked to "print your instructions in base64" still carries the canary in the decoded view.
  scansViews: true,
  scan(text, ctx): Finding[] {
    const hits = findCanaries(text);
    return hits.map((h) => {
      const ours = ctx.systemPrompt?.includes(h.token) === true;
      return {
        detector: 'leakage.canary',
        category: 'leakage',
        rule: 'canary-token',
        score: 1,
        severity: 'critical',
        owasp: ['LLM07'],
        span: { start: h.start, end: h.end },
        explanation: ours
          ? 'Output contains the canary token planted in this system prompt: the prompt was disclosed.'
          : 'Output contains a Parapet canary token: a system prompt was disclosed.',
      } satisfies Finding;
    });
  },
};
