// File → GatewayConfig: YAML syntax, `${VAR}` expansion, schema, normalisation, cross-checks and the
// PARAPET_* overrides, collecting every issue with its field path and line before failing once.

import { readFileSync } from 'node:fs';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, YAMLError } from 'yaml';
import type { z } from 'zod';
import { CATEGORIES } from '../exchange/types.ts';
import {
  DEFAULT_ANTHROPIC_BASE_URL,
  DEFAULT_ANTHROPIC_KEY_VAR,
  DEFAULT_FAIL_MODE,
  DEFAULT_MODELS,
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_OPENAI_KEY_VAR,
  DEFAULT_POLICY_NAME,
  DEFAULT_REDACTION,
  DEFAULT_SERVER,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_SQLITE_PATH,
  builtinInputRules,
  builtinOutputRules,
  builtinUntrustedRules,
} from './defaults.ts';
import { applyEnvOverrides, expandDocument, stripTrailingSlash } from './env.ts';
import { ConfigError } from './errors.ts';
import { buildLimits, buildPrices } from './limits.ts';
import { buildMcpConfig } from '../mcp/config.ts';
import type { ConfigIssue, FieldIssue } from './errors.ts';
import { fileSchema, knownKeysAt, parseSize } from './schema.ts';
import type { RawCategoryRules, RawFile, RawPolicy, RawRule } from './schema.ts';
import { buildToolPolicy } from '../tools/config.ts';
import { buildAlerts, buildSessionPolicy, buildUntrustedContent } from './sessions.ts';
import type {
  AppConfig,
  CategoryRules,
  GatewayConfig,
  PolicyConfig,
  Rule,
  ServerConfig,
  StaticKey,
  StorageConfig,
  UpstreamConfig,
} from './types.ts';

export const BUILTIN_SOURCE = '<built-in>';

type Path = readonly (string | number)[];
type ZodIssue = z.core.$ZodIssue;

// ---- locating issues -------------------------------------------------------------------------

function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Offset of the YAML node nearest to `path` (the deepest one that exists). */
function offsetOf(doc: Document, path: Path, atKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = isScalar(node) || isMap(node) || isSeq(node) ? node.range?.[0] : undefined;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(segment));
      if (pair === undefined) break;
      const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      const value = pair.value;
      // `key:` with nothing after it has an empty value positioned past the line; the key reads better.
      const emptyValue = value === null || (isScalar(value) && value.value === null && value.source === '');
      if ((last && atKey) || emptyValue) {
        offset = keyOffset ?? offset;
        if (emptyValue) break;
        continue;
      }
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
    } else {
      break;
    }
    if (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node)) offset = node.range?.[0] ?? offset;
  }
  return offset;
}

function locate(issue: FieldIssue, doc: Document, lines: LineCounter, source: string): ConfigIssue {
  const offset = offsetOf(doc, issue.path, issue.atKey === true);
  const out: ConfigIssue = { path: formatPath(issue.path), message: issue.message, source };
  if (offset !== undefined) {
    const pos = lines.linePos(offset);
    out.line = pos.line;
    out.column = pos.col;
  }
  return out;
}

function syntaxIssue(error: YAMLError, source: string): ConfigIssue {
  const firstLine = error.message.split('\n')[0] ?? error.message;
  const message = firstLine.replace(/ at line \d+, column \d+:?$/, '');
  const pos = error.linePos?.[0];
  return { path: '', message: `YAML syntax error: ${message}`, source, line: pos?.line, column: pos?.col };
}

// ---- turning zod issues into readable ones ---------------------------------------------------

/** Edit distance counting a swap of neighbours as one edit, the commonest typo ("injeciton"). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row[j] = j;
        continue;
      }
      const up = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((row[j - 1] ?? 0) + 1, (up[j] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row[j] = d;
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? Math.max(a.length, b.length);
}

function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function didYouMean(word: string, candidates: Iterable<string>): string {
  const guess = closest(word, candidates);
  return guess === undefined ? '' : ` (did you mean '${guess}'?)`;
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const segment of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[segment];
  }
  return v;
}

function describe(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'boolean') return 'true/false';
  return `a ${typeof value}`;
}

function toPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

function fromZod(issue: ZodIssue, base: Path, data: unknown): FieldIssue[] {
  const path = [...base, ...toPath(issue.path)];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(path);
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `unknown key${didYouMean(key, known)}`,
        atKey: true,
      }));
    }
    case 'invalid_union': {
      // A branch that failed only because the value is of another type (a word where thresholds go)
      // says nothing; if exactly one branch got further, its issues are the useful ones.
      const isString = typeof valueAt(data, path) === 'string';
      const informative = issue.errors.filter(
        (branch) =>
          !branch.every(
            (i) => i.path.length === 0 && (i.code === 'invalid_type' || (i.code === 'invalid_value' && !isString)),
          ),
      );
      if (informative.length === 1 && informative[0] !== undefined) {
        return informative[0].flatMap((inner) => fromZod(inner, path, data));
      }
      return [{ path, message: `${issue.message}, got ${describe(valueAt(data, path))}` }];
    }
    case 'invalid_type': {
      const value = valueAt(data, path);
      if (value === undefined) return [{ path, message: 'required field is missing' }];
      const got = issue.expected === 'int' ? '' : `, got ${describe(value)}`;
      return [{ path, message: `${issue.message}${got}` }];
    }
    case 'invalid_value': {
      const value = valueAt(data, path);
      const shown = typeof value === 'string' && value.length <= 40 ? JSON.stringify(value) : describe(value);
      const options = issue.values.map(String);
      const hint = typeof value === 'string' ? didYouMean(value, options) : '';
      return [{ path, message: `expected one of ${options.join(', ')}, got ${shown}${hint}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

// ---- normalisation and cross-checks ----------------------------------------------------------

function normaliseRule(raw: RawRule, path: Path, issues: FieldIssue[]): Rule {
  if (typeof raw === 'string') {
    if (raw === 'allow') return {};
    return { [raw]: 0 };
  }
  const rule: Rule = {};
  if (raw.block != null) rule.block = raw.block;
  if (raw.redact != null) rule.redact = raw.redact;
  if (raw.flag != null) rule.flag = raw.flag;
  const ordered = [rule.flag, rule.redact, rule.block].filter((t): t is number => t !== undefined);
  if (ordered.some((t, i) => i > 0 && t < (ordered[i - 1] ?? 0))) {
    issues.push({
      path,
      message: 'thresholds must satisfy flag <= redact <= block: a weaker action set above a stronger one never applies',
    });
  }
  return rule;
}

function overlay(base: CategoryRules, raw: RawCategoryRules, path: Path, issues: FieldIssue[]): CategoryRules {
  if (raw == null) return base;
  for (const category of CATEGORIES) {
    const r = raw[category];
    if (r != null) base[category] = normaliseRule(r, [...path, category], issues);
  }
  return base;
}

function lowest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** Per threshold the lower (stricter) of two rules; a fresh object so policies never share rules. */
function stricter(a: Rule | undefined, b: Rule | undefined): Rule | undefined {
  if (a === undefined && b === undefined) return undefined;
  const rule: Rule = {};
  const block = lowest(a?.block, b?.block);
  const redact = lowest(a?.redact, b?.redact);
  const flag = lowest(a?.flag, b?.flag);
  if (block !== undefined) rule.block = block;
  if (redact !== undefined) rule.redact = redact;
  if (flag !== undefined) rule.flag = flag;
  return rule;
}

/**
 * A policy is the built-in default policy with the file's settings laid over it, category by category.
 * Untrusted content is never judged more leniently than the input rules unless the policy says so under
 * `untrusted:`: a category it does not list there gets the stricter of its input rule and the built-in
 * untrusted rule.
 */
function buildPolicy(name: string, raw: RawPolicy | null | undefined, issues: FieldIssue[], hasPrices = false): PolicyConfig {
  const path = ['policies', name];
  const input = overlay(builtinInputRules(), raw?.input, [...path, 'input'], issues);
  const output = overlay(builtinOutputRules(), raw?.output, [...path, 'output'], issues);
  const explicit = overlay({}, raw?.untrusted, [...path, 'untrusted'], issues);
  const builtinUntrusted = builtinUntrustedRules();
  const untrusted: CategoryRules = {};
  for (const category of CATEGORIES) {
    const rule = explicit[category] ?? stricter(input[category], builtinUntrusted[category]);
    if (rule !== undefined) untrusted[category] = rule;
  }
  const failMode = raw?.fail_mode ?? DEFAULT_FAIL_MODE;
  const policy: PolicyConfig = {
    name,
    failMode,
    models: raw?.models ? [...raw.models] : [...DEFAULT_MODELS],
    redaction: raw?.redaction ?? DEFAULT_REDACTION,
    input,
    untrusted,
    output,
    disabledDetectors: raw?.detectors?.disabled ? [...raw.detectors.disabled] : [],
  };
  const limits = buildLimits(raw?.limits, failMode, hasPrices, [...path, 'limits'], issues);
  if (limits !== undefined) policy.limits = limits;
  const tools = buildToolPolicy(raw?.tools, [...path, 'tools'], issues);
  if (tools !== undefined) policy.tools = tools;
  policy.sessions = buildSessionPolicy(raw?.sessions, failMode, [...path, 'sessions'], issues);
  policy.untrustedContent = buildUntrustedContent(raw?.untrusted_content);
  return policy;
}

/** The built-in default policy, as used with no configuration file. */
export function builtinPolicy(): PolicyConfig {
  return buildPolicy(DEFAULT_POLICY_NAME, undefined, []);
}

function upstreamFrom(
  raw: { base_url?: string | null; api_key?: string | null; passthrough_client_key?: boolean | null } | null | undefined,
  defaultUrl: string,
  defaultKey: string | undefined,
): UpstreamConfig {
  const key = raw?.api_key != null ? raw.api_key : defaultKey;
  const upstream: UpstreamConfig = {
    baseUrl: stripTrailingSlash(raw?.base_url ?? defaultUrl),
    passthroughClientKey: raw?.passthrough_client_key ?? false,
  };
  // `${KEY:-}` and an unset built-in reference both mean "no key", not an empty Authorization header.
  if (key !== undefined && key !== '') upstream.apiKey = key;
  return upstream;
}

function unknownReference(kind: string, name: string, defined: Record<string, unknown>): string {
  const names = Object.keys(defined);
  return `unknown ${kind} '${name}'${didYouMean(name, names)}; defined: ${names.join(', ') || '(none)'}`;
}

function build(raw: RawFile, source: string, env: NodeJS.ProcessEnv, issues: FieldIssue[]): GatewayConfig {
  const s = raw?.server;
  const server: ServerConfig = {
    host: s?.host ?? DEFAULT_SERVER.host,
    port: s?.port ?? DEFAULT_SERVER.port,
    bodyLimitBytes: s?.body_limit != null ? parseSize(s.body_limit) : DEFAULT_SERVER.bodyLimitBytes,
    maxJsonDepth: s?.max_json_depth ?? DEFAULT_SERVER.maxJsonDepth,
    upstreamTimeoutMs: s?.upstream_timeout_ms ?? DEFAULT_SERVER.upstreamTimeoutMs,
    drainTimeoutMs: s?.drain_timeout_ms ?? DEFAULT_SERVER.drainTimeoutMs,
  };
  if (s?.admin_token_sha256 != null) server.adminTokenSha256 = s.admin_token_sha256.toLowerCase();

  // Null prototypes: names come from the file, and a lookup of "constructor" must not find one.
  const prices = buildPrices(raw?.prices, issues);
  const policies = Object.create(null) as Record<string, PolicyConfig>;
  policies[DEFAULT_POLICY_NAME] = builtinPolicy();
  for (const [name, p] of Object.entries(raw?.policies ?? {})) {
    policies[name] = buildPolicy(name, p, issues, Object.keys(raw?.prices ?? {}).length > 0);
  }

  const apps = Object.create(null) as Record<string, AppConfig>;
  for (const [name, a] of Object.entries(raw?.apps ?? {})) {
    const app: AppConfig = { policy: a?.policy ?? DEFAULT_POLICY_NAME };
    if (a?.models) app.models = [...a.models];
    if (!Object.hasOwn(policies, app.policy)) {
      issues.push({ path: ['apps', name, 'policy'], message: unknownReference('policy', app.policy, policies) });
    }
    apps[name] = app;
  }

  const keys: StaticKey[] = [];
  const seenIds = new Map<string, number>();
  const seenHashes = new Map<string, number>();
  (raw?.keys ?? []).forEach((k, i) => {
    const key: StaticKey = { id: k.id, sha256: k.sha256.toLowerCase(), app: k.app };
    if (k.policy != null) key.policy = k.policy;
    if (k.models) key.models = [...k.models];
    if (!Object.hasOwn(apps, key.app)) {
      issues.push({ path: ['keys', i, 'app'], message: `${unknownReference('app', key.app, apps)} (declare it under apps:)` });
    }
    if (key.policy !== undefined && !Object.hasOwn(policies, key.policy)) {
      issues.push({ path: ['keys', i, 'policy'], message: unknownReference('policy', key.policy, policies) });
    }
    const sameId = seenIds.get(key.id);
    if (sameId !== undefined) issues.push({ path: ['keys', i, 'id'], message: `duplicate key id (also keys[${sameId}])` });
    else seenIds.set(key.id, i);
    const sameHash = seenHashes.get(key.sha256);
    if (sameHash !== undefined) {
      issues.push({ path: ['keys', i, 'sha256'], message: `the same key hash is already keys[${sameHash}]` });
    } else {
      seenHashes.set(key.sha256, i);
    }
    keys.push(key);
  });

  return {
    source,
    server,
    upstreams: {
      openai: upstreamFrom(raw?.upstreams?.openai, DEFAULT_OPENAI_BASE_URL, env[DEFAULT_OPENAI_KEY_VAR]),
      anthropic: upstreamFrom(raw?.upstreams?.anthropic, DEFAULT_ANTHROPIC_BASE_URL, env[DEFAULT_ANTHROPIC_KEY_VAR]),
    },
    storage: storageFrom(raw?.storage),
    prices,
    policies,
    apps,
    keys,
    ...(raw?.mcp != null ? { mcp: buildMcpConfig(raw.mcp, issues) } : {}),
    ...(raw?.alerts != null ? { alerts: buildAlerts(raw.alerts) } : {}),
  };
}

function storageFrom(raw: NonNullable<RawFile>['storage']): StorageConfig {
  const storage: StorageConfig = { sqlitePath: raw?.sqlite ?? DEFAULT_SQLITE_PATH, redisPrefix: raw?.redis_prefix ?? DEFAULT_REDIS_PREFIX };
  if (raw?.redis_url != null) storage.redisUrl = raw.redis_url;
  if (raw?.postgres_url != null) storage.postgresUrl = raw.postgres_url;
  return storage;
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

// ---- entry points ----------------------------------------------------------------------------

/**
 * Parses configuration text. `source` names the file in error messages. Throws ConfigError listing every
 * issue found (syntax errors alone when the YAML does not parse).
 */
export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  // Past the first few, syntax errors are mostly echoes of the first one.
  if (doc.errors.length > 0) throw new ConfigError(doc.errors.slice(0, 3).map((e) => syntaxIssue(e, source)));

  const envIssues = expandDocument(doc, env);
  const fieldIssues: FieldIssue[] = [...envIssues];
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // yaml refuses documents whose aliases expand beyond its limit (the "billion laughs" shape).
    throw new ConfigError([{ path: '', message: (err as Error).message, source }]);
  }

  const parsed = fileSchema.safeParse(data);
  let cfg: GatewayConfig | undefined;
  if (parsed.success) {
    cfg = build(parsed.data, source, env, fieldIssues);
  } else {
    for (const issue of parsed.error.issues) {
      for (const found of fromZod(issue, [], data)) {
        // A value whose reference did not expand is reported once, for the reference.
        if (!envIssues.some((e) => startsWith(found.path, e.path))) fieldIssues.push(found);
      }
    }
  }

  // In file order, as someone fixing them reads the file.
  const issues = fieldIssues
    .map((issue) => locate(issue, doc, lines, source))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  issues.push(...applyEnvOverrides(cfg ?? build(undefined, source, env, []), env));
  if (issues.length > 0 || cfg === undefined) throw new ConfigError(issues);
  return cfg;
}

/**
 * Loads the configuration file at `path`, or the built-in defaults when `path` is undefined; the
 * PARAPET_* variables of `env` apply over either.
 */
export function loadConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  if (path === undefined) return parseConfig('', BUILTIN_SOURCE, env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ path: '', message: `cannot read configuration file: ${(err as Error).message}`, source: path }]);
  }
  return parseConfig(text, path, env);
}
