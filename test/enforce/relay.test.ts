// Backpressure, tested at the relay itself: loopback sockets buffer tens of megabytes, which would
// hide read-ahead in an end-to-end test.
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { relayStream } from '../../src/enforce/stream.ts';
import { openaiChatAdapter } from '../../src/providers/openai/index.ts';
import { builtinPolicy } from '../../src/config/index.ts';
import { DetectionEngine } from '../../src/detectors/engine.ts';
import { DEFAULT_DETECTORS, DEFAULT_NORMALIZER } from '../../src/detectors/registry.ts';
import { outputGuard } from '../../src/enforce/stream-policy.ts';

function chunk(i: number): Uint8Array {
  const ev = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: `word${i} `.repeat(20) }, finish_reason: null }] };
  return Buffer.from(`data: ${JSON.stringify(ev)}\n\n`);
}

/** A client socket that accepts 4 KiB and then stops draining until released. */
class StuckClient extends Writable {
  received = 0;
  private release: (() => void) | undefined;
  writableFinishedFlag = false;
  constructor() {
    super({ highWaterMark: 4096 });
  }
  override _write(c: Buffer, _enc: BufferEncoding, cb: (e?: Error) => void): void {
    this.received += c.length;
    if (this.received > 16_384 && !this.unblocked) this.release = () => cb();
    else cb();
  }
  unblocked = false;
  unblock(): void {
    this.unblocked = true;
    this.release?.();
  }
}

const engine = new DetectionEngine({ detectors: DEFAULT_DETECTORS, normalize: DEFAULT_NORMALIZER });

describe('relayStream', () => {
  it.each([
    ['without output enforcement', false],
    ['with the output guard', true],
  ])('reads upstream only as fast as the client drains (%s)', async (_name, guarded) => {
    const total = 5000;
    let pulled = 0;
    async function* upstream(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield chunk(i);
      }
      yield Buffer.from('data: [DONE]\n\n');
    }
    const client = new StuckClient();
    const inspector = openaiChatAdapter.createStreamInspector();
    const guard = guarded ? outputGuard(engine, builtinPolicy(), undefined, openaiChatAdapter, inspector) : undefined;
    // Many events per read, as a fast upstream delivers them.
    async function* batched(): AsyncGenerator<Uint8Array> {
      let batch: Uint8Array[] = [];
      for await (const c of upstream()) {
        batch.push(c);
        if (batch.length === 50) {
          yield Buffer.concat(batch);
          batch = [];
        }
      }
      if (batch.length > 0) yield Buffer.concat(batch);
    }
    const relay = relayStream(batched(), client as unknown as ServerResponse, inspector, (m) => openaiChatAdapter.streamErrorEvent(m), guard);
    await sleep(200);
    // The client took ~16 KiB; the relay must not have pulled the other ~1 MB meanwhile.
    expect(pulled).toBeLessThan(300);
    client.unblock();
    const result = await relay;
    expect(pulled).toBe(total);
    expect(result.error).toBeUndefined();
    expect(result.outputChars).toBeGreaterThan(total * 100);
  });
});
