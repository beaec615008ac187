// Generator throughput on one core: loans/s for N loans with full histories (default 100,000),
// (a) simulation only, (b) simulation + NDJSON + CSV streamed to disk, (c) the Parquet conversion,
// and (d) with ground truth (Monte Carlo, K paths per weekly snapshot) on a smaller slice.
// CPU time is reported beside wall time because the machine is shared.
//
//   npm run bench:generate [-- --loans 100000 --truth-loans 2000 --paths 32]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PortfolioWriter } from '../src/batch/tables-write.js';
import { csvToParquet } from '../src/batch/parquet.js';
import { TABLES, type TableName } from '../src/domain/history/flat.js';
import { generatePortfolio, type PortfolioSpec } from '../src/synth/portfolio.js';

interface Args {
  loans: number;
  truthLoans: number;
  paths: number;
  out: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { loans: 100_000, truthLoans: 2_000, paths: 32, out: 'bench/results/generate.json' };
  for (let i = 0; i + 1 < argv.length; i += 2) {
    const v = argv[i + 1]!;
    if (argv[i] === '--loans') args.loans = Number(v);
    else if (argv[i] === '--truth-loans') args.truthLoans = Number(v);
    else if (argv[i] === '--paths') args.paths = Number(v);
    else if (argv[i] === '--out') args.out = v;
    else throw new Error(`unknown option ${argv[i]}; expected --loans, --truth-loans, --paths or --out`);
  }
  return args;
}

interface Timing {
  wallS: number;
  cpuS: number;
}

async function timed(fn: () => Promise<void> | void): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6 };
}

const SPEC: PortfolioSpec = { seed: 1, start: '2024-01-01', months: 24, paths: 0 };

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'ews-bench-generate-'));
  try {
    let events = 0;
    const simulate = await timed(() => {
      for (const loan of generatePortfolio(SPEC, args.loans)) events += loan.history.events.length;
    });
    const write = await timed(async () => {
      const writer = await PortfolioWriter.open({ dir, gzip: false, groundTruth: false, parquet: false });
      for (const loan of generatePortfolio(SPEC, args.loans)) await writer.write(loan.history, null);
      await writer.close();
    });
    const parquet = await timed(() => csvToParquet((Object.keys(TABLES) as TableName[]).map((t) => ({ csv: join(dir, 'tables', `${t}.csv`), parquet: join(dir, 'tables', `${t}.parquet`), columns: TABLES[t] }))));
    let snapshots = 0;
    const truth = await timed(() => {
      for (const loan of generatePortfolio({ ...SPEC, paths: args.paths }, args.truthLoans)) snapshots += loan.truth?.snapshots.length ?? 0;
    });
    const perSec = (n: number, t: Timing) => ({ wall: Math.round(n / t.wallS), cpu: Math.round(n / t.cpuS) });
    const result = {
      benchmark: 'generate',
      node: process.version,
      at: new Date().toISOString(),
      loans: args.loans,
      eventsPerLoan: Number((events / args.loans).toFixed(1)),
      simulateOnly: { ...simulate, loansPerSecond: perSec(args.loans, simulate) },
      simulateAndWriteNdjsonCsv: { ...write, loansPerSecond: perSec(args.loans, write) },
      parquetConversion: parquet,
      fullHistoriesSeconds: { wall: Number((write.wallS + parquet.wallS).toFixed(1)), cpu: Number((write.cpuS + parquet.cpuS).toFixed(1)) },
      target: '100,000 loans with full histories in < 30 s on one core',
      /** Peak resident memory of the whole run: flat in N because nothing is kept per loan. */
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      loadAverage: (await import('node:os')).loadavg().map((x) => Number(x.toFixed(1))),
      withGroundTruth: { loans: args.truthLoans, paths: args.paths, horizonDays: 60, snapshots, ...truth, loansPerSecond: perSec(args.truthLoans, truth), snapshotsPerSecond: perSec(snapshots, truth) },
    };
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
