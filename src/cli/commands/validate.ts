import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { describeProblems, parseHistory, parseSnapshot } from '../../domain/history/validate.js';
import { parseFlags } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';

export const validate: Command = {
  name: 'validate',
  summary: 'check an NDJSON file of loan histories (or labelled snapshots) against the contract',
  usage: 'ews validate <file.ndjson> [--snapshots] [--max-errors N]',
  async run(argv, out) {
    const { values, positionals } = parseFlags(argv, { snapshots: { type: 'boolean' }, 'max-errors': { type: 'string' } }, true);
    const file = positionals[0];
    if (file === undefined) throw new UsageError('missing the NDJSON file to check');
    const maxErrors = Number(values['max-errors'] ?? 20);
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let n = 0;
    let bad = 0;
    for await (const line of lines) {
      n++;
      if (line.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (error) {
        bad++;
        if (bad <= maxErrors) out.error(`line ${n}: not JSON (${(error as Error).message})`);
        continue;
      }
      const parsed = values.snapshots ? parseSnapshot(raw) : parseHistory(raw);
      if (!parsed.ok) {
        bad++;
        if (bad <= maxErrors) out.error(`line ${n}: ${describeProblems(parsed.problems)}`);
      }
    }
    out.line(`${n} lines, ${n - bad} valid, ${bad} invalid`);
    return bad === 0 ? EXIT.ok : EXIT.failure;
  },
};
