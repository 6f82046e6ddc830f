// The admin API: operator actions on a running gateway, on the gateway's own listener under
// /parapet/admin, behind a bearer token whose SHA-256 is configured (server.admin_token_sha256 or
// PARAPET_ADMIN_TOKEN). Without one the routes answer 404, so an unconfigured gateway exposes nothing.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Approvals } from '../respond/approvals.ts';

export const ADMIN_PREFIX = '/parapet/admin';

export interface AdminDeps {
  /** Current hash of the admin token; undefined turns the API off (read per request: hot reload). */
  tokenSha256: () => string | undefined;
  approvals: Approvals;
}

function fail(reply: FastifyReply, status: number, type: string, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json').send(JSON.stringify({ error: { type, message } }));
}

function authorised(req: FastifyRequest, expected: string): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = createHash('sha256').update(header.slice(7).trim()).digest();
  return timingSafeEqual(given, Buffer.from(expected, 'hex'));
}

/** Who acted, for the audit trail: the operator may name themselves; the token alone says "admin". */
function operator(req: FastifyRequest): string {
  const by = req.headers['x-parapet-operator'];
  return typeof by === 'string' && /^[\w.@ -]{1,64}$/.test(by) ? `admin:${by}` : 'admin';
}

export function registerAdmin(app: FastifyInstance, deps: AdminDeps): void {
  app.register(
    async (admin) => {
      admin.addHook('onRequest', async (req, reply) => {
        const token = deps.tokenSha256();
        if (token === undefined) return fail(reply, 404, 'not_found', 'The admin API is off: set server.admin_token_sha256 or PARAPET_ADMIN_TOKEN.');
        if (!authorised(req, token)) return fail(reply, 401, 'authentication_error', 'Send the admin token as Authorization: Bearer <token>.');
        return undefined;
      });

      admin.get('/approvals', async (_req, reply) => reply.header('content-type', 'application/json').send(JSON.stringify({ approvals: deps.approvals.list() })));

      for (const verb of ['approve', 'deny'] as const) {
        admin.post<{ Params: { id: string } }>(`/approvals/:id/${verb}`, async (req, reply) => {
          const { id } = req.params;
          const outcome = verb === 'approve' ? 'approved' : 'denied';
          if (!deps.approvals.decide(id, outcome, operator(req))) {
            return fail(reply, 404, 'not_found', `No pending approval '${id}' on this gateway (already decided, expired, or held by another instance).`);
          }
          return reply.header('content-type', 'application/json').send(JSON.stringify({ id, outcome }));
        });
      }
    },
    { prefix: ADMIN_PREFIX },
  );
}
