// `parapet mcp wrap|proxy|pins`: Parapet in front of MCP servers. `wrap` is the process an MCP host
// launches in place of a stdio server; `proxy` serves Streamable HTTP servers at /mcp/NAME; `pins`
// shows and approves tool definitions that changed since they were pinned. Policy comes from the
// `mcp:` section of the same parapet.yaml the gateway reads.
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { formatTable } from '../audit/format.ts';
import { ConfigError, loadConfig, watchConfig } from '../config/index.ts';
import type { GatewayConfig } from '../config/index.ts';
import { DEFAULT_CLIENT, defaultMcpConfig } from '../mcp/config.ts';
import type { McpConfig, McpServerConfig } from '../mcp/config.ts';
import type { Log } from '../mcp/guard.ts';
import { SqlitePinStore, pinStatus } from '../mcp/pins.ts';
import type { ToolPin } from '../mcp/pins.ts';
import { SERVER_NAME } from '../mcp/schema.ts';
import { resolveDatabasePath } from '../stores/sqlite/path.ts';

// The guard pulls in every detector (over half a second to load): only wrap and proxy pay for it.
const loadGuard = async () => {
  const [{ McpGuard }, { SqliteAuditSink }] = await Promise.all([import('../mcp/guard.ts'), import('../stores/sqlite/audit.ts')]);
  return { McpGuard, SqliteAuditSink };
};

const USAGE = `usage:
  parapet mcp wrap [--name SERVER] [--client NAME] [COMMON] -- COMMAND [ARGS...]
  parapet mcp proxy [--upstream URL --name SERVER] [--host H] [--port N] [COMMON]
  parapet mcp pins list [--server SERVER] [--json] [COMMON]
  parapet mcp pins show SERVER TOOL [COMMON]
  parapet mcp pins approve SERVER TOOL [COMMON]

wrap    run a stdio MCP server behind Parapet (put this in the MCP host's config in place of the
        server's command); --name names the server for pins and tool patterns (default: derived
        from the command), --client picks the client policy under mcp.clients (default: "default").
proxy   serve every server under mcp.servers that has a url (and --upstream URL as --name) at
        http://HOST:PORT/mcp/SERVER; clients authenticate with a gateway key (mcp.require_key).
pins    tool definitions pinned at first sight; "changed" ones are withheld (mcp.pins.on_change:
        block) until approved.

COMMON: --config FILE (default $PARAPET_CONFIG; its mcp: section is the policy, storage.sqlite the
        database), --db FILE (default: the configuration's, else $PARAPET_DB, else ./parapet.db).
`;

const COMMON = {
  config: { type: 'string', short: 'c' },
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

const log: Log = (level, msg, fields = {}) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, component: 'mcp', ...fields })}\n`);
};

function parse<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

interface Loaded {
  config: GatewayConfig;
  configPath: string | undefined;
  dbPath: string;
}

function load(values: { config?: string; db?: string }): Loaded {
  const configPath = values.config ?? (process.env['PARAPET_CONFIG'] || undefined);
  const config = loadConfig(configPath);
  const dbPath = values.db !== undefined ? path.resolve(values.db) : resolveDatabasePath(undefined, { PARAPET_DB: config.storage.sqlitePath });
  return { config, configPath, dbPath };
}

function mcpOf(config: GatewayConfig): McpConfig {
  return config.mcp ?? defaultMcpConfig();
}

/** A server name from the wrapped command: the script or package, not the interpreter that runs it. */
export function serverNameFor(command: string, args: readonly string[]): string {
  const runners = new Set(['node', 'nodejs', 'python', 'python3', 'npx', 'uvx', 'uv', 'bun', 'bunx', 'deno', 'pipx', 'docker', 'pnpm', 'yarn', 'npm']);
  const base = (p: string): string => path.basename(p).replace(/\.(?:[cm]?[jt]s|py|exe)$/i, '');
  let name = base(command);
  if (runners.has(name.toLowerCase())) {
    const target = args.find((a) => !a.startsWith('-') && !['run', 'exec', 'dlx', 'x'].includes(a));
    if (target !== undefined) name = base(target.replace(/@[^/@]*$/, ''));
  }
  const clean = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return clean === '' ? 'server' : clean;
}

function checkServerName(name: string): string {
  if (!SERVER_NAME.test(name)) throw new UsageError(`server name '${name}' must be 1-64 letters, digits, and _ . -`);
  return name;
}

// ---- wrap -------------------------------------------------------------------------------------

async function wrap(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  if (dash === -1 || dash === argv.length - 1) throw new UsageError('wrap needs the server command after --, e.g. parapet mcp wrap -- npx my-mcp-server');
  const [command, ...args] = argv.slice(dash + 1) as [string, ...string[]];
  const { values, positionals } = parse(() =>
    parseArgs({ args: argv.slice(0, dash), options: { ...COMMON, name: { type: 'string' }, client: { type: 'string' } }, allowPositionals: true }),
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}' (the server command goes after --)`);
  const server = checkServerName(values.name ?? serverNameFor(command, args));
  const client = values.client ?? DEFAULT_CLIENT;
  const loaded = load(values);
  let current = loaded.config;
  const watcher = loaded.configPath === undefined ? undefined : watchConfig(loaded.configPath, process.env, (c) => (current = c), (e) => log('warn', 'configuration change rejected; keeping the running policy', { error: e.message }));

  const { McpGuard, SqliteAuditSink } = await loadGuard();
  const { runStdioWrapper } = await import('../mcp/stdio.ts');
  const pins = new SqlitePinStore(loaded.dbPath);
  const audit = new SqliteAuditSink(loaded.dbPath, { log: (m) => log('error', m) });
  const guard = new McpGuard({ config: () => mcpOf(current), pins, audit, log });
  const session = guard.session({ server, identity: { client }, sessionId: `stdio_${process.pid}_${Date.now().toString(36)}` });

  // The server gets the signals the host sends us; we exit once it has.
  let child: { kill(signal: NodeJS.Signals): void } | undefined;
  const forward = (signal: NodeJS.Signals) => (): void => {
    child?.kill(signal);
  };
  const onTerm = forward('SIGTERM');
  const onInt = forward('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  log('info', 'wrapping MCP server', { server, client, command, db: loaded.dbPath });
  try {
    return await runStdioWrapper({
      command,
      args,
      session,
      input: process.stdin,
      output: process.stdout,
      log,
      onSpawn: (c) => (child = c),
    });
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    watcher?.close();
    await audit.close();
    pins.close();
    // The host may keep our stdin open after the server is gone; it must not keep us alive.
    process.stdin.destroy();
  }
}

// ---- proxy ------------------------------------------------------------------------------------

async function proxy(argv: string[]): Promise<number> {
  const { values, positionals } = parse(() =>
    parseArgs({
      args: argv,
      options: { ...COMMON, upstream: { type: 'string' }, name: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } },
      allowPositionals: true,
    }),
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`);
  let extra: { name: string; server: McpServerConfig } | undefined;
  if (values.upstream !== undefined) {
    if (!URL.canParse(values.upstream) || !/^https?:$/.test(new URL(values.upstream).protocol)) throw new UsageError('--upstream must be an http:// or https:// URL');
    const name = checkServerName(values.name ?? 'default');
    extra = { name, server: { url: values.upstream, headers: {}, timeoutMs: 120_000 } };
  } else if (values.name !== undefined) {
    throw new UsageError('--name goes with --upstream');
  }
  const port = values.port === undefined ? 8090 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a number from 0 to 65535');
  const host = values.host ?? '127.0.0.1';

  const loaded = load(values);
  let current = loaded.config;
  const watcher =
    loaded.configPath === undefined
      ? undefined
      : watchConfig(
          loaded.configPath,
          process.env,
          (c) => {
            current = c;
            log('info', 'configuration reloaded', { source: c.source });
          },
          (e) => log('warn', 'configuration change rejected; keeping the running policy', { error: e.message }),
        );
  const servers = (): Record<string, McpServerConfig> => {
    const configured = mcpOf(current).servers;
    if (extra === undefined) return configured;
    return Object.assign(Object.create(null) as Record<string, McpServerConfig>, configured, { [extra.name]: extra.server });
  };
  if (Object.values(servers()).every((s) => s.url === undefined)) {
    throw new UsageError('no server to proxy: pass --upstream URL [--name SERVER], or list servers with a url under mcp.servers');
  }

  const { McpGuard, SqliteAuditSink } = await loadGuard();
  const [{ createMcpProxy }, { identifyClient }, { SqliteKeyStore }] = await Promise.all([
    import('../mcp/http.ts'),
    import('../mcp/identity.ts'),
    import('../stores/sqlite/keys.ts'),
  ]);
  const pins = new SqlitePinStore(loaded.dbPath);
  const keys = new SqliteKeyStore(loaded.dbPath);
  const audit = new SqliteAuditSink(loaded.dbPath, { log: (m) => log('error', m) });
  const guard = new McpGuard({ config: () => mcpOf(current), pins, audit, log });
  const app = createMcpProxy({
    guard,
    servers,
    identify: (headers) => identifyClient(headers, { requireKey: mcpOf(current).requireKey, keys, staticKeys: current.keys }),
    log,
  });
  const url = await app.listen(host, port);
  for (const [name, s] of Object.entries(servers())) {
    if (s.url !== undefined) log('info', 'serving MCP server', { route: `${url}/mcp/${name}`, upstream: s.url });
  }
  process.stdout.write(`parapet mcp proxy listening on ${url}\n`);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  watcher?.close();
  await app.close();
  await audit.close();
  keys.close();
  pins.close();
  return 0;
}

// ---- pins -------------------------------------------------------------------------------------

function openPins(dbPath: string): SqlitePinStore {
  if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath} (nothing pinned yet; pass --db or --config)`);
  return new SqlitePinStore(dbPath);
}

/** What the poisoning scan finds in a definition that the policy would act on, one line each. */
async function reviewFindings(definition: ToolPin['seenDefinition'], config: McpConfig): Promise<string[]> {
  const [{ DetectionEngine }, { DEFAULT_DETECTORS, DEFAULT_NORMALIZER }, { poisoningDetector, scanDefinition, toolTexts }, { actionFor }] = await Promise.all([
    import('../detectors/engine.ts'),
    import('../detectors/registry.ts'),
    import('../mcp/poisoning.ts'),
    import('../policy/decide.ts'),
  ]);
  const engine = new DetectionEngine({ detectors: [...DEFAULT_DETECTORS, poisoningDetector], normalize: DEFAULT_NORMALIZER });
  const name = typeof definition['name'] === 'string' ? definition['name'] : '?';
  const out: string[] = [];
  for (const f of scanDefinition(engine, `tool '${name}'`, toolTexts(definition)).findings) {
    const action = actionFor(f, config.descriptions);
    if (action !== 'allow') out.push(`${action} ${f.detector}/${f.rule} (score ${f.score.toFixed(2)}): ${f.explanation}`);
  }
  return out;
}

function pinView(p: ToolPin, withDefinitions: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    server: p.server,
    tool: p.tool,
    status: pinStatus(p),
    approvedBy: p.approvedBy,
    pinnedHash: p.pinnedHash,
    pinnedAt: p.pinnedAt,
    seenHash: p.seenHash,
    seenAt: p.seenAt,
  };
  if (withDefinitions) {
    view['pinnedDefinition'] = p.pinnedDefinition;
    if (p.seenHash !== p.pinnedHash) view['seenDefinition'] = p.seenDefinition;
  }
  return view;
}

async function pins(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(() =>
    parseArgs({ args: rest, options: { ...COMMON, server: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true }),
  );
  if (sub === 'list') {
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0] ?? ''}'`);
    const store = openPins(load(values).dbPath);
    try {
      const list = store.list(values.server);
      if (values.json) {
        process.stdout.write(`${JSON.stringify(list.map((p) => pinView(p, true)))}\n`);
      } else if (list.length === 0) {
        process.stdout.write('(no pinned tools)\n');
      } else {
        const rows = list.map((p) => [p.server, p.tool, pinStatus(p), p.approvedBy, p.pinnedHash.slice(0, 12), p.pinnedAt, pinStatus(p) === 'changed' ? `${p.seenHash.slice(0, 12)} ${p.seenAt}` : '-']);
        process.stdout.write(formatTable(['SERVER', 'TOOL', 'STATUS', 'APPROVED BY', 'PINNED', 'PINNED AT', 'CHANGED TO'], rows));
      }
      return 0;
    } finally {
      store.close();
    }
  }
  if (sub === 'show' || sub === 'approve') {
    if (positionals.length !== 2) throw new UsageError(`pins ${sub} needs SERVER and TOOL`);
    const [server, tool] = positionals as [string, string];
    const loaded = load(values);
    const store = openPins(loaded.dbPath);
    try {
      const pin = store.get(server, tool);
      if (pin === undefined) {
        process.stderr.write(`parapet mcp: no pinned tool '${tool}' on server '${server}' (see parapet mcp pins list)\n`);
        return 1;
      }
      const findings = await reviewFindings(pin.seenDefinition, mcpOf(loaded.config));
      if (sub === 'show') {
        process.stdout.write(`${JSON.stringify({ ...pinView(pin, true), findings }, null, 2)}\n`);
        return 0;
      }
      const before = pin.pinnedHash;
      const approved = store.approve(server, tool);
      if (approved === undefined) throw new Error(`could not approve ${server}/${tool}`);
      const what = before === approved.pinnedHash ? 'its current definition' : `the changed definition (sha256 ${before.slice(0, 12)} → ${approved.pinnedHash.slice(0, 12)})`;
      process.stdout.write(`Approved ${server}/${tool}: ${what} is now pinned.\n`);
      if (findings.length > 0) {
        process.stdout.write(`It has findings the policy would act on; as approved they are recorded as flags:\n${findings.map((f) => `  ${f}`).join('\n')}\n`);
      }
      return 0;
    } finally {
      store.close();
    }
  }
  throw new UsageError(sub === undefined ? 'pins needs a subcommand: list, show or approve' : `unknown pins subcommand '${sub}'`);
}

// ---- entry ------------------------------------------------------------------------------------

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help' || (rest.includes('--help') && !rest.includes('--'))) {
      process.stdout.write(USAGE);
      return sub === undefined ? 2 : 0;
    }
    if (sub === 'wrap') return await wrap(rest);
    if (sub === 'proxy') return await proxy(rest);
    if (sub === 'pins') return await pins(rest);
    throw new UsageError(`unknown subcommand '${sub}'`);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`parapet mcp: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`parapet mcp: invalid configuration\n${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
