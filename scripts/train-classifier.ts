// Trains the learned detector and writes models/classifier/model.json.
//   node scripts/train-classifier.ts [--data DIR] [--out FILE]
//
// Pure TypeScript on the machine's own Node: no Python, no downloads. Deterministic (fixed seeds,
// fixed example order), so the same data gives a byte-identical artifact. Steps:
//   1. read ../shared/data/*/dev.jsonl and add the synthetic rows of train/synth.ts;
//   2. leave-one-source-out: train without each data folder, score that folder (out-of-fold margins);
//   3. fit the score calibration on the out-of-fold margins of every non-attack row (whole texts,
//      and the best sentence of long texts for the heads that score sentences);
//   4. train the final heads on everything and write the artifact (int8 weights + calibration).
// `npm run eval` repeats step 2 and reports the held-out numbers.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { dataFolders, loadRows } from '../eval/evaluate.ts';
import { MODEL_PATH } from '../src/detectors/classifier/model.ts';
import { isTestOnly } from '../src/detectors/classifier/train/examples.ts';
import { TRAIN_CONFIG, buildArtifact, crossValidate, fitCalibration, prepare, trainFinal } from '../src/detectors/classifier/train/pipeline.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: node scripts/train-classifier.ts [--data DIR] [--out FILE]\n');
    return 0;
  }
  const dataDir = path.resolve(values.data ?? path.resolve(repoRoot, '../shared/data'));
  if (dataFolders(dataDir).length === 0) {
    process.stdout.write(`No training data: no */dev.jsonl under ${dataDir}. The committed model (${path.relative(repoRoot, MODEL_PATH)}) is unchanged.\nPass --data DIR to point at the development data.\n`);
    return 0;
  }
  const out = path.resolve(values.out ?? MODEL_PATH);
  const t0 = performance.now();
  const log = (s: string): void => {
    process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)}s] ${s}\n`);
  };

  const { rows: dev, skipped } = loadRows(dataDir);
  const p = prepare(dev);
  log(`${dev.length} development rows (${skipped} unusable), ${p.rows.length - dev.length} synthetic; ${p.set.size} examples, ${p.set.nnz} features set`);

  const cv = crossValidate(p, TRAIN_CONFIG, (folder) => log(`held out ${folder}`));
  const calibration = fitCalibration(p.rows, cv.oof, p.devCount);
  log('calibrated on out-of-fold margins');

  const heads = trainFinal(p);
  log('trained the final heads on all rows');

  const counts: Record<string, Record<string, number>> = {};
  for (const r of p.rows) {
    const key = r.meta.synthetic === true ? `synthetic:${r.folder}` : isTestOnly(r) ? `${r.folder} (test only: not trained on)` : r.folder;
    const byLabel = (counts[key] ??= {});
    byLabel[r.label] = (byLabel[r.label] ?? 0) + 1;
  }
  const artifact = buildArtifact(heads, calibration, TRAIN_CONFIG, {
    trainer: 'scripts/train-classifier.ts',
    data: 'development half of ../shared/data (see models/classifier/DATA_CARD.md)',
    rows: counts,
    config: TRAIN_CONFIG,
  });
  mkdirSync(path.dirname(out), { recursive: true });
  const json = `${JSON.stringify(artifact, null, 2)}\n`;
  writeFileSync(out, json);
  log(`wrote ${path.relative(process.cwd(), out)} (${(json.length / 1e6).toFixed(2)} MB, ${artifact.version})`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`train-classifier: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
