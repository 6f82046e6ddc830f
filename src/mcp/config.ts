// MCP policy: the validated `mcp:` section turned into what the guard reads, over built-in defaults.
// Like the gateway's policies, a category rule set in the file replaces the default for that category
// only; everything not set keeps the default.

import type { FieldIssue } from '../config/errors.ts';
import type { CategoryRules, FailMode, Rule } from '../config/types.ts';
import { CATEGORIES } from '../exchange/types.ts';
import { SERVER_NAME } from './schema.ts';
import { buildArgumentRule } from '../tools/arguments.ts';
import type { ArgumentRule } from '../tools/arguments.ts';
import type { RawMcp, RawMcpCategoryRules, RawMcpRule } from './schema.ts';

/** What happens when a pinned tool's definition changes (a "rug pull"). */
export type PinChangeAction = 'block' | 'flag';

export type { ArgumentRule } from '../tools/arguments.ts';

export interface McpClientPolicy {
  /** Tool patterns the client may list and call ("server/tool", "server/*", "tool" = that tool on any server). */
  tools: string[];
  /** Patterns refused even when `tools` admits them. */
  denyTools: string[];
  arguments: ArgumentRule[];
}

export interface McpServerConfig {
  /** Streamable HTTP endpoint of the upstream server (for `parapet mcp proxy`). */
  url?: string;
  /** Sent to the upstream on every request: the operator's credentials, never the client's. */
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface McpConfig {
  /** HTTP clients must present a gateway key; its app names the client policy. */
  requireKey: boolean;
  /** What a detector error means for the message being inspected. */
  failMode: FailMode;
  onChange: PinChangeAction;
  /** Rules for tool definitions (descriptions, titles, schemas) and server instructions. */
  descriptions: CategoryRules;
  /** Rules for tools/call arguments. */
  arguments: CategoryRules;
  /** Rules for what tools return. */
  results: CategoryRules;
  /** Per client (a gateway app name, or `--client` of `mcp wrap`); `default` covers the rest. */
  clients: Record<string, McpClientPolicy>;
  servers: Record<string, McpServerConfig>;
}

export const DEFAULT_CLIENT = 'default';
export const DEFAULT_SERVER_TIMEOUT_MS = 120_000;

export function defaultDescriptionRules(): CategoryRules {
  // A tool description is read by the model as instructions from a trusted component, so the bar
  // for instruction-like text is lower than for a user prompt.
  return {
    injection: { block: 0.7, flag: 0.4 },
    jailbreak: { block: 0.7, flag: 0.4 },
    obfuscation: { block: 0.9, flag: 0.5 },
    tool_abuse: { block: 0.8, flag: 0.4 },
  };
}

export function defaultArgumentRules(): CategoryRules {
  return {
    tool_abuse: { block: 0.8, flag: 0.5 },
    unsafe_output: { flag: 0.5 },
    // A credential in tool arguments is how poisoned descriptions exfiltrate (read a key, pass it along).
    secret: { block: 0.8, flag: 0 },
  };
}

export function defaultResultRules(): CategoryRules {
  return {
    injection: { block: 0.8, flag: 0.4 },
    jailbreak: { block: 0.9, flag: 0.5 },
    harmful: { flag: 0.5 },
    obfuscation: { flag: 0.5 },
    secret: { flag: 0 },
  };
}

function permissiveClient(): McpClientPolicy {
  return { tools: ['*'], denyTools: [], arguments: [] };
}

export function defaultMcpConfig(): McpConfig {
  return {
    requireKey: true,
    failMode: 'closed',
    onChange: 'block',
    descriptions: defaultDescriptionRules(),
    arguments: defaultArgumentRules(),
    results: defaultResultRules(),
    clients: Object.create(null) as Record<string, McpClientPolicy>,
    servers: Object.create(null) as Record<string, McpServerConfig>,
  };
}

/** The policy of `client`: its own entry, else `default`, else every tool allowed. */
export function clientPolicy(config: McpConfig, client: string): McpClientPolicy {
  if (Object.hasOwn(config.clients, client)) return config.clients[client] ?? permissiveClient();
  if (Object.hasOwn(config.clients, DEFAULT_CLIENT)) return config.clients[DEFAULT_CLIENT] ?? permissiveClient();
  return permissiveClient();
}

type Path = (string | number)[];

function normaliseRule(raw: RawMcpRule, path: Path, issues: FieldIssue[]): Rule {
  if (typeof raw === 'string') return raw === 'allow' ? {} : { [raw]: 0 };
  const r: Rule = {};
  if (raw.block != null) r.block = raw.block;
  if (raw.redact != null) r.redact = raw.redact;
  if (raw.flag != null) r.flag = raw.flag;
  const ordered = [r.flag, r.redact, r.block].filter((t): t is number => t !== undefined);
  if (ordered.some((t, i) => i > 0 && t < (ordered[i - 1] ?? 0))) {
    issues.push({ path, message: 'thresholds must satisfy flag <= redact <= block: a weaker action set above a stronger one never applies' });
  }
  return r;
}

function overlay(base: CategoryRules, raw: RawMcpCategoryRules, path: Path, issues: FieldIssue[]): CategoryRules {
  if (raw == null) return base;
  for (const category of CATEGORIES) {
    const r = raw[category];
    if (r != null) base[category] = normaliseRule(r, [...path, category], issues);
  }
  return base;
}

/** Builds the MCP policy from the validated `mcp:` section; problems go to `issues` with their field path. */
export function buildMcpConfig(raw: RawMcp | null | undefined, issues: FieldIssue[]): McpConfig {
  const config = defaultMcpConfig();
  if (raw == null) return config;
  if (raw.require_key != null) config.requireKey = raw.require_key;
  if (raw.fail_mode != null) config.failMode = raw.fail_mode;
  if (raw.pins?.on_change != null) config.onChange = raw.pins.on_change;
  overlay(config.descriptions, raw.descriptions, ['mcp', 'descriptions'], issues);
  overlay(config.arguments, raw.arguments, ['mcp', 'arguments'], issues);
  overlay(config.results, raw.results, ['mcp', 'results'], issues);

  for (const [name, c] of Object.entries(raw.clients ?? {})) {
    const policy: McpClientPolicy = {
      tools: c?.tools ? [...c.tools] : ['*'],
      denyTools: c?.deny_tools ? [...c.deny_tools] : [],
      arguments: (c?.arguments ?? []).map((a, index) => buildArgumentRule(a, index)),
    };
    config.clients[name] = policy;
  }

  for (const [name, s] of Object.entries(raw.servers ?? {})) {
    if (!SERVER_NAME.test(name)) {
      issues.push({ path: ['mcp', 'servers', name], message: 'server names are 1-64 letters, digits, and _ . - (they appear in URLs and tool patterns)', atKey: true });
    }
    const server: McpServerConfig = { headers: { ...(s?.headers ?? {}) }, timeoutMs: s?.timeout_ms ?? DEFAULT_SERVER_TIMEOUT_MS };
    if (s?.url != null) server.url = s.url;
    for (const header of Object.keys(server.headers)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
        issues.push({ path: ['mcp', 'servers', name, 'headers', header], message: 'not a valid HTTP header name', atKey: true });
      }
    }
    config.servers[name] = server;
  }
  return config;
}
