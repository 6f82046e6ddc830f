import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/index.ts';
import type { ToolPolicy } from '../../src/tools/config.ts';
import { judgeToolCall } from '../../src/tools/judge.ts';
import { domainAllowed, urlHosts } from '../../src/tools/urls.ts';

function policyFrom(tools: string): ToolPolicy {
  const cfg = parseConfig(`policies:\n  default:\n    tools:\n${tools.replace(/^/gm, '      ')}\n`, 'p.yaml', {});
  const p = cfg.policies['default']?.tools;
  if (!p) throw new Error('no tool policy');
  return p;
}

describe('judgeToolCall', () => {
  it('allows any tool when the policy only denies some', () => {
    const p = policyFrom('deny: ["delete_*"]');
    expect(judgeToolCall(p, { name: 'search', arguments: '{}' })).toEqual({ action: 'allow' });
    expect(judgeToolCall(p, { name: 'delete_user', arguments: '{}' })).toMatchObject({ action: 'deny', finding: { rule: 'tools.deny' } });
  });

  it('deny wins over allow', () => {
    const p = policyFrom('allow: ["*"]\ndeny: ["rm"]');
    expect(judgeToolCall(p, { name: 'rm', arguments: '{}' }).action).toBe('deny');
  });

  it('refuses arguments it cannot read when rules need to read them', () => {
    const p = policyFrom('url_domains: [example.com]');
    expect(judgeToolCall(p, { name: 'fetch', arguments: '{"url": "https://exa' })).toMatchObject({ action: 'deny', finding: { rule: 'tools.arguments.invalid_json' } });
    // With no argument rules, arguments are the detectors' business alone.
    expect(judgeToolCall(policyFrom('deny: [x]'), { name: 'fetch', arguments: '{' }).action).toBe('allow');
  });

  it('checks URLs anywhere in the arguments, nested and inside longer text', () => {
    const p = policyFrom('url_domains: [example.com, "*.corp.example"]');
    const call = (args: unknown) => judgeToolCall(p, { name: 'post', arguments: JSON.stringify(args) }).action;
    expect(call({ url: 'https://example.com/a' })).toBe('allow');
    expect(call({ opts: { hooks: ['https://build.corp.example/x'] } })).toBe('allow');
    expect(call({ body: 'see https://example.com.evil.net/?q=1 for details' })).toBe('deny');
    expect(call({ body: 'ftp://user:pw@files.evil.net/dump' })).toBe('deny');
    expect(call({ body: 'no links here' })).toBe('allow');
  });

  it('never quotes the argument value it refused', () => {
    const p = policyFrom('arguments:\n  - field: token\n    deny: ["^sk-"]');
    const v = judgeToolCall(p, { name: 'call_api', arguments: '{"token":"sk-live-123456"}' });
    expect(v.action).toBe('deny');
    expect(JSON.stringify(v)).not.toContain('sk-live');
  });

  it('asks for approval only after every other rule passed', () => {
    const p = policyFrom('url_domains: [example.com]\napproval:\n  tools: [wire_*]');
    expect(judgeToolCall(p, { name: 'wire_money', arguments: '{"cb":"https://evil.net"}' }).action).toBe('deny');
    expect(judgeToolCall(p, { name: 'wire_money', arguments: '{"cb":"https://example.com"}' }).action).toBe('approve');
  });
});

describe('urlHosts / domainAllowed', () => {
  it('reads hosts, lowercased, without credentials or ports', () => {
    expect(urlHosts('a https://User:pw@API.Example.COM:8443/x and http://[::1]:80/ and wss://h.io.')).toEqual(['api.example.com', '[::1]', 'h.io']);
  });
  it('*.domain admits subdomains and the domain; a plain domain only itself', () => {
    expect(domainAllowed('a.b.example.com', ['*.example.com'])).toBe(true);
    expect(domainAllowed('example.com', ['*.example.com'])).toBe(true);
    expect(domainAllowed('badexample.com', ['*.example.com'])).toBe(false);
    expect(domainAllowed('www.example.com', ['example.com'])).toBe(false);
  });
  it('stays linear on long adversarial input', () => {
    const text = `https://${'a'.repeat(200_000)}@${'@'.repeat(50_000)}`;
    const t0 = performance.now();
    urlHosts(text);
    urlHosts('http://'.repeat(100_000));
    // Generous bound: a quadratic scan of this input takes minutes, not milliseconds.
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('tools: configuration errors', () => {
  it('names the field of a schema that is not usable', () => {
    try {
      policyFrom('schemas:\n  get_weather: { type: bogus }');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect(String((e as Error).message)).toMatch(/policies\.default\.tools\.schemas\.get_weather.*not a usable JSON Schema/s);
    }
  });
  it('rejects an unknown on_deny and a bad domain', () => {
    expect(() => policyFrom('on_deny: drop')).toThrow(/policies.default.tools.on_deny: expected one of explain, block/);
    expect(() => policyFrom('url_domains: ["https://x.com"]')).toThrow(/expected a domain/);
  });
});
