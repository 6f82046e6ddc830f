// The admin API: operator actions on a running gateway, on the gateway's own listener under
// /parapet/admin, behind a bearer token whose SHA-256 is configured (server.admin_token_sha256 or
// PARAPET_ADMIN_TOKEN). Without one the routes answer 404, so an unconfigured gateway exposes nothing.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApprovalRegistry } from '../respond/approvals.ts';
import type { SessionGuard } from '../sessions/index.ts';

export const ADMIN_PREFIX = '/parapet/admin';

export interface AdminDeps {
  /** Current hash of the admin token; undefined turns the API off (read per request: hot reload). */
  tokenSha256: () => string | undefined;
  /** Memory (this process) or Redis (every instance sharing it): the API answers for what it can see. */
  approvals: ApprovalRegistry;
  /** Session correlation, when on: lets an operator lift an interruption or a throttle early. */
  sessions?: SessionGuard;
}

function fail(reply: FastifyReply, status: number, type: string, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json').send(JSON.stringify({ error: { type, message } }));
}

/** The shared approval store failed: nothing was decided (the holder's timeout denies in the end). */
function unavailable(reply: FastifyReply, err: unknown): FastifyReply {
  const detail = err instanceof Error ? err.message : String(err);
  return fail(reply, 503, 'unavailable', `The approval store is unreachable (${detail}); nothing was decided.`);
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

      admin.get('/approvals', async (_req, reply) => {
        let approvals;
        try {
          approvals = await deps.approvals.list();
        } catch (err) {
          return unavailable(reply, err);
        }
        return reply.header('content-type', 'application/json').send(JSON.stringify({ approvals }));
      });

      for (const verb of ['approve', 'deny'] as const) {
        admin.post<{ Params: { id: string } }>(`/approvals/:id/${verb}`, async (req, reply) => {
          const { id } = req.params;
          const outcome = verb === 'approve' ? 'approved' : 'denied';
          let decided: boolean;
          try {
            decided = await deps.approvals.decide(id, outcome, operator(req));
          } catch (err) {
            return unavailable(reply, err);
          }
          if (!decided) {
            const where = deps.approvals.kind === 'redis' ? '' : ', or held by another instance: answer on the instance that lists it';
            return fail(reply, 404, 'not_found', `No pending approval '${id}' (already decided or expired${where}).`);
          }
          return reply.header('content-type', 'application/json').send(JSON.stringify({ id, outcome }));
        });
      }

      // Lifting an active response early: the interruption of one session of a key, or the key's
      // throttle. A revoked key stays revoked (create a new one: `parapet keys create`).
      admin.post<{ Params: { keyId: string; sessionId: string } }>('/keys/:keyId/sessions/:sessionId/release', async (req, reply) => {
        if (deps.sessions === undefined) return fail(reply, 404, 'not_found', 'Sessions are not kept by this gateway.');
        try {
          await deps.sessions.release(req.params.keyId, req.params.sessionId);
        } catch (err) {
          return fail(reply, 503, 'unavailable', `The session store is unreachable (${err instanceof Error ? err.message : String(err)}); nothing was changed.`);
        }
        return reply.header('content-type', 'application/json').send(JSON.stringify({ key_id: req.params.keyId, session_id: req.params.sessionId, released: true, by: operator(req) }));
      });
      admin.post<{ Params: { keyId: string } }>('/keys/:keyId/unthrottle', async (req, reply) => {
        if (deps.sessions === undefined) return fail(reply, 404, 'not_found', 'Sessions are not kept by this gateway.');
        try {
          await deps.sessions.unthrottle(req.params.keyId);
        } catch (err) {
          return fail(reply, 503, 'unavailable', `The session store is unreachable (${err instanceof Error ? err.message : String(err)}); nothing was changed.`);
        }
        return reply.header('content-type', 'application/json').send(JSON.stringify({ key_id: req.params.keyId, unthrottled: true, by: operator(req) }));
      });
    },
    { prefix: ADMIN_PREFIX },
  );
}
