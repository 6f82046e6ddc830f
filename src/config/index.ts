export type {
  AppConfig,
  CategoryRules,
  FailMode,
  GatewayConfig,
  LimitQuotas,
  LimitRule,
  LimitScope,
  LimitsConfig,
  MaxOutputMode,
  ModelPrice,
  PolicyConfig,
  RedactionStyle,
  Rule,
  ServerConfig,
  StaticKey,
  StorageConfig,
  UpstreamConfig,
} from './types.ts';
export { ConfigError } from './errors.ts';
export type { ConfigIssue } from './errors.ts';
export { BUILTIN_SOURCE, builtinPolicy, loadConfig, parseConfig } from './load.ts';
export { watchConfig } from './watch.ts';
export { matchesModel } from './models.ts';
export { DEFAULT_POLICY_NAME } from './defaults.ts';
