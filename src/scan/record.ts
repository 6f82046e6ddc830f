// One input of `parapet scan`: the JSON-lines contract in DESIGN.md, validated and with its
// defaults filled in, so every consumer (CLI, eval, bench) reads the same record the same way.
import type { Direction, Role, Trust } from '../exchange/types.ts';

export interface ScanRecord {
  text: string;
  role: Role;
  trust: Trust;
  direction: Direction;
  /** System prompt of the conversation, for leakage checks on output. */
  system?: string;
  /**
   * Name of the tool whose call arguments `text` is (an extension of the contract: it switches on
   * the tool-argument rules, as the gateway does for a model's tool calls).
   */
  tool?: string;
}

const ROLES: readonly Role[] = ['user', 'system', 'assistant', 'tool'];
const TRUSTS: readonly Trust[] = ['user', 'untrusted', 'trusted'];
const DIRECTIONS: readonly Direction[] = ['input', 'output'];

/** Trust a role has unless the record says otherwise: tool results are third-party content. */
export function defaultTrust(role: Role): Trust {
  if (role === 'tool') return 'untrusted';
  if (role === 'system') return 'trusted';
  return 'user';
}

export function defaultDirection(role: Role): Direction {
  return role === 'assistant' ? 'output' : 'input';
}

/** Validates one decoded JSON value; returns the record, or a message saying what is wrong. */
export function toRecord(value: unknown): ScanRecord | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'expected a JSON object';
  const v = value as Record<string, unknown>;
  if (!('text' in v)) return 'missing "text"';
  if (typeof v.text !== 'string') return '"text" must be a string';
  const role = pick(v, 'role', ROLES);
  if (role.error) return role.error;
  const trust = pick(v, 'trust', TRUSTS);
  if (trust.error) return trust.error;
  const direction = pick(v, 'direction', DIRECTIONS);
  if (direction.error) return direction.error;
  for (const key of ['system', 'tool'] as const) {
    if (v[key] !== undefined && v[key] !== null && typeof v[key] !== 'string') return `"${key}" must be a string`;
  }
  const r = role.value ?? 'user';
  const record: ScanRecord = {
    text: v.text,
    role: r,
    trust: trust.value ?? defaultTrust(r),
    direction: direction.value ?? defaultDirection(r),
  };
  if (typeof v.system === 'string') record.system = v.system;
  if (typeof v.tool === 'string' && v.tool.length > 0) record.tool = v.tool;
  return record;
}

/** An optional enum field: absent (and null) means "use the default". */
function pick<T extends string>(v: Record<string, unknown>, key: string, allowed: readonly T[]): { value?: T; error?: string } {
  const x = v[key];
  if (x === undefined || x === null) return {};
  const found = allowed.find((a) => a === x);
  if (found !== undefined) return { value: found };
  return { error: `"${key}" must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}` };
}

/** Parses and validates one line of input. */
export function parseRecordLine(line: string): ScanRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return `not valid JSON (${err instanceof Error ? err.message : String(err)})`;
  }
  return toRecord(value);
}
