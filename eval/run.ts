// `npm run eval`: scores the default detectors over the development data in ../shared/data, then the
// learned classifier's held-out section (eval/classifier.ts; --skip-classifier leaves it out).
// --deterministic scores the deterministic layer alone (the learned classifier left out of the engine,
// and its section skipped): the figure the signature rules are held to.
//   node eval/run.ts [--data DIR] [--policy FILE] [--json] [--limit N] [--skip-classifier] [--deterministic]
import path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY_NAME, loadConfig } from '../src/config/index.ts';
import { createDefaultEngine } from '../src/scan/scan.ts';
import { dataFolders, evaluate, formatMarkdown } from './evaluate.ts';
import { evaluateClassifier, formatClassifierMarkdown, LOOKALIKES_PATH, signatureDetectors } from './classifier.ts';
import { DetectionEngine } from '../src/detectors/engine.ts';
import { DEFAULT_NORMALIZER } from '../src/detectors/registry.ts';
import { loadArtifact } from '../src/detectors/classifier/index.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      policy: { type: 'string' },
      json: { type: 'boolean' },
      limit: { type: 'string' },
      'skip-classifier': { type: 'boolean' },
      deterministic: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: node eval/run.ts [--data DIR] [--policy FILE] [--json] [--limit N per source] [--skip-classifier] [--deterministic]\n');
    return 0;
  }
  const dataDir = path.resolve(values.data ?? path.resolve(repoRoot, '../shared/data'));
  if (dataFolders(dataDir).length === 0) {
    process.stdout.write(`The evaluation data is not in this clone (no */dev.jsonl under ${dataDir}); nothing to evaluate.\nPass --data DIR to point at it.\n`);
    return 0;
  }
  const limit = values.limit !== undefined ? Number.parseInt(values.limit, 10) : undefined;
  if (limit !== undefined && !(limit > 0)) {
    process.stderr.write('eval: --limit must be a positive integer\n');
    return 2;
  }
  const policy = loadConfig(values.policy).policies[DEFAULT_POLICY_NAME];
  if (!policy) throw new Error(`no '${DEFAULT_POLICY_NAME}' policy`);
  const deterministic = values.deterministic === true;
  const engine = deterministic ? new DetectionEngine({ detectors: signatureDetectors(), normalize: DEFAULT_NORMALIZER }) : createDefaultEngine();
  const report = evaluate({ dataDir, engine, policy, limitPerFolder: limit, lookalikesPath: LOOKALIKES_PATH });
  const classifier = values['skip-classifier'] || deterministic ? undefined : evaluateClassifier({ dataDir, policy, model: loadArtifact(), limitPerFolder: limit });
  if (values.json) process.stdout.write(`${JSON.stringify(classifier ? { ...report, classifier } : report, null, 2)}\n`);
  else process.stdout.write(formatMarkdown(report) + (classifier ? formatClassifierMarkdown(classifier) : ''));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`eval: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
