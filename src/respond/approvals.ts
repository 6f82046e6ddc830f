// Human approval for high-impact actions: the gateway holds a response and asks; an operator answers
// through the admin API (`parapet approvals approve|deny ID`); no answer in time is a denial, so a
// forgotten request can never turn into an action nobody approved.

import { randomUUID } from 'node:crypto';

export type ApprovalOutcome = 'approved' | 'denied' | 'timeout' | 'cancelled';

/** What the operator sees: who asked, for what, and until when. Never a secret in clear. */
export interface ApprovalRequest {
  id: string;
  /** ISO 8601. */
  createdAt: string;
  expiresAt: string;
  requestId: string;
  app?: string;
  keyId?: string;
  user?: string;
  sessionId?: string;
  provider: string;
  model?: string;
  tool: string;
  /** The call's arguments as the model wrote them (after output redaction), cut at 4 KB. */
  arguments: string;
  reason: string;
}

export interface ApprovalDecision {
  outcome: ApprovalOutcome;
  /** Who decided (from the admin API request), when an operator did. */
  by?: string;
}

export type NewApproval = Omit<ApprovalRequest, 'id' | 'createdAt' | 'expiresAt'>;

/**
 * The pending approvals a gateway answers from. `request` is asked by the instance that holds the
 * client's response; `list`, `get` and `decide` may be asked on any instance that shares the
 * registry (memory: this process only; Redis: every instance with the same prefix).
 */
export interface ApprovalRegistry {
  readonly kind: 'memory' | 'redis';
  /**
   * Ask for approval. The decision resolves once: approved or denied by an operator, timeout after
   * `timeoutMs`, or cancelled when `signal` aborts (the client went away). It never rejects: a
   * registry that cannot hold the request denies it.
   */
  request(input: NewApproval, timeoutMs: number, signal?: AbortSignal): { id: string; decision: Promise<ApprovalDecision> };
  /** Pending requests, oldest first. */
  list(): Promise<ApprovalRequest[]>;
  get(id: string): Promise<ApprovalRequest | undefined>;
  /** False when the id is unknown (never existed, already decided, or expired). Decides once. */
  decide(id: string, outcome: 'approved' | 'denied', by?: string): Promise<boolean>;
  /**
   * Deny everything this process holds (shutdown): settled at once, before this returns; the promise
   * is the shared store's clean-up.
   */
  denyAll(by: string): Promise<void>;
  /** Requests this process holds. */
  readonly size: number;
  close(): Promise<void>;
}

interface Pending {
  request: ApprovalRequest;
  settle: (d: ApprovalDecision) => void;
  timer: NodeJS.Timeout;
}

export const MAX_ARGUMENTS = 4096;
/** Held responses cost memory and an open client connection each; beyond this, new ones are denied. */
export const MAX_PENDING = 1024;

export function newApprovalId(): string {
  return `apr_${randomUUID().replaceAll('-', '')}`;
}

/** The request as stored and shown: ids and times added, the arguments cut at 4 KB. */
export function approvalRequest(input: NewApproval, id: string, now: number, timeoutMs: number): ApprovalRequest {
  return {
    ...input,
    id,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + timeoutMs).toISOString(),
    arguments: input.arguments.length > MAX_ARGUMENTS ? `${input.arguments.slice(0, MAX_ARGUMENTS)}…` : input.arguments,
  };
}

/**
 * Pending approvals of this gateway process (the default, and all a single instance needs). With
 * several instances use the Redis registry (src/respond/approvals-redis.ts), so the operator's
 * answer reaches the instance that holds the response whichever instance it lands on.
 */
export class MemoryApprovals implements ApprovalRegistry {
  readonly kind = 'memory' as const;
  readonly #pending = new Map<string, Pending>();

  request(input: NewApproval, timeoutMs: number, signal?: AbortSignal): { id: string; decision: Promise<ApprovalDecision> } {
    const id = newApprovalId();
    if (this.#pending.size >= MAX_PENDING) return { id, decision: Promise.resolve({ outcome: 'denied', by: 'parapet: too many pending approvals' }) };
    const request = approvalRequest(input, id, Date.now(), timeoutMs);
    const decision = new Promise<ApprovalDecision>((resolve) => {
      const finish = (d: ApprovalDecision): void => {
        const p = this.#pending.get(id);
        if (p === undefined) return;
        clearTimeout(p.timer);
        this.#pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        resolve(d);
      };
      const onAbort = (): void => finish({ outcome: 'cancelled' });
      const timer = setTimeout(() => finish({ outcome: 'timeout' }), timeoutMs);
      this.#pending.set(id, { request, settle: finish, timer });
      if (signal?.aborted) finish({ outcome: 'cancelled' });
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    return { id, decision };
  }

  list(): Promise<ApprovalRequest[]> {
    return Promise.resolve([...this.#pending.values()].map((p) => ({ ...p.request })));
  }

  get(id: string): Promise<ApprovalRequest | undefined> {
    const p = this.#pending.get(id);
    return Promise.resolve(p ? { ...p.request } : undefined);
  }

  decide(id: string, outcome: 'approved' | 'denied', by?: string): Promise<boolean> {
    const p = this.#pending.get(id);
    if (p === undefined) return Promise.resolve(false);
    p.settle(by === undefined ? { outcome } : { outcome, by });
    return Promise.resolve(true);
  }

  denyAll(by: string): Promise<void> {
    for (const p of [...this.#pending.values()]) p.settle({ outcome: 'denied', by });
    return Promise.resolve();
  }

  get size(): number {
    return this.#pending.size;
  }

  close(): Promise<void> {
    return this.denyAll('parapet: approvals closed');
  }
}
