// `npm run bench [-- --quick] [-- --json]`: every benchmark in one run, each reporting ratios against
// a baseline measured in the same run (machines here are noisy; absolute numbers drift).
import { parseArgs } from 'node:util';
import { benchLatency } from './latency.ts';
import { benchStream } from './stream.ts';
import { benchScan, formatScanBench } from './scan.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
const quick = values.quick ?? false;

const latency = await benchLatency({ quick });
const stream = await benchStream({ quick });
const scan = benchScan(quick ? { corpusBytes: 128 * 1024, minMs: 150 } : {});

if (values.json) {
  process.stdout.write(`${JSON.stringify({ latency, stream, scan }, null, 2)}\n`);
} else {
  const f = (n: number): string => n.toFixed(3);
  console.log('## Added latency, small non-streamed chat completion (vs the mock called directly)\n');
  console.log('| concurrency | added p50 ms | added p99 ms | throughput vs direct |');
  console.log('|---:|---:|---:|---:|');
  for (const a of latency.added) console.log(`| ${a.concurrency} | ${f(a.p50)} | ${f(a.p99)} | ${(a.throughputRatio * 100).toFixed(1)}% |`);
  console.log('\n## Streaming (vs the mock called directly)\n');
  console.log('| scenario | added TTFT p50 ms | text throughput vs direct |');
  console.log('|---|---:|---:|');
  for (const x of stream.ratios) console.log(`| ${x.scenario} | ${f(x.addedTtftP50)} | ${(x.throughputRatio * 100).toFixed(1)}% |`);
  console.log('');
  console.log(formatScanBench(scan));
}
