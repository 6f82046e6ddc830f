// The audit's added_latency_ms is the gateway's own share of an exchange: inspection of the input
// and of the answer count, the wait for the upstream does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detector } from '../../src/detectors/types.ts';
import { auditFor, startStack } from './harness.ts';
import type { Stack } from './harness.ts';

const OUTPUT_SCAN_MS = 40;
// Far above the inspection time, so a stalled machine cannot push the gateway's share past it.
const UPSTREAM_MS = 250;

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Spin: the point is time spent on the gateway's thread.
  }
}

// Slow only on answers, so the time can only be the output inspection's.
const slowOutput: Detector = {
  id: 'slow-output',
  categories: ['unsafe_output'],
  directions: ['output'],
  scan: () => {
    busyWait(OUTPUT_SCAN_MS);
    return [];
  },
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ detectors: [slowOutput], script: [{ match: '^slow', reply: 'late answer', delay_ms: UPSTREAM_MS }] });
  // The first exchange of a process also pays for lazy loading; the figures below are about the rest.
  await stack.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'warm up' }] });
});
afterAll(async () => stack.close());

describe('added latency in the audit log', () => {
  it("counts the answer's inspection as the gateway's own time", async () => {
    const { response } = await stack.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'quick one' }] }).withResponse();
    const ev = await auditFor(stack, response.headers.get('x-parapet-request-id') as string);
    expect(ev.added_latency_ms).toBeGreaterThanOrEqual(OUTPUT_SCAN_MS);
    expect(ev.latency_ms).toBeGreaterThanOrEqual(ev.added_latency_ms);
  });

  it("leaves the upstream's own delay out", async () => {
    const { response } = await stack.openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'slow one' }] }).withResponse();
    const ev = await auditFor(stack, response.headers.get('x-parapet-request-id') as string);
    expect(ev.latency_ms).toBeGreaterThanOrEqual(UPSTREAM_MS + OUTPUT_SCAN_MS);
    expect(ev.added_latency_ms).toBeGreaterThanOrEqual(OUTPUT_SCAN_MS);
    expect(ev.added_latency_ms).toBeLessThan(UPSTREAM_MS);
  });
});
