import { describe, expect, it } from 'vitest';
import { benchScan, buildCorpora, familiesOf, formatScanBench } from '../../bench/scan.ts';
import { DEFAULT_DETECTORS } from '../../src/detectors/registry.ts';

describe('scan benchmark', () => {
  it('builds deterministic corpora of the requested size', () => {
    const a = buildCorpora(16 * 1024);
    const b = buildCorpora(16 * 1024);
    expect(a.map((c) => c.name)).toEqual(['prompts', 'documents', 'attacks', 'answers']);
    expect(a.map((c) => c.texts)).toEqual(b.map((c) => c.texts));
    for (const c of a) {
      expect(c.bytes).toBeGreaterThanOrEqual(16 * 1024);
      expect(c.bytes).toBe(c.texts.reduce((n, t) => n + Buffer.byteLength(t), 0));
    }
    expect(a.find((c) => c.name === 'answers')!.record).toMatchObject({ direction: 'output', system: expect.any(String) });
  });

  it('measures the engine, every family and the baselines', () => {
    const r = benchScan({ corpusBytes: 4 * 1024, minMs: 5 });
    const families = Object.keys(familiesOf(DEFAULT_DETECTORS));
    for (const corpus of ['prompts', 'documents', 'attacks', 'answers']) {
      const subjects = r.rows.filter((x) => x.corpus === corpus).map((x) => x.subject);
      expect(subjects).toEqual(expect.arrayContaining(['baseline:indexOf', 'baseline:JSON.parse', 'engine']));
    }
    // Output-only families are measured on the answers and nowhere else.
    expect(r.rows.filter((x) => x.subject === 'output').map((x) => x.corpus)).toEqual(['answers']);
    expect(new Set(r.rows.map((x) => x.subject))).toEqual(new Set(['baseline:indexOf', 'baseline:JSON.parse', 'engine', ...families, ...(r.rows.some((x) => x.subject === 'normalize') ? ['normalize'] : [])]));
    for (const x of r.rows) {
      expect(x.mbPerSecond).toBeGreaterThan(0);
      if (x.subject === 'baseline:indexOf') expect(x.vsIndexOf).toBeCloseTo(1);
      if (x.subject === 'baseline:JSON.parse') expect(x.vsJsonParse).toBeCloseTo(1);
    }
    expect(formatScanBench(r)).toMatch(/\| answers \| output \| [\d.]+ \|/);
  });
});
