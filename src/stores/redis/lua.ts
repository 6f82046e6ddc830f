// Lua scripts on Redis, shared by every Redis-backed store (limits, sessions): a script is sent by
// its SHA-1 (EVALSHA) and loaded only when Redis does not know it yet (a fresh or flushed server).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { waitForRedis } from './client.ts';

export interface Script {
  lua: string;
  sha: string;
}

export function script(lua: string): Script {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

/** Runs scripts on one connection; only the very first call waits for the connection to come up. */
export class ScriptRunner {
  readonly redis: Redis;
  readonly #firstConnectMs: number;
  #waited = false;

  constructor(redis: Redis, firstConnectMs: number) {
    this.redis = redis;
    this.#firstConnectMs = firstConnectMs;
  }

  async run(s: Script, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    // A gateway taking traffic as it starts waits once; during an outage commands fail at once and
    // the policy's fail mode decides.
    if (!this.#waited) {
      if (this.redis.status !== 'ready') await waitForRedis(this.redis, this.#firstConnectMs);
      this.#waited = true;
    }
    try {
      return await this.redis.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return this.redis.eval(s.lua, keys.length, ...keys, ...args);
    }
  }
}
