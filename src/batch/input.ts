// Works out what `--input` points at: NDJSON files (plain or gzip), or a folder of flat tables
// (loans, schedule, events as CSV or Parquet, directly or under tables/).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type InputFormat = 'ndjson' | 'csv' | 'parquet';

export type InputSpec =
  | { readonly kind: 'ndjson'; readonly files: readonly string[] }
  | { readonly kind: 'tables'; readonly format: 'csv' | 'parquet'; readonly loans: string; readonly schedule: string; readonly events: string };

const NDJSON = /\.(ndjson|jsonl|json)(\.gz)?$/;

function tablesIn(dir: string, format: 'csv' | 'parquet'): InputSpec | null {
  for (const base of [join(dir, 'tables'), dir]) {
    const path = (name: string) => join(base, `${name}.${format}`);
    if (existsSync(path('loans'))) {
      for (const t of ['schedule', 'events']) if (!existsSync(path(t))) throw new Error(`--input: ${path('loans')} found but ${path(t)} is missing`);
      return { kind: 'tables', format, loans: path('loans'), schedule: path('schedule'), events: path('events') };
    }
  }
  return null;
}

export function resolveInput(input: string, format?: InputFormat): InputSpec {
  if (!existsSync(input)) throw new Error(`--input: ${input} does not exist`);
  if (statSync(input).isFile()) {
    if (format !== undefined && format !== 'ndjson') throw new Error(`--input: a single file is read as NDJSON; for ${format} tables give the folder holding loans.${format}, schedule.${format}, events.${format}`);
    return { kind: 'ndjson', files: [input] };
  }
  if (format === 'csv' || format === 'parquet') {
    const spec = tablesIn(input, format);
    if (spec === null) throw new Error(`--input: no loans.${format} in ${input} or ${join(input, 'tables')}`);
    return spec;
  }
  if (format === undefined) {
    const spec = tablesIn(input, 'parquet') ?? tablesIn(input, 'csv');
    if (spec !== null) return spec;
  }
  const files = readdirSync(input)
    .filter((f) => NDJSON.test(f))
    .sort()
    .map((f) => join(input, f));
  if (files.length === 0) throw new Error(`--input: ${input} holds no *.ndjson / *.jsonl (optionally .gz) files and no loans/schedule/events tables`);
  return { kind: 'ndjson', files };
}

export function outputFormatOf(out: string): 'ndjson' | 'csv' | 'parquet' {
  if (/\.parquet$/i.test(out)) return 'parquet';
  if (/\.csv$/i.test(out)) return 'csv';
  return 'ndjson';
}
