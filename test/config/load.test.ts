import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/index.ts';
import type { ConfigIssue } from '../../src/config/index.ts';

const EXAMPLE = join(import.meta.dirname, '../../examples/parapet.yaml');

function issuesOf(text: string, env: NodeJS.ProcessEnv = {}): ConfigIssue[] {
  try {
    parseConfig(text, 'parapet.yaml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error('expected the configuration to be rejected');
}

function errorOf(text: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    parseConfig(text, 'parapet.yaml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('built-in defaults', () => {
  it('gives a complete configuration with no file', () => {
    const cfg = loadConfig(undefined, {});
    expect(cfg.source).toBe('<built-in>');
    expect(cfg.server).toEqual({
      host: '127.0.0.1',
      port: 8080,
      bodyLimitBytes: 4 * 1024 * 1024,
      maxJsonDepth: 64,
      upstreamTimeoutMs: 120_000,
      drainTimeoutMs: 30_000,
    });
    expect(cfg.upstreams.openai).toEqual({ baseUrl: 'https://api.openai.com/v1', passthroughClientKey: false });
    expect(cfg.upstreams.anthropic).toEqual({ baseUrl: 'https://api.anthropic.com', passthroughClientKey: false });
    expect(cfg.upstreams.openai.apiKey).toBeUndefined();
    expect(cfg.storage.sqlitePath).toBe('parapet.db');
    expect(Object.keys(cfg.policies)).toEqual(['default']);
    expect(cfg.apps).toEqual({});
    expect(cfg.keys).toEqual([]);
  });

  it('has the documented default policy', () => {
    const p = loadConfig(undefined, {}).policies['default'];
    expect(p).toBeDefined();
    expect(p?.failMode).toBe('closed');
    expect(p?.models).toEqual(['*']);
    expect(p?.redaction).toBe('mask');
    expect(p?.input).toEqual({
      injection: { block: 0.9, flag: 0.5 },
      jailbreak: { block: 0.9, flag: 0.5 },
      harmful: { flag: 0.5 },
      obfuscation: { flag: 0.5 },
      secret: { flag: 0 },
      pii: { flag: 0.35 },
    });
    expect(p?.output).toEqual({
      secret: { redact: 0 },
      pii: { redact: 0.35 },
      leakage: { block: 0.9, flag: 0.5 },
      unsafe_output: { block: 0.9, flag: 0.5 },
      injection: { flag: 0 },
      tool_abuse: { block: 0.9, flag: 0.5 },
    });
    // Untrusted content: the stricter injection bar, everything else as for input.
    expect(p?.untrusted.injection).toEqual({ block: 0.8, flag: 0.4 });
    expect(p?.untrusted.jailbreak).toEqual({ block: 0.9, flag: 0.5 });
    expect(p?.untrusted.pii).toEqual({ flag: 0.35 });
    expect(p?.disabledDetectors).toEqual([]);
  });

  it('takes the built-in upstream keys from the environment when set', () => {
    const cfg = loadConfig(undefined, { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: '' });
    expect(cfg.upstreams.openai.apiKey).toBe('sk-test');
    expect(cfg.upstreams.anthropic.apiKey).toBeUndefined();
  });

  it('treats an empty file and a comment-only file like no file', () => {
    const builtin = loadConfig(undefined, {});
    for (const text of ['', '# nothing here\n']) {
      const cfg = parseConfig(text, 'empty.yaml', {});
      expect({ ...cfg, source: '<built-in>' }).toEqual(builtin);
    }
  });

  it('does not let one loaded configuration change the defaults of the next', () => {
    const first = loadConfig(undefined, {});
    const rule = first.policies['default']?.input.injection;
    if (rule) rule.block = 0.1;
    expect(loadConfig(undefined, {}).policies['default']?.input.injection).toEqual({ block: 0.9, flag: 0.5 });
  });
});

describe('the example file', () => {
  it('loads and means what its comments say', () => {
    const cfg = loadConfig(EXAMPLE, { OPENAI_API_KEY: 'sk-live-example' });
    expect(cfg.source).toBe(EXAMPLE);
    expect(cfg.server.host).toBe('0.0.0.0');
    expect(cfg.server.port).toBe(8080);
    expect(cfg.upstreams.openai.apiKey).toBe('sk-live-example');
    expect(cfg.upstreams.anthropic.apiKey).toBeUndefined();
    expect(cfg.storage.sqlitePath).toBe('./parapet.db');
    expect(Object.keys(cfg.policies).sort()).toEqual(['default', 'red-team', 'strict']);

    const strict = cfg.policies['strict'];
    expect(strict?.redaction).toBe('placeholder');
    expect(strict?.input.secret).toEqual({ block: 0 });
    expect(strict?.input.pii).toEqual({ redact: 0 });
    // Not listed by `strict`, so inherited from the built-in default policy.
    expect(strict?.input.obfuscation).toEqual({ flag: 0.5 });
    expect(strict?.output.secret).toEqual({ redact: 0 });
    expect(strict?.untrusted.injection).toEqual({ block: 0.6, flag: 0.2 });

    expect(cfg.policies['default']?.input.pii).toEqual({});
    expect(cfg.policies['default']?.output.leakage).toEqual({ block: 0 });
    expect(cfg.policies['red-team']?.failMode).toBe('open');

    expect(cfg.apps['support-bot']).toEqual({ policy: 'strict', models: ['gpt-4o-mini'] });
    expect(cfg.apps['internal-tools']).toEqual({ policy: 'default' });
    expect(cfg.keys.map((k) => k.id)).toEqual(['key_ci', 'key_support_prod']);
    expect(cfg.keys[1]).toMatchObject({ app: 'support-bot', models: ['gpt-4o-mini'] });
  });

  it('reads the port from the environment through its ${PORT:-8080} reference', () => {
    expect(loadConfig(EXAMPLE, { PORT: '9191' }).server.port).toBe(9191);
  });
});

describe('normalisation', () => {
  it('turns action words into thresholds at 0 and keeps threshold objects', () => {
    const cfg = parseConfig(
      [
        'policies:',
        '  p:',
        '    input:',
        '      injection: allow',
        '      jailbreak: flag',
        '      harmful: redact',
        '      secret: block',
        '      pii: { block: 0.95, redact: 0.7, flag: 0.2 }',
      ].join('\n'),
      'x.yaml',
      {},
    );
    expect(cfg.policies['p']?.input).toMatchObject({
      injection: {},
      jailbreak: { flag: 0 },
      harmful: { redact: 0 },
      secret: { block: 0 },
      pii: { block: 0.95, redact: 0.7, flag: 0.2 },
    });
  });

  it('keeps untrusted content at least as strict as the input rule unless untrusted says otherwise', () => {
    const cfg = parseConfig(
      [
        'policies:',
        '  tight:',
        '    input: { injection: { block: 0.7, flag: 0.3 } }',
        '  loose:',
        '    input: { injection: { block: 0.95, flag: 0.6 } }',
        '  relaxed:',
        '    input: { injection: allow }',
        '    untrusted: { injection: { block: 0.99 } }',
      ].join('\n'),
      'x.yaml',
      {},
    );
    expect(cfg.policies['tight']?.untrusted.injection).toEqual({ block: 0.7, flag: 0.3 });
    expect(cfg.policies['loose']?.untrusted.injection).toEqual({ block: 0.8, flag: 0.4 });
    expect(cfg.policies['relaxed']?.untrusted.injection).toEqual({ block: 0.99 });
  });

  it('overrides a built-in default policy setting by setting and keeps the rest', () => {
    const cfg = parseConfig('policies:\n  default:\n    fail_mode: open\n    output: { pii: allow }\n', 'x.yaml', {});
    const p = cfg.policies['default'];
    expect(p?.failMode).toBe('open');
    expect(p?.output.pii).toEqual({});
    expect(p?.output.secret).toEqual({ redact: 0 });
    expect(p?.models).toEqual(['*']);
  });

  it('reads sizes with units and strips trailing slashes from upstream URLs', () => {
    const cfg = parseConfig(
      'server:\n  body_limit: 512kb\nupstreams:\n  openai:\n    base_url: http://localhost:9000/v1/\n    passthrough_client_key: true\n',
      'x.yaml',
      {},
    );
    expect(cfg.server.bodyLimitBytes).toBe(512 * 1024);
    expect(cfg.upstreams.openai).toEqual({ baseUrl: 'http://localhost:9000/v1', passthroughClientKey: true });
    expect(parseConfig('server: { body_limit: 1000 }', 'x.yaml', {}).server.bodyLimitBytes).toBe(1000);
    expect(parseConfig('server: { body_limit: 1.5MB }', 'x.yaml', {}).server.bodyLimitBytes).toBe(1.5 * 1024 * 1024);
  });

  it('gives apps the default policy when they name none and lowercases key hashes', () => {
    const hash = 'AB'.repeat(32);
    const cfg = parseConfig(`apps:\n  ci: {}\nkeys:\n  - { id: k1, sha256: "${hash}", app: ci }\n`, 'x.yaml', {});
    expect(cfg.apps['ci']).toEqual({ policy: 'default' });
    expect(cfg.keys).toEqual([{ id: 'k1', sha256: 'ab'.repeat(32), app: 'ci' }]);
  });

  it('has no inherited properties in the policy and app tables', () => {
    const cfg = loadConfig(undefined, {});
    expect(cfg.policies['constructor']).toBeUndefined();
    expect(cfg.apps['toString']).toBeUndefined();
  });
});

describe('errors name the field and the line', () => {
  it('reports a mistyped key with a suggestion', () => {
    const text = ['policies:', '  default:', '    input:', '      injeciton: { block: 0.9 }'].join('\n');
    const err = errorOf(text);
    expect(err.issues).toEqual([
      {
        path: 'policies.default.input.injeciton',
        line: 4,
        column: 7,
        message: "unknown key (did you mean 'injection'?)",
        source: 'parapet.yaml',
      },
    ]);
    expect(err.message).toBe("parapet.yaml:4:7 policies.default.input.injeciton: unknown key (did you mean 'injection'?)");
  });

  it('reports unknown top-level and nested keys everywhere', () => {
    const issues = issuesOf('server:\n  prot: 80\nlogging: {}\n');
    expect(issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ['server.prot', 2, 3],
      ['logging', 3, 1],
    ]);
    expect(issues[0]?.message).toContain("did you mean 'port'?");
  });

  it('reports a threshold outside 0..1 at its value', () => {
    const issues = issuesOf('policies:\n  default:\n    output:\n      leakage: { block: 1.5, flag: 0.5 }\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'policies.default.output.leakage.block', line: 4, column: 25 });
    expect(issues[0]?.message).toMatch(/between 0 and 1/);
  });

  it('reports a misspelled action word and a value that is neither word nor thresholds', () => {
    const issues = issuesOf('policies:\n  default:\n    input:\n      secret: blok\n      pii: 0.4\n');
    expect(issues[0]).toMatchObject({ path: 'policies.default.input.secret', line: 4 });
    expect(issues[0]?.message).toContain("did you mean 'block'?");
    expect(issues[1]).toMatchObject({ path: 'policies.default.input.pii', line: 5 });
    expect(issues[1]?.message).toMatch(/action .* or thresholds/);
  });

  it('reports thresholds in an order where one can never apply', () => {
    const issues = issuesOf('policies:\n  p:\n    input:\n      injection: { block: 0.5, flag: 0.8 }\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'policies.p.input.injection', line: 4, column: 18 });
    expect(issues[0]?.message).toContain('flag <= redact <= block');
  });

  it('reports an app naming a policy that does not exist', () => {
    const issues = issuesOf('policies:\n  strict: {}\napps:\n  bot:\n    policy: strcit\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'apps.bot.policy', line: 5, column: 13 });
    expect(issues[0]?.message).toContain("unknown policy 'strcit'");
    expect(issues[0]?.message).toContain("did you mean 'strict'?");
  });

  it('reports a key naming an unknown policy or app, and duplicate key ids', () => {
    const h1 = 'a'.repeat(64);
    const h2 = 'b'.repeat(64);
    const text = [
      'apps:',
      '  ci: {}',
      'keys:',
      `  - { id: k1, sha256: "${h1}", app: ci, policy: nope }`,
      `  - { id: k1, sha256: "${h2}", app: cj }`,
    ].join('\n');
    const issues = issuesOf(text);
    // In file order: on line 5 the id comes before the app.
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['keys[0].policy', 4],
      ['keys[1].id', 5],
      ['keys[1].app', 5],
    ]);
    expect(issues[0]?.message).toContain("unknown policy 'nope'");
    expect(issues[1]?.message).toContain('duplicate key id');
    expect(issues[2]?.message).toContain("unknown app 'cj'");
  });

  it('reports a missing required key field at the key entry', () => {
    const issues = issuesOf('apps: { ci: {} }\nkeys:\n  - id: k1\n    app: ci\n');
    expect(issues).toEqual([expect.objectContaining({ path: 'keys[0].sha256', line: 3, message: 'required field is missing' })]);
  });

  it('reports bad model globs', () => {
    const issues = issuesOf('policies:\n  default:\n    models: ["gpt-4o*", "gpt-[45]", ""]\napps:\n  a: { models: [] }\n');
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['policies.default.models[1]', 3],
      ['policies.default.models[2]', 3],
      ['apps.a.models', 5],
    ]);
    expect(issues[0]?.message).toContain("unsupported glob syntax '['");
  });

  it('reports YAML syntax errors with their position', () => {
    const issues = issuesOf('server:\n  port: 8080\n  host: "unterminated\n');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.message).toMatch(/^YAML syntax error/);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(3);
    expect(issues[0]?.column).toBeGreaterThan(0);
  });

  it('reports duplicate keys as a syntax error on the second one', () => {
    const issues = issuesOf('server:\n  port: 1\n  port: 2\n');
    expect(issues[0]).toMatchObject({ line: 3, column: 3 });
  });

  it('reports a wrong value type with what it got', () => {
    const issues = issuesOf('server:\n  port: eighty\n  upstream_timeout_ms: 1.5\n');
    expect(issues[0]).toMatchObject({ path: 'server.port', line: 2, column: 9 });
    expect(issues[0]?.message).toContain('got a string');
    expect(issues[1]).toMatchObject({ path: 'server.upstream_timeout_ms', line: 3 });
  });

  it('reports a document that is not a mapping', () => {
    expect(issuesOf('- just\n- a list\n')[0]).toMatchObject({ path: '', line: 1, column: 1 });
  });

  it('lists every issue in the message, one per line', () => {
    const err = errorOf('server:\n  prot: 80\npolicies:\n  default:\n    redaction: blur\n');
    expect(err.issues).toHaveLength(2);
    expect(err.message.split('\n')).toEqual([
      "parapet.yaml:2:3 server.prot: unknown key (did you mean 'port'?)",
      expect.stringMatching(/^parapet\.yaml:5:16 policies\.default\.redaction: expected one of mask, hash, placeholder, got "blur"$/),
    ]);
  });

  it('names the path of a file that cannot be read', () => {
    const missing = join(tmpdir(), 'parapet-does-not-exist', 'parapet.yaml');
    expect(() => loadConfig(missing, {})).toThrow(ConfigError);
    expect(() => loadConfig(missing, {})).toThrow(missing);
  });
});

describe('environment references', () => {
  it('reports a missing variable with the field, line and variable name', () => {
    const issues = issuesOf('upstreams:\n  openai:\n    api_key: ${OPENAI_KEY_FOR_TEST}\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'upstreams.openai.api_key', line: 3, column: 14 });
    expect(issues[0]?.message).toContain('OPENAI_KEY_FOR_TEST');
  });

  it('reports an unset variable once, not again as a wrong type', () => {
    const issues = issuesOf('server:\n  port: ${NO_SUCH_PORT}\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('NO_SUCH_PORT');
  });

  it('expands variables, defaults and literal escapes', () => {
    const cfg = parseConfig(
      [
        'upstreams:',
        '  openai:',
        '    base_url: ${OAI_HOST:-https://api.openai.com}/v1',
        '    api_key: "sk-${KEY_PART}"',
        '  anthropic:',
        '    api_key: ${UNSET_KEY:-}',
        'storage:',
        '  sqlite: /data/$${literal}.db',
      ].join('\n'),
      'x.yaml',
      { KEY_PART: 'abc', OAI_HOST: '' },
    );
    expect(cfg.upstreams.openai.baseUrl).toBe('https://api.openai.com/v1');
    expect(cfg.upstreams.openai.apiKey).toBe('sk-abc');
    expect(cfg.upstreams.anthropic.apiKey).toBeUndefined();
    expect(cfg.storage.sqlitePath).toBe('/data/${literal}.db');
  });

  it('reads an unquoted reference as the number or boolean it expands to, a quoted one as text', () => {
    const env = { P: '9000', PASS: 'true' };
    const cfg = parseConfig('server:\n  port: ${P}\nupstreams:\n  openai:\n    passthrough_client_key: ${PASS}\n', 'x.yaml', env);
    expect(cfg.server.port).toBe(9000);
    expect(cfg.upstreams.openai.passthroughClientKey).toBe(true);
    expect(issuesOf('server:\n  port: "${P}"\n', env)[0]).toMatchObject({ path: 'server.port', line: 2 });
  });

  it('reports a malformed reference', () => {
    const issues = issuesOf('storage:\n  sqlite: ${bad name}\n');
    expect(issues[0]).toMatchObject({ path: 'storage.sqlite', line: 2 });
    expect(issues[0]?.message).toContain('invalid reference');
    expect(issuesOf('storage:\n  sqlite: ${OPEN\n')[0]?.message).toContain('unterminated');
  });
});

describe('PARAPET_* overrides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parapet-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('apply over the file', () => {
    const file = join(dir, 'parapet.yaml');
    writeFileSync(file, 'server:\n  host: 10.0.0.1\n  port: 7000\nstorage:\n  sqlite: file.db\n');
    const cfg = loadConfig(file, {
      PARAPET_PORT: '7001',
      PARAPET_HOST: '0.0.0.0',
      PARAPET_DB: '/var/lib/parapet/audit.db',
      PARAPET_OPENAI_BASE_URL: 'http://127.0.0.1:4000/v1/',
      PARAPET_ANTHROPIC_BASE_URL: 'http://127.0.0.1:4001',
    });
    expect(cfg.server.host).toBe('0.0.0.0');
    expect(cfg.server.port).toBe(7001);
    expect(cfg.storage.sqlitePath).toBe('/var/lib/parapet/audit.db');
    expect(cfg.upstreams.openai.baseUrl).toBe('http://127.0.0.1:4000/v1');
    expect(cfg.upstreams.anthropic.baseUrl).toBe('http://127.0.0.1:4001');
  });

  it('apply over the built-in defaults and ignore empty values', () => {
    const cfg = loadConfig(undefined, { PARAPET_PORT: '0', PARAPET_HOST: '' });
    expect(cfg.server.port).toBe(0);
    expect(cfg.server.host).toBe('127.0.0.1');
  });

  it('reject invalid values naming the variable', () => {
    let err: unknown;
    try {
      loadConfig(undefined, { PARAPET_PORT: 'abc', PARAPET_ANTHROPIC_BASE_URL: 'not a url' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const issues = (err as ConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual(['PARAPET_PORT', 'PARAPET_ANTHROPIC_BASE_URL']);
    expect(issues[0]?.source).toBe('environment');
    expect(issues[0]?.line).toBeUndefined();
    expect((err as ConfigError).message).toContain("PARAPET_PORT: expected a port number between 0 and 65535, got 'abc'");
    expect(() => loadConfig(undefined, { PARAPET_PORT: '70000' })).toThrow('PARAPET_PORT');
  });

  it('are reported together with file issues', () => {
    const issues = issuesOf('server:\n  prot: 1\n', { PARAPET_PORT: '-1' });
    expect(issues.map((i) => i.path)).toEqual(['server.prot', 'PARAPET_PORT']);
  });
});
