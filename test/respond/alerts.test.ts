import { afterEach, describe, expect, it } from 'vitest';
import { WebhookAlerts, newAlertId, signature, verifySignature } from '../../src/respond/alerts.ts';
import type { SessionAlert } from '../../src/respond/alerts.ts';
import { startWebhook, waitFor } from '../sessions/stack.ts';

const SECRET = 'whsec_unit_0123456789abcdef';

function alert(): SessionAlert {
  return {
    type: 'parapet.session.action',
    id: newAlertId(),
    time: new Date().toISOString(),
    request_id: 'req_1',
    principal: { app: 'a', key_id: 'key_1', policy: 'default' },
    session_id: 'fp_x',
    decision: { action: 'interrupt', rule: 'sessions.escalation', reason: 'r' },
    findings: [],
    turns: [],
    session: { turns: 1, blocked: 0, flagged: 0, probes: 0, refusals: 0, risk: 0 },
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function hook(statuses: number[] = []) {
  const h = await startWebhook(statuses);
  closers.push(() => h.close());
  return h;
}

function sender(url: string, over: { maxAttempts?: number; maxQueue?: number; timeoutMs?: number } = {}): { s: WebhookAlerts; logs: string[] } {
  const logs: string[] = [];
  const s = new WebhookAlerts({
    config: () => ({ webhook: url, secret: SECRET, timeoutMs: over.timeoutMs ?? 1000, maxAttempts: over.maxAttempts ?? 4 }),
    baseDelayMs: 10,
    maxQueue: over.maxQueue ?? 100,
    log: (_level, msg) => logs.push(msg),
  });
  closers.push(() => s.close(100));
  return { s, logs };
}

describe('alert signatures', () => {
  it('verify with the secret, the body and a fresh timestamp only', () => {
    const body = '{"a":1}';
    const now = 1_900_000_000;
    const sig = signature(SECRET, now, body);
    expect(sig).toMatch(/^t=1900000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, sig, body, 300, now + 10)).toBe(true);
    expect(verifySignature(SECRET, sig, body, 300, now + 301)).toBe(false);
    expect(verifySignature('x'.repeat(20), sig, body, 300, now)).toBe(false);
    expect(verifySignature(SECRET, sig, '{"a":2}', 300, now)).toBe(false);
    expect(verifySignature(SECRET, 'garbage', body, 300, now)).toBe(false);
  });
});

describe('WebhookAlerts', () => {
  it('returns at once and delivers in the background', async () => {
    const h = await hook();
    const { s } = sender(h.url);
    const t = performance.now();
    s.send(alert());
    expect(performance.now() - t).toBeLessThan(20);
    await waitFor(() => s.delivered === 1);
    expect(h.received).toHaveLength(1);
  });

  it('retries 5xx and 429 with backoff until delivered, and gives up after max_attempts', async () => {
    const h = await hook([500, 429, 503]);
    const { s } = sender(h.url);
    s.send(alert());
    await waitFor(() => s.delivered === 1);
    expect(h.received).toHaveLength(4);
    expect(new Set(h.received.map((r) => r.headers['x-parapet-alert-id'])).size).toBe(1);

    const down = await hook([500, 500, 500, 500, 500]);
    const { s: s2, logs } = sender(down.url, { maxAttempts: 3 });
    s2.send(alert());
    await waitFor(() => s2.dropped === 1);
    expect(down.received).toHaveLength(3);
    expect(logs).toContain('alert not delivered; giving up');
  });

  it('does not retry a 4xx the receiver means, nor an unreachable webhook forever', async () => {
    const h = await hook([401]);
    const { s, logs } = sender(h.url);
    s.send(alert());
    await waitFor(() => s.dropped === 1);
    expect(h.received).toHaveLength(1);
    expect(logs).toContain('alert rejected by the webhook; not retried');

    const { s: s2 } = sender('http://127.0.0.1:1/nothing', { maxAttempts: 2 });
    s2.send(alert());
    await waitFor(() => s2.dropped === 1);
  });

  it('drops alerts beyond its queue rather than grow without bound', async () => {
    const h = await hook();
    const { s, logs } = sender(h.url, { maxQueue: 2 });
    for (let i = 0; i < 5; i++) s.send(alert());
    expect(s.dropped).toBe(3);
    expect(logs.filter((l) => l === 'alert dropped: delivery queue full')).toHaveLength(3);
    await waitFor(() => s.delivered === 2);
  });

  it('sends nothing without an alerts section, and tries once more what is waiting at close', async () => {
    const quiet = new WebhookAlerts({ config: () => undefined });
    quiet.send(alert());
    expect(quiet.pending).toBe(0);

    const h = await hook([503]);
    const logs: string[] = [];
    const s = new WebhookAlerts({
      config: () => ({ webhook: h.url, secret: SECRET, timeoutMs: 1000, maxAttempts: 5 }),
      baseDelayMs: 60_000,
      log: (_level, msg) => logs.push(msg),
    });
    s.send(alert());
    // Until the 503 is read the attempt is in flight, and an attempt that fails after close is not
    // retried: wait for the retry to be scheduled, not merely for the webhook to have the request.
    await waitFor(() => logs.includes('alert delivery failed; retrying'));
    expect(h.received).toHaveLength(1);
    // The retry would wait a minute; closing sends it now.
    await s.close(2000);
    expect(h.received).toHaveLength(2);
    expect(s.delivered).toBe(1);
  });
});
