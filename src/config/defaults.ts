// Built-in defaults: the whole configuration when there is no file, and the base every field and every
// policy in a file inherits from.

import type { CategoryRules, PolicyConfig, ServerConfig } from './types.ts';

export const DEFAULT_SERVER: Readonly<ServerConfig> = {
  host: '127.0.0.1',
  port: 8080,
  bodyLimitBytes: 4 * 1024 * 1024,
  maxJsonDepth: 64,
  upstreamTimeoutMs: 120_000,
  drainTimeoutMs: 30_000,
};

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';
/** Env variables the built-in upstreams take their keys from; unset just means no key. */
export const DEFAULT_OPENAI_KEY_VAR = 'OPENAI_API_KEY';
export const DEFAULT_ANTHROPIC_KEY_VAR = 'ANTHROPIC_API_KEY';
export const DEFAULT_SQLITE_PATH = 'parapet.db';
export const DEFAULT_REDIS_PREFIX = 'parapet';
export const DEFAULT_POLICY_NAME = 'default';

/**
 * PII findings at or above this score are direct identifiers; the quasi-identifiers of the PII
 * detector score below it (QUASI_SCORE = 0.3).
 */
export const PII_DIRECT_SCORE = 0.35;

// Functions rather than shared objects so no caller can edit the defaults of every later load.
export function builtinInputRules(): CategoryRules {
  return {
    injection: { block: 0.9, flag: 0.5 },
    jailbreak: { block: 0.9, flag: 0.5 },
    harmful: { flag: 0.5 },
    obfuscation: { flag: 0.5 },
    secret: { flag: 0 },
    // Quasi-identifiers (places, dates, organisations … score 0.3, see detectors/pii/entities.ts) in
    // the caller's own words are no incident; direct identifiers are flagged.
    pii: { flag: PII_DIRECT_SCORE },
  };
}

/** Only what differs from the input rules: third-party content gets a lower bar for injection. */
export function builtinUntrustedRules(): CategoryRules {
  return { injection: { block: 0.8, flag: 0.4 } };
}

export function builtinOutputRules(): CategoryRules {
  return {
    secret: { redact: 0 },
    // Direct identifiers are redacted. Quasi-identifiers take no action: flagging every answer that names
    // a country or a year would bury real incidents (`pii: redact` redacts both, `flag: 0` reports them).
    pii: { redact: PII_DIRECT_SCORE },
    leakage: { block: 0.9, flag: 0.5 },
    unsafe_output: { block: 0.9, flag: 0.5 },
    injection: { flag: 0 },
    tool_abuse: { block: 0.9, flag: 0.5 },
  };
}

export const DEFAULT_FAIL_MODE: PolicyConfig['failMode'] = 'closed';
export const DEFAULT_REDACTION: PolicyConfig['redaction'] = 'mask';
export const DEFAULT_MODELS: readonly string[] = ['*'];
