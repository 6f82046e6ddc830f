// `parapet mock-llm [--port N] [--host H] [--script FILE]`: runs the mock upstream until SIGTERM/SIGINT.
// The "listening on" line is the readiness signal that tests and benchmark scripts wait for.
import process from 'node:process';
import { parseArgs } from 'node:util';
import { startMockLlm } from '../mock/server.ts';
import type { MockServer } from '../mock/server.ts';
import { loadScript } from '../mock/script.ts';
import type { ScriptLine } from '../mock/script.ts';

const USAGE = 'usage: parapet mock-llm [--port N] [--host H] [--script FILE]\n';

export async function run(argv: string[]): Promise<number> {
  let values: { port?: string; host?: string; script?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        script: { type: 'string', short: 's' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`parapet mock-llm: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }

  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      process.stderr.write(`parapet mock-llm: --port must be an integer from 0 to 65535, got '${values.port}'\n`);
      return 2;
    }
  }

  let script: ScriptLine[] = [];
  if (values.script !== undefined) {
    try {
      script = await loadScript(values.script);
    } catch (err) {
      process.stderr.write(`parapet mock-llm: bad script ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  }

  let running: MockServer;
  try {
    running = await startMockLlm({ port, host: values.host ?? '127.0.0.1', script });
  } catch (err) {
    process.stderr.write(`parapet mock-llm: cannot listen: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      // A second signal means the caller is done waiting.
      process.exit(1);
    }
    stopping = true;
    void running.close().then(() => {
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  process.stdout.write(`mock-llm listening on ${running.url}\n`);
  return -1;
}
