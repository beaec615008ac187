// The files a run keeps beside its output. Everything a rerun needs to resume sits next to `--out`.
export interface RunFiles {
  /** Decisions as the run appends them (for parquet: a staging file in the staging CSV dialect, converted at the end). */
  readonly decisions: string;
  readonly final: string;
  readonly rejects: string;
  readonly bands: string;
  readonly previousBands: string;
  readonly rises: string;
  readonly checkpoint: string;
  readonly summary: string;
}

export function runFiles(out: string, format: 'ndjson' | 'csv' | 'parquet'): RunFiles {
  return {
    decisions: format === 'parquet' ? `${out}.staging.csv` : out,
    final: out,
    rejects: `${out}.rejects.ndjson`,
    bands: `${out}.bands.tsv`,
    previousBands: `${out}.bands.prev.tsv`,
    rises: `${out}.rises.ndjson`,
    checkpoint: `${out}.checkpoint.json`,
    summary: `${out}.summary.json`,
  };
}
