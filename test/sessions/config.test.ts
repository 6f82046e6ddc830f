import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, builtinPolicy, loadConfig, parseConfig } from '../../src/config/index.ts';
import { defaultSessionRules, parseDuration } from '../../src/config/sessions.ts';

function issues(yaml: string): string[] {
  try {
    parseConfig(yaml, 'p.yaml', {});
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.line ?? '?'}:${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('sessions configuration', () => {
  it('is on by default, with rules that act on the session only', () => {
    const p = builtinPolicy();
    expect(p.sessions).toMatchObject({ enabled: true, failMode: 'closed', ttlMs: 3_600_000, interruptMs: 900_000, decay: 0.7, riskCategories: ['harmful', 'jailbreak', 'injection'] });
    expect(p.sessions?.rules).toEqual(defaultSessionRules());
    for (const r of Object.values(p.sessions?.rules ?? {})) expect(['flag', 'alert', 'block', 'interrupt']).toContain(r.action);
    expect(p.untrustedContent).toEqual({ spotlight: 'off', neutralize: false });
  });

  it('overrides field by field, with durations in seconds or with a unit', () => {
    const cfg = parseConfig(
      `
policies:
  strict:
    fail_mode: open
    sessions:
      ttl: 2h
      interrupt_for: 90
      throttle: { requests_per_minute: 3, for: 1d }
      risk: { categories: [jailbreak], decay: 0.5 }
      excerpt_chars: 0
      rules:
        escalation: { action: revoke, turns: 4 }
        extraction: { per: key, window: 30m }
        persistence: off
        duplicates: { similar: 5, of: 10 }
    untrusted_content: { spotlight: delimit, neutralize: true }
`,
      'p.yaml',
      {},
    );
    const s = cfg.policies['strict']?.sessions;
    expect(s).toMatchObject({ failMode: 'open', ttlMs: 7_200_000, interruptMs: 90_000, throttle: { requestsPerMinute: 3, durationMs: 86_400_000 }, riskCategories: ['jailbreak'], decay: 0.5, excerptChars: 0 });
    expect(s?.rules.escalation).toEqual({ ...defaultSessionRules().escalation, action: 'revoke', turns: 4 });
    expect(s?.rules.extraction).toEqual({ action: 'interrupt', attempts: 3, per: 'key', windowMs: 1_800_000 });
    expect(s?.rules.persistence).toBeUndefined();
    expect(s?.rules.duplicates).toMatchObject({ similar: 5, of: 10, distance: 10 });
    expect(s?.rules.anomaly).toEqual(defaultSessionRules().anomaly);
    expect(cfg.policies['strict']?.untrustedContent).toEqual({ spotlight: 'delimit', neutralize: true });
    expect(cfg.alerts).toBeUndefined();
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration(1.5)).toBe(1500);
  });

  it('documents the built-in values in examples/parapet.yaml', () => {
    const cfg = loadConfig(join(import.meta.dirname, '../../examples/parapet.yaml'), {});
    expect(cfg.policies['default']?.sessions).toEqual(builtinPolicy().sessions);
    expect(cfg.policies['default']?.untrustedContent).toEqual(builtinPolicy().untrustedContent);
    expect(cfg.policies['strict']?.sessions?.rules.extraction).toEqual({ action: 'revoke', attempts: 5, per: 'key', windowMs: 3_600_000 });
    expect(cfg.policies['strict']?.untrustedContent).toEqual({ spotlight: 'datamark', neutralize: true });
  });

  it('reads the alerts section, secrets from the environment', () => {
    const cfg = parseConfig('alerts:\n  webhook: https://ir.example.com/hook\n  secret: ${S}\n', 'p.yaml', { S: 'a-long-enough-secret' });
    expect(cfg.alerts).toEqual({ webhook: 'https://ir.example.com/hook', secret: 'a-long-enough-secret', timeoutMs: 5000, maxAttempts: 6 });
  });

  it('names the file, line and field of every mistake', () => {
    const found = issues(`
policies:
  default:
    sessions:
      interupt_for: 5m
      ttl: soon
      rules:
        escalation: { action: explode }
        extraction: { window: 2h }
        duplicates: { similar: 50, of: 50 }
alerts:
  webhook: ftp://x
  secret: short
`);
    expect(found).toEqual([
      "5:policies.default.sessions.interupt_for: unknown key (did you mean 'interrupt_for'?)",
      '6:policies.default.sessions.ttl: expected a duration: seconds, or a number with a unit, e.g. "30s", "15m", "1h", "7d"',
      '8:policies.default.sessions.rules.escalation.action: expected one of flag, alert, block, interrupt, throttle, revoke, got "explode"',
      '12:alerts.webhook: expected an http:// or https:// URL',
      '13:alerts.secret: the signing secret must be at least 16 characters',
    ]);
    // Cross-field checks run once the shapes are right.
    expect(
      issues(`
policies:
  default:
    sessions:
      ttl: 10m
      rules:
        extraction: { per: key, window: 2h }
        duplicates: { similar: 50, of: 50 }
  other:
    sessions:
      rules:
        extraction: { window: 2h }
`),
    ).toEqual([
      '5:policies.default.sessions.ttl: must be at least the extraction window (7200 s): state older than ttl is forgotten',
      "8:policies.default.sessions.rules.duplicates.similar: must be below of (50): it counts earlier prompts among the last 'of'",
      '12:policies.other.sessions.rules.extraction.window: window applies to per: key (a session counts its attempts for as long as it lives)',
    ]);
  });
});
