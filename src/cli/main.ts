// The `ews` command: the only place that reads argv. Each subcommand lives in commands/.
import { commands } from './commands/index.js';
import { EXIT, UsageError } from './command.js';
import { terminal, type Output } from './output.js';

function help(out: Output): void {
  out.line('ews: risk early-warning scoring engine for instalment lending\n');
  out.line('usage: ews <command> [flags]\n');
  for (const c of commands) out.line(`  ${c.name.padEnd(10)} ${c.summary}`);
  out.line('\nRun `ews <command> --help` for its flags.');
}

export async function main(argv: string[], out: Output = terminal): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    help(out);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (entry === undefined) {
    out.error(`ews: unknown command "${name}"; known: ${commands.map((c) => c.name).join(', ')}`);
    return EXIT.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    out.line(`usage: ${command.usage}`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, out);
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`ews ${name}: ${error.message}\nusage: ${command.usage}`);
      return EXIT.usage;
    }
    out.error(`ews ${name}: ${(error as Error).message}`);
    return EXIT.failure;
  }
}
