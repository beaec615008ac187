// A loan history as flat rows (the tabular layout batch tools and the DuckDB oracle read) and back.
// Three tables: one `loans` row per history, `schedule` rows, `events` rows. The common event fields
// get columns; every other field of an event goes in `detail_json`, so the round trip is lossless.
// Nullable columns are null when the field is absent; empty `attributes` and absent metas are null.
import { parseInstant } from './calendar.js';
import type { LoanEvent, LoanHistory } from './schema.js';

export type SqlType = 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'BIGINT' | 'BOOLEAN' | 'DATE';
export type Cell = string | number | boolean | null;

export interface ColumnSpec {
  readonly name: string;
  readonly type: SqlType;
}

const col = <N extends string>(name: N, type: SqlType): { readonly name: N; readonly type: SqlType } => ({ name, type });

export const LOAN_COLUMNS = [
  col('loan_id', 'VARCHAR'),
  col('borrower_id', 'VARCHAR'),
  col('time_zone', 'VARCHAR'),
  col('currency', 'VARCHAR'),
  col('product', 'VARCHAR'),
  col('kind', 'VARCHAR'),
  col('origination_date', 'DATE'),
  col('principal', 'DOUBLE'),
  col('instalment_count', 'INTEGER'),
  col('apr', 'DOUBLE'),
  col('fees', 'DOUBLE'),
  col('credit_limit', 'DOUBLE'),
  col('max_overdue_days', 'INTEGER'),
  col('occupation', 'VARCHAR'),
  col('age', 'INTEGER'),
  col('monthly_income', 'DOUBLE'),
  col('pay_frequency', 'VARCHAR'),
  col('payday', 'INTEGER'),
  col('employer_tenure_months', 'DOUBLE'),
  col('migrant', 'BOOLEAN'),
  col('dependents', 'INTEGER'),
  col('prior_loans', 'INTEGER'),
  col('prior_worst_dpd', 'INTEGER'),
  col('attributes_json', 'VARCHAR'),
  /** `{"history": meta, "borrower": meta}` when either is present (never read by the engine). */
  col('meta_json', 'VARCHAR'),
] as const;

export const SCHEDULE_COLUMNS = [col('loan_id', 'VARCHAR'), col('seq', 'INTEGER'), col('due_date', 'DATE'), col('amount_due', 'DOUBLE'), col('principal_due', 'DOUBLE')] as const;

export const EVENT_COLUMNS = [
  col('loan_id', 'VARCHAR'),
  col('event_id', 'VARCHAR'),
  col('type', 'VARCHAR'),
  col('at', 'VARCHAR'),
  col('at_ms', 'BIGINT'),
  col('recorded_at', 'VARCHAR'),
  col('recorded_at_ms', 'BIGINT'),
  col('amount', 'DOUBLE'),
  col('channel', 'VARCHAR'),
  col('outcome', 'VARCHAR'),
  col('reason', 'VARCHAR'),
  col('detail_json', 'VARCHAR'),
] as const;

type RowOf<C extends ReadonlyArray<ColumnSpec>> = { [K in C[number]['name']]: Cell };
export type LoanRow = RowOf<typeof LOAN_COLUMNS>;
export type ScheduleRow = RowOf<typeof SCHEDULE_COLUMNS>;
export type EventRow = RowOf<typeof EVENT_COLUMNS>;

export interface FlatHistory {
  readonly loan: LoanRow;
  readonly schedule: ScheduleRow[];
  readonly events: EventRow[];
}

export const TABLES = {
  loans: LOAN_COLUMNS,
  schedule: SCHEDULE_COLUMNS,
  events: EVENT_COLUMNS,
} as const;
export type TableName = keyof typeof TABLES;

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const isEmpty = (o: object | undefined): boolean => o === undefined || Object.keys(o).length === 0;

/** Event fields that have their own column (the rest go to detail_json). */
export const EVENT_COLUMN_FIELDS: ReadonlySet<string> = new Set(['id', 'type', 'at', 'recordedAt', 'amount', 'channel', 'outcome', 'reason']);

export function historyToRows(h: LoanHistory): FlatHistory {
  const schedule = h.schedule.map(
    (s): ScheduleRow => ({ loan_id: h.loanId, seq: s.seq, due_date: s.dueDate, amount_due: s.amountDue, principal_due: orNull(s.principalDue) }),
  );
  const events = h.events.map((e) => eventToRow(h.loanId, e));
  return { loan: historyToLoanRow(h), schedule, events };
}

/** The history's one `loans` row. */
export function historyToLoanRow(h: LoanHistory): LoanRow {
  const c = h.contract;
  const b = h.borrower;
  const metas: Record<string, unknown> = {};
  if (h.meta !== undefined) metas.history = h.meta;
  if (b.meta !== undefined) metas.borrower = b.meta;
  return {
    loan_id: h.loanId,
    borrower_id: h.borrowerId,
    time_zone: h.timeZone,
    currency: h.currency,
    product: orNull(c.product),
    kind: c.kind,
    origination_date: c.originationDate,
    principal: c.principal,
    instalment_count: c.instalmentCount,
    apr: orNull(c.apr),
    fees: orNull(c.fees),
    credit_limit: orNull(c.creditLimit),
    max_overdue_days: c.maxOverdueDays,
    occupation: b.occupation,
    age: orNull(b.age),
    monthly_income: orNull(b.monthlyIncome),
    pay_frequency: orNull(b.payFrequency),
    payday: orNull(b.payday),
    employer_tenure_months: orNull(b.employerTenureMonths),
    migrant: orNull(b.migrant),
    dependents: orNull(b.dependents),
    prior_loans: orNull(b.priorLoans),
    prior_worst_dpd: orNull(b.priorWorstDpd),
    attributes_json: isEmpty(b.attributes) ? null : JSON.stringify(b.attributes),
    meta_json: isEmpty(metas) ? null : JSON.stringify(metas),
  };
}

function eventToRow(loanId: string, e: LoanEvent): EventRow {
  const fields = e as Record<string, unknown>;
  let detail: Record<string, unknown> | null = null;
  for (const key in fields) {
    if (EVENT_COLUMN_FIELDS.has(key) || fields[key] === undefined) continue;
    detail ??= {};
    detail[key] = fields[key];
  }
  const str = (k: string): string | null => (typeof fields[k] === 'string' ? (fields[k] as string) : null);
  return {
    loan_id: loanId,
    event_id: e.id,
    type: e.type,
    at: e.at,
    at_ms: parseInstant(e.at),
    recorded_at: orNull(e.recordedAt),
    recorded_at_ms: e.recordedAt === undefined ? null : parseInstant(e.recordedAt),
    amount: typeof fields.amount === 'number' ? fields.amount : null,
    channel: str('channel'),
    outcome: str('outcome'),
    reason: str('reason'),
    detail_json: detail === null ? null : JSON.stringify(detail),
  };
}

/** Thrown when rows cannot make a history; the message names the table, row and column. */
export class FlatRowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlatRowError';
  }
}

/**
 * Rows back to a history object. The result is shaped like a parsed LoanHistory (the round trip of a
 * parsed history deep-equals it); rows from outside should still go through parseHistory.
 */
export function rowsToHistory(rows: FlatHistory): LoanHistory {
  const l = rows.loan;
  const where = `loans[${String(l.loan_id)}]`;
  const metas = parseJson(l.meta_json, `${where}.meta_json`) as { history?: Record<string, unknown>; borrower?: Record<string, unknown> } | undefined;
  const contract: Record<string, unknown> = {
    product: l.product,
    kind: l.kind,
    originationDate: l.origination_date,
    principal: l.principal,
    instalmentCount: l.instalment_count,
    apr: l.apr,
    fees: l.fees,
    creditLimit: l.credit_limit,
    maxOverdueDays: l.max_overdue_days,
  };
  const borrower: Record<string, unknown> = {
    occupation: l.occupation,
    age: l.age,
    monthlyIncome: l.monthly_income,
    payFrequency: l.pay_frequency,
    payday: l.payday,
    employerTenureMonths: l.employer_tenure_months,
    migrant: l.migrant,
    dependents: l.dependents,
    priorLoans: l.prior_loans,
    priorWorstDpd: l.prior_worst_dpd,
    attributes: parseJson(l.attributes_json, `${where}.attributes_json`) ?? {},
    meta: metas?.borrower,
  };
  const history: Record<string, unknown> = {
    schemaVersion: 1,
    loanId: l.loan_id,
    borrowerId: l.borrower_id,
    timeZone: l.time_zone,
    currency: l.currency,
    contract: dropNulls(contract),
    borrower: dropNulls(borrower),
    schedule: rows.schedule.map((s) => dropNulls({ seq: s.seq, dueDate: s.due_date, amountDue: s.amount_due, principalDue: s.principal_due })),
    events: rows.events.map((e, i) => rowToEvent(e, `events[${String(e.loan_id)}#${i}]`)),
    meta: metas?.history,
  };
  return dropNulls(history) as unknown as LoanHistory;
}

function rowToEvent(r: EventRow, where: string): LoanEvent {
  const detail = (parseJson(r.detail_json, `${where}.detail_json`) ?? {}) as Record<string, unknown>;
  return dropNulls({
    id: r.event_id,
    at: r.at,
    recordedAt: r.recorded_at,
    type: r.type,
    amount: r.amount,
    channel: r.channel,
    outcome: r.outcome,
    reason: r.reason,
    ...detail,
  }) as unknown as LoanEvent;
}

function parseJson(cell: Cell, where: string): unknown {
  if (cell === null || cell === '') return undefined;
  if (typeof cell !== 'string') throw new FlatRowError(`${where}: expected a JSON string`);
  try {
    return JSON.parse(cell);
  } catch {
    throw new FlatRowError(`${where}: not valid JSON`);
  }
}

function dropNulls<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === null || o[k] === undefined) delete o[k];
  return o;
}
