import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/index.ts';

const EXAMPLE = join(import.meta.dirname, '../../examples/parapet.yaml');

function errorOf(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseConfig(text, 'parapet.yaml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('limits, prices and storage in the configuration', () => {
  it('normalises a policy\'s limits: scopes, names, quotas, cap and fail mode', () => {
    const cfg = parseConfig(
      `prices:
  gpt-4o: { input: 2.5, output: 10 }
policies:
  default:
    fail_mode: open
    limits:
      max_input_tokens: 1000
      max_output_tokens: 100
      rules:
        - per: key
          requests_per_minute: 60
          concurrent_streams: 2
        - per: [user, model]
          models: ["gpt-4o*"]
          tokens_per_day: 5000
          cost_per_month: 12.5
        - name: everyone
          per: all
          tokens_per_minute: 90000
`,
      'p.yaml',
      {},
    );
    expect(cfg.prices).toEqual([{ pattern: 'gpt-4o', input: 2.5, output: 10 }]);
    expect(cfg.policies['default']?.limits).toEqual({
      failMode: 'open',
      maxInputTokens: 1000,
      maxOutputTokens: 100,
      maxOutputMode: 'clamp',
      rules: [
        { name: 'key', per: ['key'], requestsPerMinute: 60, concurrentStreams: 2 },
        { name: 'user+model', per: ['user', 'model'], models: ['gpt-4o*'], tokensPerDay: 5000, costPerMonth: 12.5 },
        { name: 'everyone', per: ['all'], tokensPerMinute: 90000 },
      ],
    });
    expect(loadConfig(undefined, {}).policies['default']?.limits).toBeUndefined();
  });

  it('names the field and the line of every mistake', () => {
    const text = `policies:
  default:
    limits:
      max_output_mode: reject
      rules:
        - per: [key, all]
          tokens_per_minut: 5
        - per: kee
          requests_per_minute: 1
        - per: app
        - per: app
          cost_per_day: 3
        - name: "bad name!"
          requests_per_minute: 0
`;
    expect(errorOf(text).split('\n')).toEqual([
      'parapet.yaml:7:11 policies.default.limits.rules[0].tokens_per_minut: unknown key (did you mean \'tokens_per_minute\'?)',
      'parapet.yaml:8:16 policies.default.limits.rules[1].per: expected one of all, app, key, user, model, got "kee" (did you mean \'key\'?)',
      'parapet.yaml:13:17 policies.default.limits.rules[4].name: rule names are 1-64 letters, digits, and _ . + -',
      'parapet.yaml:14:32 policies.default.limits.rules[4].requests_per_minute: must be greater than 0',
    ]);
    // Once the shapes are right, the cross-field checks speak.
    const shaped = `policies:
  default:
    limits:
      max_output_mode: reject
      rules:
        - per: [key, all]
          tokens_per_minute: 5
        - per: app
        - per: app
          cost_per_day: 3
`;
    expect(errorOf(shaped).split('\n')).toEqual([
      "parapet.yaml:4:24 policies.default.limits.max_output_mode: max_output_mode applies to max_output_tokens, which is not set",
      "parapet.yaml:6:16 policies.default.limits.rules[0].per: 'all' is one counter for everyone and cannot be combined with other scopes",
      expect.stringMatching(/^parapet\.yaml:8:11 policies\.default\.limits\.rules\[1\]: a limit rule needs at least one quota/),
      'parapet.yaml:9:11 policies.default.limits.rules[2]: cost budgets need a top-level prices: table (USD per 1M tokens per model)',
      "parapet.yaml:9:16 policies.default.limits.rules[2].per: rule name 'app' is already used by rules[1]; give one of them a distinct name",
    ]);
  });

  it('checks prices and storage URLs, from the file and from the environment', () => {
    expect(errorOf('prices:\n  gpt-4o: { input: -1, output: 2 }\n')).toBe('parapet.yaml:2:20 prices.gpt-4o.input: must not be negative');
    expect(errorOf('prices:\n  "gpt 4o": { input: 1, output: 2 }\n')).toBe('parapet.yaml:2:3 prices["gpt 4o"]: model pattern must not contain whitespace or control characters');
    expect(errorOf('storage:\n  redis_url: http://localhost:6379\n  postgres_url: mysql://x\n')).toBe(
      [
        'parapet.yaml:2:14 storage.redis_url: expected a URL like redis://host:6379',
        'parapet.yaml:3:17 storage.postgres_url: expected a URL like postgres://user@host:5432/db',
      ].join('\n'),
    );
    expect(errorOf('', { PARAPET_POSTGRES_URL: 'localhost:5432' })).toBe('environment PARAPET_POSTGRES_URL: expected a URL like postgres://user@host:5432/db');
    const cfg = parseConfig('storage:\n  redis_url: redis://file:6379\n  redis_prefix: tenant-a\n', 'p.yaml', { PARAPET_REDIS_URL: 'rediss://env:6380', PARAPET_POSTGRES_URL: 'postgresql://u@db/parapet' });
    expect(cfg.storage).toEqual({ sqlitePath: 'parapet.db', redisUrl: 'rediss://env:6380', redisPrefix: 'tenant-a', postgresUrl: 'postgresql://u@db/parapet' });
  });

  it('loads the example file\'s limits and prices', () => {
    const cfg = loadConfig(EXAMPLE, {});
    expect(cfg.prices.map((p) => p.pattern)).toContain('gpt-4o-mini*');
    expect(cfg.policies['default']?.limits?.rules.map((r) => r.name)).toEqual(['key', 'app']);
    expect(cfg.policies['strict']?.limits).toMatchObject({ maxOutputTokens: 1024, failMode: 'closed', rules: [{ per: ['user'] }, { name: 'bot-budget', costPerDay: 50 }] });
    expect(cfg.policies['red-team']?.limits).toBeUndefined();
    expect(cfg.storage.redisUrl).toBeUndefined();
  });
});
