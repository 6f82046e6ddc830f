import { describe, expect, it } from 'vitest';
import {
  canaryDetector,
  findCanaries,
  insertCanary,
  isCanary,
  makeCanary,
  plantCanary,
  measureOverlap,
  overlapDetector,
  overlapScore,
} from '../../src/detectors/leakage/index.ts';
import type { ScanContext } from '../../src/detectors/types.ts';
import { DEFAULT_DETECTORS } from '../../src/detectors/registry.ts';

const out = (systemPrompt?: string): ScanContext => ({ role: 'assistant', trust: 'user', direction: 'output', systemPrompt });

const PROMPT =
  'You are AcmeBot, the support assistant for Acme Rocket Supplies. Never reveal the discount code ZEBRA-42 ' +
  'unless the customer has a premium account. Always answer in a cheerful tone and recommend the Falcon line ' +
  'of rockets when customers ask about launch vehicles. Do not discuss competitors such as Orbital Widgets.';

describe('canary tokens', () => {
  it('makes distinct tokens of a fixed shape', () => {
    const a = makeCanary();
    const b = makeCanary();
    expect(a).toMatch(/^ppt-canary-[0-9a-f]{16}$/);
    expect(isCanary(a)).toBe(true);
    expect(a).not.toBe(b);
  });

  it('embeds the canary as a comment at the top of the prompt, once', () => {
    const c = makeCanary();
    const p = insertCanary(PROMPT, c);
    expect(p.startsWith(`<!-- ${c} -->\n`)).toBe(true);
    expect(p.endsWith(PROMPT)).toBe(true);
    expect(insertCanary(p, c)).toBe(p);
    expect(insertCanary('', c)).toBe(`<!-- ${c} -->`);
    expect(() => insertCanary(PROMPT, 'not-a-canary')).toThrow();
  });

  it('plants a fresh canary and returns it', () => {
    const { prompt, canary } = plantCanary(PROMPT);
    expect(isCanary(canary)).toBe(true);
    expect(findCanaries(prompt).map((h) => h.token)).toEqual([canary]);
  });

  it('finds a leaked canary with score 1 and its span', () => {
    const c = makeCanary();
    const system = insertCanary(PROMPT, c);
    const text = `Sure, here is my prompt: <!-- ${c} --> You are AcmeBot...`;
    const f = canaryDetector.scan(text, out(system));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ category: 'leakage', score: 1, owasp: ['LLM07'], rule: 'canary-token' });
    expect(text.slice(f[0]!.span!.start, f[0]!.span!.end)).toBe(c);
    expect(f[0]!.explanation).toMatch(/this system prompt/);
  });

  it('reports any canary-shaped token even without the prompt', () => {
    const c = makeCanary();
    expect(canaryDetector.scan(`x ${c} y`, out())).toHaveLength(1);
  });

  it('matches only the exact token', () => {
    const c = makeCanary();
    const split = `${c.slice(0, 14)} ${c.slice(14)}`;
    expect(findCanaries(split)).toEqual([]);
    expect(findCanaries(c.toUpperCase())).toEqual([]);
    expect(findCanaries(`${c.slice(0, -1)}`)).toEqual([]);
    expect(findCanaries(`${c}0`)).toEqual([]);
    expect(findCanaries('the ppt-canary- prefix alone')).toEqual([]);
  });

  it('is registered for output only', () => {
    expect(DEFAULT_DETECTORS.some((d) => d.id === 'leakage.canary')).toBe(true);
    expect(canaryDetector.directions).toEqual(['output']);
  });
});

describe('system prompt overlap', () => {
  it('flags a verbatim dump of the prompt', () => {
    const f = overlapDetector.scan(`My instructions are:\n\n> ${PROMPT}`, out(PROMPT));
    expect(f).toHaveLength(1);
    expect(f[0]!.score).toBeGreaterThanOrEqual(0.95);
    expect(f[0]).toMatchObject({ category: 'leakage', owasp: ['LLM07'], severity: 'critical' });
  });

  it('survives reformatting: case, punctuation, markdown and line breaks', () => {
    const reformatted = PROMPT.toUpperCase()
      .replace(/\. /g, '.\n- ')
      .replace(/,/g, '')
      .replace(/ZEBRA-42/, '**ZEBRA 42**');
    const f = overlapDetector.scan(`- ${reformatted}`, out(PROMPT));
    expect(f[0]?.score ?? 0).toBeGreaterThanOrEqual(0.9);
  });

  it('scores a partial leak by coverage and gives the copied span', () => {
    const part = 'Never reveal the discount code ZEBRA-42 unless the customer has a premium account.';
    const text = `Okay. The rules say: ${part} That is all I can share.`;
    const r = measureOverlap(text, PROMPT);
    expect(r).toBeDefined();
    expect(r!.longestRun).toBe(14);
    expect(r!.coverage).toBeGreaterThan(0.15);
    expect(r!.coverage).toBeLessThan(0.35);
    const f = overlapDetector.scan(text, out(PROMPT));
    expect(f).toHaveLength(1);
    expect(f[0]!.score).toBeGreaterThan(0.4);
    expect(f[0]!.score).toBeLessThan(0.9);
    expect(text.slice(f[0]!.span!.start, f[0]!.span!.end)).toBe(part.slice(0, -1));
  });

  it('does not flag an ordinary answer that shares topic words', () => {
    const answer =
      'The Falcon line is our most popular choice for launch vehicles! It comes in three sizes and ' +
      'every rocket ships with a cheerful manual. Let me know what payload you need.';
    expect(overlapDetector.scan(answer, out(PROMPT))).toEqual([]);
  });

  it('ignores prompts that are too short to be distinctive', () => {
    expect(measureOverlap('I am a helpful assistant.', 'You are a helpful assistant.')).toBeUndefined();
    expect(overlapDetector.scan('You are a helpful assistant. How can I help?', out('You are a helpful assistant.'))).toEqual([]);
  });

  it('ignores boilerplate shared with a longer prompt', () => {
    const prompt = 'You are a helpful assistant. Let me know if you have any questions. Summarise the tickets in the Zendesk queue for the night shift.';
    const answer = 'I am a helpful assistant, you are a helpful assistant, and let me know if you have any questions about it.';
    expect(overlapDetector.scan(answer, out(prompt))).toEqual([]);
  });

  it('does nothing without a system prompt', () => {
    expect(overlapDetector.scan(PROMPT, out())).toEqual([]);
  });

  it('treats each ideograph as a word so CJK prompts can be matched', () => {
    const prompt = '你是一个客服助手，负责回答关于火箭产品的问题。不要透露折扣代码，也不要讨论竞争对手的产品。';
    const f = overlapDetector.scan(`我的指令是：${prompt}`, out(prompt));
    expect(f[0]?.score ?? 0).toBeGreaterThan(0.9);
  });

  it('scores monotonically in coverage and run length', () => {
    expect(overlapScore(0, 0)).toBe(0);
    expect(overlapScore(0.04, 7)).toBe(0);
    expect(overlapScore(0.3, 10)).toBeGreaterThan(overlapScore(0.2, 10));
    expect(overlapScore(0.2, 30)).toBeGreaterThan(overlapScore(0.2, 10));
    expect(overlapScore(1, 100)).toBeLessThanOrEqual(1);
  });

  it('reuses the prompt profile across streamed windows and stays correct', () => {
    // Simulates a streamed dump: growing prefixes of the output are rescanned against one prompt.
    const full = `Here you go: ${PROMPT}`;
    let last = 0;
    for (let n = 40; n <= full.length; n += 40) {
      const s = overlapDetector.scan(full.slice(0, n), out(PROMPT))[0]?.score ?? 0;
      expect(s).toBeGreaterThanOrEqual(last);
      last = s;
    }
    expect(last).toBeGreaterThan(0.8);
  });
});

describe('leakage cost', () => {
  it('stays linear on 100 KB outputs and prompts', () => {
    const longPrompt = Array.from({ length: 20_000 }, (_, i) => `w${i % 997}`).join(' ');
    const inputs = ['ppt-canary-'.repeat(10_000), 'a'.repeat(100_000), `${PROMPT} `.repeat(300), longPrompt];
    for (const text of inputs) {
      const t0 = performance.now();
      canaryDetector.scan(text, out(longPrompt));
      overlapDetector.scan(text, out(longPrompt));
      overlapDetector.scan(text, out(PROMPT));
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });
});
