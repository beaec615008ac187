// Independent oracle: delinquency, performance, payment and contact features recomputed with DuckDB
// SQL over the flat tables (loans, schedule, events) must equal the TypeScript engine: exactly for
// counts and days, within 1e-6 for ratios. Uses the committed sample (data/sample/tables/*.parquet)
// when present, else seeded synthetic histories flattened with flat.ts.
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesiseHistories } from '../../../bench/support/typical-histories.js';
import { computeFeatures, featureNames } from '../../../src/domain/features/index.js';
import { historyToRows, rowsToHistory, TABLES, type FlatHistory, type TableName } from '../../../src/domain/history/flat.js';
import type { LoanHistory } from '../../../src/domain/history/schema.js';

const SAMPLE = 'data/sample/tables';
/** The oracle's own zone offsets (minutes); only zones without DST, so that a constant is exact. */
const ZONE_OFFSETS: Readonly<Record<string, number>> = { 'Asia/Shanghai': 480, 'Asia/Taipei': 480, 'Asia/Hong_Kong': 480, UTC: 0 };
const AS_OF = [Date.parse('2024-09-10T05:17:00Z'), Date.parse('2025-01-31T16:30:00Z'), Date.parse('2025-06-30T23:59:00Z')];

const COUNT_FEATURES = [
  'instalments_overdue', 'instalments_due', 'late_count_3', 'late_count_6', 'late_count_12', 'late7_count_3', 'late7_count_6', 'late7_count_12',
  'late30_count_3', 'late30_count_6', 'late30_count_12', 'partial_count_3', 'partial_count_6', 'partial_count_12',
  'payments_30d', 'payments_count', 'days_since_last_payment', 'loan_age_days',
  'contact_attempts_7d', 'contact_attempts_30d', 'unanswered_streak', 'refusals_30d', 'switched_off_30d', 'wrong_number_30d', 'inbound_contacts_30d', 'sms_sent_30d',
  'ptp_made_60d', 'hardship_job_loss_90d', 'hardship_wage_arrears_90d', 'hardship_illness_injury_90d', 'phone_changed_90d', 'employment_changed_90d',
] as const;
/** Schedule DPD: compared on loans without statements (whose reported status would also count). */
const LEDGER_FEATURES = ['dpd', 'worst_dpd_ever'] as const;
const RATIO_FEATURES = ['overdue_ratio', 'paid_to_due_3', 'paid_to_due_6', 'paid_to_due_12', 'contact_answer_rate_7d', 'contact_answer_rate_30d'] as const;

function oracleSql(asOf: number): string {
  const dayOf = (ms: string): string => `CAST(floor((${ms} + l.offset_min * 60000) / 86400000) AS BIGINT)`;
  return `
WITH l AS (
  SELECT loans.loan_id, z.offset_min, date_diff('day', DATE '1970-01-01', CAST(origination_date AS DATE)) AS orig_day,
         CAST(floor((${asOf} + z.offset_min * 60000) / 86400000) AS BIGINT) AS as_of_day
  FROM loans JOIN zones z USING (time_zone)
),
ev AS (
  SELECT e.loan_id, e.event_id, e.type, e.at_ms, e.amount, e.channel, e.outcome, e.reason, ${dayOf('e.at_ms')} AS day, l.as_of_day,
         coalesce(json_extract_string(e.detail_json, '$.direction'), 'outbound') AS direction,
         coalesce(json_extract_string(e.detail_json, '$.thirdParty') = 'true', false) AS third_party,
         json_extract_string(e.detail_json, '$.field') AS field, e.detail_json
  FROM events e JOIN l USING (loan_id)
  WHERE e.at_ms <= ${asOf} AND coalesce(e.recorded_at_ms, e.at_ms) <= ${asOf}
  QUALIFY row_number() OVER (PARTITION BY e.loan_id, e.event_id ORDER BY coalesce(e.recorded_at_ms, e.at_ms), e.at_ms) = 1
),
agreed AS (
  SELECT loan_id, json_extract_string(detail_json, '$.arrangementId') AS arr_id, day AS from_day,
    CASE WHEN json_extract_string(detail_json, '$.kind') = 'grace'
      THEN coalesce(date_diff('day', DATE '1970-01-01', CAST(json_extract_string(detail_json, '$.graceUntil') AS DATE)), day)
      ELSE greatest(day, coalesce(list_max(list_transform(json_extract_string(detail_json, '$.plan[*].dueDate'), x -> date_diff('day', DATE '1970-01-01', CAST(x AS DATE)))), day))
    END AS to_day
  FROM ev WHERE type = 'arrangement_agreed'
  QUALIFY row_number() OVER (PARTITION BY loan_id, arr_id ORDER BY at_ms DESC, event_id DESC) = 1
),
broken AS (
  SELECT loan_id, json_extract_string(detail_json, '$.arrangementId') AS arr_id, min(day) AS broken_day
  FROM ev WHERE type = 'arrangement_broken' GROUP BY ALL
),
paused AS (
  SELECT DISTINCT a.loan_id, unnest(generate_series(a.from_day, CASE WHEN b.broken_day <= a.to_day THEN b.broken_day - 1 ELSE a.to_day END)) AS pday
  FROM agreed a LEFT JOIN broken b USING (loan_id, arr_id)
  WHERE (CASE WHEN b.broken_day <= a.to_day THEN b.broken_day - 1 ELSE a.to_day END) >= a.from_day
),
closure AS (
  SELECT loan_id, arg_min(reason, at_ms) AS closed_reason FROM ev WHERE type = 'closed' GROUP BY loan_id
),
contacts AS (
  SELECT *, row_number() OVER (PARTITION BY loan_id ORDER BY at_ms, event_id) AS pos,
         direction = 'outbound' AND channel IN ('call', 'robocall', 'visit') AS voice,
         outcome IN ('answered', 'refused') AS reached
  FROM ev WHERE type = 'contact' AND NOT third_party
),
contacts2 AS (
  SELECT *, max(CASE WHEN direction = 'inbound' OR (voice AND reached) THEN pos END) OVER (PARTITION BY loan_id) AS last_reset
  FROM contacts
),
contact_f AS (
  SELECT loan_id,
    count(*) FILTER (WHERE voice AND day > as_of_day - 7) AS contact_attempts_7d,
    count(*) FILTER (WHERE voice AND day > as_of_day - 30) AS contact_attempts_30d,
    count(*) FILTER (WHERE voice AND reached AND day > as_of_day - 7) AS reached7,
    count(*) FILTER (WHERE voice AND reached AND day > as_of_day - 30) AS reached30,
    count(*) FILTER (WHERE voice AND NOT reached AND outcome <> 'delivered' AND pos > coalesce(last_reset, 0)) AS unanswered_streak,
    count(*) FILTER (WHERE outcome = 'refused' AND day > as_of_day - 30) AS refusals_30d,
    count(*) FILTER (WHERE outcome = 'switched_off' AND day > as_of_day - 30) AS switched_off_30d,
    count(*) FILTER (WHERE outcome = 'wrong_number' AND day > as_of_day - 30) AS wrong_number_30d,
    count(*) FILTER (WHERE direction = 'inbound' AND day > as_of_day - 30) AS inbound_contacts_30d,
    count(*) FILTER (WHERE direction = 'outbound' AND channel = 'sms' AND day > as_of_day - 30) AS sms_sent_30d
  FROM contacts2 GROUP BY loan_id
),
other_f AS (
  SELECT loan_id,
    count(*) FILTER (WHERE type = 'payment') AS payments_count,
    count(*) FILTER (WHERE type = 'payment' AND day > as_of_day - 30) AS payments_30d,
    max(day) FILTER (WHERE type = 'payment') AS last_pay_day,
    count(*) FILTER (WHERE type = 'promise_to_pay' AND day > as_of_day - 60) AS ptp_made_60d,
    count(*) FILTER (WHERE type = 'hardship_reported' AND reason = 'job_loss' AND day > as_of_day - 90) AS hardship_job_loss_90d,
    count(*) FILTER (WHERE type = 'hardship_reported' AND reason = 'wage_arrears' AND day > as_of_day - 90) AS hardship_wage_arrears_90d,
    count(*) FILTER (WHERE type = 'hardship_reported' AND reason = 'illness_injury' AND day > as_of_day - 90) AS hardship_illness_injury_90d,
    count(*) FILTER (WHERE type = 'contact_details_changed' AND field = 'phone' AND day > as_of_day - 90) AS phone_changed_90d,
    count(*) FILTER (WHERE type = 'employment_changed' AND day > as_of_day - 90) AS employment_changed_90d,
    count(*) FILTER (WHERE type = 'statement') AS ledger_extras
  FROM ev GROUP BY loan_id
),
flows AS (
  SELECT loan_id, day, row_number() OVER (PARTITION BY loan_id ORDER BY at_ms, event_id) AS fpos,
         sum(CASE WHEN type = 'payment' THEN amount ELSE -amount END) OVER (PARTITION BY loan_id ORDER BY at_ms, event_id ROWS UNBOUNDED PRECEDING) AS run
  FROM ev WHERE type IN ('payment', 'payment_reversal')
),
cash AS (SELECT l.loan_id, coalesce(sum(CASE WHEN type = 'payment' THEN amount WHEN type = 'payment_reversal' THEN -amount END), 0) AS cash FROM l LEFT JOIN ev USING (loan_id) GROUP BY l.loan_id),
sched AS (
  SELECT s.loan_id, s.seq, s.amount_due, date_diff('day', DATE '1970-01-01', CAST(s.due_date AS DATE)) AS due_day, l.as_of_day,
         sum(s.amount_due) OVER (PARTITION BY s.loan_id ORDER BY CAST(s.due_date AS DATE), s.seq ROWS UNBOUNDED PRECEDING) AS cum_due
  FROM schedule s JOIN l USING (loan_id)
),
inst AS (
  SELECT s.*, c.cash, c.cash >= s.cum_due - 1 - 1e-6 AS paid,
    (SELECT max(f.fpos) FROM flows f WHERE f.loan_id = s.loan_id AND f.run < s.cum_due - 1 - 1e-6) AS last_below,
    (SELECT coalesce(sum(CASE WHEN e.type = 'payment' THEN e.amount ELSE -e.amount END), 0) FROM ev e
       WHERE e.loan_id = s.loan_id AND e.type IN ('payment', 'payment_reversal') AND e.day <= s.due_day) AS cash_at_due
  FROM sched s JOIN cash c USING (loan_id)
),
inst2 AS (
  SELECT i.*,
    (SELECT f.day FROM flows f WHERE f.loan_id = i.loan_id AND f.fpos > coalesce(i.last_below, 0) ORDER BY f.fpos LIMIT 1) AS paid_off_day,
    least(greatest(i.cash_at_due - (i.cum_due - i.amount_due), 0), i.amount_due) AS at_due
  FROM inst i
),
inst3 AS (
  SELECT *,
    CASE
      WHEN paid AND paid_off_day <= due_day THEN paid_off_day - due_day
      WHEN paid THEN paid_off_day - due_day - (SELECT count(*) FROM paused p WHERE p.loan_id = i.loan_id AND p.pday > i.due_day AND p.pday <= i.paid_off_day)
      ELSE as_of_day - due_day - (SELECT count(*) FROM paused p WHERE p.loan_id = i.loan_id AND p.pday > i.due_day AND p.pday <= i.as_of_day)
    END AS days_late,
    row_number() OVER (PARTITION BY loan_id ORDER BY due_day DESC, seq DESC) AS rk
  FROM inst2 i WHERE due_day <= as_of_day
),
perf_f AS (
  SELECT loan_id, count(*) AS instalments_due,
    count(*) FILTER (WHERE NOT paid) AS instalments_overdue,
    min(due_day) FILTER (WHERE NOT paid) AS oldest_unpaid,
    sum(amount_due) AS total_due, any_value(cash) AS cash, any_value(as_of_day) AS as_of_day,
    max(days_late) FILTER (WHERE days_late > 0) AS worst_late,
    ${[3, 6, 12]
      .map(
        (k) => `count(*) FILTER (WHERE rk <= ${k} AND days_late > 0) AS late_count_${k},
    count(*) FILTER (WHERE rk <= ${k} AND days_late > 7) AS late7_count_${k},
    count(*) FILTER (WHERE rk <= ${k} AND days_late > 30) AS late30_count_${k},
    count(*) FILTER (WHERE rk <= ${k} AND at_due > 1e-6 AND at_due < amount_due - 1 - 1e-6) AS partial_count_${k},
    sum(CASE WHEN at_due >= amount_due - 1 - 1e-6 THEN amount_due ELSE at_due END) FILTER (WHERE rk <= ${k}) / sum(amount_due) FILTER (WHERE rk <= ${k}) AS paid_to_due_${k}`,
      )
      .join(',\n    ')}
  FROM inst3 GROUP BY loan_id
)
SELECT l.loan_id, l.as_of_day - l.orig_day AS loan_age_days,
  coalesce(p.instalments_due, 0) AS instalments_due, coalesce(p.instalments_overdue, 0) AS instalments_overdue,
  CASE WHEN coalesce(p.instalments_overdue, 0) > 0 THEN (p.total_due - p.cash) / p.total_due ELSE 0 END AS overdue_ratio,
  CASE WHEN cl.closed_reason IS NOT NULL AND cl.closed_reason <> 'written_off' THEN 0 ELSE sd.schedule_dpd END AS dpd,
  greatest(CASE WHEN cl.closed_reason IS NOT NULL AND cl.closed_reason <> 'written_off' THEN 0 ELSE sd.schedule_dpd END, coalesce(p.worst_late, 0)) AS worst_dpd_ever,
  ${[3, 6, 12].map((k) => `coalesce(p.late_count_${k}, 0) AS late_count_${k}, coalesce(p.late7_count_${k}, 0) AS late7_count_${k}, coalesce(p.late30_count_${k}, 0) AS late30_count_${k}, coalesce(p.partial_count_${k}, 0) AS partial_count_${k}, coalesce(p.paid_to_due_${k}, 1) AS paid_to_due_${k}`).join(',\n  ')},
  coalesce(o.payments_count, 0) AS payments_count, coalesce(o.payments_30d, 0) AS payments_30d,
  l.as_of_day - coalesce(o.last_pay_day, least(l.orig_day, l.as_of_day)) AS days_since_last_payment,
  coalesce(o.ptp_made_60d, 0) AS ptp_made_60d, coalesce(o.hardship_job_loss_90d, 0) AS hardship_job_loss_90d,
  coalesce(o.hardship_wage_arrears_90d, 0) AS hardship_wage_arrears_90d, coalesce(o.hardship_illness_injury_90d, 0) AS hardship_illness_injury_90d,
  coalesce(o.phone_changed_90d, 0) AS phone_changed_90d, coalesce(o.employment_changed_90d, 0) AS employment_changed_90d,
  coalesce(o.ledger_extras, 0) AS ledger_extras,
  coalesce(c.contact_attempts_7d, 0) AS contact_attempts_7d, coalesce(c.contact_attempts_30d, 0) AS contact_attempts_30d,
  CASE WHEN coalesce(c.contact_attempts_7d, 0) > 0 THEN c.reached7 / c.contact_attempts_7d ELSE -1 END AS contact_answer_rate_7d,
  CASE WHEN coalesce(c.contact_attempts_30d, 0) > 0 THEN c.reached30 / c.contact_attempts_30d ELSE -1 END AS contact_answer_rate_30d,
  coalesce(c.unanswered_streak, 0) AS unanswered_streak, coalesce(c.refusals_30d, 0) AS refusals_30d, coalesce(c.switched_off_30d, 0) AS switched_off_30d,
  coalesce(c.wrong_number_30d, 0) AS wrong_number_30d, coalesce(c.inbound_contacts_30d, 0) AS inbound_contacts_30d, coalesce(c.sms_sent_30d, 0) AS sms_sent_30d
FROM l LEFT JOIN perf_f p USING (loan_id) LEFT JOIN other_f o USING (loan_id) LEFT JOIN contact_f c USING (loan_id)
  LEFT JOIN closure cl USING (loan_id)
  LEFT JOIN (
    SELECT p.loan_id, CASE WHEN p.oldest_unpaid IS NULL THEN 0 ELSE greatest(0, p.as_of_day - p.oldest_unpaid
      - (SELECT count(*) FROM paused q WHERE q.loan_id = p.loan_id AND q.pday > p.oldest_unpaid AND q.pday <= p.as_of_day)) END AS schedule_dpd
    FROM perf_f p
  ) sd USING (loan_id)
ORDER BY l.loan_id`;
}

/** Seeded histories with exact re-sends and shuffled event order mixed in, so the SQL must dedupe and order too. */
function syntheticHistories(): LoanHistory[] {
  return synthesiseHistories(300, 424242).map((h, i) => {
    if (i % 7 === 0) return { ...h, events: [...h.events, ...h.events.slice(0, 3).map((e) => ({ ...e }))] };
    if (i % 5 === 0) return { ...h, events: [...h.events].reverse() };
    return h;
  });
}

function writeNdjson(dir: string, table: TableName, rows: ReadonlyArray<Record<string, unknown>>): string {
  const path = join(dir, `${table}.ndjson`);
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const columnsOf = (table: TableName): string => `{${TABLES[table].map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ')}}`;

describe('DuckDB oracle over the flat tables', () => {
  let instance: DuckDBInstance;
  let histories: LoanHistory[];
  let tmp: string;
  let source: string;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const conn = await instance.connect();
    tmp = mkdtempSync(join(tmpdir(), 'ews-oracle-'));
    if (existsSync(join(SAMPLE, 'events.parquet'))) {
      source = SAMPLE;
      for (const t of Object.keys(TABLES) as TableName[]) await conn.run(`CREATE TABLE ${t} AS SELECT * FROM read_parquet(${sqlString(join(SAMPLE, `${t}.parquet`))})`);
      histories = await historiesFromTables(conn);
    } else {
      source = 'synthetic';
      histories = syntheticHistories();
      const flat: FlatHistory[] = histories.map(historyToRows);
      const tables: Record<TableName, Array<Record<string, unknown>>> = { loans: flat.map((f) => f.loan), schedule: flat.flatMap((f) => f.schedule), events: flat.flatMap((f) => f.events) };
      for (const t of Object.keys(TABLES) as TableName[]) {
        const path = writeNdjson(tmp, t, tables[t]);
        await conn.run(`CREATE TABLE ${t} AS SELECT * FROM read_json(${sqlString(path)}, format = 'newline_delimited', columns = ${columnsOf(t)})`);
      }
    }
    await conn.run(`CREATE TABLE zones (time_zone VARCHAR, offset_min INTEGER)`);
    for (const [zone, offset] of Object.entries(ZONE_OFFSETS)) await conn.run(`INSERT INTO zones VALUES (${sqlString(zone)}, ${offset})`);
    conn.closeSync();
  }, 120_000);

  afterAll(() => {
    instance?.closeSync();
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  });

  it.each(AS_OF.map((ms) => [new Date(ms).toISOString(), ms] as const))('agrees with the engine as of %s', async (_label, asOf) => {
    const conn = await instance.connect();
    const reader = await conn.runAndReadAll(oracleSql(asOf));
    const rows = reader.getRowObjectsJS();
    conn.closeSync();
    const supported = histories.filter((h) => ZONE_OFFSETS[h.timeZone] !== undefined);
    expect(rows.length, `${source}: one oracle row per loan`).toBe(supported.length);
    const byId = new Map(supported.map((h) => [h.loanId, h]));
    const names = featureNames();
    const mismatches: string[] = [];
    let ledgerChecked = 0;
    for (const row of rows) {
      const id = String(row.loan_id);
      const v = computeFeatures(byId.get(id)!, asOf);
      const ts = (name: string): number => v[names.indexOf(name)]!;
      const sql = (name: string): number => Number(row[name]);
      for (const name of COUNT_FEATURES) if (ts(name) !== sql(name)) mismatches.push(`${id}.${name}: ts ${ts(name)} sql ${sql(name)}`);
      for (const name of RATIO_FEATURES) if (Math.abs(ts(name) - sql(name)) > 1e-6) mismatches.push(`${id}.${name}: ts ${ts(name)} sql ${sql(name)}`);
      if (sql('ledger_extras') === 0) {
        ledgerChecked++;
        for (const name of LEDGER_FEATURES) if (ts(name) !== sql(name)) mismatches.push(`${id}.${name}: ts ${ts(name)} sql ${sql(name)}`);
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(ledgerChecked).toBeGreaterThan(rows.length / 2);
    // The data must exercise what is compared, or agreement would mean little.
    const total = (name: string): number => rows.reduce((s, r) => s + Number(r[name]), 0);
    expect(total('instalments_overdue')).toBeGreaterThan(0);
    expect(total('late_count_3')).toBeGreaterThan(0);
    expect(total('contact_attempts_30d')).toBeGreaterThan(0);
  }, 120_000);
});

/** Rebuilds histories from the sample's tables (the same rows the SQL reads). */
async function historiesFromTables(conn: Awaited<ReturnType<DuckDBInstance['connect']>>): Promise<LoanHistory[]> {
  const read = async (sql: string): Promise<Array<Record<string, unknown>>> => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
  const cast = (table: TableName): string =>
    TABLES[table]
      .map((c) => {
        const q = `"${c.name}"`;
        return c.type === 'DATE' ? `CAST(${q} AS VARCHAR) AS ${q}` : c.type === 'BIGINT' ? `CAST(${q} AS DOUBLE) AS ${q}` : q;
      })
      .join(', ');
  const loans = await read(`SELECT ${cast('loans')} FROM loans ORDER BY loan_id`);
  const schedule = await read(`SELECT ${cast('schedule')} FROM schedule ORDER BY loan_id, seq`);
  const events = await read(`SELECT ${cast('events')} FROM events ORDER BY loan_id`);
  const group = <T extends Record<string, unknown>>(rows: T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const k = String(r.loan_id);
      const list = m.get(k);
      if (list === undefined) m.set(k, [r]);
      else list.push(r);
    }
    return m;
  };
  const s = group(schedule);
  const e = group(events);
  return loans.map((loan) => rowsToHistory({ loan, schedule: s.get(String(loan.loan_id)) ?? [], events: e.get(String(loan.loan_id)) ?? [] } as unknown as FlatHistory));
}
