// Rewrites text so the spans a detector found no longer reveal what they covered. Three modes:
//   mask        → [REDACTED:email]                      nothing recoverable
//   hash        → [email:3f9a1c0b]                      same value, same tag, across requests
//   placeholder → <<PII_EMAIL_1>>                       reversible within one request via a Vault
import { createHash, createHmac } from 'node:crypto';

export type RedactionMode = 'mask' | 'hash' | 'placeholder';

export interface RedactionSpan {
  start: number;
  end: number;
  /** What the span holds, e.g. a rule id ("email", "aws-access-key-id") or a category ("pii"). */
  label: string;
}

export interface RedactOptions {
  /**
   * Per-deployment secret mixed into `hash` mode (HMAC-SHA-256 key). Without it the tag is a plain
   * SHA-256 prefix, which anyone can recompute for a guessed value (an email address, say).
   */
  salt?: string;
}

/** Longest label kept in a placeholder; longer labels are cut so placeholders stay bounded. */
const MAX_LABEL = 24;
/** Highest counter per label in one vault; past it new values are masked instead. */
const MAX_COUNTER = 999_999;
const PLACEHOLDER_PREFIX = '<<PII_';

/**
 * Upper bound on a placeholder's length: "<<PII_" + label (≤ 24) + "_" + counter (≤ 6 digits) + ">>".
 * A streaming layer that restores placeholders in model output must hold back this many characters
 * at the end of each chunk (or use `createRestoreStream`, which holds back only a possible prefix).
 */
export const MAX_PLACEHOLDER_LENGTH = PLACEHOLDER_PREFIX.length + MAX_LABEL + 1 + String(MAX_COUNTER).length + 2;

// Bounded quantifiers only: this runs over whole model outputs.
const PLACEHOLDER_RE = /<<PII_[A-Z0-9_]{1,24}_\d{1,6}>>/g;

function placeholderLabel(label: string): string {
  const l = label
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_LABEL);
  return l.length > 0 ? l : 'VALUE';
}

/**
 * Per-request map between placeholders and the values they stand for. The same value under the same
 * label always gets the same placeholder, so a model sees consistent references ("write to
 * <<PII_EMAIL_1>>") and `restore` can put the real value back in its answer. Keep one vault per
 * exchange: it holds the plain values and must never outlive the request or reach the audit log.
 * Restoring only ever yields values that this request's own input carried.
 */
export class Vault {
  private readonly toPlaceholder = new Map<string, string>();
  private readonly toValue = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  /** The placeholder for `value` under `label`, allocating the next number on first sight. */
  placeholderFor(label: string, value: string): string | undefined {
    const l = placeholderLabel(label);
    const key = `${l}\u0000${value}`;
    const known = this.toPlaceholder.get(key);
    if (known !== undefined) return known;
    const n = (this.counters.get(l) ?? 0) + 1;
    if (n > MAX_COUNTER) return undefined;
    this.counters.set(l, n);
    const ph = `${PLACEHOLDER_PREFIX}${l}_${n}>>`;
    this.toPlaceholder.set(key, ph);
    this.toValue.set(ph, value);
    return ph;
  }

  /** The original value behind a placeholder, if this vault issued it. */
  valueOf(placeholder: string): string | undefined {
    return this.toValue.get(placeholder);
  }

  /** Replaces every placeholder this vault issued with its original value; others stay as they are. */
  restore(text: string): string {
    if (this.toValue.size === 0 || !text.includes(PLACEHOLDER_PREFIX)) return text;
    return text.replace(PLACEHOLDER_RE, (ph) => this.toValue.get(ph) ?? ph);
  }

  get size(): number {
    return this.toValue.size;
  }
}

/**
 * Sorts spans, drops empty or out-of-range ones and merges overlaps. A merged span takes the label
 * of its longest member (the first on ties), since that is usually the most specific finding.
 */
export function mergeSpans(spans: readonly RedactionSpan[], textLength: number): RedactionSpan[] {
  const clean = spans
    .map((s) => ({ start: Math.max(0, Math.min(textLength, s.start)), end: Math.max(0, Math.min(textLength, s.end)), label: s.label }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: RedactionSpan[] = [];
  let longest = 0;
  for (const s of clean) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start < last.end) {
      if (s.end - s.start > longest) {
        longest = s.end - s.start;
        last.label = s.label;
      }
      last.end = Math.max(last.end, s.end);
    } else {
      out.push({ ...s });
      longest = s.end - s.start;
    }
  }
  return out;
}

function hashTag(label: string, value: string, salt: string | undefined): string {
  const h = salt === undefined ? createHash('sha256').update(value, 'utf8') : createHmac('sha256', salt).update(value, 'utf8');
  return `[${label}:${h.digest('hex').slice(0, 8)}]`;
}

/**
 * Returns `text` with every span replaced. Overlapping spans are merged first. Replacements are
 * decided left to right (so placeholder numbers follow reading order) and spliced from the right,
 * which keeps every not-yet-applied span's offsets valid.
 */
export function redactText(text: string, spans: readonly RedactionSpan[], mode: RedactionMode, vault?: Vault, opts: RedactOptions = {}): string {
  if (spans.length === 0) return text;
  const merged = mergeSpans(spans, text.length);
  if (merged.length === 0) return text;
  if (mode === 'placeholder' && vault === undefined) throw new Error('placeholder redaction needs a Vault');
  const replacements = merged.map((s) => {
    const value = text.slice(s.start, s.end);
    if (mode === 'mask') return `[REDACTED:${s.label}]`;
    if (mode === 'hash') return hashTag(s.label, value, opts.salt);
    return vault!.placeholderFor(s.label, value) ?? `[REDACTED:${s.label}]`;
  });
  let out = text;
  for (let i = merged.length - 1; i >= 0; i--) {
    const s = merged[i]!;
    out = out.slice(0, s.start) + replacements[i]! + out.slice(s.end);
  }
  return out;
}

/**
 * Restores placeholders in text that arrives in pieces (a streamed answer). `push` returns what can
 * be emitted now, holding back a trailing fragment that could still become a placeholder; `flush`
 * returns the rest at the end of the stream.
 */
export function createRestoreStream(vault: Vault): { push(chunk: string): string; flush(): string } {
  let pending = '';
  return {
    push(chunk: string): string {
      pending += chunk;
      const cut = holdBackFrom(pending);
      const ready = pending.slice(0, cut);
      pending = pending.slice(cut);
      return vault.restore(ready);
    },
    flush(): string {
      const rest = vault.restore(pending);
      pending = '';
      return rest;
    },
  };
}

/** Earliest index from which the tail of `s` could still grow into a placeholder. */
function holdBackFrom(s: string): number {
  for (let i = s.indexOf('<', Math.max(0, s.length - MAX_PLACEHOLDER_LENGTH + 1)); i !== -1; i = s.indexOf('<', i + 1)) {
    if (couldBePlaceholderPrefix(s.slice(i))) return i;
  }
  return s.length;
}

/** An unfinished placeholder: a prefix of "<<PII_", or "<<PII_" + label/counter characters + at most one ">". */
function couldBePlaceholderPrefix(tail: string): boolean {
  if (tail.length <= PLACEHOLDER_PREFIX.length) return PLACEHOLDER_PREFIX.startsWith(tail);
  return /^<<PII_[A-Z0-9_]{0,31}>?$/.test(tail);
}
