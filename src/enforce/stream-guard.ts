import type { Action, Finding } from '../exchange/types.ts';
import type { SseEvent, StreamDelta, StreamEventInfo, StreamMeta } from '../providers/types.ts';

/**
 * Inline enforcement on a streamed response. Upstream events are queued; each text channel (a
 * choice's content, a tool call's arguments, a content block) keeps its text, and only the part
 * that can no longer turn into something the policy forbids is released to the client. The rest
 * is held back: the smallest tail that could still be completing (a token without its trailing
 * space, a number-like run, an unclosed PEM block, link or tag, the span of a finding that reaches
 * the end). A finding the policy redacts is cut out of the held text before release; one it
 * blocks stops the stream before any of it is written.
 */

export interface GuardHooks {
  /** Scan a window of a channel's text. Spans are relative to `text`. */
  scan(text: string, channel: ChannelInfo): Finding[];
  /** The policy's action for one finding. */
  actionFor(finding: Finding): Action;
  /** Replacement text for a redacted range (its original value is given for hash mode). */
  replacement(label: string, original: string): string;
  rewrite(event: SseEvent, channel: string, text: string): SseEvent;
  continuation(meta: StreamMeta, channel: string, text: string): SseEvent;
  meta(): StreamMeta;
  /**
   * The operator's tool-call rules. When set, every tool call's events are held until its arguments
   * are complete and judged here: a denied call is never seen by the client, one that needs approval
   * waits for resolveApproval().
   */
  judgeTool?(call: ToolCallInfo): ToolGate;
  /**
   * When set, a denied tool call is taken out of the stream instead of stopping it: its events are
   * discarded and these stand in their place (the policy's explanation, as text).
   */
  toolNote?(channel: string, finding: Finding): SseEvent[];
  /** The finish event of a stream whose every tool call was taken out, as an ordinary end of turn. */
  endTurn?(event: SseEvent): SseEvent;
}

export interface ToolCallInfo {
  channel: string;
  toolName: string;
  arguments: string;
}

export type ToolGate = { action: 'allow' } | { action: 'deny'; finding: Finding } | { action: 'approve'; finding: Finding };

/** A complete tool call waiting for a human; the caller answers with resolveApproval(). */
export interface PendingApproval extends ToolCallInfo {
  finding: Finding;
}

export interface ChannelInfo {
  id: string;
  kind: StreamDelta['kind'];
  toolName?: string;
}

export interface GuardOptions {
  /** Released text kept as context for patterns that started before the release point. */
  lookback?: number;
  /** Upper bound on held text per channel, so an unclosed construct cannot pin memory. */
  maxHold?: number;
}

export interface GuardStep {
  /** Events to write now, in order. */
  release: SseEvent[];
  /** Set when a finding's action is block: write nothing more of the upstream stream. */
  stop?: { finding: Finding };
  /** Tool calls that became complete in this step and wait for approval (held until resolved). */
  approvals?: PendingApproval[];
}

interface Range {
  start: number;
  end: number;
  label: string;
}

interface Channel extends ChannelInfo {
  /** Text from absolute offset `base` to the end of what arrived. */
  text: string;
  base: number;
  /** Absolute offset up to which text was written to the client. */
  released: number;
  /** Absolute offset up to which text may be written now. */
  safe: number;
  closed: boolean;
  redactions: Range[];
  seen: Set<string>;
  /** Tool calls under a tool policy: held until judged, then open (or the stream stops). */
  gate?: 'held' | 'awaiting' | 'open' | 'dropped';
}

interface QueuedDelta {
  channel: string;
  start: number;
  end: number;
}

interface Queued {
  event: SseEvent;
  deltas: QueuedDelta[];
  /** Carries the finish / stop reason (rewritten when every tool call was taken out). */
  finish?: boolean;
  /** Continuation events are built by the guard, so they may be split freely. */
  synthetic: boolean;
}

const DEFAULT_LOOKBACK = 512;
const DEFAULT_MAX_HOLD = 16_384;
/** How far back an opening construct (PEM header, link, tag) is looked for. */
const CONSTRUCT_WINDOW = 4096;
const NUMBERISH_MAX = 48;
/** Held tool-call arguments beyond this are not judged but refused: memory stays bounded. */
const MAX_TOOL_ARGUMENTS = 1 << 20;

export class StreamGuard {
  private readonly channels = new Map<string, Channel>();
  private readonly queue: Queued[] = [];
  private readonly touched = new Set<Channel>();
  private readonly lookback: number;
  private readonly maxHold: number;
  private stopped = false;
  /** Every non-allow finding seen, with spans in absolute channel offsets. */
  readonly findings: Finding[] = [];
  redactedCount = 0;

  private readonly hooks: GuardHooks;
  private asked: PendingApproval[] = [];
  private releasedTools = 0;
  /** Tool calls taken out of the stream (explain mode), with why. */
  readonly dropped: Finding[] = [];

  constructor(hooks: GuardHooks, opts: GuardOptions = {}) {
    this.hooks = hooks;
    this.lookback = opts.lookback ?? DEFAULT_LOOKBACK;
    this.maxHold = opts.maxHold ?? DEFAULT_MAX_HOLD;
  }

  /**
   * Queue one upstream event with what its inspector found in it. Scanning waits for step(), so a
   * network read carrying many events is scanned once, not once per event.
   */
  push(event: SseEvent, info: StreamEventInfo): void {
    if (this.stopped) return;
    const deltas: QueuedDelta[] = [];
    let dropped = 0;
    for (const d of info.deltas) {
      const ch = this.channel(d);
      if (ch.gate === 'dropped') {
        dropped++;
        continue;
      }
      const start = ch.base + ch.text.length;
      ch.text += d.text;
      deltas.push({ channel: d.channel, start, end: start + d.text.length });
      this.touched.add(ch);
    }
    // An event about a call already taken out (nothing else in it) is discarded with the call.
    if (dropped === 0 || deltas.length > 0) {
      const q: Queued = { event, deltas, synthetic: false };
      if (info.finishReason !== undefined) q.finish = true;
      this.queue.push(q);
    }
    if (info.endsText || info.done) {
      for (const ch of this.channels.values()) {
        if (!ch.closed) {
          ch.closed = true;
          this.touched.add(ch);
        }
      }
    }
  }

  /** Scan what arrived since the last step and release what is now safe. */
  step(): GuardStep {
    if (this.stopped) return { release: [] };
    for (const ch of this.touched) {
      const stop = this.inspect(ch);
      if (stop) return this.halt(stop);
    }
    this.touched.clear();
    const step: GuardStep = { release: this.drain() };
    if (this.asked.length > 0) {
      step.approvals = this.asked;
      this.asked = [];
    }
    return step;
  }

  /** The operator's answer for a tool call returned in GuardStep.approvals; a denial stops the stream. */
  resolveApproval(channel: string, approved: boolean, denial: Finding): GuardStep {
    if (this.stopped) return { release: [] };
    const ch = this.channels.get(channel);
    if (ch === undefined || ch.gate !== 'awaiting') return { release: [] };
    if (!approved) {
      const stop = this.deny(ch, denial);
      if (stop) return this.halt(stop);
      return this.step();
    }
    this.releasedTools++;
    ch.gate = 'open';
    this.touched.add(ch);
    return this.step();
  }

  private halt(stop: NonNullable<GuardStep['stop']>): GuardStep {
    this.stopped = true;
    this.queue.length = 0;
    this.touched.clear();
    return { release: [], stop };
  }

  /** Close every channel (the upstream ended) and release what is left, after a last scan. */
  finish(): GuardStep {
    if (this.stopped) return { release: [] };
    for (const ch of this.channels.values()) {
      if (ch.closed) continue;
      ch.closed = true;
      this.touched.add(ch);
    }
    return this.step();
  }

  /** Characters currently held back across channels (for tests and metrics). */
  get held(): number {
    let n = 0;
    for (const ch of this.channels.values()) n += ch.base + ch.text.length - ch.released;
    return n;
  }

  private channel(d: StreamDelta): Channel {
    let ch = this.channels.get(d.channel);
    if (!ch) {
      ch = { id: d.channel, kind: d.kind, text: '', base: 0, released: 0, safe: 0, closed: false, redactions: [], seen: new Set() };
      if (d.toolName !== undefined) ch.toolName = d.toolName;
      if (d.kind === 'tool_arguments' && this.hooks.judgeTool) ch.gate = 'held';
      this.channels.set(d.channel, ch);
    } else if (ch.toolName === undefined && d.toolName !== undefined) {
      ch.toolName = d.toolName;
    }
    return ch;
  }

  /** Scan the unreleased text (plus look-back context), record findings, move the safe boundary. */
  private inspect(ch: Channel): GuardStep['stop'] {
    const total = ch.base + ch.text.length;
    const from = Math.max(ch.base, ch.released - this.lookback);
    const window = ch.text.slice(from - ch.base);
    let safe = ch.closed ? total : this.tailBoundary(window, from, total);
    if (window.length > 0) {
      for (const raw of this.hooks.scan(window, ch)) {
        const action = this.hooks.actionFor(raw);
        if (action === 'allow') continue;
        const start = from + (raw.span?.start ?? 0);
        const end = raw.span ? from + raw.span.end : total;
        const key = `${raw.rule}:${start}`;
        const f: Finding = { ...raw, span: { start, end } };
        if (action === 'block') {
          this.findings.push(f);
          return { finding: f };
        }
        if (!ch.seen.has(key)) {
          ch.seen.add(key);
          this.findings.push(f);
        }
        if (action === 'redact') {
          this.addRedaction(ch, Math.max(start, ch.released), end, raw.rule);
        }
        // A finding still growing at the tail is not released until it is complete.
        if (!ch.closed && end >= total - 1 && start < safe) safe = Math.max(ch.released, start);
      }
    }
    if (ch.gate === 'dropped') {
      ch.safe = ch.released;
      return undefined;
    }
    if (ch.gate !== undefined && ch.gate !== 'open') return this.gateTool(ch);
    if (!ch.closed && total - safe > this.maxHold) safe = total - this.maxHold;
    // Never release half of a redaction: move the boundary before a range it cuts.
    for (const r of ch.redactions) if (r.start < safe && r.end > safe) safe = Math.max(ch.released, r.start);
    ch.safe = Math.max(ch.released, safe);
    return undefined;
  }

  /** A held tool call: nothing released until its arguments are complete and the policy has judged them. */
  private gateTool(ch: Channel): GuardStep['stop'] {
    ch.safe = ch.released;
    if (ch.gate === 'awaiting') return undefined;
    const name = ch.toolName ?? '';
    if (!ch.closed) {
      if (ch.text.length <= MAX_TOOL_ARGUMENTS) return undefined;
      return { finding: toolFinding('tools.arguments.too_large', `Tool '${name}': its arguments exceed ${MAX_TOOL_ARGUMENTS} characters, too large to judge.`) };
    }
    const judge = this.hooks.judgeTool as NonNullable<GuardHooks['judgeTool']>;
    const verdict = judge({ channel: ch.id, toolName: name, arguments: ch.text });
    if (verdict.action === 'deny') {
      this.findings.push(verdict.finding);
      return this.deny(ch, verdict.finding);
    }
    if (verdict.action === 'approve') {
      ch.gate = 'awaiting';
      this.asked.push({ channel: ch.id, toolName: name, arguments: ch.text, finding: verdict.finding });
      return undefined;
    }
    ch.gate = 'open';
    this.releasedTools++;
    ch.safe = ch.base + ch.text.length;
    return undefined;
  }

  /**
   * A denied call: stop the stream, or (with toolNote) take the call's queued events out and put the
   * note where the first of them was. An event that carries other channels too cannot be split
   * cleanly, so the stream stops then.
   */
  private deny(ch: Channel, finding: Finding): GuardStep['stop'] {
    if (!this.hooks.toolNote) return { finding };
    let at = -1;
    const keep: Queued[] = [];
    for (const q of this.queue) {
      if (!q.deltas.some((d) => d.channel === ch.id)) {
        keep.push(q);
        continue;
      }
      if (q.deltas.some((d) => d.channel !== ch.id)) return { finding };
      if (at < 0) at = keep.length;
    }
    const note = this.hooks.toolNote(ch.id, finding).map((event): Queued => ({ event, deltas: [], synthetic: true }));
    keep.splice(at < 0 ? 0 : at, 0, ...note);
    this.queue.length = 0;
    this.queue.push(...keep);
    ch.gate = 'dropped';
    ch.released = ch.safe = ch.base + ch.text.length;
    this.dropped.push(finding);
    return undefined;
  }

  /**
   * Where the releasable text ends, judged from the tail alone: before the last token if it has no
   * whitespace after it yet, before a trailing number-like run (cards, phone numbers, IBANs arrive
   * with spaces), before an opened PEM block, markdown link/image or HTML tag that is not closed.
   */
  private tailBoundary(window: string, from: number, total: number): number {
    let b = window.length;
    // Trailing token.
    while (b > 0 && !isSpace(window.charCodeAt(b - 1))) b--;
    // Number-like run ending at the token start (digits with spaces, dashes, dots, parentheses).
    let n = b;
    let digits = 0;
    while (n > 0 && b - n < NUMBERISH_MAX) {
      const c = window.charCodeAt(n - 1);
      if (c >= 0x30 && c <= 0x39) digits++;
      else if (!(c === 0x20 || c === 0x2d || c === 0x2e || c === 0x28 || c === 0x29 || c === 0x2b || c === 0x2f || (c >= 0x41 && c <= 0x5a))) break;
      n--;
    }
    if (digits >= 2 && n < b) b = n;
    const tail = window.length > CONSTRUCT_WINDOW ? window.length - CONSTRUCT_WINDOW : 0;
    const pem = window.lastIndexOf('-----BEGIN');
    if (pem >= tail && window.indexOf('-----END', pem) < 0) b = Math.min(b, pem);
    const link = window.lastIndexOf('](');
    if (link >= tail && window.indexOf(')', link) < 0) {
      const open = window.lastIndexOf('[', link);
      const bang = open > 0 && window.charCodeAt(open - 1) === 0x21 ? open - 1 : open;
      b = Math.min(b, bang >= 0 ? bang : link);
    }
    const bracket = window.lastIndexOf('[');
    if (bracket >= tail && bracket > link && window.indexOf(']', bracket) < 0) b = Math.min(b, bracket > 0 && window.charCodeAt(bracket - 1) === 0x21 ? bracket - 1 : bracket);
    const lt = window.lastIndexOf('<');
    if (lt >= tail && window.indexOf('>', lt) < 0) b = Math.min(b, lt);
    const esc = window.lastIndexOf('\u001b');
    if (esc >= 0 && esc >= window.length - 32) b = Math.min(b, esc);
    return Math.min(total, from + b);
  }

  private addRedaction(ch: Channel, start: number, end: number, label: string): void {
    if (end <= start) return;
    let merged: Range = { start, end, label };
    const keep: Range[] = [];
    for (const r of ch.redactions) {
      if (r.end < merged.start || r.start > merged.end) keep.push(r);
      else merged = { start: Math.min(r.start, merged.start), end: Math.max(r.end, merged.end), label: r.start <= merged.start ? r.label : merged.label };
    }
    keep.push(merged);
    keep.sort((a, b) => a.start - b.start);
    ch.redactions = keep;
  }

  /** Release queued events from the front while their text is inside the safe boundaries. */
  private drain(): SseEvent[] {
    const out: SseEvent[] = [];
    while (this.queue.length > 0) {
      const q = this.queue[0] as Queued;
      let whole = true;
      let splittable = true;
      for (const d of q.deltas) {
        const ch = this.channels.get(d.channel) as Channel;
        if (d.end > ch.safe) whole = false;
        if (d.start >= ch.safe && d.end > d.start) splittable = false;
        // A held tool call's opening event (its name, no arguments yet) is held with the rest.
        if (ch.gate === 'held' || ch.gate === 'awaiting') {
          whole = false;
          splittable = false;
        }
      }
      if (whole) {
        this.queue.shift();
        const ev = this.emit(q.event, q.deltas, q.synthetic);
        out.push(q.finish && this.dropped.length > 0 && this.releasedTools === 0 && this.hooks.endTurn ? this.hooks.endTurn(ev) : ev);
        continue;
      }
      // Split an event with a single delta at the boundary: release the safe prefix now (keeping
      // the event's own metadata), and queue the rest as a bare continuation.
      if (q.deltas.length === 1 && splittable) {
        const d = q.deltas[0] as QueuedDelta;
        const ch = this.channels.get(d.channel) as Channel;
        const cut = ch.safe;
        if (cut > d.start) {
          out.push(this.emit(q.event, [{ ...d, end: cut }], q.synthetic, true));
          q.event = this.hooks.continuation(this.hooks.meta(), d.channel, '');
          q.deltas = [{ ...d, start: cut }];
          q.synthetic = true;
        }
      }
      break;
    }
    this.compact();
    return out;
  }

  /** Write one event with its deltas' released text (redactions applied). */
  private emit(event: SseEvent, deltas: readonly QueuedDelta[], synthetic: boolean, partial = false): SseEvent {
    let ev = event;
    for (const d of deltas) {
      // An event that only opens a channel (a tool call's name) carries no text to rewrite.
      if (d.end === d.start && !synthetic) continue;
      const ch = this.channels.get(d.channel) as Channel;
      const redacted = this.touchesRedaction(ch, d.start, d.end);
      if (ch.released < d.end && !redacted && !synthetic && !partial) {
        // The common case: the event's own text, untouched, goes out as it came.
        ch.released = d.end;
        continue;
      }
      const text = redacted ? this.releasedText(ch, d.start, d.end) : ch.text.slice(d.start - ch.base, d.end - ch.base);
      if (ch.released < d.end) ch.released = d.end;
      if (synthetic) ev = this.hooks.continuation(this.hooks.meta(), d.channel, text);
      else ev = this.hooks.rewrite(ev, d.channel, text);
    }
    return ev;
  }

  private touchesRedaction(ch: Channel, start: number, end: number): boolean {
    for (const r of ch.redactions) if (r.start < end && r.end > start) return true;
    return false;
  }

  private releasedText(ch: Channel, start: number, end: number): string {
    let out = '';
    let pos = start;
    for (const r of ch.redactions) {
      if (r.end <= pos || r.start >= end) continue;
      if (r.start > pos) out += ch.text.slice(pos - ch.base, r.start - ch.base);
      if (r.start >= start) {
        out += this.hooks.replacement(r.label, ch.text.slice(r.start - ch.base, r.end - ch.base));
        this.redactedCount++;
      }
      pos = Math.min(r.end, end);
    }
    if (pos < end) out += ch.text.slice(pos - ch.base, end - ch.base);
    return out;
  }

  /** Drop released text beyond the look-back so a long stream keeps a bounded buffer. */
  private compact(): void {
    for (const ch of this.channels.values()) {
      const keepFrom = ch.released - this.lookback;
      if (keepFrom - ch.base > 8192) {
        ch.text = ch.text.slice(keepFrom - ch.base);
        ch.base = keepFrom;
        ch.redactions = ch.redactions.filter((r) => r.end > ch.base);
      }
    }
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function toolFinding(rule: string, explanation: string): Finding {
  return { detector: 'tool-policy', category: 'tool_abuse', rule, score: 1, severity: 'high', owasp: ['LLM06'], explanation };
}
