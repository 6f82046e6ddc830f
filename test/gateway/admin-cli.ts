import type { ApprovalRequest } from '../../src/respond/approvals.ts';

// Runs an admin CLI command (parapet approvals / sessions) in-process with $PARAPET_ADMIN_TOKEN set
// for the call only, as an operator's shell would have it.
export async function withAdminToken<T>(token: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env['PARAPET_ADMIN_TOKEN'];
  process.env['PARAPET_ADMIN_TOKEN'] = token;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env['PARAPET_ADMIN_TOKEN'];
    else process.env['PARAPET_ADMIN_TOKEN'] = before;
  }
}

/** The approvals a gateway holds, through its admin API. */
export async function pendingApprovals(url: string, token: string): Promise<ApprovalRequest[]> {
  const res = await fetch(`${url}/parapet/admin/approvals`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /parapet/admin/approvals answered ${res.status}`);
  return ((await res.json()) as { approvals: ApprovalRequest[] }).approvals;
}

/** The first approval to become pending (a held tool call), polled for up to about 4 s. */
export async function waitForPending(url: string, token: string): Promise<ApprovalRequest> {
  for (let i = 0; i < 200; i++) {
    const [first] = await pendingApprovals(url, token);
    if (first) return first;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no approval became pending');
}
