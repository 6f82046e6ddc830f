// The session guard's cost per request as its memory store fills: one new conversation per request
// (one-shot API traffic, the hardest case for the store: every request is a new session), in blocks,
// through SessionGuard.begin + record on the default policy, as the gateway calls them. The first
// block (empty maps) is the baseline: a store that gets slower as it fills shows as a growing ratio.
//   node bench/sessions.ts [--quick]
import { parseArgs } from 'node:util';
import { builtinPolicy } from '../src/config/index.ts';
import type { Verdict } from '../src/enforce/inspect.ts';
import type { Exchange, Principal } from '../src/exchange/types.ts';
import { openaiChatAdapter } from '../src/providers/index.ts';
import { MemorySessionStore, SessionGuard } from '../src/sessions/index.ts';
import type { SessionTrace } from '../src/sessions/index.ts';
import { smallChat } from './side-by-side/measure.ts';

export interface SessionBlock {
  /** Requests recorded before this block ended. */
  through: number;
  usPerRequest: number;
}

const CLEAN: Verdict = { decision: { action: 'allow', findings: [] }, located: [], failures: [] };

export async function benchSessions(quick: boolean): Promise<SessionBlock[]> {
  const blockSize = 20_000;
  const blocks = quick ? 7 : 12;
  const policy = builtinPolicy();
  const guard = new SessionGuard({ store: new MemorySessionStore() });
  const principal: Principal = { keyId: 'key_bench', app: 'bench', policy: 'default' };
  const reply = { header: () => reply };
  const out: SessionBlock[] = [];
  let n = 0;
  for (let b = 0; b < blocks; b++) {
    let ms = 0;
    for (let i = 0; i < blockSize; i++, n++) {
      const ex: Exchange = openaiChatAdapter.parseRequest(JSON.parse(smallChat(n)) as unknown, { requestId: `req_${n}`, route: '/v1/chat/completions' });
      const part = ex.messages[0]?.parts[0];
      // The prompt corpus repeats; the number makes every conversation a new one.
      if (part) part.text = `${part.text} (${n})`;
      ex.principal = principal;
      const trace: SessionTrace = { requestId: `req_${n}`, action: 'allow', findings: [] };
      const t0 = performance.now();
      await guard.begin(ex, principal, policy, trace, reply)?.record(CLEAN);
      ms += performance.now() - t0;
    }
    out.push({ through: n, usPerRequest: (ms * 1000) / blockSize });
  }
  await guard.close();
  return out;
}

export function formatSessions(blocks: readonly SessionBlock[]): string {
  const first = blocks[0]?.usPerRequest ?? NaN;
  const rows = blocks.map((b) => `| ${b.through.toLocaleString('en-US')} | ${b.usPerRequest.toFixed(1)} | ${(b.usPerRequest / first).toFixed(2)} |`);
  return ['### Session guard per request as the memory store fills (one new conversation per request)', '', '| requests so far | µs per request | vs the first block |', '|---:|---:|---:|', ...rows, ''].join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  process.stdout.write(formatSessions(await benchSessions(values.quick)));
}
