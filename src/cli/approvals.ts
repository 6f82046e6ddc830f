// `parapet approvals list|approve|deny`: answer tool calls a gateway holds for a human, through the
// running gateway's admin API. With storage.redis_url set any instance lists and decides every held
// call (the decision reaches the holder through Redis); without it, only its own.
import process from 'node:process';
import { parseArgs } from 'node:util';
import { formatTable } from '../audit/format.ts';
import type { ApprovalRequest } from '../respond/approvals.ts';
import { call, errorOf } from './admin-client.ts';

const USAGE = `usage:
  parapet approvals list [--json]
  parapet approvals approve ID
  parapet approvals deny ID

Options: --url URL (the gateway; default $PARAPET_URL, else http://127.0.0.1:8080)
         --as NAME (who decides, recorded in the audit log)
The admin token is read from $PARAPET_ADMIN_TOKEN (the gateway knows its SHA-256).
`;

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { url: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    process.stderr.write(`parapet approvals: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [verb, id] = positionals;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const token = process.env['PARAPET_ADMIN_TOKEN']?.trim();
  if (!token) {
    process.stderr.write('parapet approvals: set PARAPET_ADMIN_TOKEN to the gateway\'s admin token\n');
    return 2;
  }
  const base = values.url ?? process.env['PARAPET_URL'] ?? 'http://127.0.0.1:8080';
  if (!URL.canParse(base)) {
    process.stderr.write(`parapet approvals: --url '${base}' is not a URL\n`);
    return 2;
  }
  try {
    if (verb === 'list' && id === undefined) {
      const a = await call(base, 'GET', '/approvals', token);
      if (a.status !== 200) throw new Error(errorOf(a));
      const list = (a.body as { approvals: ApprovalRequest[] }).approvals;
      if (values.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else if (list.length === 0) process.stdout.write('no pending approvals\n');
      else {
        const rows = list.map((r) => [r.id, r.expiresAt, r.app ?? '', r.keyId ?? '', r.tool, r.arguments.length > 60 ? `${r.arguments.slice(0, 60)}…` : r.arguments]);
        process.stdout.write(formatTable(['id', 'expires', 'app', 'key', 'tool', 'arguments'], rows));
      }
      return 0;
    }
    if ((verb === 'approve' || verb === 'deny') && id !== undefined && positionals.length === 2) {
      const a = await call(base, 'POST', `/approvals/${encodeURIComponent(id)}/${verb}`, token, values.as);
      if (a.status !== 200) throw new Error(errorOf(a));
      process.stdout.write(`${id}: ${verb === 'approve' ? 'approved' : 'denied'}\n`);
      return 0;
    }
  } catch (err) {
    process.stderr.write(`parapet approvals: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  process.stderr.write(USAGE);
  return 2;
}
