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
