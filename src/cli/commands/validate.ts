import { describeProblems, parseHistory, parseSnapshot } from '../../domain/history/validate.js';
import { NdjsonFile } from '../../ndjson-file.js';
import { parseFlags } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';

export const validate: Command = {
  name: 'validate',
  usage: 'ews validate <file.ndjson> [--snapshots] [--max-errors N]',
  async run(argv, out) {
    const { values, positionals } = parseFlags(argv, { snapshots: { type: 'boolean' }, 'max-errors': { type: 'string' } }, true);
    const file = positionals[0];
    if (file === undefined) throw new UsageError('missing the NDJSON file to check');
    const maxErrors = Number(values['max-errors'] ?? 20);
    const lines = new NdjsonFile(file);
    let bad = 0;
    let valid = 0;
    for await (const r of lines) {
      let problem: string | null = null;
      if (!r.ok) problem = r.error;
      else {
        const parsed = values.snapshots ? parseSnapshot(r.value) : parseHistory(r.value);
        if (!parsed.ok) problem = describeProblems(parsed.problems);
      }
      if (problem === null) {
        valid++;
        continue;
      }
      bad++;
      if (bad <= maxErrors) out.error(`line ${r.line}: ${problem}`);
    }
    // Blank lines are neither valid nor invalid.
    out.line(`${lines.lines} lines, ${valid} valid, ${bad} invalid`);
    return bad === 0 ? EXIT.ok : EXIT.failure;
  },
};
