// The benchmark portfolio: `ews generate` makes a base portfolio (seeded), which is replicated with
// fresh loan ids up to the wanted size and written with the generator's own PortfolioWriter
// (histories.ndjson + tables/*.csv + *.parquet). Generating 1M loans outright takes too long on a
// shared 2-core machine. Files are reused. Layouts:
// - 'origination' (default): NOT replicated: `ews generate --loans N --seed 7 --ids origination`, N
//   distinct loans with ids issued in origination order, files sorted by loan id, as a lender's
//   extract is. Loans closed long ago and loans still running sit in different id ranges.
// - 'replicated' (the earlier one): replica r of base loan L… is R00r-L…, so each 10,000-loan block
//   repeats the whole origination span and active loans are spread evenly over the id space.
// - 'ordered': the replicas with ids issued in origination order (sorted by (origination date,
//   replica, base loan)). Not used for figures: the 100 copies of a loan end up in the same row group,
//   so Parquet's dictionaries compress the 1M events file to 25 MB (393 MB replicated), and decoding
//   it is unrealistically cheap.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PortfolioWriter, ROW_GROUP_ROWS } from '../../src/batch/tables-write.js';
import { LoanHistory } from '../../src/domain/history/schema.js';

export interface PortfolioFiles {
  readonly dir: string;
  readonly ndjson: string;
  readonly tables: string;
  readonly note: string;
}

async function readBase(file: string): Promise<LoanHistory[]> {
  const out: LoanHistory[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim() !== '') out.push(LoanHistory.parse(JSON.parse(line)));
  return out;
}

export type PortfolioLayout = 'origination' | 'ordered' | 'replicated';

export function parseLayout(s: string): PortfolioLayout {
  if (s === 'origination' || s === 'ordered' || s === 'replicated') return s;
  throw new Error(`--layout: expected origination, ordered or replicated, got "${s}"`);
}

/** The (replica, base index) pairs in the order their loans are written, with the id each gets. */
function replicas(histories: readonly LoanHistory[], loans: number, layout: 'ordered' | 'replicated'): { base: number; loanId: string; borrowerId: string }[] {
  const n = histories.length;
  const out = Array.from({ length: loans }, (_, i) => ({ replica: Math.floor(i / n), base: i % n }));
  if (layout === 'replicated') {
    return out.map(({ replica, base }) => {
      const r = `R${String(replica).padStart(3, '0')}-`;
      return { base, loanId: r + histories[base]!.loanId, borrowerId: r + histories[base]!.borrowerId };
    });
  }
  const date = (b: number): string => histories[b]!.contract.originationDate;
  out.sort((x, y) => (date(x.base) < date(y.base) ? -1 : date(x.base) > date(y.base) ? 1 : x.replica - y.replica || x.base - y.base));
  return out.map(({ base }, k) => ({ base, loanId: `L${String(k).padStart(7, '0')}`, borrowerId: `B${String(k).padStart(7, '0')}` }));
}

// The Parquet layout is part of what the benchmark measures: a portfolio written with other row groups is made again.
const PARQUET_LAYOUT = `Parquet rows a row group: ${Object.entries(ROW_GROUP_ROWS).map(([t, n]) => `${t} ${n}`).join(', ')}`;

/** True when `dir` holds a finished portfolio made as `note` says. */
function isReady(dir: string, note: string): boolean {
  const ready = join(dir, 'READY');
  return existsSync(ready) && readFileSync(ready, 'utf8') === `${note}\n`;
}

/** N distinct generated loans, ids in origination order (`ews generate --ids origination`). */
function ensureGenerated(root: string, loans: number, log: (s: string) => void): PortfolioFiles {
  const dir = join(root, `origination-${loans}-seed-7`);
  const note = `ews generate --loans ${loans} --seed 7 --ids origination (distinct loans, ids in origination order; ${PARQUET_LAYOUT})`;
  const files = { dir, ndjson: join(dir, 'histories.ndjson'), tables: join(dir, 'tables'), note };
  if (isReady(dir, note)) return files;
  log(`generating ${loans.toLocaleString('en-US')} loans with ews generate --ids origination into ${dir} ...`);
  const run = spawnSync(process.execPath, ['bin/ews.js', 'generate', '--loans', String(loans), '--seed', '7', '--ids', 'origination', '--out', dir, '--no-ground-truth'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (run.status !== 0) throw new Error(`ews generate failed with exit ${run.status}`);
  writeFileSync(join(dir, 'READY'), `${note}\n`);
  return files;
}

export async function ensurePortfolio(root: string, loans: number, base: number, log: (s: string) => void, layout: PortfolioLayout = 'origination'): Promise<PortfolioFiles> {
  if (layout === 'origination') return ensureGenerated(root, loans, log);
  const baseDir = join(root, `base-${base}`);
  const dir = join(root, `${layout}-${loans}-from-${base}`);
  const ids = layout === 'ordered' ? 'loan ids issued in origination order' : 'fresh loan ids (R00r-<base id>)';
  const note = `ews generate --loans ${base} --seed 7, replicated ${Math.ceil(loans / base)}x with ${ids} to ${loans} loans (${PARQUET_LAYOUT})`;
  const files = { dir, ndjson: join(dir, 'histories.ndjson'), tables: join(dir, 'tables'), note };
  if (isReady(dir, note)) return files;
  if (!existsSync(join(baseDir, 'histories.ndjson'))) {
    log(`generating the ${base}-loan base portfolio with ews generate ...`);
    const run = spawnSync(process.execPath, ['bin/ews.js', 'generate', '--loans', String(base), '--seed', '7', '--out', baseDir, '--no-ground-truth', '--no-parquet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) throw new Error(`ews generate failed with exit ${run.status}`);
  }
  const histories = await readBase(join(baseDir, 'histories.ndjson'));
  rmSync(dir, { recursive: true, force: true });
  log(`replicating ${histories.length} loans to ${loans.toLocaleString('en-US')} in ${dir} ...`);
  const writer = await PortfolioWriter.open({ dir, gzip: false, groundTruth: false, parquet: true });
  for (const [i, r] of replicas(histories, loans, layout).entries()) {
    await writer.write({ ...histories[r.base]!, loanId: r.loanId, borrowerId: r.borrowerId }, null);
    if (i > 0 && i % 100_000 === 0) log(`  ${i.toLocaleString('en-US')} loans`);
  }
  log('closing (CSV -> Parquet with DuckDB) ...');
  await writer.close();
  writeFileSync(join(dir, 'READY'), `${note}\n`);
  return files;
}
