// The paths of the side-by-side benchmark, all in front of one `parapet mock-llm`: the mock itself,
// two floors (a fastify + undici pass-through proxy, nginx), Parapet three ways, and the peer
// gateway. Everything listens on loopback; optional paths that cannot start are reported as skipped.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NORMALIZER_ID } from '../../src/detectors/normalize/index.ts';
import { DEFAULT_DETECTORS } from '../../src/detectors/registry.ts';
import { findNginx, startNginx } from '../peers/nginx.ts';
import { ensurePortkey, portkeyConfig, startPortkey } from '../peers/portkey.ts';
import { CLI, REPO_ROOT, freePort, startCli, startProcess } from '../lib/procs.ts';
import type { Running } from '../lib/procs.ts';

export type PathId = 'direct' | 'passthrough' | 'nginx' | 'parapet-none' | 'parapet-default' | 'parapet-strict' | 'parapet-experiment' | 'portkey';

export interface BenchPath {
  id: PathId;
  label: string;
  /** baseline: the mock; floor: proxies that do nothing; gateway: Parapet; peer: another gateway. */
  kind: 'baseline' | 'floor' | 'gateway' | 'peer';
  url: string;
  headers: Record<string, string>;
  /** Process whose tree's memory is measured. */
  pid: number;
  /** Whether streamed traffic is measured through it (Portkey's streaming path is broken upstream). */
  streams: boolean;
  /** What the process wrote to stderr so far (the inspector URL when started with --inspect). */
  stderr: () => string;
  /** Parapet only: its SQLite audit log, where it records its own time per request. */
  auditDb?: string;
}

export const LABELS: Record<PathId, string> = {
  direct: 'mock direct',
  passthrough: 'fastify+undici pass-through',
  nginx: 'nginx reverse proxy',
  'parapet-none': 'parapet, no detectors',
  'parapet-default': 'parapet, default policy',
  'parapet-strict': 'parapet, strict (every category + limits)',
  'parapet-experiment': 'parapet, default policy + time-ordered audit ids (proposed)',
  portkey: 'portkey + regex guardrail',
};

export interface Skipped {
  id: PathId;
  reason: string;
}

/** How long the mock takes to answer the model-like workload (see smallChatPaced in measure.ts). */
export const PACED_UPSTREAM_MS = 16;
/** Spread of that delay: each answer takes PACED_UPSTREAM_MS ± this, uniformly. */
export const PACED_JITTER_MS = 8;
const HAMLET = 'Hamlet, prince of Denmark, avenges his murdered father; nearly everyone dies.';

/**
 * The mock's script: held streams for the memory test, a burst stream, a fixed short reply for size
 * tests, a short reply after PACED_UPSTREAM_MS ± PACED_JITTER_MS for the model-like upstream (and
 * after exactly PACED_UPSTREAM_MS for the lockstep one); else echo.
 */
export function mockScript(): string {
  const sentence = 'The quarterly report shows steady growth across all regions, with particular strength in services. ';
  return [
    JSON.stringify({ match: '^paced', reply: HAMLET, delay_ms: PACED_UPSTREAM_MS, delay_jitter_ms: PACED_JITTER_MS }),
    JSON.stringify({ match: '^lockstep', reply: HAMLET, delay_ms: PACED_UPSTREAM_MS }),
    JSON.stringify({ match: '^hold', reply: sentence.repeat(6), chunk_size: 8, delay_ms: 80 }),
    JSON.stringify({ match: '^stream', reply: sentence.repeat(20), chunk_size: 8 }),
    JSON.stringify({ match: '^size', reply: 'Noted: a short answer to a long prompt.' }),
  ].join('\n');
}

export const BENCH_KEY = 'ppk_bench_side_by_side_0000000000000000';

/**
 * Parapet's configuration per variant. Every variant runs the same gateway (auth, body checks,
 * provider parsing, audit event per exchange); they differ in detection and enforcement:
 *  - none: every detector and the normaliser disabled (`detectors.disabled`), so what is left is the gateway itself;
 *  - default: the built-in policy, which already runs every registered detector on input and output;
 *  - strict: every category enforced at low thresholds (input PII and secrets redacted, so bodies are
 *    rewritten), plus limits: the input counted with the real tokenizer, max_tokens clamped into the
 *    body, a per-key rule with rate, token and concurrency counters (set high enough never to refuse).
 */
export function parapetConfig(variant: 'none' | 'default' | 'strict', dbPath: string): string {
  const sha = createHash('sha256').update(BENCH_KEY).digest('hex');
  const lines = [`storage:`, `  sqlite: ${JSON.stringify(dbPath)}`, 'policies:', '  default:'];
  if (variant === 'none') {
    // The normaliser is a detector too (hidden text, smuggled instructions: category obfuscation).
    lines.push('    detectors:', `      disabled: ${JSON.stringify([NORMALIZER_ID, ...DEFAULT_DETECTORS.map((d) => d.id)])}`);
  } else if (variant === 'default') {
    lines.push('    models: ["*"]');
  } else {
    const t = '{ block: 0.9, flag: 0.3 }';
    lines.push(
      '    input:',
      ...['injection', 'jailbreak', 'harmful', 'obfuscation'].map((c) => `      ${c}: ${t}`),
      '      secret: redact',
      '      pii: redact',
      '    untrusted:',
      '      injection: { block: 0.8, flag: 0.3 }',
      '      obfuscation: { block: 0.8, flag: 0.3 }',
      '    output:',
      ...['leakage', 'unsafe_output', 'tool_abuse'].map((c) => `      ${c}: ${t}`),
      '      secret: redact',
      '      pii: redact',
      '      injection: flag',
      '    limits:',
      '      max_input_tokens: 1000000',
      '      max_output_tokens: 4096',
      '      rules:',
      '        - per: key',
      '          requests_per_minute: 100000000',
      '          tokens_per_minute: 100000000000',
      '          concurrent_requests: 100000',
      '          concurrent_streams: 100000',
    );
  }
  lines.push('apps:', '  bench: { policy: default }', 'keys:', '  - id: key_bench', `    sha256: "${sha}"`, '    app: bench');
  return `${lines.join('\n')}\n`;
}

export interface StartOptions {
  dir: string;
  mockUrl: string;
  only: readonly PathId[];
  /** Processes per server: 1 for the one-core figures, the core count for the all-cores figures. */
  workers: number;
  /** Extra node flags for the Node servers (e.g. --cpu-prof, --inspect). */
  nodeArgs?: Partial<Record<PathId, string[]>>;
  log: (msg: string) => void;
}

export interface StartedPaths {
  paths: BenchPath[];
  skipped: Skipped[];
  stop(): Promise<void>;
}

/** Start the requested paths in parallel (the mock is started by the caller and reused). */
export async function startPaths(o: StartOptions): Promise<StartedPaths> {
  const running: Running[] = [];
  const skipped: Skipped[] = [];
  const json = { 'content-type': 'application/json' };
  const withKey = { ...json, authorization: `Bearer ${BENCH_KEY}` };
  const suffix = o.workers > 1 ? `-w${o.workers}` : '';

  const starters: Partial<Record<PathId, () => Promise<BenchPath | undefined>>> = {
    direct: async () => ({ id: 'direct', label: LABELS.direct, kind: 'baseline', url: o.mockUrl, headers: withKey, pid: 0, streams: true, stderr: () => '' }),
    passthrough: async () => {
      const port = await freePort();
      const p = await startProcess({
        command: process.execPath,
        args: [...(o.nodeArgs?.passthrough ?? []), path.join(REPO_ROOT, 'bench/peers/passthrough.ts'), '--upstream', o.mockUrl, '--port', String(port), '--workers', String(o.workers)],
        ready: /listening on (http:\/\/\S+)/,
      });
      running.push(p);
      return { id: 'passthrough', label: LABELS.passthrough, kind: 'floor', url: p.url, headers: withKey, pid: p.child.pid ?? 0, streams: true, stderr: p.stderr };
    },
    nginx: async () => {
      const bin = findNginx();
      if (!bin) {
        skipped.push({ id: 'nginx', reason: 'nginx not found on PATH (Debian: apt-get install -y nginx); nginx floor left out' });
        return undefined;
      }
      const dir = path.join(o.dir, `nginx${suffix}`);
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      const p = await startNginx(bin, { dir, port: await freePort(), upstream: o.mockUrl, workers: o.workers });
      running.push(p);
      return { id: 'nginx', label: LABELS.nginx, kind: 'floor', url: p.url, headers: withKey, pid: p.child.pid ?? 0, streams: true, stderr: p.stderr };
    },
    portkey: async () => {
      if (o.workers > 1) {
        skipped.push({ id: 'portkey', reason: "Portkey's node server has no multi-process mode; one-process figures only" });
        return undefined;
      }
      const got = ensurePortkey(o.log);
      if ('skipped' in got) {
        skipped.push({ id: 'portkey', reason: got.skipped });
        return undefined;
      }
      const p = await startPortkey(got.entry, await freePort(), o.nodeArgs?.portkey);
      running.push(p);
      return { id: 'portkey', label: LABELS.portkey, kind: 'peer', url: p.url, headers: { ...json, 'x-portkey-config': portkeyConfig(o.mockUrl) }, pid: p.child.pid ?? 0, streams: false, stderr: p.stderr };
    },
  };
  // The experiment is the default policy with a proposed change preloaded (bench/experiments/).
  const variants = [['parapet-none', 'none'], ['parapet-default', 'default'], ['parapet-strict', 'strict'], ['parapet-experiment', 'default']] as const;
  for (const [id, variant] of variants) {
    starters[id] = async () => {
      const config = path.join(o.dir, `${id}${suffix}.yaml`);
      const auditDb = path.join(o.dir, `${id}${suffix}.db`);
      fs.writeFileSync(config, parapetConfig(variant, auditDb));
      const env = { PARAPET_CONFIG: config, PARAPET_PORT: '0', PARAPET_OPENAI_BASE_URL: `${o.mockUrl}/v1`, PARAPET_ANTHROPIC_BASE_URL: o.mockUrl };
      const args = ['serve', '--workers', String(o.workers)];
      const preload = id === 'parapet-experiment' ? ['--import', path.join(REPO_ROOT, 'bench/experiments/time-ordered-ids.ts')] : [];
      const nodeArgs = [...preload, ...(o.nodeArgs?.[id] ?? [])];
      const p = nodeArgs.length > 0
        ? await startProcess({ command: process.execPath, args: [...nodeArgs, CLI, ...args], env, ready: /parapet listening on (http:\/\/\S+)/ })
        : await startCli(args, env);
      running.push(p);
      return { id, label: LABELS[id], kind: 'gateway', url: p.url, headers: withKey, pid: p.child.pid ?? 0, streams: true, stderr: p.stderr, auditDb };
    };
  }

  const wanted = o.only.filter((id) => starters[id]);
  const results = await Promise.allSettled(wanted.map((id) => (starters[id] as () => Promise<BenchPath | undefined>)()));
  const paths: BenchPath[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(running.map((p) => p.stop()));
  };
  for (const [i, r] of results.entries()) {
    const id = wanted[i] as PathId;
    if (r.status === 'fulfilled') {
      if (r.value) paths.push(r.value);
      continue;
    }
    // Parapet failing to start is a bug to see, not a path to skip quietly.
    if (id.startsWith('parapet')) {
      await stop();
      throw new Error(`${LABELS[id]} did not start: ${String(r.reason)}`);
    }
    const reason = r.reason instanceof Error ? (r.reason.message.split('\n')[0] ?? '') : String(r.reason);
    skipped.push({ id, reason: `did not start: ${reason}` });
  }
  return { paths, skipped, stop };
}
