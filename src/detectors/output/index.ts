// Improper output handling (OWASP LLM05) and excessive agency through tool arguments (LLM06):
// output that turns into an action when a client renders it (markdown images that leak data, HTML
// and script, terminal escapes) or when a tool executes it (shell, SQL, file paths).
import type { Category, Finding, OwaspId, Severity } from '../../exchange/types.ts';
import type { Detector, ScanContext } from '../types.ts';
import { codeRanges, inRanges } from './code.ts';
import { analyzeUrl, extractLinks, hostAllowed } from './exfil.ts';
import type { LinkKind } from './exfil.ts';
import { HTML_RULES, SHELL_TOOL, SQL_TOOL, TOOL_RULES, classifyEscape } from './rules.ts';
import type { PatternRule, ToolRule } from './rules.ts';
import { anyCue, cueMask, factsOf } from '../normalize/facts.ts';

export { analyzeUrl, extractLinks, hostAllowed } from './exfil.ts';
export { codeRanges } from './code.ts';
export { HTML_RULES, TOOL_RULES } from './rules.ts';

export interface OutputDetectorOptions {
  /** Hosts output may link and embed images from (a domain covers its subdomains; `*.x.com` too). */
  allowedDomains: string[];
}

export const OUTPUT_DETECTOR_ID = 'output';

/**
 * A rendered answer shows code blocks as text, so markup there is not live. The factor keeps a
 * finding (the code may still be pasted into a page) at a level a policy can tell apart.
 */
const IN_CODE_FACTOR = 0.4;
const MAX_PER_RULE = 16;
const MIN_SCORE = 0.2;

// Literal gates of the tool rules and the URL schemes, registered with the shared character pass.
const TOOL_GATES: readonly (readonly Uint8Array[])[] = TOOL_RULES.map((r) => r.needs.map((groups) => cueMask(groups)));
const SCHEME_CUES = cueMask([{ literals: ['script', 'data:'] }]);

/** Whether the text has a literal of every gate group (so the rule's pattern could match). */
function gateOpen(ids: readonly number[], groups: readonly Uint8Array[]): boolean {
  for (const g of groups) if (!anyCue(ids, g)) return false;
  return true;
}

const IMAGE_KINDS: ReadonlySet<LinkKind> = new Set<LinkKind>(['image', 'html-image', 'reference-image', 'css-url']);

export function createOutputDetector(opts: OutputDetectorOptions): Detector {
  const allowed = [...opts.allowedDomains];
  return {
    id: OUTPUT_DETECTOR_ID,
    categories: ['unsafe_output', 'tool_abuse'],
    directions: ['output'],
    // What a browser or terminal acts on is the raw text; a decoded view is never rendered.
    scansViews: false,
    scan(text: string, ctx: ScanContext): Finding[] {
      const s = new Scan(text, ctx, allowed);
      s.exfiltration();
      s.html();
      s.terminal();
      s.tools();
      return s.findings;
    },
  };
}

/** The registry's instance: no domain is trusted until the operator lists some. */
export const outputDetector: Detector = createOutputDetector({ allowedDomains: [] });

class Scan {
  readonly findings: Finding[] = [];
  private readonly text: string;
  private readonly ctx: ScanContext;
  private readonly allowed: readonly string[];
  private readonly inTool: boolean;
  private code: [number, number][] | undefined;

  constructor(text: string, ctx: ScanContext, allowed: readonly string[]) {
    this.text = text;
    this.ctx = ctx;
    this.allowed = allowed;
    this.inTool = ctx.toolName !== undefined && ctx.toolName.length > 0;
  }

  /** Tool arguments are JSON, never rendered markdown: nothing in them counts as a code block. */
  private inCode(pos: number): boolean {
    if (this.inTool) return false;
    this.code ??= codeRanges(this.text);
    return inRanges(this.code, pos);
  }

  exfiltration(): void {
    const t = this.text;
    if (!t.includes('//')) return;
    const seen = new Set<number>();
    let images = 0;
    let links = 0;
    for (const hit of extractLinks(t)) {
      if (seen.has(hit.start)) continue;
      seen.add(hit.start);
      const u = analyzeUrl(hit.url);
      if (!u || hostAllowed(u.host, this.allowed)) continue;
      const image = IMAGE_KINDS.has(hit.kind);
      // Images load with no click, so any external image leaks at least the reader's IP and the
      // fact the answer was viewed; links need a click and only matter when they carry data.
      let score = image ? 0.3 + 0.65 * u.payload : 0.1 + 0.6 * u.payload;
      if (!image && u.payload < 0.25) continue;
      if (this.inCode(hit.start)) score *= IN_CODE_FACTOR;
      if (score < MIN_SCORE) continue;
      if (image ? ++images > MAX_PER_RULE : ++links > MAX_PER_RULE) continue;
      const what = describeKind(hit.kind);
      const carried = u.dataLength > 0 ? `carrying ${u.dataLength} characters of URL data${u.longestToken >= 24 ? ' (encoded token)' : ''}` : 'with no URL data';
      this.push({
        category: 'unsafe_output',
        rule: image ? 'exfil-image' : 'exfil-link',
        score,
        owasp: ['LLM05', 'LLM02'],
        start: hit.start,
        end: hit.end,
        explanation: `${what} to non-allowlisted host ${u.host} ${carried}.`,
      });
    }
  }

  html(): void {
    const t = this.text;
    const hasTag = t.includes('<');
    const hasScheme = anyCue(factsOf(t).ids, SCHEME_CUES);
    if (!hasTag && !hasScheme) return;
    for (const rule of HTML_RULES) {
      const needsTag = rule.id !== 'script-url' && rule.id !== 'data-html-url';
      if (needsTag ? !hasTag : !hasScheme) continue;
      this.runPattern(rule, (m) => (this.inCode(m.index) ? rule.score * IN_CODE_FACTOR : rule.score), 'unsafe_output', ['LLM05']);
    }
  }

  terminal(): void {
    const t = this.text;
    const hasC1 = /[\x9b\x9d]/.test(t);
    if (!t.includes('\x1b') && !hasC1) return;
    const byRule = new Map<string, { score: number; explanation: string; start: number; end: number; count: number }>();
    const note = (i: number): number => {
      const { cls, end } = classifyEscape(t, i);
      if (!cls) return end;
      const prev = byRule.get(cls.id);
      if (prev) prev.count++;
      else byRule.set(cls.id, { score: cls.score, explanation: cls.explanation, start: i, end, count: 1 });
      return end;
    };
    for (let i = t.indexOf('\x1b'); i !== -1; ) {
      const end = note(i);
      i = t.indexOf('\x1b', Math.max(end, i + 1));
    }
    if (hasC1) {
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === 0x9b || c === 0x9d) note(i);
      }
    }
    // One finding per kind of escape: colour codes come by the hundred in terminal output.
    for (const [rule, f] of byRule) {
      this.push({
        category: 'unsafe_output',
        rule,
        score: f.score,
        owasp: ['LLM05'],
        start: f.start,
        end: f.end,
        explanation: f.count > 1 ? `${f.explanation} (${f.count} occurrences)` : f.explanation,
      });
    }
  }

  tools(): void {
    const name = this.ctx.toolName ?? '';
    const shellTool = this.inTool && SHELL_TOOL.test(name);
    const sqlTool = this.inTool && SQL_TOOL.test(name);
    const fired = new Set<string>();
    const scoreOf = (rule: ToolRule): number | undefined => {
      if (!this.inTool) return rule.answerScore;
      const native = (rule.family === 'shell' && shellTool) || (rule.family === 'sql' && sqlTool);
      return native ? (rule.nativeScore ?? rule.score) : rule.score;
    };
    const category: Category = this.inTool ? 'tool_abuse' : 'unsafe_output';
    const owasp: OwaspId[] = this.inTool ? ['LLM06'] : ['LLM05'];
    const ids = factsOf(this.text).ids;
    TOOL_RULES.forEach((rule, i) => {
      const score = scoreOf(rule);
      if (score === undefined || !gateOpen(ids, TOOL_GATES[i] ?? [])) return;
      if (this.runPattern(rule, () => score, category, owasp) > 0) fired.add(rule.id);
    });
    if (!this.inTool || !this.text.includes('\\')) return;
    // Arguments are JSON: `rm \u002drf /` is `rm -rf /` once the tool parses them. Scan the decoded
    // string values for what the raw text hid (no span: offsets in a decoded value do not map back).
    for (const value of jsonStrings(this.text)) {
      if (this.text.includes(value)) continue;
      for (const rule of TOOL_RULES) {
        const score = scoreOf(rule);
        if (score === undefined || fired.has(rule.id)) continue;
        rule.re.lastIndex = 0;
        if (!rule.re.test(value)) continue;
        fired.add(rule.id);
        this.push({ category, rule: rule.id, score, owasp, explanation: `${rule.explanation} (in JSON-decoded tool arguments)` });
      }
    }
  }

  private runPattern(rule: PatternRule, scoreAt: (m: RegExpExecArray) => number, category: Category, owasp: OwaspId[]): number {
    const re = rule.re;
    let n = 0;
    re.lastIndex = 0;
    for (let m = re.exec(this.text); m !== null && n < MAX_PER_RULE; m = re.exec(this.text)) {
      if (m[0].length === 0) re.lastIndex++;
      const score = scoreAt(m);
      if (score < MIN_SCORE) continue;
      n++;
      this.push({ category, rule: rule.id, score, owasp, start: m.index, end: m.index + m[0].length, explanation: rule.explanation });
    }
    return n;
  }

  private push(f: { category: Category; rule: string; score: number; owasp: OwaspId[]; explanation: string; start?: number; end?: number }): void {
    const score = Math.round(Math.min(1, f.score) * 1000) / 1000;
    this.findings.push({
      detector: OUTPUT_DETECTOR_ID,
      category: f.category,
      rule: f.rule,
      score,
      severity: severityOf(score),
      owasp: f.owasp,
      span: f.start !== undefined && f.end !== undefined ? { start: f.start, end: f.end } : undefined,
      explanation: f.explanation,
    });
  }
}

function describeKind(kind: LinkKind): string {
  switch (kind) {
    case 'image':
      return 'Markdown image';
    case 'reference-image':
      return 'Markdown reference-style image';
    case 'html-image':
      return 'HTML element loading a URL';
    case 'css-url':
      return 'CSS url()';
    case 'link':
      return 'Link';
    case 'reference-link':
      return 'Markdown reference link';
  }
}

function severityOf(score: number): Severity {
  if (score >= 0.9) return 'critical';
  if (score >= 0.7) return 'high';
  if (score >= 0.4) return 'medium';
  return 'low';
}

function jsonStrings(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const out: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 32) return;
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(parsed, 0);
  return out;
}
