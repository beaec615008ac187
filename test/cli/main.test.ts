import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { main } from '../../src/cli/main.js';
import { capture } from '../../src/cli/output.js';

describe('ews (the command catalog)', () => {
  it('loads, for every name it lists, the command of that name', async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.usage.startsWith(`ews ${entry.name}`)).toBe(true);
    }
  });

  it('lists every command with its summary, and names them all for an unknown one', async () => {
    const help = capture();
    expect(await main(['--help'], help)).toBe(0);
    for (const entry of commands) expect(help.stdout.join('\n')).toContain(`${entry.name.padEnd(10)} ${entry.summary}`);
    const unknown = capture();
    expect(await main(['rescor'], unknown)).toBe(2);
    expect(unknown.stderr.join('\n')).toContain(`unknown command "rescor"; known: ${commands.map((c) => c.name).join(', ')}`);
  });

  it("prints a command's usage for --help without running it", async () => {
    const out = capture();
    expect(await main(['rescore', '--help'], out)).toBe(0);
    expect(out.stdout.join('\n')).toMatch(/^usage: ews rescore \(--input/);
  });
});
