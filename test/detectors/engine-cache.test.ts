import { describe, expect, it } from 'vitest';
import { DetectionEngine } from '../../src/detectors/engine.ts';
import type { Detector, ScanContext } from '../../src/detectors/types.ts';
import type { Finding } from '../../src/exchange/types.ts';

const user: ScanContext = { role: 'user', trust: 'user', direction: 'input' };
const long = (s: string): string => `${s} ${'lorem ipsum dolor sit amet '.repeat(12)}`;

/** Flags texts containing "ignore"; counts its calls, and throws while `failing` is set. */
function counting(): Detector & { calls: number; failing: boolean } {
  const d = {
    id: 'counting',
    categories: ['injection' as const],
    directions: ['input' as const, 'output' as const],
    scansViews: false,
    calls: 0,
    failing: false,
    scan(text: string, ctx: ScanContext): Finding[] {
      d.calls++;
      if (d.failing) throw new Error('detector down');
      const at = text.indexOf('ignore');
      if (at < 0) return [];
      const score = ctx.systemPrompt?.includes('strict') === true ? 0.9 : 0.6;
      return [{ detector: 'counting', category: 'injection', rule: 'ignore', score, severity: 'medium', owasp: ['LLM01'], span: { start: at, end: at + 6 }, explanation: 'x' }];
    },
  };
  return d;
}

describe('detection engine: the input scan cache', () => {
  it('answers a re-sent input text from memory with the same findings, and callers cannot corrupt it', () => {
    const d = counting();
    const engine = new DetectionEngine({ detectors: [d] });
    const text = long('please ignore this');
    const first = engine.scanText(text, user);
    (first.findings[0] as Finding).score = 0;
    const again = engine.scanText(text, user);
    expect(d.calls).toBe(1);
    expect(again.findings).toHaveLength(1);
    expect(again.findings[0]).toMatchObject({ rule: 'ignore', score: 0.6, span: { start: 7, end: 13 } });
  });

  it('keys on the system prompt, the role and trust, and the policy\u2019s disabled detectors', () => {
    const d = counting();
    const engine = new DetectionEngine({ detectors: [d] });
    const text = long('ignore');
    expect(engine.scanText(text, { ...user, systemPrompt: 'be strict' }).findings[0]?.score).toBe(0.9);
    expect(engine.scanText(text, { ...user, systemPrompt: 'be kind' }).findings[0]?.score).toBe(0.6);
    expect(engine.scanText(text, { role: 'tool', trust: 'untrusted', direction: 'input' }).findings).toHaveLength(1);
    expect(d.calls).toBe(3);
    expect(engine.scanText(text, user, new Set(['counting'])).findings).toEqual([]);
    expect(d.calls).toBe(3);
    expect(engine.scanText(text, user).findings).toHaveLength(1);
    expect(d.calls).toBe(4);
  });

  it('never remembers a scan in which a detector failed', () => {
    const d = counting();
    const engine = new DetectionEngine({ detectors: [d] });
    const text = long('ignore');
    d.failing = true;
    expect(engine.scanText(text, user).failures).toHaveLength(1);
    d.failing = false;
    expect(engine.scanText(text, user).findings).toHaveLength(1);
    expect(d.calls).toBe(2);
  });

  it('leaves output and short texts alone, and keeps at most cacheEntries texts', () => {
    const d = counting();
    const engine = new DetectionEngine({ detectors: [d], cacheEntries: 2 });
    const answer = long('ignore');
    engine.scanText(answer, { role: 'assistant', trust: 'user', direction: 'output' });
    engine.scanText(answer, { role: 'assistant', trust: 'user', direction: 'output' });
    engine.scanText('ignore me', user);
    engine.scanText('ignore me', user);
    expect(d.calls).toBe(4);
    const [a, b, c] = [long('a'), long('b'), long('c')];
    for (const t of [a, b, c]) engine.scanText(t, user);
    expect(d.calls).toBe(7);
    engine.scanText(c, user);
    engine.scanText(b, user);
    expect(d.calls).toBe(7);
    engine.scanText(a, user);
    expect(d.calls).toBe(8);
  });
});
