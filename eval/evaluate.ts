// The development-set evaluation behind `npm run eval`: every labelled row goes through the same
// scan pipeline as `parapet scan` (src/scan), judged by one policy, and is counted by what the
// policy did with it. Only the data directory it is given is read (never the sealed set).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CategoryRules, PolicyConfig } from '../src/config/types.ts';
import type { DetectionEngine } from '../src/detectors/engine.ts';
import type { Category, Role, Trust } from '../src/exchange/types.ts';
import { scanRecord, scopeOf } from '../src/scan/scan.ts';
import type { Verdict } from '../src/scan/scan.ts';
import type { ScanRecord } from '../src/scan/record.ts';

export interface DataRow {
  text: string;
  label: string;
  source: string;
  /** The folder the row came from (one per upstream dataset). */
  folder: string;
  meta: Record<string, unknown>;
}

export interface Rate {
  n: number;
  hits: number;
  /** hits / n, null when n is 0. */
  rate: number | null;
}

export interface BenignStats {
  scannedAs: string;
  n: number;
  /** Flagged or blocked as injection/jailbreak: the false positives that matter for the TNR. */
  attack: Rate;
  /** Harmful score ≥ 0.5. */
  harmful: Rate;
  /** Any action other than allow (PII/secret flags and redactions included). */
  anyAction: Rate;
  blocked: Rate;
}

export interface BalancedAccuracy {
  tpr: number | null;
  tnr: number | null;
  balancedAccuracy: number | null;
  positives: number;
  negatives: number;
}

export interface SourceRow {
  source: string;
  label: string;
  n: number;
  hits: number;
  /** Recall for attack labels; for benign rows the share flagged as an attack (FPR). */
  rate: number | null;
}

export interface EvalReport {
  dataDir: string;
  rows: number;
  /** Rows that were not usable (no text or label, bad JSON). */
  skipped: number;
  detectors: string[];
  policy: string;
  recall: Record<string, Rate & { scannedAs: string; criterion: string }>;
  benign: Record<'benign' | 'hard_negative' | 'document', BenignStats>;
  /** eval/lookalikes.jsonl (benign look-alikes written for this project), when a path was given. */
  lookalikes?: BenignStats;
  balanced: { injectionJailbreak: BalancedAccuracy; indirectVsDocuments: BalancedAccuracy };
  /** PII spans of the labelled data found (overlapped by a PII finding), by entity type. */
  piiEntities: Record<string, Rate>;
  perSource: SourceRow[];
  throughput: { bytes: number; seconds: number; mbPerSecond: number; rowsPerSecond: number };
}

export interface EvalOptions {
  dataDir: string;
  engine: DetectionEngine;
  policy: PolicyConfig;
  /** At most this many rows per folder (quick runs). */
  limitPerFolder?: number;
  /** A JSONL file of benign look-alikes scanned as user prompts and reported apart from the data. */
  lookalikesPath?: string;
}

/** Folders of `dataDir` that hold a dev.jsonl, sorted; empty when the directory is absent. */
export function dataFolders(dataDir: string): string[] {
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) return [];
  return readdirSync(dataDir)
    .filter((name) => existsSync(path.join(dataDir, name, 'dev.jsonl')))
    .sort();
}

export function loadRows(dataDir: string, limitPerFolder?: number): { rows: DataRow[]; skipped: number } {
  const rows: DataRow[] = [];
  let skipped = 0;
  for (const folder of dataFolders(dataDir)) {
    const text = readFileSync(path.join(dataDir, folder, 'dev.jsonl'), 'utf8');
    let taken = 0;
    for (const line of text.split('\n')) {
      if (line.trim().length === 0) continue;
      if (limitPerFolder !== undefined && taken >= limitPerFolder) break;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        skipped++;
        continue;
      }
      const r = v as Partial<{ text: unknown; label: unknown; source: unknown; meta: unknown }>;
      if (typeof r.text !== 'string' || typeof r.label !== 'string') {
        skipped++;
        continue;
      }
      const meta = r.meta !== null && typeof r.meta === 'object' ? (r.meta as Record<string, unknown>) : {};
      rows.push({ text: r.text, label: r.label, source: typeof r.source === 'string' ? r.source : folder, folder, meta });
      taken++;
    }
  }
  return { rows, skipped };
}

/** The benign sets reported apart: ordinary prompts, hard negatives, documents (untrusted). */
export type BenignKind = 'benign' | 'hard_negative' | 'document';

/** Rows of a look-alike file ({"text","label","meta"} a line); empty when it does not exist. */
export function loadLookalikeRows(file: string): DataRow[] {
  if (!existsSync(file)) return [];
  const rows: DataRow[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim().length === 0) continue;
    const v = JSON.parse(line) as { text: string; label?: string; meta?: Record<string, unknown> };
    rows.push({ text: v.text, label: v.label ?? 'benign', source: 'lookalikes', folder: 'lookalikes', meta: v.meta ?? {} });
  }
  return rows;
}

export function benignKind(row: DataRow): BenignKind {
  if (row.meta.text_type === 'document') return 'document';
  if (row.meta.hard_negative === true) return 'hard_negative';
  return 'benign';
}

/** How a row is presented to the scanner: third-party content as a tool result, the rest as the user. */
export function recordFor(row: DataRow): ScanRecord {
  const asTool = row.label === 'indirect_injection' || (row.label === 'benign' && benignKind(row) === 'document');
  const role: Role = asTool ? 'tool' : 'user';
  const trust: Trust = asTool ? 'untrusted' : 'user';
  const record: ScanRecord = { text: row.text, role, trust, direction: 'input' };
  if (typeof row.meta.system_prompt === 'string') record.system = row.meta.system_prompt;
  return record;
}

/** The lowest score at which the rules act on a category at all; Infinity when they never do. */
export function actingThreshold(rules: CategoryRules, category: Category): number {
  const r = rules[category];
  if (!r) return Infinity;
  return Math.min(r.flag ?? Infinity, r.redact ?? Infinity, r.block ?? Infinity);
}

/** Flagged or blocked, and for injection/jailbreak rather than for something else in the text. */
export function flaggedAsAttack(v: Verdict, rules: CategoryRules): boolean {
  if (v.verdict !== 'flag' && v.verdict !== 'block') return false;
  return v.categories.injection >= actingThreshold(rules, 'injection') || v.categories.jailbreak >= actingThreshold(rules, 'jailbreak');
}

interface Span {
  start: number;
  end: number;
}

function labelledSpans(row: DataRow): (Span & { type: string })[] {
  const spans = row.meta.spans;
  if (!Array.isArray(spans)) return [];
  const out: (Span & { type: string })[] = [];
  for (const s of spans as unknown[]) {
    if (s === null || typeof s !== 'object') continue;
    const o = s as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number') {
      out.push({ start: o.start, end: o.end, type: typeof o.entity_type === 'string' ? o.entity_type : 'UNKNOWN' });
    }
  }
  return out;
}

const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;

const rate = (hits: number, n: number): Rate => ({ n, hits, rate: n === 0 ? null : hits / n });

const CRITERIA: Record<string, { scannedAs: string; criterion: string }> = {
  injection: { scannedAs: 'user', criterion: 'flag/block with injection or jailbreak ≥ the policy threshold' },
  jailbreak: { scannedAs: 'user', criterion: 'flag/block with injection or jailbreak ≥ the policy threshold' },
  indirect_injection: { scannedAs: 'tool, untrusted', criterion: 'flag/block with injection or jailbreak ≥ the untrusted threshold' },
  harmful_request: { scannedAs: 'user', criterion: 'harmful score ≥ 0.5' },
  secret: { scannedAs: 'user', criterion: 'a secret finding' },
  pii: { scannedAs: 'user', criterion: 'a PII finding overlapping a labelled span (any PII finding when the row has no spans)' },
  injection_payload: { scannedAs: 'user', criterion: 'informational: standalone payloads are not direct injections' },
};

/** Whether the verdict counts as detecting the row's label (benign: flagged as an attack). */
export function detected(row: DataRow, v: Verdict, policy: PolicyConfig, record: ScanRecord): boolean {
  const rules = policy[scopeOf(record)];
  switch (row.label) {
    case 'injection':
    case 'jailbreak':
    case 'indirect_injection':
    case 'injection_payload':
    case 'benign':
      return flaggedAsAttack(v, rules);
    case 'harmful_request':
      return v.categories.harmful >= 0.5;
    case 'secret':
      return v.findings.some((f) => f.category === 'secret');
    case 'pii': {
      const spans = labelledSpans(row);
      const pii = v.findings.filter((f) => f.category === 'pii');
      if (spans.length === 0) return pii.length > 0;
      return spans.some((s) => pii.some((f) => f.span !== undefined && overlaps(s, f.span)));
    }
    default:
      return false;
  }
}

export function evaluate(opts: EvalOptions): EvalReport {
  const { rows, skipped } = loadRows(opts.dataDir, opts.limitPerFolder);
  const recallCounts = new Map<string, { n: number; hits: number }>();
  const benign: Record<BenignKind, { n: number; attack: number; harmful: number; any: number; blocked: number }> = {
    benign: { n: 0, attack: 0, harmful: 0, any: 0, blocked: 0 },
    hard_negative: { n: 0, attack: 0, harmful: 0, any: 0, blocked: 0 },
    document: { n: 0, attack: 0, harmful: 0, any: 0, blocked: 0 },
  };
  const pii = new Map<string, { n: number; hits: number }>();
  const perSource = new Map<string, { source: string; label: string; n: number; hits: number }>();
  let bytes = 0;
  let elapsed = 0;

  for (const row of rows) {
    const record = recordFor(row);
    const t0 = performance.now();
    const v = scanRecord(record, opts.engine, opts.policy);
    elapsed += performance.now() - t0;
    bytes += Buffer.byteLength(row.text, 'utf8');
    const hit = detected(row, v, opts.policy, record);

    const key = `${row.folder}\u0000${row.label}`;
    const src = perSource.get(key) ?? { source: row.folder, label: row.label, n: 0, hits: 0 };
    src.n++;
    if (hit) src.hits++;
    perSource.set(key, src);

    if (row.label === 'benign') {
      const b = benign[benignKind(row)];
      b.n++;
      if (hit) b.attack++;
      if (v.categories.harmful >= 0.5) b.harmful++;
      if (v.verdict !== 'allow') b.any++;
      if (v.verdict === 'block') b.blocked++;
      continue;
    }
    const c = recallCounts.get(row.label) ?? { n: 0, hits: 0 };
    c.n++;
    if (hit) c.hits++;
    recallCounts.set(row.label, c);

    if (row.label === 'pii') {
      const found = v.findings.filter((f) => f.category === 'pii' && f.span !== undefined);
      for (const s of labelledSpans(row)) {
        const e = pii.get(s.type) ?? { n: 0, hits: 0 };
        e.n++;
        if (found.some((f) => f.span !== undefined && overlaps(s, f.span))) e.hits++;
        pii.set(s.type, e);
      }
    }
  }

  const recall: EvalReport['recall'] = {};
  const order = [...Object.keys(CRITERIA), ...[...recallCounts.keys()].filter((k) => !(k in CRITERIA)).sort()];
  for (const label of order) {
    const c = recallCounts.get(label);
    if (!c) continue;
    const crit = CRITERIA[label] ?? { scannedAs: 'user', criterion: 'unknown label: never counted as detected' };
    recall[label] = { ...rate(c.hits, c.n), ...crit };
  }

  const benignStats = (k: BenignKind, scannedAs: string): BenignStats => {
    const b = benign[k];
    return { scannedAs, n: b.n, attack: rate(b.attack, b.n), harmful: rate(b.harmful, b.n), anyAction: rate(b.any, b.n), blocked: rate(b.blocked, b.n) };
  };

  const ij = ['injection', 'jailbreak'].map((l) => recallCounts.get(l) ?? { n: 0, hits: 0 });
  const pos = ij.reduce((a, c) => ({ n: a.n + c.n, hits: a.hits + c.hits }), { n: 0, hits: 0 });
  const allBenign = Object.values(benign).reduce((a, b) => ({ n: a.n + b.n, fp: a.fp + b.attack }), { n: 0, fp: 0 });
  const indirect = recallCounts.get('indirect_injection') ?? { n: 0, hits: 0 };

  // Look-alikes are judged like benign prompts but kept out of the data's own tables and of the
  // throughput figure: they are a separate, hand-written false-positive check.
  let lookalikes: BenignStats | undefined;
  if (opts.lookalikesPath !== undefined) {
    const la = { n: 0, attack: 0, harmful: 0, any: 0, blocked: 0 };
    for (const row of loadLookalikeRows(opts.lookalikesPath)) {
      const record = recordFor(row);
      const v = scanRecord(record, opts.engine, opts.policy);
      la.n++;
      if (detected(row, v, opts.policy, record)) la.attack++;
      if (v.categories.harmful >= 0.5) la.harmful++;
      if (v.verdict !== 'allow') la.any++;
      if (v.verdict === 'block') la.blocked++;
    }
    lookalikes = { scannedAs: 'user', n: la.n, attack: rate(la.attack, la.n), harmful: rate(la.harmful, la.n), anyAction: rate(la.any, la.n), blocked: rate(la.blocked, la.n) };
  }

  const sources = [...perSource.values()].sort((a, b) => a.source.localeCompare(b.source) || a.label.localeCompare(b.label));
  const seconds = elapsed / 1000;
  return {
    dataDir: opts.dataDir,
    rows: rows.length,
    skipped,
    detectors: opts.engine.detectorIds,
    policy: opts.policy.name,
    recall,
    benign: {
      benign: benignStats('benign', 'user'),
      hard_negative: benignStats('hard_negative', 'user'),
      document: benignStats('document', 'tool, untrusted'),
    },
    ...(lookalikes ? { lookalikes } : {}),
    balanced: {
      injectionJailbreak: balanced(pos.hits, pos.n, allBenign.fp, allBenign.n),
      indirectVsDocuments: balanced(indirect.hits, indirect.n, benign.document.attack, benign.document.n),
    },
    piiEntities: Object.fromEntries([...pii.entries()].sort((a, b) => b[1].n - a[1].n).map(([k, v]) => [k, rate(v.hits, v.n)])),
    perSource: sources.map((s) => ({ ...s, rate: s.n === 0 ? null : s.hits / s.n })),
    throughput: {
      bytes,
      seconds,
      mbPerSecond: seconds > 0 ? bytes / 1e6 / seconds : 0,
      rowsPerSecond: seconds > 0 ? rows.length / seconds : 0,
    },
  };
}

/** TPR over positives, TNR over negatives (1 − false-positive rate), and their mean. */
export function balanced(tp: number, positives: number, fp: number, negatives: number): BalancedAccuracy {
  const tpr = positives === 0 ? null : tp / positives;
  const tnr = negatives === 0 ? null : 1 - fp / negatives;
  return { tpr, tnr, balancedAccuracy: tpr === null || tnr === null ? null : (tpr + tnr) / 2, positives, negatives };
}

// ---- Markdown ---------------------------------------------------------------------------------

// Rates within 1% of the ends keep a second decimal, so 1 in 5,000 prints as neither 0.0% nor 100.0%.
const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed((x > 0 && x < 0.01) || (x > 0.99 && x < 1) ? 2 : 1)}%`);

export function formatMarkdown(r: EvalReport): string {
  const out: string[] = [];
  out.push('# Parapet evaluation (development data)', '');
  out.push(`Data: \`${r.dataDir}\` · ${r.rows} rows${r.skipped > 0 ? ` (${r.skipped} unusable skipped)` : ''} · policy \`${r.policy}\` · detectors: ${r.detectors.join(', ')}`, '');

  out.push('## Recall by label', '', '| label | scanned as | n | detected | recall | counted when |', '|---|---|---:|---:|---:|---|');
  for (const [label, x] of Object.entries(r.recall)) out.push(`| ${label} | ${x.scannedAs} | ${x.n} | ${x.hits} | ${pct(x.rate)} | ${x.criterion} |`);

  out.push('', '## False positives on benign rows', '', '| set | scanned as | n | flagged as injection/jailbreak | harmful ≥ 0.5 | any action | blocked |', '|---|---|---:|---:|---:|---:|---:|');
  const names: Record<keyof EvalReport['benign'], string> = { benign: 'benign', hard_negative: 'hard negatives', document: 'documents' };
  for (const [k, b] of Object.entries(r.benign) as [keyof EvalReport['benign'], BenignStats][]) {
    out.push(`| ${names[k]} | ${b.scannedAs} | ${b.n} | ${pct(b.attack.rate)} (${b.attack.hits}) | ${pct(b.harmful.rate)} | ${pct(b.anyAction.rate)} | ${pct(b.blocked.rate)} |`);
  }
  const la = r.lookalikes;
  if (la) out.push(`| look-alikes (eval/lookalikes.jsonl) | ${la.scannedAs} | ${la.n} | ${pct(la.attack.rate)} (${la.attack.hits}) | ${pct(la.harmful.rate)} | ${pct(la.anyAction.rate)} | ${pct(la.blocked.rate)} |`);

  out.push('', '## Balanced accuracy', '', '| task | positives | negatives | TPR | TNR | balanced accuracy |', '|---|---:|---:|---:|---:|---:|');
  const ba = (name: string, b: BalancedAccuracy): string => `| ${name} | ${b.positives} | ${b.negatives} | ${pct(b.tpr)} | ${pct(b.tnr)} | ${pct(b.balancedAccuracy)} |`;
  out.push(ba('injection + jailbreak vs all benign', r.balanced.injectionJailbreak));
  out.push(ba('indirect injection vs benign documents', r.balanced.indirectVsDocuments));

  const entities = Object.entries(r.piiEntities);
  if (entities.length > 0) {
    out.push('', '## PII spans found, by entity type', '', '| entity | spans | found | recall |', '|---|---:|---:|---:|');
    for (const [k, x] of entities) out.push(`| ${k} | ${x.n} | ${x.hits} | ${pct(x.rate)} |`);
  }

  out.push('', '## Per source', '', 'Rate is recall for attack labels and the share flagged as injection/jailbreak for benign rows.', '', '| source | label | n | rate |', '|---|---|---:|---:|');
  for (const s of r.perSource) out.push(`| ${s.source} | ${s.label} | ${s.n} | ${pct(s.rate)} |`);

  const t = r.throughput;
  out.push('', '## Throughput', '', `${(t.bytes / 1e6).toFixed(2)} MB in ${t.seconds.toFixed(2)} s of scanning: **${t.mbPerSecond.toFixed(2)} MB/s**, ${Math.round(t.rowsPerSecond)} rows/s (one core, detectors + policy + redaction).`, '');
  return out.join('\n');
}
