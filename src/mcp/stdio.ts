// `parapet mcp wrap -- <server command>`: Parapet as the process an MCP host launches. It starts the
// real server as its child and sits on the pipe between them: newline-delimited JSON-RPC from the host
// on stdin goes through the guard to the child, the child's stdout goes through the guard back to the
// host. The child's stderr (its log) passes straight through. Parapet's own log goes to stderr too:
// stdout carries nothing but protocol messages.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import process from 'node:process';
import type { Readable, Writable } from 'node:stream';
import type { McpSession } from './guard.ts';
import type { Log } from './guard.ts';
import { PARSE_ERROR, errorResponse } from './jsonrpc.ts';
import type { JsonRpcMessage } from './jsonrpc.ts';

/** Longest single message line accepted from either side; beyond it the line is dropped. */
export const MAX_LINE_CHARS = 32 * 1024 * 1024;

/**
 * Splits text into lines and calls `onLine` for each complete one. Memory stays bounded by
 * MAX_LINE_CHARS however long a line the peer sends: the excess is discarded and reported.
 */
export function lineSplitter(onLine: (line: string) => void, onOversize: () => void): { push(chunk: string): void; end(): void } {
  let pieces: string[] = [];
  let length = 0;
  let discarding = false;
  return {
    push(chunk: string): void {
      let start = 0;
      for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', start)) {
        const tail = chunk.slice(start, i);
        start = i + 1;
        if (discarding) {
          discarding = false;
          continue;
        }
        pieces.push(tail);
        const line = pieces.join('');
        pieces = [];
        length = 0;
        onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      }
      if (discarding) return;
      const rest = chunk.slice(start);
      if (rest.length === 0) return;
      length += rest.length;
      if (length > MAX_LINE_CHARS) {
        pieces = [];
        length = 0;
        discarding = true;
        onOversize();
        return;
      }
      pieces.push(rest);
    },
    end(): void {
      if (!discarding && length > 0) {
        const line = pieces.join('');
        if (line.trim() !== '') onLine(line);
      }
      pieces = [];
      length = 0;
    },
  };
}

export interface WrapOptions {
  command: string;
  args: string[];
  session: McpSession;
  /** The host side: where requests come from and answers go. */
  input: Readable;
  output: Writable;
  log: Log;
  env?: NodeJS.ProcessEnv;
  /** Receives the child process, e.g. to pass on signals. */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs the wrapped server until it exits; resolves with its exit code (128 + signal number when killed). */
export function runStdioWrapper(opts: WrapOptions): Promise<number> {
  const { session, input, output, log } = opts;
  const child = spawn(opts.command, opts.args, { stdio: ['pipe', 'pipe', 'inherit'], env: opts.env ?? process.env });
  opts.onSpawn?.(child);

  const toHost = (msg: JsonRpcMessage): void => {
    output.write(`${JSON.stringify(msg)}\n`);
  };
  const toServer = (msg: JsonRpcMessage): void => {
    if (child.stdin.writable) child.stdin.write(`${JSON.stringify(msg)}\n`);
  };

  const fromHost = lineSplitter(
    (line) => {
      if (line.trim() === '') return;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        toHost(errorResponse(null, PARSE_ERROR, 'Parse error: a line from the client is not JSON'));
        return;
      }
      // Re-serialised, never the original line: a message with duplicate keys must mean to the
      // server exactly what it meant to the guard.
      const verdict = session.fromClient(msg);
      if (verdict.action === 'forward') toServer(verdict.message);
      else toHost(verdict.message);
    },
    () => {
      log('warn', 'dropped an oversized message from the client', { limit: MAX_LINE_CHARS });
      toHost(errorResponse(null, PARSE_ERROR, `message longer than ${MAX_LINE_CHARS} characters`));
    },
  );

  const fromServer = lineSplitter(
    (line) => {
      if (line.trim() === '') return;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        log('warn', 'dropped a line from the server that is not JSON', { server: session.info.server });
        return;
      }
      const out = session.fromServer(msg);
      if (out !== undefined) toHost(out);
    },
    () => log('warn', 'dropped an oversized message from the server', { server: session.info.server, limit: MAX_LINE_CHARS }),
  );

  input.setEncoding('utf8');
  child.stdout.setEncoding('utf8');
  // Backpressure both ways: stop reading a side while the other side's pipe is full.
  input.on('data', (chunk: string) => {
    fromHost.push(chunk);
    if (child.stdin.writableNeedDrain) {
      input.pause();
      child.stdin.once('drain', () => input.resume());
    }
  });
  input.on('end', () => {
    fromHost.end();
    child.stdin.end();
  });
  child.stdout.on('data', (chunk: string) => {
    fromServer.push(chunk);
    if (output.writableNeedDrain) {
      child.stdout.pause();
      output.once('drain', () => child.stdout.resume());
    }
  });
  // A host that closes our stdin while the server still writes is gone; EPIPE must not crash us.
  child.stdin.on('error', (err) => log('warn', 'server stdin closed', { error: err.message }));
  output.on('error', (err) => {
    log('warn', 'client output closed', { error: err.message });
    child.kill('SIGTERM');
  });

  return new Promise((resolve) => {
    child.once('error', (err) => {
      log('error', 'cannot start the MCP server', { command: opts.command, error: err.message });
      session.close(`the server could not be started: ${err.message}`);
      resolve(127);
    });
    child.once('close', (code, signal) => {
      fromServer.end();
      session.close('the server exited before it answered');
      input.pause();
      resolve(code ?? (signal ? 128 + signalNumber(signal) : 1));
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  const n: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return n[signal] ?? 1;
}
