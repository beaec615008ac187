// The SQL that turns one id range of the flat tables into one line per loan: whether it is inactive
// at T (decided from a few columns, so its schedule and events are never fetched), and for the other
// loans the history as JSON text, assembled by DuckDB with the same keys and the same null-dropping
// as rowsToHistory (domain/history/flat.ts). JavaScript then receives three JSON texts per active
// loan (the loan's own fields, its schedule array, its events array: joining them in DuckDB measured
// 27-29 % of the query; joined in JavaScript, JSON.parse flattened the joined string) instead of ~500
// values, and JSON.parse (native) builds the objects (historyFromParts).
//
// Cheap on purpose (measured: to_json and ordered aggregates cost DuckDB 5-10x more):
// - numbers are written with CAST(... AS VARCHAR), DuckDB's shortest round-trip text (a non-finite
//   value gives text JSON.parse refuses, and the loan is read again as rows);
// - strings are quoted, not escaped: a loan with a `"` or `\` in any text column is marked 'rows';
// - schedule and events are aggregated in no particular order: the engine orders them itself
//   (timeline.ts sorts events by (at, id) and the schedule by (due date, seq)).
// A loan whose rows could assemble differently than rowsToHistory would assemble them (duplicate
// loans rows, meta_json, attributes or detail_json other than a plain JSON object, a detail holding
// null) is marked 'rows' too: the reader fetches its rows and uses rowsToHistory itself.
import type { TableName } from '../domain/history/flat.js';
import type { HistoryTexts } from '../domain/history/text-history.js';
import { readColumns } from './flat-columns.js';

export const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** How the three tables are scanned: CSV is read as text and cast, so both formats give the same values
 * (4 MB CSV buffers: one query scans the tables four times, and the default buffers overran the
 * 128 MB a reader may use). RFC 4180's quote is named, not sniffed: DuckDB took `'` for the quote of a
 * file whose cells start and end with it (a cell `''` read back empty). */
export function scan(path: string, format: 'csv' | 'parquet'): string {
  return format === 'csv' ? `read_csv(${quote(path)}, ${RFC4180}, header = true, all_varchar = true, allow_quoted_nulls = false, buffer_size = 4194304)` : `read_parquet(${quote(path)})`;
}

/** read_csv's dialect options for RFC 4180 files (csv.ts writes them). */
export const RFC4180 = `delim = ',', quote = '"', escape = '"'`;

/** The table's columns cast to the types the reader works with (see flat-columns.ts). */
export function castColumns(table: TableName): string {
  return readColumns(table)
    .map(([name, type]) => `CAST("${name}" AS ${type}) AS "${name}"`)
    .join(', ');
}

/** `,"key":"text"`, or NULL when the column is NULL (concat then leaves it out, like dropNulls). */
const text = (key: string, col: string): string => `',"${key}":"' || ${col} || '"'`;
/** `,"key":number` / `,"key":true`, or NULL. */
const literal = (key: string, col: string): string => `',"${key}":' || CAST(${col} AS VARCHAR)`;
// concat, not concat_ws: concat_ws was measured several times slower on long strings.
const object = (...fields: string[]): string => `'{' || ltrim(concat(${fields.join(', ')}), ',') || '}'`;
/** True when none of the text columns needs escaping in JSON. */
const plainText = (...cols: string[]): string => {
  const all = `concat(${cols.join(', ')})`;
  return `(strpos(${all}, '"') = 0 AND strpos(${all}, '\\') = 0)`;
};
/** A JSON column that holds a plain object (or nothing): the only shape spliced in as text. */
const plainObject = (col: string): string => `(${col} IS NULL OR (json_valid(${col}) AND starts_with(${col}, '{') AND NOT contains(${col}, 'null')))`;

const LOAN_TEXT = ['loan_id', 'borrower_id', 'time_zone', 'currency', 'product', 'kind', 'origination_date', 'occupation', 'pay_frequency'].map((c) => `l."${c}"`);

const CONTRACT = object(
  text('product', 'c."product"'),
  text('kind', 'c."kind"'),
  text('originationDate', 'c."origination_date"'),
  literal('principal', 'c."principal"'),
  literal('instalmentCount', 'c."instalment_count"'),
  literal('apr', 'c."apr"'),
  literal('fees', 'c."fees"'),
  literal('creditLimit', 'c."credit_limit"'),
  literal('maxOverdueDays', 'c."max_overdue_days"'),
);

const BORROWER = object(
  text('occupation', 'c."occupation"'),
  literal('age', 'c."age"'),
  literal('monthlyIncome', 'c."monthly_income"'),
  text('payFrequency', 'c."pay_frequency"'),
  literal('payday', 'c."payday"'),
  literal('employerTenureMonths', 'c."employer_tenure_months"'),
  literal('migrant', 'c."migrant"'),
  literal('dependents', 'c."dependents"'),
  literal('priorLoans', 'c."prior_loans"'),
  literal('priorWorstDpd', 'c."prior_worst_dpd"'),
  `',"attributes":' || coalesce(nullif(c."attributes_json", ''), '{}')`,
);

/** A field every valid row has: written inline in the object's one concat. */
interface Required {
  readonly key: string;
  readonly col: string;
  readonly kind: 'text' | 'literal';
}

/**
 * A JSON object as one concat per row (`'{' || ltrim(concat(...), ',') || '}'` copied each row's text
 * three times; each required field inline in it, not as a `||` of its own). A NULL in a required
 * column makes the text wrong, so such rows are marked 'rows' (requiredNotNull) and read as rows.
 * Items are the object's fields in key order: a Required, or an optional field's NULL-able text.
 */
function objectOf(...items: (Required | string)[]): string {
  const parts: string[] = [];
  let lead = '{';
  for (const it of items) {
    if (typeof it === 'string') {
      if (lead === '{') throw new Error('the first field of an object must be required');
      parts.push(it);
      continue;
    }
    parts.push(it.kind === 'text' ? `'${lead}"${it.key}":"', ${it.col}, '"'` : `'${lead}"${it.key}":', CAST(${it.col} AS VARCHAR)`);
    lead = ',';
  }
  return `concat(${parts.join(', ')}, '}')`;
}

const requiredNotNull = (...fields: Required[]): string => fields.map((f) => `${f.col} IS NOT NULL`).join(' AND ');

const SEQ: Required = { key: 'seq', col: '"seq"', kind: 'literal' };
const DUE_DATE: Required = { key: 'dueDate', col: '"due_date"', kind: 'text' };
const AMOUNT_DUE: Required = { key: 'amountDue', col: '"amount_due"', kind: 'literal' };
const SCHEDULE_ITEM = objectOf(SEQ, DUE_DATE, AMOUNT_DUE, literal('principalDue', '"principal_due"'));
const SCHEDULE_PLAIN = `${requiredNotNull(SEQ, DUE_DATE, AMOUNT_DUE)} AND ${plainText('"due_date"')}`;

// detail_json's members are spliced after the columns: a later duplicate key wins in JSON.parse as in
// rowsToHistory's object spread.
const EVENT_ID: Required = { key: 'id', col: '"event_id"', kind: 'text' };
const AT: Required = { key: 'at', col: '"at"', kind: 'text' };
const TYPE: Required = { key: 'type', col: '"type"', kind: 'text' };
const EVENT_ITEM = objectOf(
  EVENT_ID,
  AT,
  text('recordedAt', '"recorded_at"'),
  TYPE,
  literal('amount', '"amount"'),
  text('channel', '"channel"'),
  text('outcome', '"outcome"'),
  text('reason', '"reason"'),
  `',' || nullif(substr("detail_json", 2, length("detail_json") - 2), '')`,
);
const EVENT_PLAIN = `${requiredNotNull(EVENT_ID, AT, TYPE)} AND ${plainText('"event_id"', '"at"', '"recorded_at"', '"type"', '"channel"', '"outcome"', '"reason"')} AND ${plainObject('"detail_json"')}`;

export interface RangeQuery {
  readonly format: 'csv' | 'parquet';
  readonly loans: string;
  readonly schedule: string;
  readonly events: string;
  /** WHERE clause on loan_id ('' for all). */
  readonly where: string;
  /** The as-of instant, epoch ms. */
  readonly asOf: number;
  /** Each valid time zone of the portfolio with its local date (YYYY-MM-DD) at the as-of instant. */
  readonly localDates: ReadonlyMap<string, string>;
  /** A Parquet file of the ids the planner found inactive (planStatements), covering every id that `where`
   * selects (the reader's filters leave out null ids): then inactivity is taken from it, not decided again. */
  readonly skipFile?: string;
}

/** Each known time zone with its local date at T, as a table (time_zone, local_date). */
function zonesTable(localDates: ReadonlyMap<string, string>): string {
  const zones = [...localDates].map(([zone, date]) => `(${quote(zone)}, DATE ${quote(date)})`);
  return zones.length === 0 ? 'SELECT NULL::VARCHAR AS time_zone, NULL::DATE AS local_date WHERE false' : `SELECT * FROM (VALUES ${zones.join(', ')}) AS t(time_zone, local_date)`;
}

/** Ids of the loans closed by an event that happened and was recorded by T. */
function closedIds(q: Pick<RangeQuery, 'format' | 'events' | 'where' | 'asOf'>): string {
  const T = String(q.asOf);
  return `
  SELECT DISTINCT loan_id FROM (SELECT CAST(loan_id AS VARCHAR) AS loan_id, CAST("type" AS VARCHAR) AS "type", CAST(at_ms AS DOUBLE) AS at_ms, recorded_at, CAST(recorded_at_ms AS DOUBLE) AS recorded_at_ms FROM ${scan(q.events, q.format)} ${q.where})
  WHERE "type" = 'closed' AND at_ms <= ${T} AND (CASE WHEN recorded_at IS NULL THEN at_ms ELSE recorded_at_ms END) <= ${T}
`;
}

/** The rows of one planner segment: loan ids from `from` (inclusive) to `to` (exclusive), never null ids. */
export function segmentCondition(from: string | null, to: string | null): string {
  return ['loan_id IS NOT NULL', ...(from === null ? [] : [`loan_id >= ${quote(from)}`]), ...(to === null ? [] : [`loan_id < ${quote(to)}`])].join(' AND ');
}

/** planStatements' row kinds. */
export const PLAN_ROW = { block: 0, orphan: 1 } as const;

/**
 * The chunk planner's statements for one segment of the loans table (`condition`: segmentCondition),
 * run in order on one connection (temporary tables plan_cnt and plan_per carry what the later ones share).
 * The last returns rows (kind, first, loans, reads, read_events):
 * - kind PLAN_ROW.block, in id order: blocks of `blockSize` consecutive loan ids (sorted): each
 *   block's first id, its loans, and how many of them a range read would have to read (all but those
 *   the range query will find inactive from a few columns: originated after T's local date or closed
 *   by T, and not duplicated) and their events rows (which the range query turns into JSON text: its
 *   memory). Loans rows without an id are left out.
 * - kind PLAN_ROW.orphan, in id order after the blocks: `first` is a loan id of the segment that has
 *   schedule or events rows but no loans row (the other columns null).
 * With `skipFile`, one statement before it writes the ids of the loans it found inactive (and not
 * duplicated) there, sorted, as Parquet: the range query then takes them from it (rangeQuery's
 * `skipFile`) instead of scanning the events for closing events again.
 * The events are counted from the id column alone and the closing events found by a second, filtered
 * scan: one aggregate over every column the test needs cost ~12 % more. The orphans reuse the events
 * count's ids: a query of their own scanned and grouped the events' ids again (~1.5 s of CPU on the
 * 1M-loan files).
 */
export function planStatements(q: Omit<RangeQuery, 'where' | 'skipFile'> & { readonly condition: string }, blockSize: number, skipFile?: string): string[] {
  const T = String(q.asOf);
  return [
    `CREATE OR REPLACE TEMP TABLE plan_cnt AS SELECT CAST(loan_id AS VARCHAR) AS loan_id, count(*) AS events FROM ${scan(q.events, q.format)} WHERE ${q.condition} GROUP BY ALL`,
    `CREATE OR REPLACE TEMP TABLE plan_per AS
WITH tz AS (${zonesTable(q.localDates)}),
cl AS (
  SELECT DISTINCT loan_id FROM (SELECT CAST(loan_id AS VARCHAR) AS loan_id, CAST("type" AS VARCHAR) AS "type", CAST(at_ms AS DOUBLE) AS at_ms, recorded_at, CAST(recorded_at_ms AS DOUBLE) AS recorded_at_ms FROM ${scan(q.events, q.format)} WHERE ${q.condition})
  WHERE "type" = 'closed' AND at_ms <= ${T} AND (CASE WHEN recorded_at IS NULL THEN at_ms ELSE recorded_at_ms END) <= ${T}
),
ev AS (SELECT plan_cnt.loan_id, plan_cnt.events, cl.loan_id IS NOT NULL AS closed FROM plan_cnt LEFT JOIN cl ON cl.loan_id = plan_cnt.loan_id),
l AS MATERIALIZED (SELECT CAST(loan_id AS VARCHAR) AS loan_id, CAST(time_zone AS VARCHAR) AS time_zone, CAST(origination_date AS VARCHAR) AS origination_date FROM ${scan(q.loans, q.format)} WHERE ${q.condition})
SELECT l.loan_id, count(*) AS n, any_value(coalesce(ev.events, 0)) AS events,
  bool_and(coalesce(ev.closed, false) OR coalesce(TRY_CAST(l.origination_date AS DATE) > tz.local_date, false)) AS inactive
FROM l LEFT JOIN tz ON l.time_zone = tz.time_zone LEFT JOIN ev ON ev.loan_id = l.loan_id GROUP BY l.loan_id`,
    ...(skipFile === undefined ? [] : [`COPY (SELECT loan_id FROM plan_per WHERE n = 1 AND inactive ORDER BY loan_id) TO ${quote(skipFile)} (FORMAT parquet, ROW_GROUP_SIZE ${SKIP_FILE_ROW_GROUP})`]),
    `
WITH b AS (SELECT loan_id, events, (n = 1 AND inactive) AS skip, (row_number() OVER (ORDER BY loan_id) - 1) // ${Math.max(1, Math.floor(blockSize))} AS blk FROM plan_per),
blocks AS (
  SELECT ${PLAN_ROW.block} AS kind, blk, min(loan_id) AS first, count(*)::DOUBLE AS loans, sum(CASE WHEN skip THEN 0 ELSE 1 END)::DOUBLE AS reads, sum(CASE WHEN skip THEN 0 ELSE events END)::DOUBLE AS read_events
  FROM b GROUP BY blk
),
orphans AS (
  SELECT ${PLAN_ROW.orphan} AS kind, NULL::BIGINT AS blk, loan_id AS first, NULL::DOUBLE AS loans, NULL::DOUBLE AS reads, NULL::DOUBLE AS read_events
  FROM (SELECT loan_id FROM plan_cnt UNION SELECT CAST(loan_id AS VARCHAR) AS loan_id FROM ${scan(q.schedule, q.format)} WHERE ${q.condition})
  WHERE loan_id NOT IN (SELECT loan_id FROM plan_per)
)
SELECT kind, first, loans, reads, read_events FROM (SELECT * FROM blocks UNION ALL SELECT * FROM orphans) ORDER BY kind, blk, first`,
  ];
}

/** Rows a row group of a skip file: a range reads the few it overlaps. */
const SKIP_FILE_ROW_GROUP = 16_384;

/** True when the Parquet file's row groups hold ascending, non-overlapping loan id ranges (a loan
 * may straddle two): then a query for one id range reads only its own row groups. */
export function sortedByLoanQuery(path: string): string {
  return `
SELECT coalesce(bool_and(ok), false) FROM (
  SELECT stats_min_value IS NOT NULL AND stats_max_value IS NOT NULL AND stats_min_value <= stats_max_value
    AND coalesce(lag(stats_max_value) OVER (ORDER BY row_group_id) <= stats_min_value, true) AS ok
  FROM parquet_metadata(${quote(path)}) WHERE path_in_schema = 'loan_id'
)`;
}

/** Where the planner's segments start, in id order: the `first`-th distinct loan id (counting from 0), then
 * every `every`-th after it. */
export function segmentStartsQuery(q: Pick<RangeQuery, 'format' | 'loans'>, every: number, first = every): string {
  const n = Math.max(1, Math.floor(every));
  const f = Math.max(1, Math.floor(first));
  return `
SELECT loan_id FROM (
  SELECT loan_id, row_number() OVER (ORDER BY loan_id) - 1 AS r
  FROM (SELECT DISTINCT CAST(loan_id AS VARCHAR) AS loan_id FROM ${scan(q.loans, q.format)} WHERE loan_id IS NOT NULL)
) WHERE r >= ${f} AND (r - ${f}) % ${n} = 0 ORDER BY loan_id`;
}

/** The parts of a loan in rangeQuery's result. */
export const PART = { loan: 0, schedule: 1, events: 2 } as const;

/**
 * Rows in no particular order (sorting long texts is dear; the reader sorts), each
 * (loan_id, part, how, text):
 * - part 0 (PART.loan), one per loans row: how ('inactive' | 'json' | 'rows') and, for 'json', the
 *   history without schedule and events as JSON: `{"schemaVersion":1,...,"borrower":{...}}`. Inactive:
 *   originated after T's local date, or closed by an event that happened and was recorded by T
 *   (at_ms / recorded_at_ms). A 'json' loan may still be inactive (say its time zone is not a known
 *   one): the chunk checks every parsed history again.
 * - part 1 (schedule) and 2 (events), at most one each per 'json' loan that has such rows: the items
 *   comma-joined, without the array's brackets (adding them in SQL copied every long text again: ~20 %
 *   of the query), and how 'rows' when one of them cannot be spliced in as text (then the whole loan
 *   is read as rows), else 'json'.
 * historyFromParts builds the history from the three.
 * With `skipFile` (the planner's), the inactive loans are those it names: no scan of the events for
 * closing events and no time zones (range query alone, 1M origination files, by turns on the same
 * ranges: 42.1 / 41.4 / 37.9 against 46.2 / 48.7 / 46.7 µs an input loan at 6,000 / 4,000 / 8,000-loan
 * ranges, the same rows).
 */
export function rangeQuery(q: RangeQuery): string {
  // The planner's skip file names exactly the loans that are inactive and not duplicated; any other loan
  // is duplicated (the first WHEN) or active, so the inactive test is not needed for it.
  const inactive = q.skipFile === undefined ? `l.loan_id IN (SELECT loan_id FROM closed) OR TRY_CAST(l.origination_date AS DATE) > tz.local_date` : 'l.loan_id IN (SELECT loan_id FROM skip)';
  const decide = q.skipFile === undefined ? `tz AS (${zonesTable(q.localDates)}),\nclosed AS (${closedIds(q)}),` : `skip AS (SELECT loan_id FROM read_parquet(${quote(q.skipFile)}) ${q.where}),`;
  return `
WITH l AS (SELECT ${castColumns('loans')} FROM ${scan(q.loans, q.format)} ${q.where}),
${decide}
dup AS (SELECT loan_id FROM l GROUP BY loan_id HAVING count(*) > 1),
c0 AS (
  SELECT l.*, CASE
    WHEN l.loan_id IN (SELECT loan_id FROM dup) THEN 'rows'
    WHEN ${inactive} THEN 'inactive'
    WHEN l.meta_json IS NOT NULL OR NOT ${plainObject('l.attributes_json')} OR NOT ${plainText(...LOAN_TEXT)} THEN 'rows'
    ELSE 'json' END AS how
  FROM l${q.skipFile === undefined ? ' LEFT JOIN tz ON l.time_zone = tz.time_zone' : ''}
),
c AS (
  SELECT c.loan_id, c.how, CASE WHEN c.how = 'json' THEN
    concat('{"schemaVersion":1',
      ${text('loanId', 'c."loan_id"')}, ${text('borrowerId', 'c."borrower_id"')}, ${text('timeZone', 'c."time_zone"')}, ${text('currency', 'c."currency"')},
      ',"contract":', ${CONTRACT},
      ',"borrower":', ${BORROWER}, '}')
  END AS head
  FROM c0 AS c
),
active AS (SELECT loan_id FROM c WHERE how = 'json'),
s AS (
  SELECT loan_id, string_agg(${SCHEDULE_ITEM}, ',') AS items, bool_and(${SCHEDULE_PLAIN}) AS plain
  FROM (SELECT ${castColumns('schedule')} FROM ${scan(q.schedule, q.format)} ${q.where}) WHERE loan_id IN (SELECT loan_id FROM active) GROUP BY loan_id
),
e AS (
  SELECT loan_id, string_agg(${EVENT_ITEM}, ',') AS items, bool_and(${EVENT_PLAIN}) AS plain
  FROM (SELECT ${castColumns('events')} FROM ${scan(q.events, q.format)} ${q.where}) WHERE loan_id IN (SELECT loan_id FROM active) GROUP BY loan_id
)
SELECT loan_id, ${PART.loan} AS part, how, head AS text FROM c
UNION ALL SELECT loan_id, ${PART.schedule}, CASE WHEN plain THEN 'json' ELSE 'rows' END, items FROM s
UNION ALL SELECT loan_id, ${PART.events}, CASE WHEN plain THEN 'json' ELSE 'rows' END, items FROM e`;
}

/** The raw history (not validated) a 'json' loan's parts describe (rangeQuery's three texts; null: no such rows): what JSON.parse of the whole text
 * `${loan without its last brace},"schedule":[${schedule}],"events":[${events}]}` gives (the keys never
 * collide: the loan part has neither). Throws when a part is not JSON. */
export function historyFromParts(parts: HistoryTexts): unknown {
  const history = JSON.parse(parts.loan) as Record<string, unknown>;
  history['schedule'] = parts.schedule === null ? [] : (JSON.parse(`[${parts.schedule}]`) as unknown);
  history['events'] = parts.events === null ? [] : (JSON.parse(`[${parts.events}]`) as unknown);
  return history;
}

/** Loan ids in the range that have schedule or events rows but no loans row. */
export function orphansQuery(q: RangeQuery): string {
  return `
SELECT DISTINCT loan_id FROM (
  SELECT CAST(loan_id AS VARCHAR) AS loan_id FROM ${scan(q.schedule, q.format)} ${q.where}
  UNION ALL SELECT CAST(loan_id AS VARCHAR) AS loan_id FROM ${scan(q.events, q.format)} ${q.where}
) WHERE loan_id NOT IN (SELECT CAST(loan_id AS VARCHAR) FROM ${scan(q.loans, q.format)} ${q.where})
ORDER BY loan_id`;
}

