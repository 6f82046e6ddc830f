// The `mcp:` section of parapet.yaml as a zod schema (snake_case, everything optional). It is part of
// the gateway's file schema, so the same loader reports its mistakes with file, line and field; this
// module must not import config/schema.ts at run time (that module imports this one).

import { z } from 'zod';
import { CATEGORIES } from '../exchange/types.ts';
import type { Category } from '../exchange/types.ts';
import { argumentRuleSchema } from '../tools/schema.ts';

const threshold = z
  .number({ error: 'expected a score threshold between 0 and 1' })
  .min(0, { error: 'threshold must be between 0 and 1' })
  .max(1, { error: 'threshold must be between 0 and 1' });

const rule = z.union(
  [
    z.enum(['allow', 'flag', 'redact', 'block']),
    z.strictObject({ block: threshold.nullish(), redact: threshold.nullish(), flag: threshold.nullish() }),
  ],
  { error: 'expected an action (allow, flag, redact, block) or thresholds { block, redact, flag }' },
);
export type RawMcpRule = z.infer<typeof rule>;

const categoryShape = {} as Record<Category, z.ZodOptional<z.ZodNullable<typeof rule>>>;
for (const category of CATEGORIES) categoryShape[category] = rule.nullish();
const categoryRules = z.strictObject(categoryShape).nullish();
export type RawMcpCategoryRules = z.infer<typeof categoryRules>;

/** Server names appear in URLs (/mcp/NAME) and in tool patterns (NAME/tool), so no '/' and no spaces. */
export const SERVER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const toolPattern = z.string({ error: 'expected a tool pattern like "server/tool", "server/*" or "tool"' }).superRefine((p, ctx) => {
  if (p.length === 0) ctx.addIssue({ code: 'custom', message: 'tool pattern must not be empty' });
  // eslint-disable-next-line no-control-regex
  else if (/[\s\x00-\x1f\x7f]/.test(p)) ctx.addIssue({ code: 'custom', message: 'tool pattern must not contain whitespace or control characters' });
  else if (p.split('/').length > 2) ctx.addIssue({ code: 'custom', message: 'tool pattern has at most one "/" (server/tool)' });
});
const toolPatterns = z.array(toolPattern, { error: 'expected a list of tool patterns' });

const argumentRule = argumentRuleSchema(toolPatterns);

const client = z.strictObject({
  tools: toolPatterns.nullish(),
  deny_tools: toolPatterns.nullish(),
  arguments: z.array(argumentRule, { error: 'expected a list of argument rules' }).nullish(),
});

const httpUrl = z.string({ error: 'expected a URL' }).superRefine((value, ctx) => {
  if (!URL.canParse(value) || !['http:', 'https:'].includes(new URL(value).protocol)) {
    ctx.addIssue({ code: 'custom', message: 'expected an http:// or https:// URL' });
  }
});

const server = z.strictObject({
  url: httpUrl.nullish(),
  headers: z.record(z.string(), z.string({ error: 'expected a header value (string)' }), { error: 'expected a mapping of header names to values' }).nullish(),
  timeout_ms: z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).positive({ error: 'must be greater than 0' }).nullish(),
});

export const mcpSchema = z.strictObject({
  require_key: z.boolean({ error: 'expected true or false' }).nullish(),
  fail_mode: z.enum(['closed', 'open'], { error: 'expected closed or open' }).nullish(),
  pins: z.strictObject({ on_change: z.enum(['block', 'flag'], { error: 'expected block or flag' }).nullish() }).nullish(),
  descriptions: categoryRules,
  arguments: categoryRules,
  results: categoryRules,
  clients: z.record(z.string(), client.nullish()).nullish(),
  // Names are checked when the section is built, where the message can name the key itself.
  servers: z.record(z.string(), server.nullish()).nullish(),
});
export type RawMcp = z.infer<typeof mcpSchema>;
