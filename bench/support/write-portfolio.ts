// The benchmark portfolio: `ews generate` makes a base portfolio (seeded), which is replicated with
// fresh loan ids (R000-…, R001-…, so the files stay sorted by loan id) up to the wanted size and
// written with the generator's own PortfolioWriter (histories.ndjson + tables/*.csv + *.parquet).
// Generating 1M loans outright takes too long on a shared 2-core machine. Files are reused.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PortfolioWriter } from '../../src/batch/tables-write.js';
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

export async function ensurePortfolio(root: string, loans: number, base: number, log: (s: string) => void): Promise<PortfolioFiles> {
  const baseDir = join(root, `base-${base}`);
  const dir = join(root, `replicated-${loans}-from-${base}`);
  const note = `ews generate --loans ${base} --seed 7, replicated ${Math.ceil(loans / base)}x with fresh loan ids to ${loans} loans`;
  const files = { dir, ndjson: join(dir, 'histories.ndjson'), tables: join(dir, 'tables'), note };
  if (existsSync(join(dir, 'READY'))) return files;
  if (!existsSync(join(baseDir, 'histories.ndjson'))) {
    log(`generating the ${base}-loan base portfolio with ews generate ...`);
    const run = spawnSync(process.execPath, ['bin/ews.js', 'generate', '--loans', String(base), '--seed', '7', '--out', baseDir, '--no-ground-truth', '--no-parquet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) throw new Error(`ews generate failed with exit ${run.status}`);
  }
  const histories = await readBase(join(baseDir, 'histories.ndjson'));
  rmSync(dir, { recursive: true, force: true });
  log(`replicating ${histories.length} loans to ${loans.toLocaleString('en-US')} in ${dir} ...`);
  const writer = await PortfolioWriter.open({ dir, gzip: false, groundTruth: false, parquet: true });
  for (let i = 0; i < loans; i++) {
    const h = histories[i % histories.length]!;
    const replica = `R${String(Math.floor(i / histories.length)).padStart(3, '0')}-`;
    await writer.write({ ...h, loanId: replica + h.loanId, borrowerId: replica + h.borrowerId }, null);
    if (i > 0 && i % 100_000 === 0) log(`  ${i.toLocaleString('en-US')} loans`);
  }
  log('closing (CSV -> Parquet with DuckDB) ...');
  await writer.close();
  writeFileSync(join(dir, 'READY'), `${note}\n`);
  return files;
}
