import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateClassifier, formatClassifierMarkdown } from '../../eval/classifier.ts';
import type { PolicyConfig } from '../../src/config/types.ts';
import { loadArtifact } from '../../src/detectors/classifier/index.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/eval');
const rules = { injection: { block: 0.9, flag: 0.5 }, jailbreak: { block: 0.9, flag: 0.5 }, harmful: { flag: 0.5 } };
const policy: PolicyConfig = {
  name: 'test',
  failMode: 'closed',
  models: ['*'],
  redaction: 'mask',
  input: rules,
  untrusted: { ...rules, injection: { block: 0.8, flag: 0.4 } },
  output: {},
  disabledDetectors: [],
};

describe('classifier evaluation section', () => {
  const report = evaluateClassifier({ dataDir: FIXTURE, policy, model: loadArtifact(), latency: false, padding: { folders: ['alpha', 'beta'], chars: 10 } });

  it('holds out every source in turn and scores it with signatures, classifier and both', () => {
    expect(report.folds.map((f) => f.source)).toEqual(['alpha', 'beta']);
    const alpha = report.folds[0]!;
    expect(alpha.positives + alpha.negatives).toBeGreaterThan(0);
    for (const s of ['signatures', 'classifier', 'combined'] as const) {
      expect(alpha.systems[s].score).not.toBeNull();
      expect(report.pooled[s].fpr.benign.n).toBe(report.pooled.signatures.fpr.benign.n);
      expect(report.withinSource[s].fpr.benign.n).toBe(report.pooled.signatures.fpr.benign.n);
    }
    // A union of detectors never finds less than either part.
    for (const f of report.folds) expect(f.systems.combined.tpr ?? 0).toBeGreaterThanOrEqual(f.systems.signatures.tpr ?? 0);
  });

  it('scores the look-alike set with the committed model and prints a Markdown section', () => {
    expect(report.lookalikes?.n).toBeGreaterThanOrEqual(250);
    expect(report.model).toBe(loadArtifact().version);
    const md = formatClassifierMarkdown(report);
    expect(md).toContain('## Leave-one-source-out, per held-out source');
    expect(md).toContain('| alpha |');
    expect(md).toContain('## Look-alikes');
  });

  it('scans every short held-out attack of the user heads again behind padding from another folder', () => {
    // alpha: injections a1-a3, jailbreak a4, harmful a6-a7; beta: jailbreak b2. Indirect injections
    // are the document head's and are not padded.
    expect(report.padded.map((x) => [x.label, x.n])).toEqual([
      ['injection', 3],
      ['jailbreak', 2],
      ['harmful_request', 2],
    ]);
    for (const x of report.padded) {
      for (const s of ['signatures', 'classifier', 'combined'] as const) {
        expect(x.plain[s]).toBeLessThanOrEqual(x.n);
        expect(x.padded[s]).toBeLessThanOrEqual(x.n);
      }
    }
    const md = formatClassifierMarkdown(report);
    expect(md).toContain('## Padded attacks (held out)');
    expect(md).toContain('passage of alpha, beta');
  });
});
