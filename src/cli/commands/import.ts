import { importUciTaiwan } from '../../batch/import-uci-taiwan.js';
import { parseFlags, requireFlag } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';

const SOURCES = ['uci-taiwan'] as const;

export const importCommand: Command = {
  name: 'import',
  usage: 'ews import uci-taiwan <UCI_Credit_Card.csv> --out <snapshots.ndjson> [--max-errors N]',
  async run(argv, out) {
    const { values, positionals } = parseFlags(argv, { out: { type: 'string' }, 'max-errors': { type: 'string' } }, true);
    const [source, file] = positionals;
    if (source === undefined || !(SOURCES as readonly string[]).includes(source)) throw new UsageError(`expected a source: ${SOURCES.join(', ')}`);
    if (file === undefined) throw new UsageError('missing the CSV file to import');
    const target = requireFlag(values.out, 'out');
    const maxErrors = Number(values['max-errors'] ?? 20);
    const summary = await importUciTaiwan(file, target);
    for (const p of summary.problems.slice(0, maxErrors)) out.error(`line ${p.line}: ${p.message}`);
    out.line(`${summary.rows} rows, ${summary.written} snapshots written to ${target} (${summary.positives} positive), ${summary.problems.length} skipped`);
    return summary.problems.length === 0 ? EXIT.ok : EXIT.partial;
  },
};
