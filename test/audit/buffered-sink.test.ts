import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { BatchWriter, BufferedSinkOptions } from '../../src/audit/buffered-sink.ts';
import { BufferedAuditSink } from '../../src/audit/buffered-sink.ts';
import type { AuditEvent } from '../../src/audit/types.ts';
import { event } from '../stores/helpers.ts';

/** A store that records batches and can be told to fail, so the queueing logic is seen on its own. */
class FakeWriter implements BatchWriter<string> {
  batches: string[][] = [];
  failing = false;
  attempts = 0;
  closed = false;
  prepare(e: AuditEvent): string {
    if (e.id === 'bad') throw new Error('id is bad');
    return e.id;
  }
  writeBatch(rows: readonly string[]): void {
    this.attempts++;
    if (this.failing) throw new Error('database is locked');
    this.batches.push([...rows]);
  }
  close(): void {
    this.closed = true;
  }
  get stored(): string[] {
    return this.batches.flat();
  }
}

function setup(options: BufferedSinkOptions = {}) {
  const writer = new FakeWriter();
  const logs: string[] = [];
  const sink = new BufferedAuditSink(writer, { log: (m) => logs.push(m), ...options });
  return { writer, logs, sink };
}

describe('BufferedAuditSink', () => {
  it('returns from write at once and stores the events in one batch after the interval', async () => {
    const { writer, sink } = setup({ intervalMs: 20 });
    const events = Array.from({ length: 10 }, () => event());
    for (const e of events) sink.write(e);
    expect(writer.attempts).toBe(0);
    expect(sink.pending).toBe(10);
    await sleep(80);
    expect(writer.batches).toEqual([events.map((e) => e.id)]);
    expect(sink.pending).toBe(0);
    await sink.close();
  });

  it('writes as soon as batchSize events are queued, without waiting for the interval', async () => {
    const { writer, sink } = setup({ intervalMs: 10_000, batchSize: 5 });
    for (let i = 0; i < 12; i++) sink.write(event());
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(writer.batches.map((b) => b.length)).toEqual([5, 5]);
    await sink.flush();
    expect(writer.batches.map((b) => b.length)).toEqual([5, 5, 2]);
    await sink.close();
  });

  it('flush() stores everything written before it, in order, in transactions of at most batchSize', async () => {
    const { writer, sink } = setup({ intervalMs: 10_000, batchSize: 100 });
    const ids = Array.from({ length: 250 }, () => event()).map((e) => {
      sink.write(e);
      return e.id;
    });
    await sink.flush();
    expect(writer.stored).toEqual(ids);
    expect(writer.batches.every((b) => b.length <= 100)).toBe(true);
    await sink.close();
  });

  it('close() drains pending events, closes the store, and is safe to call twice', async () => {
    const { writer, sink, logs } = setup({ intervalMs: 10_000 });
    const ids = Array.from({ length: 7 }, () => event()).map((e) => (sink.write(e), e.id));
    await Promise.all([sink.close(), sink.close()]);
    expect(writer.stored).toEqual(ids);
    expect(writer.closed).toBe(true);
    sink.write(event());
    expect(writer.stored).toHaveLength(7);
    expect(logs.some((l) => /after close/.test(l))).toBe(true);
  });

  it('keeps events through a failure streak, logs once, retries, and reports recovery', async () => {
    const { writer, sink, logs } = setup({ intervalMs: 5, maxRetryDelayMs: 20 });
    writer.failing = true;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const e = event();
      ids.push(e.id);
      sink.write(e);
      await sleep(15);
    }
    expect(writer.attempts).toBeGreaterThan(2);
    expect(writer.stored).toEqual([]);
    expect(logs.filter((l) => /could not write/.test(l))).toHaveLength(1);
    expect(logs[0]).toMatch(/database is locked/);

    writer.failing = false;
    await sleep(60);
    expect(writer.stored).toEqual(ids);
    expect(logs.some((l) => /writable again/.test(l))).toBe(true);

    // A new streak is reported again.
    writer.failing = true;
    sink.write(event());
    await sleep(30);
    expect(logs.filter((l) => /could not write/.test(l))).toHaveLength(2);
    writer.failing = false;
    await sink.close();
    expect(writer.stored).toHaveLength(6);
  });

  it('flush() waits through transient failures', async () => {
    const { writer, sink } = setup({ intervalMs: 5 });
    writer.failing = true;
    const e = event();
    sink.write(e);
    setTimeout(() => (writer.failing = false), 40);
    await sink.flush();
    expect(writer.stored).toEqual([e.id]);
    await sink.close();
  });

  it('flush() rejects after drainTimeoutMs when the store stays down, and close() reports the loss', async () => {
    const { writer, sink, logs } = setup({ intervalMs: 5, drainTimeoutMs: 60 });
    writer.failing = true;
    sink.write(event());
    await expect(sink.flush()).rejects.toThrow(/1 events still unwritten.*database is locked/);
    await expect(sink.close()).rejects.toThrow(/unwritten/);
    expect(writer.closed).toBe(true);
    expect(logs.some((l) => /lost/.test(l))).toBe(true);
  });

  it('never throws on a malformed event, and stores the good ones around it', async () => {
    const { writer, sink, logs } = setup();
    const good = event();
    expect(() => sink.write({ ...event(), id: 'bad' })).not.toThrow();
    sink.write(good);
    await sink.close();
    expect(writer.stored).toEqual([good.id]);
    expect(logs[0]).toMatch(/malformed event dropped: id is bad/);
  });

  it('caps the queue while the store is down by dropping the oldest, and says so', async () => {
    const { writer, sink, logs } = setup({ intervalMs: 5, maxPending: 3 });
    writer.failing = true;
    const ids = Array.from({ length: 6 }, () => event()).map((e) => (sink.write(e), e.id));
    expect(sink.pending).toBe(3);
    writer.failing = false;
    await sink.close();
    expect(writer.stored).toEqual(ids.slice(3));
    expect(logs.some((l) => /queue full/.test(l))).toBe(true);
  });
});
