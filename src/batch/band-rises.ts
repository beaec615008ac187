// Loans whose band rose since the previous run: the previous run's `loanId\tband` file, loaded once,
// compared chunk by chunk.
import { existsSync, readFileSync } from 'node:fs';
import { BANDS, type Band } from '../domain/decision/schema.js';

const RANK = new Map<string, number>(BANDS.map((b, i) => [b, i]));

export interface BandRise {
  readonly loanId: string;
  readonly from: Band;
  readonly to: Band;
}

export type PreviousBands = ReadonlyMap<string, number>;

export function loadPreviousBands(path: string): PreviousBands {
  const map = new Map<string, number>();
  if (!existsSync(path)) return map;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const rank = RANK.get(line.slice(tab + 1));
    if (rank !== undefined) map.set(line.slice(0, tab), rank);
  }
  return map;
}

/** Rises among `bandLines` (`loanId\tband\n` per decision) against the previous run. */
export function findRises(bandLines: string, previous: PreviousBands): BandRise[] {
  const rises: BandRise[] = [];
  if (previous.size === 0) return rises;
  let start = 0;
  while (start < bandLines.length) {
    let end = bandLines.indexOf('\n', start);
    if (end === -1) end = bandLines.length;
    const tab = bandLines.indexOf('\t', start);
    if (tab > start && tab < end) {
      const loanId = bandLines.slice(start, tab);
      const band = bandLines.slice(tab + 1, end);
      const before = previous.get(loanId);
      const now = RANK.get(band);
      if (before !== undefined && now !== undefined && now > before) rises.push({ loanId, from: BANDS[before]!, to: BANDS[now]! });
    }
    start = end + 1;
  }
  return rises;
}
