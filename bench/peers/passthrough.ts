// The floor for any Node gateway: a pass-through reverse proxy on the same HTTP stack as Parapet
// (fastify in, undici out, same pool settings), doing nothing but forwarding. Bodies stay raw bytes
// and responses are piped back, so streaming works and no JSON is parsed on either side.
//   node bench/peers/passthrough.ts --upstream http://127.0.0.1:9000 [--port N] [--workers N]
import cluster from 'node:cluster';
import process from 'node:process';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { Pool } from 'undici';

// Hop-by-hop headers (RFC 9110 §7.6.1) and the ones undici computes itself from the body.
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'host', 'content-length']);
const HOP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection']);

export function createPassthrough(upstream: string): FastifyInstance {
  // The same pool shape Parapet uses (src/forward/upstream.ts), so the comparison is stack for stack.
  const pool = new Pool(upstream, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onClose', async () => pool.close());
  app.all('/*', async (req, reply) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && !HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const body = req.body instanceof Buffer ? req.body : undefined;
    const res = await pool.request({ method: req.method as 'POST', path: req.url, headers, body });
    reply.code(res.statusCode);
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined && !HOP_RESPONSE.has(k)) reply.header(k, v);
    }
    return reply.send(res.body);
  });
  return app;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { upstream: { type: 'string' }, port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' }, workers: { type: 'string', default: '1' } } });
  const upstream = values.upstream;
  if (!upstream) throw new Error('--upstream URL is required');
  const workers = Number(values.workers);
  if (workers > 1 && cluster.isPrimary) {
    // Workers share one port (node:cluster); the port must be fixed so every worker gets the same one.
    let listening = 0;
    for (let i = 0; i < workers; i++) {
      cluster.fork().once('listening', (a) => {
        if (++listening === workers) process.stdout.write(`passthrough listening on http://${values.host}:${a.port} (${workers} workers)\n`);
      });
    }
    const stop = (): void => {
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return;
  }
  const app = createPassthrough(upstream);
  const url = await app.listen({ host: values.host, port: Number(values.port) });
  if (cluster.isPrimary) process.stdout.write(`passthrough listening on ${url}\n`);
  const stop = (): void => {
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
