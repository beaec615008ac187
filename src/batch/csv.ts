// RFC 4180 CSV cells: null is an empty unquoted field, an empty string is "" (read it back with
// DuckDB's allow_quoted_nulls=false); fields with separators, quotes or edge spaces are quoted.
import type { Cell } from '../domain/history/flat.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === '' || NEEDS_QUOTES.test(v)) return `"${v.replaceAll('"', '""')}"`;
  return v;
}

export function csvLine(cells: readonly Cell[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) out += (i === 0 ? '' : ',') + csvCell(cells[i]!);
  return out;
}
