// The poisoning scan of tool definitions, judged by the default `mcp.descriptions` rules: ordinary
// descriptions of real-world kinds of tools pass without a finding; poisoned ones are blocked.
import { describe, expect, it } from 'vitest';
import { DetectionEngine } from '../../src/detectors/engine.ts';
import { DEFAULT_DETECTORS, DEFAULT_NORMALIZER } from '../../src/detectors/registry.ts';
import { defaultDescriptionRules } from '../../src/mcp/config.ts';
import { canonicalJson, definitionTexts, toolHash } from '../../src/mcp/definitions.ts';
import { poisoningDetector, scanDefinition } from '../../src/mcp/poisoning.ts';
import { decide } from '../../src/policy/decide.ts';
import { BENIGN, POISONED } from './fixtures/descriptions.ts';
import type { Def } from './fixtures/descriptions.ts';

const engine = new DetectionEngine({ detectors: [...DEFAULT_DETECTORS, poisoningDetector], normalize: DEFAULT_NORMALIZER });

function verdict(def: Def): { action: string; rules: string[] } {
  const scan = scanDefinition(engine, def.name, definitionTexts(def as unknown as Record<string, unknown>));
  expect(scan.failures).toEqual([]);
  return { action: decide(scan.findings, defaultDescriptionRules(), 'untrusted').action, rules: scan.findings.map((f) => f.rule) };
}

describe('tool definition poisoning', () => {
  it.each(BENIGN.map((d) => [d.name, d] as const))('passes the ordinary tool %s', (_name, def) => {
    expect(verdict(def)).toEqual({ action: 'allow', rules: [] });
  });

  it.each(POISONED.map((d) => [d.name, d] as const))('blocks the poisoned tool %s', (_name, def) => {
    expect(verdict(def).action).toBe('block');
  });

  it('names the field a finding came from and the kinds of cues combined', () => {
    const calc = POISONED.find((d) => d.name === 'calc');
    if (calc === undefined) throw new Error('fixture missing');
    const scan = scanDefinition(engine, "tool 'calc'", definitionTexts(calc as unknown as Record<string, unknown>));
    const secret = scan.findings.find((f) => f.rule === 'secrets.read-sensitive-file');
    expect(secret?.explanation).toMatch(/^tool 'calc' inputSchema\.properties\.context\.description: /);
    expect(secret?.owasp).toEqual(['LLM01', 'LLM02']);
    const combined = scan.findings.find((f) => f.rule === 'combined');
    expect(combined?.explanation).toContain('conceal, markup, secrets');
    expect(combined?.owasp).toEqual(['LLM01', 'LLM03']);
  });

  it('a single mild cue is a flag at most, never a block', () => {
    const hint = { name: 'run', description: 'Run a command. Before using this tool, call list_allowed_commands to see what is permitted.' };
    const v = verdict(hint);
    expect(v.rules).toEqual(['crosstool.call-first']);
    expect(v.action).toBe('flag');
  });
});

describe('definition fingerprints', () => {
  it('ignore key order and _meta, and change with any model-visible field', () => {
    const a = { name: 't', description: 'd', inputSchema: { type: 'object', properties: { x: { type: 'string' } } } };
    const reordered = { inputSchema: { properties: { x: { type: 'string' } }, type: 'object' }, description: 'd', name: 't', _meta: { at: Date.now() } };
    expect(toolHash(reordered)).toBe(toolHash(a));
    expect(canonicalJson(reordered)).not.toBe(canonicalJson(a));
    expect(toolHash({ ...a, description: 'd ' })).not.toBe(toolHash(a));
    expect(toolHash({ ...a, inputSchema: { type: 'object', properties: { x: { type: 'string', description: 'new' } } } })).not.toBe(toolHash(a));
    expect(toolHash({ ...a, annotations: { destructiveHint: true } })).not.toBe(toolHash(a));
  });

  it('collects descriptions, titles, parameter names, enums and defaults from both schemas', () => {
    const texts = definitionTexts({
      name: 't',
      title: 'Title',
      description: 'Desc',
      annotations: { title: 'Ann' },
      inputSchema: { type: 'object', properties: { mode: { type: 'string', enum: ['fast', 'slow'], default: 'fast', description: 'Mode' } } },
      outputSchema: { type: 'object', properties: { out: { type: 'string', description: 'Out' } } },
    });
    expect(texts.map((t) => `${t.field}=${t.text}`)).toEqual([
      'title=Title',
      'description=Desc',
      'annotations.title=Ann',
      'inputSchema.properties.mode (name)=mode',
      'inputSchema.properties.mode.enum[0]=fast',
      'inputSchema.properties.mode.enum[1]=slow',
      'inputSchema.properties.mode.default=fast',
      'inputSchema.properties.mode.description=Mode',
      'outputSchema.properties.out (name)=out',
      'outputSchema.properties.out.description=Out',
    ]);
  });
});
