// The `parapet` command: one module per subcommand, loaded only when used so `parapet scan`
// does not pay for the HTTP stack and `parapet serve` does not pay for the CLI table printer.
import process from 'node:process';

/** Every subcommand module exports `run(argv) → exit code`. */
export type CommandModule = { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { load: () => Promise<CommandModule>; summary: string }> = {
  serve: { load: () => import('./serve.ts'), summary: 'run the gateway  [--config FILE]' },
  scan: { load: () => import('./scan.ts'), summary: 'scan JSON lines from stdin with the detectors' },
  keys: { load: () => import('./keys.ts'), summary: 'create, list and revoke gateway keys' },
  audit: { load: () => import('./audit.ts'), summary: 'query the audit log' },
  'mock-llm': { load: () => import('./mock-llm.ts'), summary: 'a deterministic OpenAI/Anthropic upstream' },
  mcp: { load: () => import('./mcp.ts'), summary: 'guard MCP servers: wrap (stdio), proxy (HTTP), pins' },
  approvals: { load: () => import('./approvals.ts'), summary: 'list, approve or deny tool calls held for a human' },
  sessions: { load: () => import('./sessions.ts'), summary: 'lift a session interruption or a key throttle early' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: parapet <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`parapet: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    // serve keeps running until it is drained; every other command ends here.
    if (code !== -1) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`parapet: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
