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

interface Pending {
  request: ApprovalRequest;
  settle: (d: ApprovalDecision) => void;
  timer: NodeJS.Timeout;
}

const MAX_ARGUMENTS = 4096;
/** Held responses cost memory and an open client connection each; beyond this, new ones are denied. */
const MAX_PENDING = 1024;

/**
 * Pending approvals of this gateway process. With several instances, the operator's answer must
 * reach the instance that holds the response: the admin API of every instance lists and decides its
 * own (the CLI takes --url per instance).
 */
export class Approvals {
  readonly #pending = new Map<string, Pending>();

  /**
   * Ask for approval. The decision resolves once: approved or denied by an operator, timeout after
   * `timeoutMs`, or cancelled when `signal` aborts (the client went away).
   */
  request(input: NewApproval, timeoutMs: number, signal?: AbortSignal): { id: string; decision: Promise<ApprovalDecision> } {
    const now = Date.now();
    const id = `apr_${randomUUID().replaceAll('-', '')}`;
    if (this.#pending.size >= MAX_PENDING) return { id, decision: Promise.resolve({ outcome: 'denied', by: 'parapet: too many pending approvals' }) };
    const request: ApprovalRequest = {
      ...input,
      id,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + timeoutMs).toISOString(),
      arguments: input.arguments.length > MAX_ARGUMENTS ? `${input.arguments.slice(0, MAX_ARGUMENTS)}…` : input.arguments,
    };
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

  /** Pending requests, oldest first. */
  list(): ApprovalRequest[] {
    return [...this.#pending.values()].map((p) => ({ ...p.request }));
  }

  get(id: string): ApprovalRequest | undefined {
    const p = this.#pending.get(id);
    return p ? { ...p.request } : undefined;
  }

  /** False when the id is unknown (never existed, already decided, or expired). */
  decide(id: string, outcome: 'approved' | 'denied', by?: string): boolean {
    const p = this.#pending.get(id);
    if (p === undefined) return false;
    p.settle(by === undefined ? { outcome } : { outcome, by });
    return true;
  }

  /** Deny everything pending (shutdown): nothing held is ever let through by default. */
  denyAll(by: string): void {
    for (const id of [...this.#pending.keys()]) this.decide(id, 'denied', by);
  }

  get size(): number {
    return this.#pending.size;
  }
}
