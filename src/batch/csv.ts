// Two CSV dialects. RFC 4180 for files people read (null is an empty unquoted field, an empty string
// is "": read it back with DuckDB's allow_quoted_nulls=false; fields with separators, quotes or edge
// spaces are quoted). And the staging dialect of files only DuckDB reads (the Parquet output's
// staging file): every string is quoted with U+0001, which JSON text never holds raw, so the JSON
// columns of a decision go in as they are instead of having every `"` doubled (measured: doubling
// the quotes of a decision's ~1 KB of JSON cost ~5 µs, two thirds of the line's encoding).
import type { Cell, ColumnSpec } from '../domain/history/flat.js';
import { numberText } from './number-text.js';

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 11 || c === 12 || c === 160 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;

/** Quote when a field has a quote, comma or line break, or starts or ends with white space. */
function needsQuotes(v: string): boolean {
  const n = v.length;
  if (n === 0 || isSpace(v.charCodeAt(0)) || isSpace(v.charCodeAt(n - 1))) return true;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c === 34 || c === 44 || c === 10 || c === 13) return true;
  }
  return false;
}

/** A string cell (never null). */
export function csvText(v: string): string {
  return needsQuotes(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** A number cell: as String(v) writes it; NaN and infinities are null (an empty field). */
export function csvNumber(v: number): string {
  return Number.isFinite(v) ? numberText(v) : '';
}

export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return csvNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return csvText(v);
}

export function csvLine(cells: readonly Cell[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) out += (i === 0 ? '' : ',') + csvCell(cells[i]!);
  return out;
}

/** A row object as a CSV line, in the column order given (absent cells are null). */
export function csvRow(row: Readonly<Record<string, Cell>>, columns: readonly ColumnSpec[]): string {
  let out = '';
  for (let i = 0; i < columns.length; i++) out += (i === 0 ? '' : ',') + csvCell(row[columns[i]!.name] ?? null);
  return out;
}

/** The staging dialect's quote (and escape) character: read with `quote` and `escape` set to it. */
export const STAGING_QUOTE = '\u0001';

/** A string cell of the staging dialect: always quoted, a quote character inside doubled. */
function stagingText(v: string): string {
  return v.indexOf(STAGING_QUOTE) === -1 ? `${STAGING_QUOTE}${v}${STAGING_QUOTE}` : `${STAGING_QUOTE}${v.replaceAll(STAGING_QUOTE, STAGING_QUOTE + STAGING_QUOTE)}${STAGING_QUOTE}`;
}

/** A line of the staging dialect (no line break): null is an empty unquoted field, numbers as csvNumber. */
export function stagingLine(cells: readonly Cell[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i]!;
    const text = v === null ? '' : typeof v === 'string' ? stagingText(v) : typeof v === 'number' ? csvNumber(v) : v ? 'true' : 'false';
    out += i === 0 ? text : `,${text}`;
  }
  return out;
}
