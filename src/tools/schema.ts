// YAML schemas for tool-call rules (zod, snake_case, everything optional). The argument-rule shape is
// shared by a policy's `tools:` section (LLM-API tool calls) and the `mcp:` clients.

import { z } from 'zod';

export const regexSchema = z.string({ error: 'expected a regular expression (string)' }).superRefine((p, ctx) => {
  try {
    new RegExp(p, 'u');
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${err instanceof Error ? err.message : String(err)}` });
  }
});

/** One argument rule; `toolPatterns` is the caller's pattern list (MCP patterns may name a server). */
export function argumentRuleSchema<T extends z.ZodType<string[]>>(toolPatterns: T) {
  return z
    .strictObject({
      tools: toolPatterns.nullish(),
      field: z
        .string({ error: 'expected an argument name or a dotted path (e.g. "options.path")' })
        .regex(/^[^.\s]+(?:\.[^.\s]+)*$/, { error: 'expected an argument name or a dotted path (e.g. "options.path")' })
        .nullish(),
      deny: z.array(regexSchema, { error: 'expected a list of regular expressions' }).nullish(),
      allow: z.array(regexSchema, { error: 'expected a list of regular expressions' }).nullish(),
      ignore_case: z.boolean({ error: 'expected true or false' }).nullish(),
    })
    .refine((r) => (r.deny?.length ?? 0) > 0 || (r.allow?.length ?? 0) > 0, { error: 'an argument rule needs deny or allow patterns' });
}

const toolName = z.string({ error: 'expected a tool name pattern like "get_weather" or "search_*"' }).superRefine((p, ctx) => {
  if (p.length === 0) ctx.addIssue({ code: 'custom', message: 'tool name pattern must not be empty' });
  // eslint-disable-next-line no-control-regex
  else if (/[\s\x00-\x1f\x7f]/.test(p)) ctx.addIssue({ code: 'custom', message: 'tool name pattern must not contain whitespace or control characters' });
});
const toolNames = z.array(toolName, { error: 'expected a list of tool name patterns' });

const domain = z
  .string({ error: 'expected a domain like "example.com" or "*.example.com"' })
  .regex(/^(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?$/, { error: 'expected a domain like "example.com" or "*.example.com"' });

/** A JSON Schema object; checked for sense when the policy is built (see tools/config.ts). */
const jsonSchema = z.record(z.string(), z.unknown(), { error: 'expected a JSON Schema (a mapping)' });

export const toolsPolicySchema = z.strictObject({
  allow: toolNames.nullish(),
  deny: toolNames.nullish(),
  arguments: z.array(argumentRuleSchema(toolNames), { error: 'expected a list of argument rules' }).nullish(),
  schemas: z.record(z.string(), jsonSchema, { error: 'expected a mapping of tool names to JSON Schemas' }).nullish(),
  url_domains: z.array(domain, { error: 'expected a list of domains' }).nullish(),
  approval: z
    .strictObject({
      tools: toolNames.nullish(),
      timeout_ms: z
        .number({ error: 'expected a whole number of milliseconds' })
        .int({ error: 'expected a whole number of milliseconds' })
        .min(1, { error: 'must be at least 1' })
        .max(3_600_000, { error: 'must be at most 3600000 (one hour)' })
        .nullish(),
    })
    .nullish(),
  on_deny: z.enum(['explain', 'block'], { error: 'expected explain or block' }).nullish(),
});
export type RawToolsPolicy = z.infer<typeof toolsPolicySchema>;
