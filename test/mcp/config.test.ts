// The `mcp:` section of parapet.yaml: parsed with the rest of the file, its mistakes reported with
// file, line and field like every other section.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/index.ts';
import { serverNameFor } from '../../src/cli/mcp.ts';
import { clientPolicy, defaultMcpConfig } from '../../src/mcp/config.ts';

function issues(text: string): string[] {
  try {
    parseConfig(text, 'parapet.yaml', {});
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const EXAMPLE = `
mcp:
  pins:
    on_change: flag
  descriptions:
    injection: { block: 0.6, flag: 0.3 }
  results:
    injection: redact
  clients:
    default:
      tools: ["wiki/*"]
    support-bot:
      tools: ["files/read_file", "wiki/search"]
      deny_tools: ["*/delete_*"]
      arguments:
        - tools: ["files/read_file"]
          field: options.path
          deny: ['^/etc/', '\\.\\./']
          ignore_case: true
  servers:
    files:
      url: http://127.0.0.1:3001/mcp
      headers: { authorization: "Bearer \${FILES_TOKEN}" }
      timeout_ms: 5000
`;

describe('mcp configuration', () => {
  it('parses every field over the built-in defaults', () => {
    const cfg = parseConfig(EXAMPLE, 'parapet.yaml', { FILES_TOKEN: 'tok' });
    const mcp = cfg.mcp;
    expect(mcp?.onChange).toBe('flag');
    expect(mcp?.requireKey).toBe(true);
    expect(mcp?.descriptions.injection).toEqual({ block: 0.6, flag: 0.3 });
    // Categories the file does not name keep their defaults.
    expect(mcp?.descriptions.obfuscation).toEqual(defaultMcpConfig().descriptions.obfuscation);
    expect(mcp?.results.injection).toEqual({ redact: 0 });
    expect(mcp?.servers['files']).toEqual({ url: 'http://127.0.0.1:3001/mcp', headers: { authorization: 'Bearer tok' }, timeoutMs: 5000 });
    const bot = mcp === undefined ? undefined : clientPolicy(mcp, 'support-bot');
    expect(bot).toEqual({
      tools: ['files/read_file', 'wiki/search'],
      denyTools: ['*/delete_*'],
      arguments: [{ index: 0, tools: ['files/read_file'], field: ['options', 'path'], deny: ['^/etc/', '\\.\\./'], allow: [], ignoreCase: true }],
    });
    // An app without its own entry gets the default client policy.
    expect(mcp === undefined ? undefined : clientPolicy(mcp, 'other-app').tools).toEqual(['wiki/*']);
  });

  it('accepts the documented example (examples/parapet.yaml)', () => {
    const mcp = loadConfig(join(import.meta.dirname, '../../examples/parapet.yaml'), { OPENAI_API_KEY: 'x', GITHUB_MCP_TOKEN: 'ghp_example' }).mcp;
    expect(mcp?.servers['github']?.headers).toEqual({ authorization: 'Bearer ghp_example' });
    expect(mcp === undefined ? undefined : clientPolicy(mcp, 'support-bot').arguments[0]).toMatchObject({ field: ['path'], allow: ['^/srv/docs/'] });
  });

  it('leaves configurations without an mcp section as they were', () => {
    expect(parseConfig('policies:\n  default: {}\n', 'parapet.yaml', {}).mcp).toBeUndefined();
    expect(clientPolicy(defaultMcpConfig(), 'anyone').tools).toEqual(['*']);
  });

  it('names the line and the field of a mistake, with a suggestion for a misspelt key', () => {
    expect(issues('mcp:\n  clients:\n    bot:\n      tols: ["*"]\n')).toEqual([
      "parapet.yaml:4:7 mcp.clients.bot.tols: unknown key (did you mean 'tools'?)",
    ]);
    expect(issues('mcp:\n  pins:\n    on_change: warn\n')).toEqual(['parapet.yaml:3:16 mcp.pins.on_change: expected one of block, flag, got "warn"']);
  });

  it('rejects an invalid regular expression, a rule without patterns, and bad thresholds', () => {
    const out = issues(
      [
        'mcp:',
        '  results:',
        '    injection: { block: 0.4, flag: 0.8 }',
        '  clients:',
        '    bot:',
        '      arguments:',
        '        - deny: ["(unclosed"]',
        '        - field: path',
        '  servers:',
        '    "bad name":',
        '      url: ftp://x',
        '',
      ].join('\n'),
    );
    expect(out.some((l) => /^parapet\.yaml:7:\d+ mcp\.clients\.bot\.arguments\[0\]\.deny\[0\]: invalid regular expression/.test(l))).toBe(true);
    expect(out.some((l) => /^parapet\.yaml:8:\d+ mcp\.clients\.bot\.arguments\[1\]: an argument rule needs deny or allow patterns/.test(l))).toBe(true);
    expect(out.some((l) => /^parapet\.yaml:11:\d+ mcp\.servers\["bad name"\]\.url: expected an http/.test(l))).toBe(true);
    // Cross-checks run once the shape is valid.
    expect(issues('mcp:\n  servers:\n    "a/b": { url: "http://x/mcp" }\n')).toEqual([
      'parapet.yaml:3:5 mcp.servers["a/b"]: server names are 1-64 letters, digits, and _ . - (they appear in URLs and tool patterns)',
    ]);
    expect(issues('mcp:\n  results:\n    injection: { block: 0.4, flag: 0.8 }\n')).toEqual([
      'parapet.yaml:3:16 mcp.results.injection: thresholds must satisfy flag <= redact <= block: a weaker action set above a stronger one never applies',
    ]);
  });
});

describe('server names of wrapped commands', () => {
  it('name the script or package, not the interpreter that runs it', () => {
    expect(serverNameFor('npx', ['-y', '@modelcontextprotocol/server-filesystem', '/srv'])).toBe('server-filesystem');
    expect(serverNameFor('uvx', ['mcp-server-git@1.2.0', '--repository', '.'])).toBe('mcp-server-git');
    expect(serverNameFor('/usr/bin/node', ['/opt/tools/weather.js'])).toBe('weather');
    expect(serverNameFor('./bin/my server', [])).toBe('my-server');
  });
});
