// RFC 4180 CSV cells: null is an empty unquoted field, an empty string is "" (read it back with
// DuckDB's allow_quoted_nulls=false); fields with separators, quotes or edge spaces are quoted.
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
