import type { Category } from '../exchange/types.ts';
import type { McpConfig } from '../mcp/config.ts';
import type { ToolPolicy } from '../tools/config.ts';
import type { AlertsConfig, SessionPolicy, UntrustedContentPolicy } from './sessions.ts';

export interface UpstreamConfig {
  /** Provider root without a trailing slash, e.g. "https://api.openai.com/v1". */
  baseUrl: string;
  /** The gateway's own provider key; undefined when none is configured. */
  apiKey?: string;
  /** Forward the client's own provider key instead of `apiKey` (opt-in). */
  passthroughClientKey: boolean;
}

/**
 * Score thresholds of one category, normalised: an action word in the file becomes that threshold at 0
 * (so any finding triggers it) and `allow` becomes `{}`. score ≥ block → block, else ≥ redact → redact,
 * else ≥ flag → flag, else allow.
 */
export interface Rule {
  block?: number;
  redact?: number;
  flag?: number;
}

export type CategoryRules = Partial<Record<Category, Rule>>;

export type FailMode = 'closed' | 'open';
export type RedactionStyle = 'mask' | 'hash' | 'placeholder';

export interface PolicyConfig {
  name: string;
  /** What happens to the exchange when a detector throws. */
  failMode: FailMode;
  /** Glob patterns of models this policy allows (see matchesModel). */
  models: string[];
  redaction: RedactionStyle;
  /** Rules for request messages. */
  input: CategoryRules;
  /** Rules for request messages with trust 'untrusted'; already complete (not just the overrides). */
  untrusted: CategoryRules;
  /** Rules for what the model produced. */
  output: CategoryRules;
  disabledDetectors: string[];
  /** Consumption limits (src/limits); undefined when the policy sets none. */
  limits?: LimitsConfig;
  /** Rules for the tool calls the model makes (src/tools); undefined when the policy sets none. */
  tools?: ToolPolicy;
  /** Session correlation and active response (src/sessions); the defaults when undefined. */
  sessions?: SessionPolicy;
  /** Transforms of untrusted content before forwarding (src/respond/untrusted.ts); none when undefined. */
  untrustedContent?: UntrustedContentPolicy;
}

/**
 * What a limit rule counts per: one counter for each distinct value (or combination of values) of
 * these; `all` is one counter for every caller under the policy.
 */
export type LimitScope = 'all' | 'app' | 'key' | 'user' | 'model';

/** The quotas of one rule; only the ones set are enforced. Costs are in USD, from `prices`. */
export interface LimitQuotas {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  inputTokensPerMinute?: number;
  outputTokensPerMinute?: number;
  concurrentRequests?: number;
  concurrentStreams?: number;
  tokensPerDay?: number;
  tokensPerMonth?: number;
  costPerDay?: number;
  costPerMonth?: number;
}

export interface LimitRule extends LimitQuotas {
  /** Names the counters and the limit in headers and audit rules; defaults to the scopes ("key", "app+model"). */
  name: string;
  per: LimitScope[];
  /** Glob patterns: the rule only counts requests for these models; absent means every model. */
  models?: string[];
}

export type MaxOutputMode = 'clamp' | 'reject';

export interface LimitsConfig {
  /** When the limit store cannot be reached; defaults to the policy's fail_mode. */
  failMode: FailMode;
  /** Per request, counted (or estimated) before forwarding. */
  maxInputTokens?: number;
  /** Cap on max_tokens / max_completion_tokens / max_output_tokens; also inserted when the client sets none. */
  maxOutputTokens?: number;
  /** What a request asking for more than maxOutputTokens gets: lowered to the cap, or refused. */
  maxOutputMode: MaxOutputMode;
  rules: LimitRule[];
}

/** USD per one million tokens for the models matching `pattern` (a model glob). */
export interface ModelPrice {
  pattern: string;
  input: number;
  output: number;
}

export interface AppConfig {
  /** Policy for keys of this app unless a key names its own. */
  policy: string;
  /** Further narrows the policy's models when given. */
  models?: string[];
}

export interface StaticKey {
  id: string;
  /** Lowercase hex SHA-256 of the key; the key itself never appears in configuration. */
  sha256: string;
  app: string;
  policy?: string;
  models?: string[];
}

export interface ServerConfig {
  host: string;
  port: number;
  bodyLimitBytes: number;
  maxJsonDepth: number;
  upstreamTimeoutMs: number;
  drainTimeoutMs: number;
  /** SHA-256 (hex) of the bearer token for the admin API (/parapet/admin); the API is off when unset. */
  adminTokenSha256?: string;
}

export interface StorageConfig {
  sqlitePath: string;
  /** Shared limit counters for every instance; in-process counters when absent. */
  redisUrl?: string;
  /** Prefix of every Redis key Parapet writes, so deployments (and tests) can share one Redis. */
  redisPrefix: string;
  /** Audit log and gateway keys shared by every instance; SQLite when absent. */
  postgresUrl?: string;
}

export interface GatewayConfig {
  /** Path of the file the configuration came from, or '<built-in>'. */
  source: string;
  server: ServerConfig;
  upstreams: { openai: UpstreamConfig; anthropic: UpstreamConfig };
  storage: StorageConfig;
  /** Model prices for cost budgets; the exact name wins, else the longest matching pattern. */
  prices: ModelPrice[];
  /** Always contains 'default'. */
  policies: Record<string, PolicyConfig>;
  apps: Record<string, AppConfig>;
  keys: StaticKey[];
  /** MCP proxy and wrapper policy (`mcp:`); set only when the file has that section. */
  mcp?: McpConfig;
  /** Incident webhook for session alerts (`alerts:`); set only when the file has that section. */
  alerts?: AlertsConfig;
}
