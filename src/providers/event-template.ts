// Streamed events of one answer differ, event after event, only in the text they carry: the same
// envelope (id, model, choice index, ...) around a new delta string. Parsing every event's JSON was
// the largest single cost of relaying a stream (issue 8, bench/profile.ts --stream). An event
// template takes the JSON apart once: the text before the delta string's value (`prefix`), the text
// after it (`suffix`), and the parsed envelope. An event whose data is `prefix + body + suffix`,
// with a body that needs no decoding (no quote, backslash or control character), parses to exactly
// the envelope with the delta set to `body`, so JSON.parse can be skipped for it. Anything else
// takes JSON.parse, as before.
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
  suffix: string;
  /** The parsed envelope; its value at the path is overwritten with each event's body. */
  envelope: Record<string, unknown>;
  /** The object holding the delta and its key. */
  holder: Record<string, unknown>;
  key: string;
  hits: number;
}

export interface EventParser {
  /**
   * The event's data as JSON.parse gives it (throws as parseEventData does). The object may be the
   * template's own, reused by the next call: read it, do not keep it.
   */
  parse(event: SseEvent): Record<string, unknown>;
}

/** A per-stream parser with a template for the string at `path` (e.g. choices.0.delta.content). */
export function createEventParser(path: JsonPath): EventParser {
  let template: Template | undefined;
  let fruitless = 0;

  return {
    parse(event: SseEvent): Record<string, unknown> {
      const data = event.data;
      const t = template;
      if (t !== undefined) {
        // startsWith/endsWith written as lastIndexOf/indexOf at a fixed position: event data is a
        // slice of the network chunk, on which startsWith/endsWith measured several times slower.
        const end = data.length - t.suffix.length;
        if (end >= t.prefix.length && data.lastIndexOf(t.prefix, 0) === 0 && data.indexOf(t.suffix, end) === end) {
          const body = data.slice(t.prefix.length, end);
          if (isPlain(body)) {
            t.hits++;
            t.holder[t.key] = body;
            return t.envelope;
          }
        }
      }
      const parsed = parseEventData(event);
      if (t !== undefined && t.hits === 0) fruitless++;
      if (fruitless < MAX_FRUITLESS_BUILDS) {
        const next = buildTemplate(data, parsed, path);
        if (next !== undefined) template = next;
      }
      return parsed;
    },
  };
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

/** How many keys and strings contain the sentinel, anywhere in a parsed value. */
function sentinelCount(node: unknown): number {
  if (typeof node === 'string') return node.includes(SENTINEL) ? 1 : 0;
  if (Array.isArray(node)) {
    let n = 0;
    for (const v of node) n += sentinelCount(v);
    return n;
  }
  if (isRecord(node)) {
    let n = 0;
    for (const [k, v] of Object.entries(node)) n += (k.includes(SENTINEL) ? 1 : 0) + sentinelCount(v);
    return n;
  }
  return 0;
}

function buildTemplate(data: string, parsed: Record<string, unknown>, path: JsonPath): Template | undefined {
  const at = locate(parsed, path);
  if (at === undefined || typeof at.value !== 'string' || at.value === '' || !isPlain(at.value)) return undefined;
  // Where the value sits in the text is only a guess here (the last spot it appears quoted); the
  // sentinel parse below decides whether the guess is right.
  const quoted = `"${at.value}"`;
  const i = data.lastIndexOf(quoted);
  if (i < 0) return undefined;
  const prefix = data.slice(0, i + 1);
  const suffix = data.slice(i + quoted.length - 1);
  let envelope: unknown;
  try {
    envelope = JSON.parse(prefix + SENTINEL + suffix);
  } catch {
    return undefined;
  }
  if (!isRecord(envelope)) return undefined;
  const slot = locate(envelope, path);
  if (slot === undefined || slot.value !== SENTINEL || sentinelCount(envelope) !== 1) return undefined;
  return { prefix, suffix, envelope, holder: slot.holder, key: slot.key, hits: 0 };
}
