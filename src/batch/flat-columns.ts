// The generator's flat tables (COMMON contract): columns and the canonical type each is read as, so
// that CSV (all text) and Parquet (typed) deliver the same JavaScript values.
export type ColumnType = 'VARCHAR' | 'DOUBLE' | 'BOOLEAN';

export const LOAN_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['loan_id', 'VARCHAR'],
  ['borrower_id', 'VARCHAR'],
  ['time_zone', 'VARCHAR'],
  ['currency', 'VARCHAR'],
  ['product', 'VARCHAR'],
  ['kind', 'VARCHAR'],
  ['origination_date', 'VARCHAR'],
  ['principal', 'DOUBLE'],
  ['instalment_count', 'DOUBLE'],
  ['apr', 'DOUBLE'],
  ['fees', 'DOUBLE'],
  ['credit_limit', 'DOUBLE'],
  ['max_overdue_days', 'DOUBLE'],
  ['occupation', 'VARCHAR'],
  ['age', 'DOUBLE'],
  ['monthly_income', 'DOUBLE'],
  ['pay_frequency', 'VARCHAR'],
  ['payday', 'DOUBLE'],
  ['employer_tenure_months', 'DOUBLE'],
  ['migrant', 'BOOLEAN'],
  ['dependents', 'DOUBLE'],
  ['prior_loans', 'DOUBLE'],
  ['prior_worst_dpd', 'DOUBLE'],
  ['attributes_json', 'VARCHAR'],
];

export const SCHEDULE_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['loan_id', 'VARCHAR'],
  ['seq', 'DOUBLE'],
  ['due_date', 'VARCHAR'],
  ['amount_due', 'DOUBLE'],
  ['principal_due', 'DOUBLE'],
];

export const EVENT_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['loan_id', 'VARCHAR'],
  ['event_id', 'VARCHAR'],
  ['type', 'VARCHAR'],
  ['at', 'VARCHAR'],
  ['at_ms', 'DOUBLE'],
  ['recorded_at', 'VARCHAR'],
  ['recorded_at_ms', 'DOUBLE'],
  ['amount', 'DOUBLE'],
  ['channel', 'VARCHAR'],
  ['outcome', 'VARCHAR'],
  ['reason', 'VARCHAR'],
  ['detail_json', 'VARCHAR'],
];

export type FlatRow = Record<string, string | number | boolean | null>;

/** One loan's rows from the three tables. */
export interface FlatLoan {
  readonly loan: FlatRow;
  readonly schedule: FlatRow[];
  readonly events: FlatRow[];
}

const TABLE_COLUMNS = { loans: LOAN_COLUMNS, schedule: SCHEDULE_COLUMNS, events: EVENT_COLUMNS } as const;

export function readColumns(table: keyof typeof TABLE_COLUMNS): ReadonlyArray<readonly [string, ColumnType]> {
  return TABLE_COLUMNS[table];
}
