// `parapet scan`: JSON lines on stdin (or --input FILE) → one verdict line each, in order, judged by
// the default policy of --policy FILE or the built-in one. The pipeline lives in src/scan/.
import { createReadStream } from 'node:fs';
import process from 'node:process';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ConfigError, DEFAULT_POLICY_NAME, loadConfig } from '../config/index.ts';
import type { PolicyConfig } from '../config/index.ts';
import { createDefaultEngine, scanLines } from '../scan/index.ts';

const USAGE = `usage: parapet scan [--policy FILE] [--input FILE]

Reads JSON lines {"text", "role"?, "trust"?, "system"?, "direction"?, "tool"?} from stdin (or FILE)
and writes one verdict line per input, in the same order:
  {"verdict": "allow"|"flag"|"redact"|"block", "risk", "categories", "findings", "redacted"?}
A bad line gets {"error": "line N: ..."} in its place; the exit code is then 1.

options:
  --policy FILE   configuration whose policies.default judges the text (default: built-in policy)
  --input FILE    read this file instead of stdin
`;

export async function run(argv: string[]): Promise<number> {
  let values: { policy?: string; input?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { policy: { type: 'string' }, input: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`parapet scan: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  let policy: PolicyConfig | undefined;
  try {
    const config = loadConfig(values.policy);
    policy = config.policies[DEFAULT_POLICY_NAME];
  } catch (err) {
    const msg = err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err);
    process.stderr.write(`parapet scan: invalid policy:\n${msg}\n`);
    return 2;
  }
  if (!policy) {
    process.stderr.write(`parapet scan: the configuration has no '${DEFAULT_POLICY_NAME}' policy\n`);
    return 2;
  }

  const input = values.input !== undefined ? createReadStream(values.input) : process.stdin;
  const opened = new Promise<void>((resolve, reject) => {
    if (values.input === undefined) return resolve();
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  try {
    await opened;
  } catch (err) {
    process.stderr.write(`parapet scan: cannot read ${values.input}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }

  const rl = createInterface({ input, crlfDelay: Infinity });
  const engine = createDefaultEngine();
  const result = await scanLines(rl, { engine, policy, write: (chunk) => writeTo(process.stdout, chunk) });
  if (result.errorCount > 0) {
    const more = result.errorCount > result.errors.length ? `\n  … and ${result.errorCount - result.errors.length} more` : '';
    process.stderr.write(`parapet scan: ${result.errorCount} bad input line(s):\n  ${result.errors.join('\n  ')}${more}\n`);
    return 1;
  }
  return 0;
}

function writeTo(stream: Writable, chunk: string): Promise<void> | void {
  if (stream.write(chunk)) return;
  return new Promise((resolve) => stream.once('drain', resolve));
}
