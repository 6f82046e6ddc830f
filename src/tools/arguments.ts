// Operator argument rules for tool calls, shared by the LLM-API tool policy and the MCP guard: a rule
// names tools, optionally one argument (a dotted path), and deny/allow regular expressions tested
// against every scalar value found there.

export interface ArgumentRule {
  /** Position in its list, for audit rule ids (…arguments[i]). */
  index: number;
  /** Tool patterns the rule applies to; every tool when empty. */
  tools: string[];
  /** Path into the arguments object; every string value anywhere in the arguments when absent. */
  field?: string[];
  /** A value matching any of these is refused. */
  deny: string[];
  /** When set, a value must match one of these. */
  allow: string[];
  ignoreCase: boolean;
}

/** The validated YAML form of one rule (snake_case), as both schemas accept it. */
export interface RawArgumentRule {
  tools?: string[] | null;
  field?: string | null;
  deny?: string[] | null;
  allow?: string[] | null;
  ignore_case?: boolean | null;
}

export function buildArgumentRule(raw: RawArgumentRule, index: number): ArgumentRule {
  const rule: ArgumentRule = {
    index,
    tools: raw.tools ? [...raw.tools] : [],
    deny: raw.deny ? [...raw.deny] : [],
    allow: raw.allow ? [...raw.allow] : [],
    ignoreCase: raw.ignore_case ?? false,
  };
  if (raw.field != null) rule.field = raw.field.split('.');
  return rule;
}

const compiledRules = new WeakMap<ArgumentRule, { deny: RegExp[]; allow: RegExp[] }>();

function compiled(rule: ArgumentRule): { deny: RegExp[]; allow: RegExp[] } {
  let c = compiledRules.get(rule);
  if (c === undefined) {
    const flags = rule.ignoreCase ? 'iu' : 'u';
    c = { deny: rule.deny.map((p) => new RegExp(p, flags)), allow: rule.allow.map((p) => new RegExp(p, flags)) };
    compiledRules.set(rule, c);
  }
  return c;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Scalar leaves of an argument value, as the strings a pattern is tested against. */
export function argumentLeaves(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 32 || out.length > 10_000) return out;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) argumentLeaves(v, out, depth + 1);
  else if (isObject(value)) for (const v of Object.values(value)) argumentLeaves(v, out, depth + 1);
  return out;
}

function fieldValue(args: unknown, path: readonly string[]): unknown {
  let v = args;
  for (const key of path) {
    if (!isObject(v) || !Object.hasOwn(v, key)) return undefined;
    v = v[key];
  }
  return v;
}

export interface ArgumentViolation {
  /** `deny` when a value matched a denied pattern, `allow` when one matched none of the allowed. */
  kind: 'deny' | 'allow';
  /** "argument 'path'" or "an argument", for messages. The value itself is never quoted. */
  where: string;
}

/** Checks one rule against a call's parsed arguments (the caller has matched the tool already). */
export function checkArgumentRule(rule: ArgumentRule, args: unknown): ArgumentViolation | undefined {
  const values = argumentLeaves(rule.field ? fieldValue(args, rule.field) : args);
  const where = rule.field ? `argument '${rule.field.join('.')}'` : 'an argument';
  const { deny, allow } = compiled(rule);
  if (values.some((v) => deny.some((re) => re.test(v)))) return { kind: 'deny', where };
  if (allow.length > 0 && values.some((v) => !allow.some((re) => re.test(v)))) return { kind: 'allow', where };
  return undefined;
}
