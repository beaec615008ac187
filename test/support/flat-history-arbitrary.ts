// fast-check arbitrary for raw loan histories shaped to stress the flat tables: every event type
// with optional fields, metas, attributes, odd strings and doubles. Parse before use.
import fc from 'fast-check';
import { CONTACT_CHANNELS, CONTACT_OUTCOMES, HARDSHIP_REASONS, OCCUPATIONS, REFERRAL_REASONS } from '../../src/domain/history/schema.js';

const date = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const instant = fc
  .tuple(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('+08:00', 'Z', '-05:30'))
  .map(([d, off]) => d.toISOString().slice(0, 19) + off);
// JSON and CSV carry no negative zero: -0 + 0 is 0.
const dbl = (c: Parameters<typeof fc.double>[0]) => fc.double(c).map((v) => v + 0);
const money = dbl({ min: 0.01, max: 1e6, noNaN: true, noDefaultInfinity: true });
const text = fc.string({ minLength: 1, maxLength: 12 });
const meta = fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }))), { nil: undefined });

const base = fc.record({ id: text, at: instant, recordedAt: fc.option(instant, { nil: undefined }), meta }, { requiredKeys: ['id', 'at'] });
const withBase = <T>(arb: fc.Arbitrary<T>) => fc.tuple(base, arb).map(([b, e]) => ({ ...b, ...e }));
const event = fc.oneof(
  withBase(fc.record({ type: fc.constant('payment'), amount: money, channel: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }) }, { requiredKeys: ['type', 'amount'] })),
  withBase(fc.record({ type: fc.constant('payment_reversal'), amount: money, reversesId: fc.option(text, { nil: undefined }) }, { requiredKeys: ['type', 'amount'] })),
  withBase(fc.record({ type: fc.constant('statement'), balance: dbl({ min: -1e5, max: 1e5, noNaN: true, noDefaultInfinity: true }), minimumDue: dbl({ min: 0, max: 1e4, noNaN: true, noDefaultInfinity: true }), reportedDpd: fc.option(fc.nat(400), { nil: undefined }) }, { requiredKeys: ['type', 'balance', 'minimumDue'] })),
  withBase(fc.record({ type: fc.constant('contact'), channel: fc.constantFrom(...CONTACT_CHANNELS), direction: fc.option(fc.constantFrom('outbound', 'inbound'), { nil: undefined }), outcome: fc.constantFrom(...CONTACT_OUTCOMES), thirdParty: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: ['type', 'channel', 'outcome'] })),
  withBase(fc.record({ type: fc.constant('promise_to_pay'), amount: money, promisedDate: date })),
  withBase(fc.record({ type: fc.constant('hardship_reported'), reason: fc.constantFrom(...HARDSHIP_REASONS) })),
  withBase(fc.record({ type: fc.constant('arrangement_agreed'), arrangementId: text, kind: fc.constant('plan'), plan: fc.array(fc.record({ dueDate: date, amount: money }), { maxLength: 3 }) })),
  withBase(fc.record({ type: fc.constant('arrangement_offered'), arrangementId: text, kind: fc.constant('grace'), proposedBy: fc.option(fc.constantFrom('lender', 'borrower'), { nil: undefined }), graceUntil: date }, { requiredKeys: ['type', 'arrangementId', 'kind'] })),
  withBase(fc.record({ type: fc.constant('legal_referral'), reason: fc.constantFrom(...REFERRAL_REASONS) })),
  withBase(fc.record({ type: fc.constant('opt_out'), channel: fc.constantFrom(...CONTACT_CHANNELS) })),
  withBase(fc.record({ type: fc.constant('closed'), reason: fc.constantFrom('repaid', 'settled', 'written_off') })),
);

export const flatHistoryArbitrary = fc.record(
  {
    loanId: text,
    borrowerId: text,
    timeZone: fc.option(fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York'), { nil: undefined }),
    contract: fc.record(
      { product: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }), originationDate: date, principal: money, instalmentCount: fc.integer({ min: 1, max: 36 }), apr: fc.option(dbl({ min: 0, max: 1, noNaN: true }), { nil: undefined }), fees: fc.option(dbl({ min: 0, max: 100, noNaN: true }), { nil: undefined }), maxOverdueDays: fc.option(fc.integer({ min: 1, max: 365 }), { nil: undefined }) },
      { requiredKeys: ['originationDate', 'principal', 'instalmentCount'] },
    ),
    borrower: fc.record(
      { occupation: fc.option(fc.constantFrom(...OCCUPATIONS), { nil: undefined }), age: fc.option(fc.integer({ min: 16, max: 100 }), { nil: undefined }), migrant: fc.option(fc.boolean(), { nil: undefined }), attributes: fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(fc.integer(), fc.string({ maxLength: 6 }))), { nil: undefined }), meta },
      { requiredKeys: [] },
    ),
    schedule: fc.uniqueArray(fc.record({ seq: fc.integer({ min: 1, max: 50 }), dueDate: date, amountDue: money, principalDue: fc.option(dbl({ min: 0, max: 1e4, noNaN: true }), { nil: undefined }) }, { requiredKeys: ['seq', 'dueDate', 'amountDue'] }), { selector: (s) => s.seq, maxLength: 6 }),
    events: fc.array(event, { maxLength: 12 }),
    meta,
  },
  { requiredKeys: ['loanId', 'borrowerId', 'contract', 'borrower'] },
);
