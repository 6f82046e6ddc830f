// The CLI side of the gateway's admin API (src/server/admin.ts): one authenticated call, and the
// error message to print from its answer.
import { request } from 'undici';

export interface Answer {
  status: number;
  body: unknown;
}

export async function call(base: string, method: 'GET' | 'POST', path: string, token: string, as?: string): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (as !== undefined) headers['x-parapet-operator'] = as;
  const res = await request(new URL(`/parapet/admin${path}`, base), { method, headers });
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): shown as it came.
  }
  return { status: res.statusCode, body };
}

export function errorOf(a: Answer): string {
  const b = a.body;
  if (typeof b === 'object' && b !== null && 'error' in b) {
    const e = (b as { error: unknown }).error;
    if (typeof e === 'object' && e !== null && 'message' in e) return String((e as { message: unknown }).message);
  }
  return `HTTP ${a.status}: ${typeof b === 'string' ? b.slice(0, 200) : JSON.stringify(b).slice(0, 200)}`;
}
