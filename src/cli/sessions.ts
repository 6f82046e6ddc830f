// `parapet sessions release|unthrottle`: lift an active response before it ends, through a running
// gateway's admin API (with Redis, any instance; the change reaches every instance within seconds).
import process from 'node:process';
import { parseArgs } from 'node:util';
import { call, errorOf } from './admin-client.ts';

const USAGE = `usage:
  parapet sessions release KEY_ID SESSION_ID   lift the interruption of one session of a key
  parapet sessions unthrottle KEY_ID           lift a key's throttle (a revoked key stays revoked)

KEY_ID and SESSION_ID are the audit log's key_id and session_id (parapet audit query).
Options: --url URL (the gateway; default $PARAPET_URL, else http://127.0.0.1:8080)
         --as NAME (who acted, in the answer)
The admin token is read from $PARAPET_ADMIN_TOKEN (the gateway knows its SHA-256).
`;

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { url: { type: 'string' }, as: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    process.stderr.write(`parapet sessions: ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [verb, keyId, sessionId] = positionals;
  let path: string | undefined;
  if (verb === 'release' && keyId !== undefined && sessionId !== undefined && positionals.length === 3) {
    path = `/keys/${encodeURIComponent(keyId)}/sessions/${encodeURIComponent(sessionId)}/release`;
  } else if (verb === 'unthrottle' && keyId !== undefined && positionals.length === 2) {
    path = `/keys/${encodeURIComponent(keyId)}/unthrottle`;
  }
  if (path === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const token = process.env['PARAPET_ADMIN_TOKEN']?.trim();
  if (!token) {
    process.stderr.write("parapet sessions: set PARAPET_ADMIN_TOKEN to the gateway's admin token\n");
    return 2;
  }
  const base = values.url ?? process.env['PARAPET_URL'] ?? 'http://127.0.0.1:8080';
  if (!URL.canParse(base)) {
    process.stderr.write(`parapet sessions: --url '${base}' is not a URL\n`);
    return 2;
  }
  try {
    const a = await call(base, 'POST', path, token, values.as);
    if (a.status !== 200) throw new Error(errorOf(a));
    process.stdout.write(verb === 'release' ? `${keyId} ${sessionId}: released\n` : `${keyId}: unthrottled\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`parapet sessions: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
