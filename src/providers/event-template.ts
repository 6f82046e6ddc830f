// Streamed events of one answer differ, event after event, only in the text they carry: the same
// envelope (id, model, choice index, ...) around a new delta string. Parsing every event's JSON was
// the largest single cost of relaying a stream (issue 8, bench/profile.ts --stream). An event
// template takes the JSON apart once: the text before the delta string's value (`prefix`), the text
// after it (`suffix`), and the parsed envelope. An event whose data is `prefix + body + suffix`,
// with a body that needs no decoding (no quote, backslash or control character), parses to exactly
// the envelope with the delta set to `body`, so JSON.parse can be skipped for it. Anything else
// takes JSON.parse, as before.
//
// OpenAI pads every streamed delta event with a random string (`"obfuscation":"…"`, on by default,
// against length side channels), so the text after the delta differs from event to event too. With
// `padding` the template has a second hole for that top-level string: `prefix + body + mid + pad +
// end`; the body holds no quote, so the first quote after `prefix` is where `mid` starts.
//
// Why that is exact: JSON.parse reads `prefix` the same way whatever follows it. The template is
// only accepted after parsing `prefix + SENTINEL + suffix` and finding the sentinel as the whole
// value at the delta's path and nowhere else; so the end of `prefix` is inside a string, that string
// is the delta's value, and it ends where `suffix` begins (a plain body cannot end a string or start
// an escape). Any other plain body then changes that one value and nothing else: the same keys in
// the same order, so the same duplicate-key outcome, the same numbers and nesting.
import type { JsonPath } from './path.ts';
import { isRecord, parseEventData } from './util.ts';
import type { SseEvent } from './types.ts';

/**
 * Letters only: outside a string it is not JSON, after a backslash it is not an escape, so a prefix
 * that does not end inside a string fails to parse with it rather than being accepted.
 */
const SENTINEL = 'PaRaPeTsEnTiNeLx';
/** The padding hole's sentinel: letters only, and not found inside SENTINEL or the other way round. */
const PAD_SENTINEL = 'QpAdSeNtInElQ';
/** No character JSON would decode or refuse inside a string (quote, backslash, control): its own value. */
function isPlain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c < 0x20) return false;
  }
  return true;
}
/** Templates built without a single event parsed through them before the stream stops trying. */
const MAX_FRUITLESS_BUILDS = 2;

interface Template {
  prefix: string;
  /** Everything after the body; with a padding hole, the text between the body and the padding. */
  suffix: string;
  /** With a padding hole: the text after the padding value (from its closing quote on). */
  end: string | undefined;
  /** The parsed envelope; its value at the path is overwritten with each event's body. */
  envelope: Record<string, unknown>;
  /** The object holding the delta and its key. */
  holder: Record<string, unknown>;
  key: string;
  /** The padding's key in the envelope (top level), when the template has that hole. */
  padKey: string | undefined;
  hits: number;
}

export interface EventParserOptions {
  /** A top-level string field whose value changes in every event (OpenAI's "obfuscation"). */
  readonly padding?: string;
}

export interface EventParser {
  /**
   * The event's data as JSON.parse gives it (throws as parseEventData does). The object may be the
   * template's own, reused by the next call: read it, do not keep it.
   */
  parse(event: SseEvent): Record<string, unknown>;
}

/** A per-stream parser with a template for the string at `path` (e.g. choices.0.delta.content). */
export function createEventParser(path: JsonPath, opts: EventParserOptions = {}): EventParser {
  let template: Template | undefined;
  let fruitless = 0;

  return {
    parse(event: SseEvent): Record<string, unknown> {
      const data = event.data;
      const t = template;
      if (t !== undefined) {
        const fast = t.end === undefined ? fill(t, data) : fillPadded(t, t.end, data);
        if (fast !== undefined) return fast;
      }
      const parsed = parseEventData(event);
      if (t !== undefined && t.hits === 0) fruitless++;
      if (fruitless < MAX_FRUITLESS_BUILDS) {
        const next = buildTemplate(data, parsed, path, opts.padding);
        if (next !== undefined) template = next;
      }
      return parsed;
    },
  };
}

/** The envelope with `data`'s body in it, when `data` is the template's prefix + a plain body + suffix. */
function fill(t: Template, data: string): Record<string, unknown> | undefined {
  // startsWith/endsWith written as lastIndexOf/indexOf at a fixed position: event data is a slice
  // of the network chunk, on which startsWith/endsWith measured several times slower.
  const end = data.length - t.suffix.length;
  if (end < t.prefix.length || data.lastIndexOf(t.prefix, 0) !== 0 || data.indexOf(t.suffix, end) !== end) return undefined;
  const body = data.slice(t.prefix.length, end);
  if (!isPlain(body)) return undefined;
  t.hits++;
  t.holder[t.key] = body;
  return t.envelope;
}

/** The same for prefix + plain body + suffix (here: the middle) + plain padding + end. */
function fillPadded(t: Template, end: string, data: string): Record<string, unknown> | undefined {
  if (data.lastIndexOf(t.prefix, 0) !== 0) return undefined;
  // A plain body has no quote: the first one after the prefix closes it, and the middle starts there.
  const mid = data.indexOf('"', t.prefix.length);
  if (mid < 0 || data.indexOf(t.suffix, mid) !== mid) return undefined;
  const padFrom = mid + t.suffix.length;
  const padTo = data.length - end.length;
  if (padTo < padFrom || data.indexOf(end, padTo) !== padTo) return undefined;
  const body = data.slice(t.prefix.length, mid);
  const pad = data.slice(padFrom, padTo);
  if (!isPlain(body) || !isPlain(pad)) return undefined;
  t.hits++;
  t.holder[t.key] = body;
  t.envelope[t.padKey as string] = pad;
  return t.envelope;
}

/** The value at `path` when every step exists, with the object that holds it. */
function locate(root: unknown, path: JsonPath): { holder: Record<string, unknown>; key: string; value: unknown } | undefined {
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i] as string | number;
    if (typeof step === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[step];
    } else {
      if (!isRecord(node)) return undefined;
      node = node[step];
    }
  }
  const key = path[path.length - 1];
  if (typeof key !== 'string' || !isRecord(node) || !Object.hasOwn(node, key)) return undefined;
  return { holder: node, key, value: node[key] };
}

/** How many keys and strings contain `mark`, anywhere in a parsed value. */
function sentinelCount(node: unknown, mark: string): number {
  if (typeof node === 'string') return node.includes(mark) ? 1 : 0;
  if (Array.isArray(node)) {
    let n = 0;
    for (const v of node) n += sentinelCount(v, mark);
    return n;
  }
  if (isRecord(node)) {
    let n = 0;
    for (const [k, v] of Object.entries(node)) n += (k.includes(mark) ? 1 : 0) + sentinelCount(v, mark);
    return n;
  }
  return 0;
}

function buildTemplate(data: string, parsed: Record<string, unknown>, path: JsonPath, padding: string | undefined): Template | undefined {
  // A sentinel found after the parse must be the one put into the hole, not text of the event's own
  // (which a duplicate key could leave in place while the hole's value is dropped).
  if (data.includes(SENTINEL) || data.includes(PAD_SENTINEL)) return undefined;
  const at = locate(parsed, path);
  if (at === undefined || typeof at.value !== 'string' || at.value === '' || !isPlain(at.value)) return undefined;
  // Where the value sits in the text is only a guess here (the last spot it appears quoted); the
  // sentinel parse below decides whether the guess is right.
  const quoted = `"${at.value}"`;
  const i = data.lastIndexOf(quoted);
  if (i < 0) return undefined;
  const prefix = data.slice(0, i + 1);
  let suffix = data.slice(i + quoted.length - 1);
  let end: string | undefined;
  let padKey: string | undefined;
  const pad = padding === undefined ? undefined : parsed[padding];
  if (typeof pad === 'string' && pad !== '' && isPlain(pad)) {
    // The padding after the body: the last spot its value appears quoted, checked the same way.
    const quotedPad = `"${pad}"`;
    const j = suffix.lastIndexOf(quotedPad);
    if (j > 0) {
      end = suffix.slice(j + quotedPad.length - 1);
      suffix = suffix.slice(0, j + 1);
      padKey = padding;
    }
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(end === undefined ? prefix + SENTINEL + suffix : prefix + SENTINEL + suffix + PAD_SENTINEL + end);
  } catch {
    return undefined;
  }
  if (!isRecord(envelope)) return undefined;
  const slot = locate(envelope, path);
  if (slot === undefined || slot.value !== SENTINEL || sentinelCount(envelope, SENTINEL) !== 1) return undefined;
  if (padKey !== undefined && (envelope[padKey] !== PAD_SENTINEL || sentinelCount(envelope, PAD_SENTINEL) !== 1)) return undefined;
  // A body with no quote must end where the middle begins: the middle has to start with the quote.
  if (end !== undefined && !suffix.startsWith('"')) return undefined;
  return { prefix, suffix, end, envelope, holder: slot.holder, key: slot.key, padKey, hits: 0 };
}
