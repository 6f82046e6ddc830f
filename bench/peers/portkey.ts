// The peer gateway: Portkey's open-source AI gateway (@portkey-ai/gateway), run locally and offline.
// It is never a dependency of Parapet: the benchmark installs one pinned version on demand into
// bench/.peers/ (gitignored) and skips the peer with a message when that install fails.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startProcess } from '../lib/procs.ts';
import type { Running } from '../lib/procs.ts';

export const PORTKEY_VERSION = '1.15.2';
export const PEERS_DIR = path.join(REPO_ROOT, 'bench/.peers');
const ENTRY = path.join(PEERS_DIR, 'node_modules/@portkey-ai/gateway/build/start-server.js');

function installedVersion(): string | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(PEERS_DIR, 'node_modules/@portkey-ai/gateway/package.json'), 'utf8')) as { version?: string };
    return pkg.version;
  } catch {
    return undefined;
  }
}

/**
 * The gateway's entry script, installing it first when missing; or the reason it is not available.
 * Install scripts are skipped: the package's only one (patch-package) patches its own repository's
 * dependencies, which the published package does not ship.
 */
export function ensurePortkey(log: (msg: string) => void): { entry: string } | { skipped: string } {
  if (installedVersion() === PORTKEY_VERSION && fs.existsSync(ENTRY)) return { entry: ENTRY };
  fs.mkdirSync(PEERS_DIR, { recursive: true });
  log(`installing @portkey-ai/gateway@${PORTKEY_VERSION} into ${path.relative(REPO_ROOT, PEERS_DIR)}/ (once) …`);
  const r = spawnSync('npm', ['install', '--prefix', PEERS_DIR, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', `@portkey-ai/gateway@${PORTKEY_VERSION}`], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (r.status !== 0 || !fs.existsSync(ENTRY)) {
    const why = (r.error?.message ?? r.stderr ?? '').trim().split('\n').slice(-3).join(' ');
    return { skipped: `@portkey-ai/gateway@${PORTKEY_VERSION} could not be installed (${why || `npm exited ${r.status}`}); peer gateway left out` };
  }
  return { entry: ENTRY };
}

/** Portkey's gateway on `port`, headless (no UI, no browser), on the Node that runs the benchmark. */
export function startPortkey(entry: string, port: number, nodeArgs: string[] = []): Promise<Running> {
  return startProcess({
    command: process.execPath,
    args: [...nodeArgs, entry, `--port=${port}`, '--headless'],
    env: { NODE_ENV: 'production' },
    cwd: PEERS_DIR,
    ready: { url: `http://127.0.0.1:${port}/` },
  });
}

/**
 * The prompt-injection pattern given to Portkey's built-in `default.regexMatch` guardrail. JS regex
 * source without flags (the plugin compiles it with `new RegExp(rule)`), so case is spelled out.
 */
export const PORTKEY_INJECTION_REGEX =
  '[Ii]gnore (all |any )?(the )?(previous|prior|above|earlier) (instructions|rules|prompts)|[Dd]isregard (all |the )?(previous|prior|above) (instructions|rules)|[Yy]ou are now DAN|[Dd]eveloper mode';

/**
 * The per-request `x-portkey-config` header: the OpenAI provider pointed at the mock (custom_host;
 * loopback is on Portkey's default trusted-host list) and one input guardrail, a `default.regexMatch`
 * check with `not: true` (the check passes when the pattern does not match) and `deny: true` (a
 * failed check refuses the request with status 446 instead of only annotating it).
 */
export function portkeyConfig(mockUrl: string): string {
  return JSON.stringify({
    provider: 'openai',
    api_key: 'sk-bench',
    custom_host: `${mockUrl}/v1`,
    before_request_hooks: [
      {
        type: 'guardrail',
        id: 'prompt-injection-regex',
        checks: [{ id: 'default.regexMatch', parameters: { rule: PORTKEY_INJECTION_REGEX, not: true } }],
        deny: true,
      },
    ],
  });
}
