// `npm run bench [-- --quick] [-- --json] [-- --no-portkey] [-- --no-nginx] [-- --experiment]`: every
// benchmark in one run, each reporting ratios against a baseline measured in the same run (machines
// here are noisy; absolute numbers drift). The side-by-side comparison (bench/side-by-side.ts) also writes the
// latency-vs-concurrency chart. --quick takes under two minutes.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './lib/procs.ts';
import { benchAuditSqlite, formatAuditSqlite } from './audit-sqlite.ts';
import { benchClassifier, formatClassifierBench } from './classifier.ts';
import { benchLru, formatLru } from './lru.ts';
import { benchSessions, formatSessions } from './sessions.ts';
import { benchSideBySide } from './side-by-side.ts';
import { added, formatSideBySide } from './side-by-side/report.ts';
import { benchStream } from './stream.ts';
import { benchScan, formatScanBench } from './scan.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'no-portkey': { type: 'boolean', default: false },
    'no-nginx': { type: 'boolean', default: false },
    experiment: { type: 'boolean', default: false },
  },
});
const quick = values.quick;

const sideBySide = await benchSideBySide({ quick, portkey: !values['no-portkey'], nginx: !values['no-nginx'], experiment: values.experiment });
// The earlier latency section (Parapet's default policy against the mock), now taken from the
// side-by-side run rather than measured a second time.
const levels = [...new Set(sideBySide.latency.map((x) => x.concurrency))];
const latency = {
  rows: sideBySide.latency.filter((x) => x.path === 'direct' || x.path === 'parapet-default'),
  added: levels.map((c) => {
    const a = added(sideBySide.latency, 'parapet-default', c);
    const d = sideBySide.latency.find((x) => x.path === 'direct' && x.concurrency === c);
    const p = sideBySide.latency.find((x) => x.path === 'parapet-default' && x.concurrency === c);
    return { concurrency: c, p50: a?.p50 ?? NaN, p99: a?.p99 ?? NaN, throughputRatio: d && p ? p.rps / d.rps : NaN };
  }),
};
const stream = await benchStream({ quick });
const scan = benchScan(quick ? { corpusBytes: 128 * 1024, minMs: 150 } : {});
const classifier = benchClassifier({ quick });
const lru = benchLru(quick);
const sessions = await benchSessions(quick);
const auditSqlite = benchAuditSqlite(quick);

const json = `${JSON.stringify({ sideBySide, latency, stream, scan, classifier, lru, sessions, auditSqlite }, null, 2)}\n`;
// The last run's figures stay on disk (bench/results/ is gitignored) whatever was printed.
const saved = path.join(REPO_ROOT, 'bench/results', `bench-${quick ? 'quick' : 'full'}.json`);
fs.mkdirSync(path.dirname(saved), { recursive: true });
fs.writeFileSync(saved, json);
if (values.json) {
  process.stdout.write(json);
} else {
  console.log(`JSON of this run: ${path.relative(REPO_ROOT, saved)}\n`);
  const f = (n: number): string => n.toFixed(3);
  console.log(formatSideBySide(sideBySide));
  console.log('## Added latency, small non-streamed chat completion (parapet default policy vs the mock called directly)\n');
  console.log('| concurrency | added p50 ms | added p99 ms | throughput vs direct |');
  console.log('|---:|---:|---:|---:|');
  for (const a of latency.added) console.log(`| ${a.concurrency} | ${f(a.p50)} | ${f(a.p99)} | ${(a.throughputRatio * 100).toFixed(1)}% |`);
  console.log('\n## Streaming through the default policy (vs the mock called directly)\n');
  console.log('| scenario | added TTFT p50 ms | text throughput vs direct |');
  console.log('|---|---:|---:|');
  for (const x of stream.ratios) console.log(`| ${x.scenario} | ${f(x.addedTtftP50)} | ${(x.throughputRatio * 100).toFixed(1)}% |`);
  console.log('');
  console.log(formatScanBench(scan));
  console.log(formatClassifierBench(classifier));
  console.log(formatLru(lru));
  console.log(formatSessions(sessions));
  console.log(formatAuditSqlite(auditSqlite));
}
