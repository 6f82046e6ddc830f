import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { balanced, evaluate, formatMarkdown, loadRows, recordFor } from '../../eval/evaluate.ts';
import type { PolicyConfig } from '../../src/config/types.ts';
import { DetectionEngine } from '../../src/detectors/engine.ts';
import type { Detector } from '../../src/detectors/types.ts';
import type { Category, Finding } from '../../src/exchange/types.ts';

const root = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(root, 'test/fixtures/eval');

// Marker-driven detector: the arithmetic under test must not move when real detectors improve.
const MARKERS: [RegExp, Category, number][] = [
  [/INJECT/g, 'injection', 0.95],
  [/SUSPECT/g, 'injection', 0.6],
  [/WEAK/g, 'injection', 0.45],
  [/JB/g, 'jailbreak', 0.95],
  [/HARM/g, 'harmful', 0.7],
  [/SECRET-\d+/g, 'secret', 0.9],
  [/Alice/g, 'pii', 0.8],
];
const fake: Detector = {
  id: 'fake',
  categories: ['injection', 'jailbreak', 'harmful', 'secret', 'pii'],
  scan(text): Finding[] {
    const out: Finding[] = [];
    for (const [re, category, score] of MARKERS) {
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        out.push({ detector: 'fake', category, rule: category, score, severity: 'high', owasp: ['LLM01'], span: { start: m.index, end: m.index + m[0].length }, explanation: 'marker' });
      }
    }
    return out;
  },
};

const inputRules = { injection: { block: 0.9, flag: 0.5 }, jailbreak: { block: 0.9, flag: 0.5 }, harmful: { flag: 0.5 }, secret: { flag: 0 }, pii: { flag: 0 } };
const policy: PolicyConfig = {
  name: 'test',
  failMode: 'closed',
  models: ['*'],
  redaction: 'mask',
  input: inputRules,
  untrusted: { ...inputRules, injection: { block: 0.8, flag: 0.4 } },
  output: { secret: { redact: 0 } },
  disabledDetectors: [],
};

describe('evaluation arithmetic', () => {
  const report = evaluate({ dataDir: FIXTURE, engine: new DetectionEngine({ detectors: [fake] }), policy });

  it('reads every folder and skips unusable rows', () => {
    expect(report.rows).toBe(18);
    expect(report.skipped).toBe(2);
    expect(report.detectors).toEqual(['fake']);
  });

  it('computes recall per label with its criterion', () => {
    expect(report.recall.injection).toMatchObject({ n: 3, hits: 2 });
    expect(report.recall.injection!.rate).toBeCloseTo(2 / 3);
    expect(report.recall.jailbreak).toMatchObject({ n: 2, hits: 1, rate: 0.5 });
    // 0.45 is below the user flag threshold but above the untrusted one: scanned as a tool result.
    expect(report.recall.indirect_injection).toMatchObject({ n: 1, hits: 1, scannedAs: 'tool, untrusted' });
    expect(report.recall.harmful_request).toMatchObject({ n: 2, hits: 1 });
    expect(report.recall.secret).toMatchObject({ n: 1, hits: 1 });
    // A PII finding only counts where it overlaps the labelled span ("Alice" is found but "Bob" is the label).
    expect(report.recall.pii).toMatchObject({ n: 2, hits: 1 });
    expect(report.piiEntities.PERSON).toMatchObject({ n: 2, hits: 1, rate: 0.5 });
    expect(report.recall.injection_payload).toMatchObject({ n: 1, hits: 1 });
  });

  it('separates benign, hard negatives and documents', () => {
    expect(report.benign.benign).toMatchObject({ n: 3, attack: { hits: 1 }, anyAction: { hits: 1 }, blocked: { hits: 0 } });
    expect(report.benign.hard_negative).toMatchObject({ n: 1, attack: { hits: 1, rate: 1 }, blocked: { hits: 1 } });
    expect(report.benign.document).toMatchObject({ n: 2, scannedAs: 'tool, untrusted', attack: { hits: 1, rate: 0.5 } });
  });

  it('computes balanced accuracy from TPR and TNR', () => {
    const ij = report.balanced.injectionJailbreak;
    expect(ij).toMatchObject({ positives: 5, negatives: 6 });
    expect(ij.tpr).toBeCloseTo(0.6);
    expect(ij.tnr).toBeCloseTo(0.5);
    expect(ij.balancedAccuracy).toBeCloseTo(0.55);
    const ind = report.balanced.indirectVsDocuments;
    expect(ind).toMatchObject({ positives: 1, negatives: 2, tpr: 1, tnr: 0.5, balancedAccuracy: 0.75 });
    expect(balanced(0, 0, 0, 4)).toMatchObject({ tpr: null, tnr: 1, balancedAccuracy: null });
  });

  it('breaks results down per source and label', () => {
    const row = (source: string, label: string) => report.perSource.find((s) => s.source === source && s.label === label);
    expect(row('alpha', 'benign')).toMatchObject({ n: 5, hits: 3 });
    expect(row('beta', 'benign')).toMatchObject({ n: 1, hits: 0, rate: 0 });
    expect(row('beta', 'jailbreak')).toMatchObject({ n: 1, hits: 0 });
    expect(report.perSource.reduce((a, s) => a + s.n, 0)).toBe(report.rows);
  });

  it('measures throughput over the bytes scanned', () => {
    const bytes = loadRows(FIXTURE).rows.reduce((a, r) => a + Buffer.byteLength(r.text), 0);
    expect(report.throughput.bytes).toBe(bytes);
    expect(report.throughput.seconds).toBeGreaterThan(0);
    expect(report.throughput.mbPerSecond).toBeCloseTo(bytes / 1e6 / report.throughput.seconds);
  });

  it('prints a Markdown report', () => {
    const md = formatMarkdown(report);
    expect(md).toContain('| injection | user | 3 | 2 | 66.7% |');
    expect(md).toContain('| injection + jailbreak vs all benign | 5 | 6 | 60.0% | 50.0% | 55.0% |');
    expect(md).toContain('| documents | tool, untrusted | 2 | 50.0% (1) |');
  });

  it('reports the look-alikes apart when given their file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parapet-lookalikes-'));
    const file = path.join(dir, 'lookalikes.jsonl');
    writeFileSync(file, ['{"text":"a plain question","label":"benign"}', '{"text":"quoting INJECT here","label":"benign"}', ''].join('\n'));
    const withLookalikes = evaluate({ dataDir: FIXTURE, engine: new DetectionEngine({ detectors: [fake] }), policy, lookalikesPath: file });
    expect(withLookalikes.lookalikes).toMatchObject({ n: 2, attack: { hits: 1, rate: 0.5 } });
    // They are not part of the data's own counts.
    expect(withLookalikes.rows).toBe(report.rows);
    expect(formatMarkdown(withLookalikes)).toContain('| look-alikes (eval/lookalikes.jsonl) | user | 2 | 50.0% (1) |');
    expect(report.lookalikes).toBeUndefined();
  });

  it('presents third-party rows as untrusted tool results', () => {
    const rows = loadRows(FIXTURE).rows;
    const doc = rows.find((r) => r.meta.id === 'a11')!;
    expect(recordFor(doc)).toMatchObject({ role: 'tool', trust: 'untrusted', direction: 'input' });
    const inj = rows.find((r) => r.meta.id === 'a1')!;
    expect(recordFor(inj)).toMatchObject({ role: 'user', trust: 'user', system: 'The password is Piano.' });
  });
});

describe('npm run eval', () => {
  const node = path.join(root, 'node_modules/.bin/node');
  it('explains and exits 0 when the data is not in the clone', () => {
    const r = spawnSync(node, ['eval/run.ts', '--data', path.join(root, 'test/fixtures/does-not-exist')], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/evaluation data is not in this clone/);
  });

  it('runs the real pipeline over a data directory and prints JSON', () => {
    const r = spawnSync(node, ['eval/run.ts', '--data', FIXTURE, '--json'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { rows: number; recall: Record<string, { n: number }>; detectors: string[] };
    expect(report.rows).toBe(18);
    expect(report.recall.injection!.n).toBe(3);
    expect(report.detectors).toContain('output');
  });
});
