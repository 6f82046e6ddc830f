// The mock's script: JSON lines that decide how the mock answers a request, matched in order against
// the text of the last user message. The first matching line wins; with no match the mock echoes.
//
// A line (every field optional):
//   match       regex source tested against the last user message (no flags; use (?i:...) to ignore
//               case, [\s\S] to span lines). Absent: matches everything.
//   reply       assistant text. Absent: echo the last user message, or '' when tool_calls are given.
//   tool_calls  [{ name, arguments?: {...}, id? }]: the assistant calls these tools.
//   chunk_size  characters per streamed text delta and per tool-argument JSON fragment (default 8).
//   delay_ms    pause between streamed events; before the whole answer when not streamed.
//   delay_jitter_ms  spread of delay_ms: each request's delay is drawn uniformly from
//               [delay_ms − jitter, delay_ms + jitter] (never below 0), as a hosted model's latency
//               varies from one request to the next. Drawn from a fixed-seed sequence per script, so
//               a run is repeatable.
//   status      answer with this HTTP error status (400–599) in the provider's error shape; the
//               reply, if any, becomes the error message.
//   fault       reset | hang | malformed | truncate (see server.ts).
//   headers     extra response headers.
//   usage       token counts to report instead of the computed ones: prompt_tokens / input_tokens,
//               completion_tokens / output_tokens.
//   times       use this line for at most N matching requests, then skip it (e.g. fail once, then
//               succeed, to exercise retries).
import { readFile } from 'node:fs/promises';

export type Fault = 'reset' | 'hang' | 'malformed' | 'truncate';

export interface ScriptToolCall {
  name: string;
  arguments?: Record<string, unknown>;
  id?: string;
}

export interface ScriptUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
}

export interface ScriptLine {
  match?: string | RegExp;
  reply?: string;
  tool_calls?: ScriptToolCall[];
  chunk_size?: number;
  delay_ms?: number;
  delay_jitter_ms?: number;
  status?: number;
  fault?: Fault;
  headers?: Record<string, string>;
  usage?: ScriptUsage;
  times?: number;
}

export const DEFAULT_CHUNK_SIZE = 8;

const FAULTS: readonly string[] = ['reset', 'hang', 'malformed', 'truncate'];
const LINE_KEYS = new Set([
  'match',
  'reply',
  'tool_calls',
  'chunk_size',
  'delay_ms',
  'delay_jitter_ms',
  'status',
  'fault',
  'headers',
  'usage',
  'times',
]);
const USAGE_KEYS = new Set(['prompt_tokens', 'completion_tokens', 'input_tokens', 'output_tokens']);
const TOOL_KEYS = new Set(['name', 'arguments', 'id']);

class ScriptError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'ScriptError';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RegExp);
}

function isInt(v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/**
 * Checks one script entry (parsed JSON or an object built in code) and returns it typed.
 * Unknown keys are rejected so that a typo ("chunksize") fails loudly instead of being ignored.
 */
export function validateScriptLine(value: unknown, line: number): ScriptLine {
  const fail = (msg: string): never => {
    throw new ScriptError(line, msg);
  };
  if (!isPlainObject(value)) return fail('expected a JSON object');
  for (const key of Object.keys(value)) {
    if (!LINE_KEYS.has(key)) fail(`unknown field "${key}"`);
  }
  const out: ScriptLine = {};
  const { match, reply, tool_calls, chunk_size, delay_ms, delay_jitter_ms, status, fault, headers, usage, times } = value;

  if (match !== undefined) {
    if (match instanceof RegExp) out.match = match;
    else if (typeof match !== 'string') fail('"match" must be a string (a regular expression)');
    else {
      try {
        new RegExp(match);
      } catch (err) {
        fail(`"match" is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`);
      }
      out.match = match;
    }
  }
  if (reply !== undefined) {
    if (typeof reply !== 'string') fail('"reply" must be a string');
    else out.reply = reply;
  }
  if (tool_calls !== undefined) {
    if (!Array.isArray(tool_calls)) return fail('"tool_calls" must be an array');
    out.tool_calls = tool_calls.map((tc: unknown, i): ScriptToolCall => {
      const where = `"tool_calls[${i}]"`;
      if (!isPlainObject(tc)) return fail(`${where} must be an object`);
      for (const key of Object.keys(tc)) {
        if (!TOOL_KEYS.has(key)) fail(`${where} has unknown field "${key}"`);
      }
      if (typeof tc.name !== 'string' || tc.name === '') fail(`${where}.name must be a non-empty string`);
      const call: ScriptToolCall = { name: tc.name as string };
      if (tc.arguments !== undefined) {
        if (!isPlainObject(tc.arguments)) fail(`${where}.arguments must be an object`);
        call.arguments = tc.arguments as Record<string, unknown>;
      }
      if (tc.id !== undefined) {
        if (typeof tc.id !== 'string' || tc.id === '') fail(`${where}.id must be a non-empty string`);
        call.id = tc.id as string;
      }
      return call;
    });
  }
  if (chunk_size !== undefined) {
    if (!isInt(chunk_size, 1)) fail('"chunk_size" must be a positive integer');
    out.chunk_size = chunk_size as number;
  }
  if (delay_ms !== undefined) {
    if (typeof delay_ms !== 'number' || !Number.isFinite(delay_ms) || delay_ms < 0) {
      fail('"delay_ms" must be a non-negative number');
    }
    out.delay_ms = delay_ms as number;
  }
  if (delay_jitter_ms !== undefined) {
    if (typeof delay_jitter_ms !== 'number' || !Number.isFinite(delay_jitter_ms) || delay_jitter_ms < 0) {
      fail('"delay_jitter_ms" must be a non-negative number');
    }
    if (delay_ms === undefined) fail('"delay_jitter_ms" needs "delay_ms"');
    out.delay_jitter_ms = delay_jitter_ms as number;
  }
  if (status !== undefined) {
    if (!isInt(status, 400, 599)) fail('"status" must be an HTTP error status between 400 and 599');
    out.status = status as number;
  }
  if (fault !== undefined) {
    if (typeof fault !== 'string' || !FAULTS.includes(fault)) fail(`"fault" must be one of ${FAULTS.join(', ')}`);
    out.fault = fault as Fault;
  }
  if (headers !== undefined) {
    if (!isPlainObject(headers)) return fail('"headers" must be an object of strings');
    for (const [k, v] of Object.entries(headers)) {
      if (typeof v !== 'string') fail(`"headers.${k}" must be a string`);
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) fail(`"headers": "${k}" is not a valid header name`);
    }
    out.headers = headers as Record<string, string>;
  }
  if (usage !== undefined) {
    if (!isPlainObject(usage)) return fail('"usage" must be an object');
    for (const [k, v] of Object.entries(usage)) {
      if (!USAGE_KEYS.has(k)) fail(`"usage" has unknown field "${k}"`);
      if (!isInt(v, 0)) fail(`"usage.${k}" must be a non-negative integer`);
    }
    out.usage = usage as ScriptUsage;
  }
  if (times !== undefined) {
    if (!isInt(times, 1)) fail('"times" must be a positive integer');
    out.times = times as number;
  }
  return out;
}

/** Parses a JSONL script. Blank lines and lines starting with `#` are skipped; errors name the line. */
export function parseScript(text: string): ScriptLine[] {
  const lines = text.split(/\r?\n/);
  const out: ScriptLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new ScriptError(i + 1, `invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    out.push(validateScriptLine(value, i + 1));
  }
  return out;
}

export async function loadScript(path: string): Promise<ScriptLine[]> {
  const text = await readFile(path, 'utf8');
  try {
    return parseScript(text);
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** What the mock will do for one request, with every default filled in. */
export interface Plan {
  /** Reply text; for an error status, the error message. */
  text: string;
  toolCalls: ScriptToolCall[];
  chunkSize: number;
  delayMs: number;
  status: number | undefined;
  fault: Fault | undefined;
  headers: Record<string, string> | undefined;
  usage: { input: number | undefined; output: number | undefined };
}

interface Entry {
  re: RegExp | undefined;
  line: ScriptLine;
  used: number;
}

/** A script ready to match: regexes compiled once, `times` counted per instance. */
export class Script {
  readonly #entries: Entry[];
  /** State of the jitter's pseudo-random sequence (mulberry32), the same from every start. */
  #seed = 0x2545f491;

  constructor(lines: readonly ScriptLine[]) {
    this.#entries = lines.map((raw, i) => {
      const line = validateScriptLine(raw, i + 1);
      let re: RegExp | undefined;
      if (line.match instanceof RegExp) {
        // A caller's /g or /y regex would carry lastIndex from one test() to the next.
        re = new RegExp(line.match.source, line.match.flags.replace(/[gy]/g, ''));
      } else if (line.match !== undefined) {
        re = new RegExp(line.match);
      }
      return { re, line, used: 0 };
    });
  }

  plan(lastUserText: string): Plan {
    let line: ScriptLine | undefined;
    for (const e of this.#entries) {
      if (e.line.times !== undefined && e.used >= e.line.times) continue;
      if (e.re !== undefined && !e.re.test(lastUserText)) continue;
      e.used++;
      line = e.line;
      break;
    }
    const toolCalls = line?.tool_calls ?? [];
    let text: string;
    if (line?.reply !== undefined) text = line.reply;
    else if (line?.status !== undefined) text = `mock error (status ${line.status})`;
    else if (toolCalls.length > 0) text = '';
    else text = lastUserText;
    const u = line?.usage;
    return {
      text,
      toolCalls,
      chunkSize: line?.chunk_size ?? DEFAULT_CHUNK_SIZE,
      delayMs: this.#delay(line),
      status: line?.status,
      fault: line?.fault,
      headers: line?.headers,
      usage: { input: u?.prompt_tokens ?? u?.input_tokens, output: u?.completion_tokens ?? u?.output_tokens },
    };
  }

  #delay(line: ScriptLine | undefined): number {
    const base = line?.delay_ms ?? 0;
    const jitter = line?.delay_jitter_ms ?? 0;
    if (jitter === 0) return base;
    return Math.max(0, base + jitter * (2 * this.#random() - 1));
  }

  /** Uniform in [0, 1): mulberry32, enough for spreading delays and cheap to reproduce. */
  #random(): number {
    this.#seed = (this.#seed + 0x6d2b79f5) | 0;
    let t = this.#seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
