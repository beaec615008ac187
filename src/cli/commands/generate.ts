import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dateToDay, dayToDate } from '../../domain/history/calendar.js';
import { PortfolioWriter } from '../../batch/tables-write.js';
import { DEFAULT_PATHS, generatePortfolio, generatePortfolioByOrigination } from '../../synth/portfolio.js';
import { PortfolioSummary, type SummaryReport } from '../../synth/summary.js';
import { intFlag, parseFlags, requireFlag } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';
import { table, type Output } from '../output.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const generate: Command = {
  name: 'generate',
  usage:
    'ews generate --loans N --seed S --out DIR [--start 2024-01-01] [--months 24] [--horizon 60] [--paths 32] [--gzip] [--no-ground-truth] [--no-parquet] [--ids draw|origination]',
  async run(argv, out) {
    const { values } = parseFlags(argv, {
      loans: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string' },
      months: { type: 'string' },
      out: { type: 'string' },
      horizon: { type: 'string' },
      paths: { type: 'string' },
      gzip: { type: 'boolean' },
      'no-ground-truth': { type: 'boolean' },
      'no-parquet': { type: 'boolean' },
      ids: { type: 'string' },
    });
    const loans = intFlag(requireFlag(values.loans, 'loans'), 'loans', 0, 1);
    const seed = intFlag(values.seed, 'seed', 1, 0);
    const start = values.start ?? '2024-01-01';
    if (!DATE.test(start) || dayToDate(dateToDay(start)) !== start) throw new UsageError(`--start: expected a date as YYYY-MM-DD, got "${start}"`);
    const months = intFlag(values.months, 'months', 24, 1);
    const horizonDays = intFlag(values.horizon, 'horizon', 60, 1);
    const groundTruth = values['no-ground-truth'] !== true;
    const paths = groundTruth ? intFlag(values.paths, 'paths', DEFAULT_PATHS, 1) : 0;
    const dir = requireFlag(values.out, 'out');
    // draw: loan k is L<k> (the default; histories identical for a seed); origination: the same loans,
    // ids issued in origination order and the files sorted so (a lender's extract).
    const ids = values.ids ?? 'draw';
    if (ids !== 'draw' && ids !== 'origination') throw new UsageError(`--ids: expected draw or origination, got "${ids}"`);

    const started = performance.now();
    const writer = await PortfolioWriter.open({ dir, gzip: values.gzip === true, groundTruth, parquet: values['no-parquet'] !== true });
    const summary = new PortfolioSummary();
    let n = 0;
    const spec = { seed, start, months, horizonDays, paths };
    for (const loan of ids === 'origination' ? generatePortfolioByOrigination(spec, loans) : generatePortfolio(spec, loans)) {
      await writer.write(loan.history, loan.truth);
      summary.add(loan.outcome);
      if (out.isTty && ++n % 10_000 === 0) out.error(`${n.toLocaleString('en-US')} loans...`);
    }
    const files = await writer.close();
    const report = summary.report();
    await writeFile(join(dir, 'summary.json'), `${JSON.stringify({ seed, start, months, horizonDays, paths, ...report }, null, 2)}\n`);
    printSummary(out, report);
    out.line(`\nwrote ${files.length + 1} files to ${dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return EXIT.ok;
  },
};

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function printSummary(out: Output, r: SummaryReport): void {
  out.line(`loans                ${r.loans.toLocaleString('en-US')}`);
  out.line(`ever 30+ DPD         ${pct(r.ever30Rate)}`);
  out.line(`referred to legal    ${pct(r.referralRate)}  (${Object.entries(r.referralsByReason).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`);
  out.line(`repaid and closed    ${pct(r.closedRate)}`);
  const rr = r.rollRates;
  out.line(`roll rates           current->1-30 ${pct(rr.toDpd1)}, 1-30->31-60 ${pct(rr.toDpd31)}, 31-60->61-90 ${pct(rr.toDpd61)}, 61-90->referral ${pct(rr.toReferral)}`);
  out.line('');
  out.line(table([['occupation', 'loans', 'ever 30+', 'referred'], ...r.byOccupation.map((o) => [o.occupation, o.loans, pct(o.ever30Rate), pct(o.referralRate)])]));
}
