// Child processes for tests and benchmarks: the real CLI, started the way a user starts it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(REPO_ROOT, 'src/cli/main.ts');

export interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM, then wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Start `parapet <args>` and wait for the line announcing its URL ("... listening on http://…").
 * process.execPath is the Node that runs the caller (Node 24 from node_modules/.bin under npm).
 */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 15_000): Promise<Running> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`parapet ${args.join(' ')} did not start in ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`));
    }, timeoutMs);
    const early = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`parapet ${args.join(' ')} exited with ${code} before it was ready\nstdout: ${out}\nstderr: ${err}`));
    };
    child.once('exit', early);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        child.off('exit', early);
        resolve({
          child,
          url: m[1],
          stdout: () => out,
          stderr: () => err,
          async stop(signal: NodeJS.Signals = 'SIGTERM') {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
  });
}

/** Run `parapet <args>` to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A port that was free a moment ago, for servers that need one chosen up front (nginx, peers). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolve once something answers HTTP at `url` (any status), or reject after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      if (!alive()) throw new Error(`${url}: the process exited before it answered`);
      if (Date.now() > deadline) throw new Error(`${url} did not answer in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface SpawnOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Ready when stdout matches this (group 1, if any, is the URL), or when `url` answers HTTP. */
  ready: RegExp | { url: string };
  timeoutMs?: number;
}

/**
 * Start any server process (a peer gateway, nginx, a Parapet run with extra node flags) and wait
 * until it is ready. Same contract as startCli, so the benchmarks treat every path alike.
 */
export async function startProcess(opts: SpawnOptions): Promise<Running> {
  const child = spawn(opts.command, opts.args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-64 * 1024)));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-64 * 1024)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', () => undefined);
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const describe = (): string => `${opts.command} ${opts.args.join(' ')}\nstdout: ${out.slice(-2000)}\nstderr: ${err.slice(-2000)}`;
  let url: string;
  try {
    if (opts.ready instanceof RegExp) {
      const re = opts.ready;
      url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready in ${timeoutMs} ms: ${describe()}`)), timeoutMs);
        const check = (): void => {
          const m = re.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1] ?? '');
          }
        };
        child.stdout?.on('data', check);
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`exited with ${code} before it was ready: ${describe()}`));
        });
      });
    } else {
      await waitForHttp(opts.ready.url, timeoutMs, () => child.exitCode === null && child.signalCode === null);
      url = new URL(opts.ready.url).origin;
    }
  } catch (e) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw e instanceof Error ? e : new Error(String(e));
  }
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
