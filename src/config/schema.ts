// The file's shape (snake_case, everything optional) as a zod schema. It only validates; load.ts turns
// the validated data into the camelCase GatewayConfig. An empty section (`input:` with nothing under
// it) reads as null in YAML and means the same as leaving the section out.

import { z } from 'zod';
import { CATEGORIES } from '../exchange/types.ts';
import type { Category } from '../exchange/types.ts';
import { modelPatternProblem } from './models.ts';
import { mcpSchema } from '../mcp/schema.ts';
import { toolsPolicySchema } from '../tools/schema.ts';
import { alertsSchema, sessionsSchema, untrustedContentSchema } from './sessions.ts';

export const ACTION_WORDS = ['allow', 'flag', 'redact', 'block'] as const;

const threshold = z
  .number({ error: 'expected a score threshold between 0 and 1' })
  .min(0, { error: 'threshold must be between 0 and 1' })
  .max(1, { error: 'threshold must be between 0 and 1' });

const thresholds = z.strictObject({
  block: threshold.nullish(),
  redact: threshold.nullish(),
  flag: threshold.nullish(),
});

export const ruleSchema = z.union([z.enum(ACTION_WORDS), thresholds], {
  error: 'expected an action (allow, flag, redact, block) or thresholds { block, redact, flag }',
});
export type RawRule = z.infer<typeof ruleSchema>;

const categoryShape = {} as Record<Category, z.ZodOptional<z.ZodNullable<typeof ruleSchema>>>;
for (const category of CATEGORIES) categoryShape[category] = ruleSchema.nullish();
const categoryRules = z.strictObject(categoryShape).nullish();
export type RawCategoryRules = z.infer<typeof categoryRules>;

const modelPattern = z.string({ error: 'expected a model pattern (string)' }).superRefine((pattern, ctx) => {
  const problem = modelPatternProblem(pattern);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});
const modelList = z
  .array(modelPattern, { error: 'expected a list of model patterns' })
  .min(1, { error: 'list at least one model pattern ("*" allows all)' });

const nonEmpty = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `${what} must not be empty` });

const httpUrl = z.string({ error: 'expected a URL' }).superRefine((value, ctx) => {
  if (!URL.canParse(value)) {
    ctx.addIssue({ code: 'custom', message: 'not a valid URL' });
    return;
  }
  const { protocol } = new URL(value);
  if (protocol !== 'http:' && protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: 'URL must start with http:// or https://' });
  }
});

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$/i;
const bodyLimit = z.union(
  [
    z.number().int().positive(),
    z
      .string()
      .regex(SIZE)
      .refine((v) => parseSize(v) >= 1, { error: 'size must be at least 1 byte' }),
  ],
  { error: 'expected a size in bytes or with a unit, e.g. 1048576, "512kb", "4mb"' },
);

/** Bytes in a body_limit value that already passed the schema. */
export function parseSize(value: number | string): number {
  if (typeof value === 'number') return value;
  const m = SIZE.exec(value);
  const amount = Number(m?.[1] ?? 'NaN');
  const unit = (m?.[2] ?? 'b').toLowerCase()[0];
  const scale = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(amount * scale);
}

const positiveInt = z
  .number({ error: 'expected a whole number' })
  .int({ error: 'expected a whole number' })
  .positive({ error: 'must be greater than 0' });
const nonNegativeInt = z
  .number({ error: 'expected a whole number' })
  .int({ error: 'expected a whole number' })
  .nonnegative({ error: 'must not be negative' });

const server = z.strictObject({
  host: nonEmpty('a host name or address').nullish(),
  port: z
    .number({ error: 'expected a port number' })
    .int({ error: 'expected a port number' })
    .min(0, { error: 'port must be between 0 and 65535' })
    .max(65535, { error: 'port must be between 0 and 65535' })
    .nullish(),
  body_limit: bodyLimit.nullish(),
  max_json_depth: positiveInt.nullish(),
  upstream_timeout_ms: positiveInt.nullish(),
  drain_timeout_ms: nonNegativeInt.nullish(),
  admin_token_sha256: z
    .string({ error: 'expected the hex SHA-256 of the admin token' })
    .regex(/^[0-9a-fA-F]{64}$/, { error: 'expected 64 hex characters (the SHA-256 of the admin token, not the token)' })
    .nullish(),
});

const upstream = z.strictObject({
  base_url: httpUrl.nullish(),
  api_key: z.string({ error: 'expected a string' }).nullish(),
  passthrough_client_key: z.boolean({ error: 'expected true or false' }).nullish(),
});

export const LIMIT_SCOPES = ['all', 'app', 'key', 'user', 'model'] as const;
const limitScope = z.enum(LIMIT_SCOPES, { error: `expected one of ${LIMIT_SCOPES.join(', ')}` });
const usd = z
  .number({ error: 'expected an amount in USD' })
  .positive({ error: 'must be greater than 0' })
  .max(1e9, { error: 'must be at most 1e9' });
// Counters are integers in Redis (doubles in Lua): keep every quota far below 2^53.
const quota = positiveInt.max(1e12, { error: 'must be at most 1e12' });

const limitRule = z.strictObject({
  name: z
    .string({ error: 'expected a rule name' })
    .regex(/^[A-Za-z0-9_.+-]{1,64}$/, { error: 'rule names are 1-64 letters, digits, and _ . + -' })
    .nullish(),
  per: z
    .union([limitScope, z.array(limitScope).min(1, { error: 'list at least one scope' })], {
      error: `expected a scope (${LIMIT_SCOPES.join(', ')}) or a list of them`,
    })
    .nullish(),
  models: modelList.nullish(),
  requests_per_minute: quota.nullish(),
  tokens_per_minute: quota.nullish(),
  input_tokens_per_minute: quota.nullish(),
  output_tokens_per_minute: quota.nullish(),
  concurrent_requests: quota.nullish(),
  concurrent_streams: quota.nullish(),
  tokens_per_day: quota.nullish(),
  tokens_per_month: quota.nullish(),
  cost_per_day: usd.nullish(),
  cost_per_month: usd.nullish(),
});
export type RawLimitRule = z.infer<typeof limitRule>;

const limits = z.strictObject({
  fail_mode: z.enum(['closed', 'open'], { error: 'expected closed or open' }).nullish(),
  max_input_tokens: quota.nullish(),
  max_output_tokens: quota.nullish(),
  max_output_mode: z.enum(['clamp', 'reject'], { error: 'expected clamp or reject' }).nullish(),
  rules: z.array(limitRule, { error: 'expected a list of limit rules' }).nullish(),
});
export type RawLimits = z.infer<typeof limits>;

const price = z.strictObject({
  input: z.number({ error: 'expected USD per 1M input tokens' }).nonnegative({ error: 'must not be negative' }),
  output: z.number({ error: 'expected USD per 1M output tokens' }).nonnegative({ error: 'must not be negative' }),
});

const serviceUrl = (protocols: readonly string[], example: string) =>
  z.string({ error: `expected a URL like ${example}` }).superRefine((value, ctx) => {
    if (!URL.canParse(value) || !protocols.includes(new URL(value).protocol)) {
      ctx.addIssue({ code: 'custom', message: `expected a URL like ${example}` });
    }
  });
export const REDIS_PROTOCOLS = ['redis:', 'rediss:'] as const;
export const POSTGRES_PROTOCOLS = ['postgres:', 'postgresql:'] as const;

const policy = z.strictObject({
  fail_mode: z.enum(['closed', 'open'], { error: 'expected closed or open' }).nullish(),
  limits: limits.nullish(),
  models: modelList.nullish(),
  redaction: z.enum(['mask', 'hash', 'placeholder'], { error: 'expected mask, hash or placeholder' }).nullish(),
  input: categoryRules,
  untrusted: categoryRules,
  output: categoryRules,
  detectors: z
    .strictObject({ disabled: z.array(nonEmpty('a detector id')).nullish() })
    .nullish(),
  tools: toolsPolicySchema.nullish(),
  sessions: sessionsSchema.nullish(),
  untrusted_content: untrustedContentSchema.nullish(),
});
export type RawPolicy = z.infer<typeof policy>;

const app = z.strictObject({
  policy: nonEmpty('a policy name').nullish(),
  models: modelList.nullish(),
});

const staticKey = z.strictObject({
  id: nonEmpty('a key id'),
  sha256: z
    .string({ error: 'expected the hex SHA-256 of the key' })
    .regex(/^[0-9a-fA-F]{64}$/, { error: 'expected 64 hex characters (the SHA-256 of the key, not the key)' }),
  app: nonEmpty('an app name'),
  policy: nonEmpty('a policy name').nullish(),
  models: modelList.nullish(),
});

export const fileSchema = z
  .strictObject({
    server: server.nullish(),
    upstreams: z
      .strictObject({ openai: upstream.nullish(), anthropic: upstream.nullish() })
      .nullish(),
    storage: z
      .strictObject({
        sqlite: nonEmpty('a file path').nullish(),
        redis_url: serviceUrl(REDIS_PROTOCOLS, 'redis://host:6379').nullish(),
        redis_prefix: z
          .string({ error: 'expected a key prefix' })
          .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'a prefix is 1-64 letters, digits, and _ . : -' })
          .nullish(),
        postgres_url: serviceUrl(POSTGRES_PROTOCOLS, 'postgres://user@host:5432/db').nullish(),
      })
      .nullish(),
    prices: z.record(z.string(), price.nullish()).nullish(),
    policies: z.record(z.string(), policy.nullish()).nullish(),
    apps: z.record(z.string(), app.nullish()).nullish(),
    keys: z.array(staticKey, { error: 'expected a list of keys' }).nullish(),
    mcp: mcpSchema.nullish(),
    alerts: alertsSchema.nullish(),
  }, { error: 'expected a mapping of configuration sections' })
  .nullish();
export type RawFile = z.infer<typeof fileSchema>;

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  if (s instanceof z.ZodUnion) {
    const object = (s.options as z.ZodType[]).find((o) => o instanceof z.ZodObject);
    if (object !== undefined) return object;
  }
  return s;
}

/** The keys the schema accepts at `path`, for "did you mean" hints on unknown keys. */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let s = unwrap(fileSchema);
  for (const segment of path) {
    if (s instanceof z.ZodObject) {
      const next = (s.shape as Record<string, z.ZodType>)[String(segment)];
      if (next === undefined) return [];
      s = unwrap(next);
    } else if (s instanceof z.ZodRecord) {
      s = unwrap(s.valueType as z.ZodType);
    } else if (s instanceof z.ZodArray) {
      s = unwrap(s.element as z.ZodType);
    } else {
      return [];
    }
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape as Record<string, unknown>) : [];
}
