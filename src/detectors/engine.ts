import { hash } from 'node:crypto';
import { OldestFirst } from '../collections/oldest-first.ts';
import type { Direction, Exchange, Finding, OutputView } from '../exchange/types.ts';
import type { Detector, Normalizer, ScanContext, TextView } from './types.ts';

/** A detector that threw: the policy's fail mode decides what that means for the exchange. */
export interface DetectorFailure {
  detector: string;
  error: string;
}

export interface ScanResult {
  findings: Finding[];
  failures: DetectorFailure[];
}

export interface EngineOptions {
  detectors: readonly Detector[];
  normalize?: Normalizer;
  /**
   * Longest text (in UTF-16 code units) a detector is given; longer texts are scanned in
   * overlapping windows so cost stays linear and nothing escapes past the bound.
   */
  maxTextLength?: number;
  /**
   * Input texts remembered with their findings (0 turns it off). Chat clients re-send the whole
   * history with every turn, so without it a conversation of n turns is scanned n² / 2 times over.
   */
  cacheEntries?: number;
}

const DEFAULT_MAX_TEXT = 1 << 20;
const WINDOW_OVERLAP = 4096;
const DEFAULT_CACHE_ENTRIES = 4096;
/** Shorter texts cost less to scan than to hash and look up. */
const CACHE_MIN_CHARS = 256;

/**
 * Runs detectors over texts with their role and trust. Pure: no I/O, no policy. The gateway and
 * `parapet scan` share it, so what the CLI reports is what the gateway enforces.
 */
export class DetectionEngine {
  private readonly byDirection: Record<Direction, readonly Detector[]>;
  private readonly normalize: Normalizer | undefined;
  private readonly maxText: number;
  private readonly cacheEntries: number;
  /** Digest of (context, policy's disabled set, text) → findings, least recently used first. */
  private readonly cache = new Map<string, readonly Finding[]>();
  private readonly cacheOldest = new OldestFirst(this.cache);
  private readonly disabledIds = new WeakMap<ReadonlySet<string>, number>();
  /** Per disabled set (one per policy), the detectors left for each direction. */
  private readonly enabled = new WeakMap<ReadonlySet<string>, Record<Direction, readonly Detector[]>>();
  private lastSystemPrompt: string | undefined;
  private lastSystemDigest = '';

  constructor(opts: EngineOptions) {
    const applies = (d: Detector, dir: Direction): boolean => !d.directions || d.directions.includes(dir);
    this.byDirection = {
      input: opts.detectors.filter((d) => applies(d, 'input')),
      output: opts.detectors.filter((d) => applies(d, 'output')),
    };
    this.normalize = opts.normalize;
    this.maxText = opts.maxTextLength ?? DEFAULT_MAX_TEXT;
    this.cacheEntries = opts.cacheEntries ?? DEFAULT_CACHE_ENTRIES;
  }

  get detectorIds(): string[] {
    const ids = new Set<string>();
    for (const d of [...this.byDirection.input, ...this.byDirection.output]) ids.add(d.id);
    return [...ids];
  }

  /**
   * Scan one text. `disabled` holds detector ids switched off by the policy. Input texts the engine
   * scanned lately in the same context are answered from memory: detectors are pure functions of the
   * text and its context, and the key is a SHA-256 digest, so no text is kept and no crafted text can
   * collide with another.
   */
  scanText(text: string, ctx: ScanContext, disabled?: ReadonlySet<string>): ScanResult {
    if (ctx.direction !== 'input' || this.cacheEntries === 0 || text.length < CACHE_MIN_CHARS) return this.scanFresh(text, ctx, disabled);
    const key = this.cacheKey(text, ctx, disabled);
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return { findings: hit.map((f) => ({ ...f })), failures: [] };
    }
    const out = this.scanFresh(text, ctx, disabled);
    // A failed detector is asked again next time rather than remembered as silent.
    if (out.failures.length === 0) {
      if (this.cache.size >= this.cacheEntries) this.cacheOldest.evict();
      this.cache.set(key, out.findings.map((f) => ({ ...f })));
    }
    return out;
  }

  private cacheKey(text: string, ctx: ScanContext, disabled: ReadonlySet<string> | undefined): string {
    // Detectors read the system prompt (restricted topics, protected secrets): it is part of the key.
    // One exchange scans all its messages with the same one, so its digest is computed once.
    if (ctx.systemPrompt !== this.lastSystemPrompt) {
      this.lastSystemPrompt = ctx.systemPrompt;
      this.lastSystemDigest = ctx.systemPrompt === undefined ? '-' : hash('sha256', ctx.systemPrompt, 'base64');
    }
    let policyId = 0;
    if (disabled !== undefined && disabled.size > 0) {
      policyId = this.disabledIds.get(disabled) ?? 0;
      if (policyId === 0) {
        policyId = this.disabledIds.set(disabled, nextDisabledId++).get(disabled) ?? 0;
      }
    }
    return `${ctx.role}|${ctx.trust}|${ctx.toolName ?? ''}|${policyId}|${this.lastSystemDigest}|${hash('sha256', text, 'base64')}`;
  }

  private scanFresh(text: string, ctx: ScanContext, disabled?: ReadonlySet<string>): ScanResult {
    const out: ScanResult = { findings: [], failures: [] };
    if (text.length === 0) return out;
    let views: TextView[] | undefined;
    if (this.normalize && !disabled?.has('normalize')) {
      try {
        const n = this.normalize(text);
        views = n.views;
        for (const f of n.findings) out.findings.push(f);
      } catch (err) {
        out.failures.push({ detector: 'normalize', error: errorText(err) });
      }
    }
    for (const d of this.detectorsFor(ctx.direction, disabled)) {
      try {
        this.runWindowed(d, text, ctx, out.findings);
        if (d.scansViews && views) {
          for (const v of views) {
            if (v.name === 'raw' || v.text === text) continue;
            for (const f of d.scan(v.text.length > this.maxText ? v.text.slice(0, this.maxText) : v.text, ctx)) {
              // A span in a decoded view does not point into the original text.
              out.findings.push({ ...f, span: undefined, rule: `${f.rule}@${v.name}`, explanation: `${f.explanation} (in ${v.name}-decoded text)` });
            }
          }
        }
      } catch (err) {
        out.failures.push({ detector: d.id, error: errorText(err) });
      }
    }
    return out;
  }

  /** The detectors of a direction minus the disabled ones, worked out once per disabled set. */
  private detectorsFor(direction: Direction, disabled: ReadonlySet<string> | undefined): readonly Detector[] {
    if (disabled === undefined || disabled.size === 0) return this.byDirection[direction];
    let lists = this.enabled.get(disabled);
    if (lists === undefined) {
      lists = {
        input: this.byDirection.input.filter((d) => !disabled.has(d.id)),
        output: this.byDirection.output.filter((d) => !disabled.has(d.id)),
      };
      this.enabled.set(disabled, lists);
    }
    return lists[direction];
  }

  /** Scan every input message of an exchange with its role and trust; spans carry message/part. */
  scanExchange(ex: Exchange, disabled?: ReadonlySet<string>): ScanResult {
    const out: ScanResult = { findings: [], failures: [] };
    const systemPrompt = systemPromptOf(ex);
    for (const m of ex.messages) {
      const ctx: ScanContext = { role: m.role, trust: m.trust, direction: 'input', systemPrompt };
      for (let p = 0; p < m.parts.length; p++) {
        const part = m.parts[p];
        if (!part) continue;
        const r = this.scanText(part.text, ctx, disabled);
        for (const f of r.findings) out.findings.push(locate(f, m.index, p));
        for (const e of r.failures) out.failures.push(e);
      }
    }
    return out;
  }

  /** Scan what the model produced (non-streamed, or a streamed window). */
  scanOutput(view: OutputView, systemPrompt: string | undefined, disabled?: ReadonlySet<string>): ScanResult {
    const out: ScanResult = { findings: [], failures: [] };
    for (let i = 0; i < view.parts.length; i++) {
      const part = view.parts[i];
      if (!part) continue;
      const ctx: ScanContext = { role: 'assistant', trust: 'user', direction: 'output', systemPrompt, toolName: part.toolName };
      const r = this.scanText(part.text, ctx, disabled);
      for (const f of r.findings) out.findings.push(locate(f, i, 0));
      for (const e of r.failures) out.failures.push(e);
    }
    return out;
  }

  private runWindowed(d: Detector, text: string, ctx: ScanContext, sink: Finding[]): void {
    if (text.length <= this.maxText) {
      for (const f of d.scan(text, ctx)) sink.push(f);
      return;
    }
    const step = this.maxText - WINDOW_OVERLAP;
    const seen = new Set<string>();
    for (let start = 0; start < text.length; start += step) {
      for (const f of d.scan(text.slice(start, start + this.maxText), ctx)) {
        const shifted = f.span ? { ...f, span: { ...f.span, start: f.span.start + start, end: f.span.end + start } } : f;
        // Overlapping windows see matches near the seam twice.
        const key = `${shifted.rule}:${shifted.span?.start ?? -1}:${shifted.span?.end ?? -1}`;
        if (seen.has(key)) continue;
        seen.add(key);
        sink.push(shifted);
      }
    }
  }
}

/** Ids of the policies' disabled-detector sets (each policy keeps one set object, enforce/rules.ts). */
let nextDisabledId = 1;

function locate(f: Finding, message: number, part: number): Finding {
  return f.span ? { ...f, span: { ...f.span, message, part } } : { ...f, span: undefined };
}

export function systemPromptOf(ex: Exchange): string | undefined {
  let s: string | undefined;
  for (const m of ex.messages) {
    if (m.role !== 'system') continue;
    for (const p of m.parts) s = s === undefined ? p.text : `${s}\n${p.text}`;
  }
  return s;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
