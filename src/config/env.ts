// The environment's two roles: `${VAR}` / `${VAR:-default}` references inside the file's string values,
// and the PARAPET_* variables that override the file (12-factor).

import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { ConfigIssue, FieldIssue } from './errors.ts';
import type { GatewayConfig } from './types.ts';

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const REFERENCE_BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

interface Expansion {
  text: string;
  problems: string[];
}

/** Expands references in one string; `$${` stands for a literal `${`. */
export function expandString(value: string, env: NodeJS.ProcessEnv): Expansion {
  const problems: string[] = [];
  const text = value.replace(REFERENCE, (match: string, body: string | undefined) => {
    if (match === '$${') return '${';
    if (body === undefined) {
      problems.push("unterminated '${': close the reference with '}' (write '$${' for a literal '${')");
      return match;
    }
    const ref = REFERENCE_BODY.exec(body);
    if (ref === null) {
      problems.push(`invalid reference '${match}': expected \${NAME} or \${NAME:-default}`);
      return match;
    }
    const name = ref[1] ?? '';
    const fallback = ref[2];
    const set = env[name];
    if (set !== undefined && set !== '') return set;
    if (fallback !== undefined) return fallback;
    problems.push(`environment variable ${name} is not set or empty (write \${${name}:-default} to give a default)`);
    return match;
  });
  return { text, problems };
}

// A plain (unquoted) scalar like `port: ${PORT:-8080}` should read as the number it expands to, as it
// would had the number been written there; quoted scalars stay strings, as quoting says.
function retype(text: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length === 0 && isScalar(doc.contents)) {
    const v = doc.contents.value;
    if (typeof v === 'number' || typeof v === 'boolean') return v;
  }
  return text;
}

/** Expands every string value in the document in place; returns one issue per unresolvable value. */
export function expandDocument(doc: Document, env: NodeJS.ProcessEnv): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      const { text, problems } = expandString(node.value, env);
      for (const message of problems) issues.push({ path, message });
      if (problems.length === 0) node.value = node.type === 'PLAIN' ? retype(text) : text;
    }
  };
  walk(doc.contents, []);
  return issues;
}

function stripTrailingSlash(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}

/** Applies PARAPET_* variables over the configuration in place; empty variables count as unset. */
export function applyEnvOverrides(cfg: GatewayConfig, env: NodeJS.ProcessEnv): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const bad = (name: string, message: string): void => {
    issues.push({ path: name, message, source: 'environment' });
  };
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };

  const port = get('PARAPET_PORT');
  if (port !== undefined) {
    const n = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
    if (n >= 0 && n <= 65535) cfg.server.port = n;
    else bad('PARAPET_PORT', `expected a port number between 0 and 65535, got '${port}'`);
  }
  const host = get('PARAPET_HOST');
  if (host !== undefined) cfg.server.host = host;

  for (const [name, upstream] of [
    ['PARAPET_OPENAI_BASE_URL', cfg.upstreams.openai],
    ['PARAPET_ANTHROPIC_BASE_URL', cfg.upstreams.anthropic],
  ] as const) {
    const url = get(name);
    if (url === undefined) continue;
    if (isHttpUrl(url)) upstream.baseUrl = stripTrailingSlash(url);
    else bad(name, `expected an http:// or https:// URL, got '${url}'`);
  }

  // The admin token itself may come from the environment (a secret store); only its hash is kept.
  const adminToken = get('PARAPET_ADMIN_TOKEN');
  if (adminToken !== undefined) {
    if (adminToken.length >= 16) cfg.server.adminTokenSha256 = createHash('sha256').update(adminToken).digest('hex');
    else bad('PARAPET_ADMIN_TOKEN', 'expected at least 16 characters');
  }

  const db = get('PARAPET_DB');
  if (db !== undefined) cfg.storage.sqlitePath = db;

  for (const [name, field, protocols, example] of [
    ['PARAPET_REDIS_URL', 'redisUrl', ['redis:', 'rediss:'], 'redis://host:6379'],
    ['PARAPET_POSTGRES_URL', 'postgresUrl', ['postgres:', 'postgresql:'], 'postgres://user@host:5432/db'],
  ] as const) {
    const url = get(name);
    if (url === undefined) continue;
    if (URL.canParse(url) && (protocols as readonly string[]).includes(new URL(url).protocol)) cfg.storage[field] = url;
    else bad(name, `expected a URL like ${example}`);
  }
  return issues;
}

export { stripTrailingSlash };
