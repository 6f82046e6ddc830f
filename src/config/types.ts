import type { Category } from '../exchange/types.ts';

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
}

export interface GatewayConfig {
  /** Path of the file the configuration came from, or '<built-in>'. */
  source: string;
  server: ServerConfig;
  upstreams: { openai: UpstreamConfig; anthropic: UpstreamConfig };
  storage: { sqlitePath: string };
  /** Always contains 'default'. */
  policies: Record<string, PolicyConfig>;
  apps: Record<string, AppConfig>;
  keys: StaticKey[];
}
