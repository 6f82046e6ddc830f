import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIM, FEATURE_VERSION } from '../../src/detectors/classifier/features.ts';
import { ARTIFACT_FORMAT, HEADS, MODEL_PATH, calibrate, decodeArtifact, encodeWeights, quantize } from '../../src/detectors/classifier/model.ts';
import type { ArtifactFile } from '../../src/detectors/classifier/model.ts';
import { DOCUMENT_ANCHORS, USER_ANCHORS, fitCurve } from '../../src/detectors/classifier/train/calibrate.ts';
import { DEFAULT_POLICY_NAME, loadConfig } from '../../src/config/index.ts';

const committed = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as ArtifactFile;

describe('the committed artifact', () => {
  it('is small and matches the feature code', () => {
    expect(statSync(MODEL_PATH).size).toBeLessThan(20 * 1024 * 1024);
    expect(committed.format).toBe(ARTIFACT_FORMAT);
    expect(committed.featureVersion).toBe(FEATURE_VERSION);
    expect(committed.heads).toEqual([...HEADS]);
    const m = decodeArtifact(committed);
    expect(m.weights).toHaveLength(HEADS.length);
    for (const w of m.weights) expect(w.length).toBe(DIM);
    expect(m.version).toMatch(/^clf-[0-9a-f]{10}$/);
  });

  it('has monotone calibration curves ending near 1', () => {
    for (const h of HEADS) {
      const c = committed.calibration[h];
      expect(c.length).toBeGreaterThanOrEqual(3);
      expect(c[c.length - 1]?.[1]).toBeGreaterThan(0.95);
    }
  });

  it('refuses an artifact built for other features, heads or sizes', () => {
    expect(() => decodeArtifact({ ...committed, featureVersion: 'other' })).toThrow(/retrain/);
    expect(() => decodeArtifact({ ...committed, format: 'x' as typeof ARTIFACT_FORMAT })).toThrow(/format/);
    expect(() => decodeArtifact({ ...committed, heads: ['injection'] })).toThrow(/heads/);
    expect(() => decodeArtifact({ ...committed, weights: Buffer.alloc(10).toString('base64') })).toThrow(/weight bytes/);
    const bad = { ...committed.calibration, harmful: [[1, 0.5], [0, 0.9]] as const };
    expect(() => decodeArtifact({ ...committed, calibration: bad })).toThrow(/monotone/);
    const { segment: _, ...noSentences } = committed.calibration;
    expect(() => decodeArtifact({ ...committed, calibration: noSentences as typeof committed.calibration })).toThrow(/sentence calibration/);
    const unknown = { ...committed.calibration, segment: { indirect: committed.calibration.indirect } as typeof committed.calibration.segment };
    expect(() => decodeArtifact({ ...committed, calibration: unknown })).toThrow(/unknown head/);
  });
});

describe('quantisation', () => {
  it('keeps every weight within half a step of its float value and round-trips through base64', () => {
    const w = new Float32Array(DIM);
    for (let i = 0; i < DIM; i += 97) w[i] = Math.sin(i) * 3;
    const q = quantize([w, w, w, w]);
    const step = q.scale[0] as number;
    for (let i = 0; i < DIM; i += 97) expect(Math.abs((q.bytes[0]?.[i] as number) * step - (w[i] as number))).toBeLessThanOrEqual(step / 2 + 1e-6);
    const back = Buffer.from(encodeWeights(q.bytes), 'base64');
    expect(back.length).toBe(4 * DIM);
    expect(new Int8Array(back.buffer, back.byteOffset, DIM)[97]).toBe(q.bytes[0]?.[97]);
  });
});

describe('calibration', () => {
  it('interpolates between knots and is flat outside them', () => {
    const c = [
      [0, 0],
      [2, 0.5],
      [4, 0.9],
    ] as const;
    expect(calibrate(c, -5)).toBe(0);
    expect(calibrate(c, 1)).toBeCloseTo(0.25);
    expect(calibrate(c, 3)).toBeCloseTo(0.7);
    expect(calibrate(c, 10)).toBe(0.9);
    expect(calibrate(c, Number.NaN)).toBe(1);
  });

  it('puts anchors at the benign quantiles they name, strictly increasing', () => {
    const neg = Array.from({ length: 1000 }, (_, i) => i / 100); // 0 … 9.99
    const curve = fitCurve(neg, [
      { score: 0.3, fpr: 0.01 },
      { score: 0.5, fpr: 0, margin: 0.5 },
    ]);
    expect(curve[0]).toEqual([4.995, 0]);
    expect(curve[1]).toEqual([9.895, 0.3]);
    expect(curve[2]).toEqual([10.49, 0.5]);
    // No more than the named share of the negatives reaches each anchor.
    expect(neg.filter((m) => calibrate(curve, m) >= 0.3).length).toBeLessThanOrEqual(10);
    expect(neg.filter((m) => calibrate(curve, m) >= 0.5)).toHaveLength(0);
    for (let i = 1; i < curve.length; i++) expect(curve[i]![0]).toBeGreaterThan(curve[i - 1]![0]);
  });

  // Issue 9: the default FLAG thresholds spend a small part of the false-positive budget (at most 1 in
  // 400 held-out benign texts per head), the default BLOCK thresholds none of it (above every benign
  // margin, with room to spare).
  it('anchors the default flag thresholds inside the FPR budget and the block thresholds above every benign text', () => {
    const policy = loadConfig(undefined, {}).policies[DEFAULT_POLICY_NAME];
    if (!policy) throw new Error('no default policy');
    const at = (anchors: typeof USER_ANCHORS, score: number | undefined) => anchors.find((a) => a.score === score);
    for (const [anchors, rules] of [
      [USER_ANCHORS, policy.input],
      [DOCUMENT_ANCHORS, policy.untrusted],
    ] as const) {
      const flag = at(anchors, rules.injection?.flag);
      const block = at(anchors, rules.injection?.block);
      expect(flag?.fpr).toBeGreaterThan(0);
      expect(flag?.fpr).toBeLessThanOrEqual(0.0025);
      expect(block?.fpr).toBe(0);
      expect(block?.margin ?? 0).toBeGreaterThanOrEqual(1);
    }
  });
});
