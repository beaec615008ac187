// One loan's flat rows back into the LoanHistory JSON shape (validated afterwards like any input).
// Absent (null) columns are left out, so the contract's defaults apply.
import type { FlatLoan, FlatRow } from './flat-columns.js';

type Json = Record<string, unknown>;

function put(target: Json, key: string, value: unknown): void {
  if (value !== null && value !== undefined) target[key] = value;
}

function parseJsonColumn(value: unknown, column: string): Json {
  if (value === null || value === undefined || value === '') return {};
  try {
    const parsed: unknown = JSON.parse(String(value));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as Json;
  } catch (error) {
    throw new Error(`${column}: ${(error as Error).message}`, { cause: error });
  }
}

function event(row: FlatRow, i: number): Json {
  let detail: Json;
  try {
    detail = parseJsonColumn(row['detail_json'], 'detail_json');
  } catch (error) {
    throw new Error(`events[${i}].${(error as Error).message}`, { cause: error });
  }
  const e: Json = { id: row['event_id'], type: row['type'], at: row['at'] };
  put(e, 'recordedAt', row['recorded_at']);
  put(e, 'amount', row['amount']);
  put(e, 'channel', row['channel']);
  put(e, 'outcome', row['outcome']);
  put(e, 'reason', row['reason']);
  return { ...e, ...detail };
}

export function flatToHistoryJson(flat: FlatLoan): Json {
  const l = flat.loan;
  const contract: Json = {};
  put(contract, 'product', l['product']);
  put(contract, 'kind', l['kind']);
  put(contract, 'originationDate', l['origination_date']);
  put(contract, 'principal', l['principal']);
  put(contract, 'instalmentCount', l['instalment_count']);
  put(contract, 'apr', l['apr']);
  put(contract, 'fees', l['fees']);
  put(contract, 'creditLimit', l['credit_limit']);
  put(contract, 'maxOverdueDays', l['max_overdue_days']);
  const borrower: Json = {};
  put(borrower, 'occupation', l['occupation']);
  put(borrower, 'age', l['age']);
  put(borrower, 'monthlyIncome', l['monthly_income']);
  put(borrower, 'payFrequency', l['pay_frequency']);
  put(borrower, 'payday', l['payday']);
  put(borrower, 'employerTenureMonths', l['employer_tenure_months']);
  put(borrower, 'migrant', l['migrant']);
  put(borrower, 'dependents', l['dependents']);
  put(borrower, 'priorLoans', l['prior_loans']);
  put(borrower, 'priorWorstDpd', l['prior_worst_dpd']);
  borrower['attributes'] = parseJsonColumn(l['attributes_json'], 'attributes_json');
  const history: Json = { loanId: l['loan_id'], borrowerId: l['borrower_id'] };
  put(history, 'timeZone', l['time_zone']);
  put(history, 'currency', l['currency']);
  history['contract'] = contract;
  history['borrower'] = borrower;
  history['schedule'] = flat.schedule.map((s) => {
    const inst: Json = { seq: s['seq'], dueDate: s['due_date'], amountDue: s['amount_due'] };
    put(inst, 'principalDue', s['principal_due']);
    return inst;
  });
  history['events'] = flat.events.map(event);
  return history;
}
