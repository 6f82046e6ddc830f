import { describe, expect, it } from 'vitest';
import { defaultSessionPolicy } from '../../src/config/sessions.ts';
import type { SessionPolicy } from '../../src/config/sessions.ts';
import { cumulativeRisk, evaluate, strongestAction } from '../../src/sessions/rules.ts';
import { newKey, newSession } from '../../src/sessions/state.ts';
import type { KeyState, SessionState, TurnRecord } from '../../src/sessions/types.ts';
import { turn } from './store-contract.ts';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);

function policy(over: (p: SessionPolicy) => void = () => {}): SessionPolicy {
  const p = defaultSessionPolicy('closed');
  over(p);
  return p;
}

/** A session whose recent turns are these, numbered up to `total`. */
function session(turns: Partial<TurnRecord>[], total = turns.length): SessionState {
  const s = newSession(NOW);
  s.recent = turns.map((t) => turn(t));
  s.turns = total;
  for (const t of s.recent) {
    if (t.action === 'block') s.blocked++;
    else if (t.action !== 'allow') s.flagged++;
    if (t.probe) s.probes++;
    if (t.refusedBefore) s.refusals++;
  }
  return s;
}

const risks = (...r: number[]): Partial<TurnRecord>[] => r.map((risk) => ({ risk, scores: { harmful: risk } }));
const key = (over: Partial<KeyState> = {}): KeyState => ({ ...newKey(NOW), ...over });

describe('escalation', () => {
  it('fires on a rising run that reaches the thresholds, naming its turns', () => {
    const f = evaluate(session(risks(0, 0.3, 0.3, 0.3, 0.6)), key(), policy(), NOW);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'escalation', action: 'interrupt', category: 'harmful', turns: [2, 3, 4, 5], score: 0.6 });
    expect(f[0]?.explanation).toMatch(/Risk rose over 4 consecutive turns \(turn 2: 0\.30, .*turn 5: 0\.60\); session risk 1\.06 ≥ 1\.00/);
  });

  it('numbers turns within the whole session when older turns were dropped', () => {
    const f = evaluate(session(risks(0.3, 0.4, 0.7), 40), key(), policy(), NOW);
    expect(f[0]?.turns).toEqual([38, 39, 40]);
  });

  it.each([
    ['a single spike', [0, 0, 0, 0.95]],
    ['a spike after a dip to nothing', [0.45, 0.48, 0, 0.48, 0.9]],
    ['a plateau without a climb', [0.5, 0.55, 0.6, 0.6]],
    ['risk falling back', [0.3, 0.6, 0.9, 0.4]],
    ['a rise that stays low', [0.2, 0.3, 0.4]],
    ['a run too short', [0.3, 0.9]],
  ])('does not fire on %s', (_name, r) => {
    expect(evaluate(session(risks(...r)), key(), policy(), NOW)).toEqual([]);
  });

  it('tolerates a small wobble inside the run', () => {
    const f = evaluate(session(risks(0.3, 0.45, 0.42, 0.7)), key(), policy(), NOW);
    expect(f[0]?.turns).toEqual([1, 2, 3, 4]);
  });

  it('follows the risk categories and thresholds of the policy', () => {
    const jail = session([0.3, 0.5, 0.8].map((r) => ({ risk: r, scores: { jailbreak: r } })));
    expect(evaluate(jail, key(), policy(), NOW)[0]).toMatchObject({ category: 'jailbreak', owasp: ['LLM01'] });
    const strict = policy((p) => {
      if (p.rules.escalation) p.rules.escalation.risk = 5;
    });
    expect(evaluate(jail, key(), strict, NOW)).toEqual([]);
    expect(cumulativeRisk(jail.recent, 0.5)).toBeCloseTo(0.3 * 0.25 + 0.5 * 0.5 + 0.8);
  });
});

describe('extraction', () => {
  it('counts probes in the session, firing on a probing turn only', () => {
    const s = session([{ probe: true }, { probe: true }, { probe: true }]);
    expect(evaluate(s, key(), policy(), NOW)[0]).toMatchObject({ rule: 'extraction', action: 'interrupt', category: 'leakage', owasp: ['LLM07'], turns: [1, 2, 3] });
    const calm = session([{ probe: true }, { probe: true }, { probe: true }, {}]);
    expect(evaluate(calm, key(), policy(), NOW)).toEqual([]);
    // A leaked system prompt in an answer counts as an attempt that worked.
    const leaked = session([{ probe: true }, { probe: true }]);
    leaked.outputIncidents = 1;
    expect(evaluate(leaked, key(), policy(), NOW)).toHaveLength(1);
  });

  it('counts probes of the whole key within its window when per: key', () => {
    const p = policy((x) => {
      x.rules.extraction = { action: 'revoke', attempts: 3, per: 'key', windowMs: 60_000 };
    });
    const s = session([{ probe: true }]);
    expect(evaluate(s, key({ probes: [NOW - 50_000, NOW - 10_000, NOW] }), p, NOW)[0]).toMatchObject({ action: 'revoke', turns: [1] });
    // One of them is too old.
    expect(evaluate(s, key({ probes: [NOW - 70_000, NOW - 10_000, NOW] }), p, NOW)).toEqual([]);
  });
});

describe('persistence', () => {
  it('fires when a session keeps going after blocks, or after refusals', () => {
    expect(evaluate(session([{ action: 'block' }, {}, { action: 'block' }, { action: 'block' }]), key(), policy(), NOW)[0]).toMatchObject({
      rule: 'persistence',
      turns: [1, 3, 4],
    });
    const refusals = session([{ refusedBefore: true }, { refusedBefore: true }, { refusedBefore: true }, { refusedBefore: true }]);
    expect(evaluate(refusals, key(), policy(), NOW)[0]?.explanation).toMatch(/refused 4 times/);
    // A benign turn after the blocks is not "trying again".
    expect(evaluate(session([{ action: 'block' }, { action: 'block' }, { action: 'block' }, {}]), key(), policy(), NOW)).toEqual([]);
  });
});

describe('duplicates', () => {
  it("counts near-duplicates of this prompt among the key's last prompts", () => {
    const p = policy((x) => {
      x.rules.duplicates = { action: 'throttle', similar: 3, of: 5, distance: 3 };
    });
    const s = session([{ sig: '0000000000000000' }]);
    const sigs = ['ffffffffffffffff', '0000000000000003', '0000000000000001', '0000000000000007', '0000000000000000'];
    // The last signature is this prompt's; three earlier ones are within 3 bits.
    expect(evaluate(s, key({ sigs }), p, NOW)[0]).toMatchObject({ rule: 'duplicates', action: 'throttle', category: 'consumption', turns: [1] });
    expect(evaluate(s, key({ sigs: sigs.slice(1) }), p, NOW)[0]?.explanation).toMatch(/^3 of this key's last 3 prompts/);
    expect(evaluate(s, key({ sigs: ['ffffffffffffffff', '0000000000000001', '00000000000000ff', '0000000000000000'] }), p, NOW)).toEqual([]);
  });
});

describe('anomaly', () => {
  const p = policy((x) => {
    x.rules.anomaly = { action: 'throttle', factor: 5, minRequests: 10, minTokens: 100_000, detections: 2 };
  });
  const flagged = session([{ action: 'flag' }]);

  it("fires on a burst against the key's own baseline, with detections", () => {
    expect(evaluate(flagged, key({ requests: 60, baseRequests: 10, detections: 2 }), p, NOW)[0]).toMatchObject({ rule: 'anomaly', action: 'throttle' });
    expect(evaluate(flagged, key({ tokens: 200_000, baseTokens: 1000, detections: 3 }), p, NOW)[0]?.explanation).toMatch(/200000 tokens this minute/);
  });

  it('does not fire within the baseline, without detections, or on a clean turn', () => {
    expect(evaluate(flagged, key({ requests: 40, baseRequests: 10, detections: 5 }), p, NOW)).toEqual([]);
    expect(evaluate(flagged, key({ requests: 9, detections: 5 }), p, NOW)).toEqual([]);
    expect(evaluate(flagged, key({ requests: 100, detections: 1 }), p, NOW)).toEqual([]);
    expect(evaluate(session([{}]), key({ requests: 100, detections: 5 }), p, NOW)).toEqual([]);
  });
});

describe('actions', () => {
  it('orders actions from flag to revoke', () => {
    const f = (action: 'flag' | 'alert' | 'block' | 'throttle' | 'interrupt' | 'revoke') => ({ rule: 'escalation' as const, action, category: 'harmful' as const, owasp: [], score: 1, turns: [], explanation: '' });
    expect(strongestAction([f('alert'), f('flag')])).toBe('alert');
    expect(strongestAction([f('throttle'), f('block')])).toBe('throttle');
    expect(strongestAction([f('interrupt'), f('throttle')])).toBe('interrupt');
    expect(strongestAction([f('interrupt'), f('revoke')])).toBe('revoke');
    expect(strongestAction([])).toBeUndefined();
  });

  it('runs no rule the policy switched off', () => {
    const p = policy((x) => {
      x.rules = {};
    });
    expect(evaluate(session([{ probe: true, action: 'block', risk: 0.9 }, { probe: true, action: 'block', risk: 0.95 }, { probe: true, action: 'block', risk: 1 }]), key(), p, NOW)).toEqual([]);
  });
});
