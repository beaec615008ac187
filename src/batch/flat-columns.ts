// How the flat tables' columns (declared in domain/history/flat.ts) are read: every column is cast to
// the type that gives plain JavaScript values (numbers, not bigints; dates as YYYY-MM-DD text), so
// that CSV (all text) and Parquet (typed) deliver the same rows.
import { TABLES, type Cell, type FlatHistory, type SqlType, type TableName } from '../domain/history/flat.js';

export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'BOOLEAN';

const READ_AS: Record<SqlType, ColumnType> = { VARCHAR: 'VARCHAR', DATE: 'VARCHAR', DOUBLE: 'DOUBLE', INTEGER: 'DOUBLE', BIGINT: 'DOUBLE', BOOLEAN: 'BOOLEAN' };

export function readColumns(table: TableName): ReadonlyArray<readonly [string, ColumnType]> {
  return TABLES[table].map((c) => [c.name, READ_AS[c.type]] as const);
}

export type FlatRow = Record<string, Cell>;
export type FlatLoan = FlatHistory;
