import { describe, expect, it } from 'vitest';
import { builtinPolicy, parseConfig } from '../../src/config/index.ts';
import type { CategoryRules } from '../../src/config/index.ts';
import type { Category, Decision, Finding } from '../../src/exchange/types.ts';
import { actionFor, decide, mergeDecisions } from '../../src/policy/index.ts';

function finding(category: Category, score: number, detector = `${category}-detector`): Finding {
  return {
    detector,
    category,
    rule: `${category}.test`,
    score,
    severity: 'high',
    owasp: ['LLM01'],
    explanation: `test finding for ${category}`,
  };
}

const policy = builtinPolicy();

describe('decide thresholds', () => {
  const rules: CategoryRules = { injection: { block: 0.9, redact: 0.7, flag: 0.5 } };

  it('maps a score to the strongest threshold it reaches', () => {
    expect(decide([finding('injection', 0.97)], rules, 'input').action).toBe('block');
    expect(decide([finding('injection', 0.8)], rules, 'input').action).toBe('redact');
    expect(decide([finding('injection', 0.6)], rules, 'input').action).toBe('flag');
    expect(decide([finding('injection', 0.3)], rules, 'input').action).toBe('allow');
  });

  it('applies a threshold to a score exactly at it', () => {
    expect(decide([finding('injection', 0.9)], rules, 'input').action).toBe('block');
    expect(decide([finding('injection', 0.5)], rules, 'input').action).toBe('flag');
    expect(decide([finding('injection', 0.4999)], rules, 'input').action).toBe('allow');
  });

  it('names the rule and gives a client-safe reason', () => {
    const f = { ...finding('injection', 0.97), explanation: 'matched "ignore previous instructions"' };
    const d = decide([f], rules, 'input');
    expect(d.rule).toBe('input.injection.block>=0.9');
    expect(d.reason).toBe('Request blocked by policy: prompt injection detected (score 0.97).');
    expect(d.reason).not.toContain('ignore previous');
    expect(d.findings).toEqual([f]);
  });

  it('allows with no findings, rule or reason when nothing reaches a threshold', () => {
    expect(decide([finding('injection', 0.1)], rules, 'input')).toEqual({ action: 'allow', findings: [] });
    expect(decide([], rules, 'input')).toEqual({ action: 'allow', findings: [] });
  });

  it('allows categories the rules do not mention', () => {
    expect(decide([finding('consumption', 1)], policy.input, 'input').action).toBe('allow');
  });

  it('applies an action word (threshold 0) to any finding of the category', () => {
    const d = decide([finding('secret', 0.05)], policy.output, 'output');
    expect(d.action).toBe('redact');
    expect(d.rule).toBe('output.secret.redact>=0');
    expect(d.reason).toBe('Response redacted by policy: secret detected (score 0.05).');
  });

  it('reads a NaN score as certain rather than letting it through', () => {
    expect(decide([finding('injection', Number.NaN)], rules, 'input').action).toBe('block');
  });
});

describe('decide across findings', () => {
  it('takes the strongest action and carries every non-allow finding along', () => {
    const flagged = finding('harmful', 0.6);
    const blocked = finding('jailbreak', 0.95);
    const ignored = finding('injection', 0.2);
    const secret = finding('secret', 0.99);
    const d = decide([flagged, ignored, blocked, secret], policy.input, 'input');
    expect(d.action).toBe('block');
    expect(d.findings).toEqual([flagged, blocked, secret]);
    expect(d.rule).toBe('input.jailbreak.block>=0.9');
    expect(d.reason).toContain('jailbreak attempt');
  });

  it('credits the highest-scoring finding among those with the strongest action', () => {
    const d = decide([finding('injection', 0.92), finding('jailbreak', 0.99), finding('injection', 0.95)], policy.input, 'input');
    expect(d.rule).toBe('input.jailbreak.block>=0.9');
    expect(d.reason).toContain('(score 0.99)');
  });

  it('is not swayed by order', () => {
    const findings = [finding('pii', 1), finding('injection', 0.91), finding('obfuscation', 0.7)];
    const forward = decide(findings, policy.input, 'input');
    const backward = decide([...findings].reverse(), policy.input, 'input');
    expect(backward.action).toBe(forward.action);
    expect(backward.rule).toBe(forward.rule);
    expect(new Set(backward.findings)).toEqual(new Set(forward.findings));
  });

  it('judges untrusted content by its stricter rules', () => {
    const f = finding('injection', 0.85);
    expect(decide([f], policy.input, 'input').action).toBe('flag');
    const d = decide([f], policy.untrusted, 'untrusted');
    expect(d.action).toBe('block');
    expect(d.rule).toBe('untrusted.injection.block>=0.8');
    expect(d.reason).toBe('Request blocked by policy: prompt injection detected in untrusted content (score 0.85).');
  });

  it('uses the rules of a configured policy', () => {
    const cfg = parseConfig('policies:\n  strict:\n    input:\n      pii: { block: 0.8, redact: 0.3 }\n', 'x.yaml', {});
    const strict = cfg.policies['strict'];
    if (!strict) throw new Error('strict policy missing');
    expect(decide([finding('pii', 0.5)], strict.input, 'input').action).toBe('redact');
    expect(decide([finding('pii', 0.9)], strict.input, 'input').action).toBe('block');
    expect(decide([finding('pii', 0.2)], strict.input, 'input').action).toBe('allow');
  });
});

describe('actionFor', () => {
  it('gives the action of one finding alone', () => {
    expect(actionFor(finding('secret', 0.5), policy.output)).toBe('redact');
    expect(actionFor(finding('secret', 0.5), policy.input)).toBe('flag');
    expect(actionFor(finding('consumption', 1), policy.input)).toBe('allow');
  });
});

describe('mergeDecisions', () => {
  const block = decide([finding('injection', 0.95)], policy.input, 'input');
  const flag = decide([finding('injection', 0.85)], policy.input, 'input');
  const untrustedBlock = decide([finding('injection', 0.85)], policy.untrusted, 'untrusted');
  const allow: Decision = { action: 'allow', findings: [] };

  it('keeps the stronger action with its rule and reason and the findings of both', () => {
    const merged = mergeDecisions(flag, untrustedBlock);
    expect(merged.action).toBe('block');
    expect(merged.rule).toBe('untrusted.injection.block>=0.8');
    expect(merged.reason).toBe(untrustedBlock.reason);
    expect(merged.findings).toEqual([...flag.findings, ...untrustedBlock.findings]);
  });

  it('prefers the first decision on a tie', () => {
    expect(mergeDecisions(block, untrustedBlock).rule).toBe('input.injection.block>=0.9');
    expect(mergeDecisions(untrustedBlock, block).rule).toBe('untrusted.injection.block>=0.8');
  });

  it('treats an empty allow as neutral', () => {
    expect(mergeDecisions(allow, flag)).toEqual(flag);
    expect(mergeDecisions(flag, allow)).toEqual(flag);
    expect(mergeDecisions(allow, allow)).toEqual(allow);
  });

  it('does not modify its inputs', () => {
    const before = flag.findings.length;
    mergeDecisions(flag, block);
    expect(flag.findings).toHaveLength(before);
  });
});
