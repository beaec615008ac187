// Mutations of valid loan histories for differential tests of validators: at any node (every level),
// remove a field, put a wrong or nasty value, add an unknown or `__proto__` key, grow an array past its limit,
// duplicate an element. Values are chosen to sit on the contract's edges (impossible dates, offsets,
// non-finite and unsafe numbers, over-long strings counted in code points, bad enums and time zones).
import fc from 'fast-check';
import type { LoanEventInput, LoanHistoryInput } from '../../src/domain/history/schema.js';

export type Path = (string | number)[];

/** Every node below the root (object fields and array elements), depth first. */
export function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i]);
      pathsOf(item, [...prefix, i], out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      out.push([...prefix, key]);
      pathsOf((value as Record<string, unknown>)[key], [...prefix, key], out);
    }
  }
  return out;
}

/** An object with an own enumerable `__proto__` key, as JSON.parse makes it. */
const withProtoKey = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ ...(JSON.parse('{"__proto__": {"polluted": 1}}') as object), ...extra });

export const NASTY_VALUES: readonly unknown[] = [
  undefined, null, true, false, 0, -0, -1, 1, 1.5, 3, 17, 20, 21, 31, 32, 100, 101, 600, 601, 3650, 3651, 1e6, 1e308, Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, NaN, Infinity, -Infinity, 10.0000001,
  '', 'x', '1', 'CNY', 'cny', 'USDX', 'UTC', 'Asia/Shanghai', 'Mars/Olympus', 'Etc/GMT+5', 'payment', 'teleport', 'statement',
  'factory', 'unknown', 'monthly', 'sms', 'answered', 'grace', 'plan', 'lender', 'borrower', 'repaid', 'delinquent', 'job_loss',
  'x'.repeat(32), 'x'.repeat(33), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(256), 'x'.repeat(257),
  '😀'.repeat(64), '😀'.repeat(65), '😀'.repeat(128), '😀'.repeat(129), '\ud800'.repeat(129), '😀',
  '2025-02-28', '2025-02-29', '2024-02-29', '2000-02-29', '1900-02-29', '2025-02-30', '2025-04-31', '2025-13-01', '2025-00-10', '2025-1-01', '20250101', ' 2025-01-01',
  '2025-01-01T10:00:00+08:00', '2025-01-01T10:00:00Z', '2025-01-01T10:00:00.123456789-03:30', '2025-01-01T23:59:59+23:59',
  '2025-01-01T24:00:00Z', '2025-01-01T10:60:00Z', '2025-01-01T10:00:60Z', '2025-01-01T10:00:00+24:00', '2025-01-01T10:00:00+08:60',
  '2025-01-01T10:00:00', '2025-01-01T10:00+08:00', '2025-01-01 10:00:00Z', '2025-01-01T10:00:00z', '2025-01-01T10:00:00.Z', '2025-01-01T10:00:00+0800',
  '2025-02-30T10:00:00Z', '2024-02-29T00:00:00-00:00',
  [], [1], ['x'], {}, { a: 1 }, withProtoKey(), withProtoKey({ seq: 1 }), new Date(0), Object.create(null) as object,
];

const UNKNOWN_KEYS = ['foo', 'recordAt', '__proto__', 'constructor', 'toString', 'type', 'meta', 'attributes'] as const;

export type Mutation =
  | { kind: 'remove'; at: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'add-key'; at: number; key: number; value: number }
  | { kind: 'grow'; at: number; length: number }
  | { kind: 'duplicate'; at: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.nat({ max: NASTY_VALUES.length - 1 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add-key' as const), at: fc.nat(), key: fc.nat({ max: UNKNOWN_KEYS.length - 1 }), value: fc.nat({ max: NASTY_VALUES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('grow' as const), at: fc.nat(), length: fc.constantFrom(120, 121, 600, 601) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }) },
);

function parentOf(root: unknown, path: Path): { parent: Record<string | number, unknown>; key: string | number } {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  return { parent: node, key: path[path.length - 1]! };
}

function setOwn(target: Record<string | number, unknown>, key: string | number, value: unknown): void {
  // defineProperty, so that a key "__proto__" becomes an own property as JSON.parse would make it.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Apply a mutation to a deep copy of `value` (the root itself is never replaced). */
export function mutate<T>(value: T, m: Mutation): T {
  const copy = structuredClone(value);
  const paths = pathsOf(copy);
  const containers: Path[] = [[], ...paths.filter((p) => {
    const { parent, key } = parentOf(copy, p);
    const node = parent[key];
    return node !== null && typeof node === 'object';
  })];
  const nodeAt = (p: Path): unknown => (p.length === 0 ? copy : parentOf(copy, p).parent[parentOf(copy, p).key]);
  switch (m.kind) {
    case 'remove': {
      if (paths.length === 0) return copy;
      const { parent, key } = parentOf(copy, paths[m.at % paths.length]!);
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return copy;
    }
    case 'set': {
      if (paths.length === 0) return copy;
      const { parent, key } = parentOf(copy, paths[m.at % paths.length]!);
      setOwn(parent, key, NASTY_VALUES[m.value]);
      return copy;
    }
    case 'add-key': {
      const objects = containers.filter((p) => !Array.isArray(nodeAt(p)));
      const target = nodeAt(objects[m.at % objects.length]!) as Record<string, unknown>;
      setOwn(target, UNKNOWN_KEYS[m.key]!, NASTY_VALUES[m.value]);
      return copy;
    }
    case 'grow':
    case 'duplicate': {
      const arrays = containers.filter((p) => Array.isArray(nodeAt(p)) && (nodeAt(p) as unknown[]).length > 0);
      if (arrays.length === 0) return copy;
      const array = nodeAt(arrays[m.at % arrays.length]!) as unknown[];
      const count = m.kind === 'grow' ? Math.max(0, m.length - array.length) : 1;
      const first = array[0];
      for (let i = 0; i < count; i++) array.push(structuredClone(first));
      return copy;
    }
  }
}

/** One event of every type with every optional field, and lender extras, so that every schema branch is hit. */
export const EVERY_EVENT: readonly LoanEventInput[] = [
  { id: 'p1', type: 'payment', at: '2025-02-05T10:00:00+08:00', recordedAt: '2025-02-06T10:00:00.5Z', amount: 10.5, channel: 'bank', meta: { batch: 7, nested: { a: [1, 'x'] } } },
  { id: 'r1', type: 'payment_reversal', at: '2025-02-07T10:00:00+08:00', amount: 10.5, reversesId: 'p1' },
  { id: 's1', type: 'statement', at: '2025-02-28T00:00:00Z', balance: -12, minimumDue: 0, reportedDpd: 3, monthsLate: 0, status: 'minimum_paid', creditLimit: 5000 },
  { id: 'c1', type: 'contact', at: '2025-03-01T09:00:00-05:00', channel: 'call', outcome: 'answered', direction: 'inbound', thirdParty: false },
  { id: 'c2', type: 'contact', at: '2025-03-02T09:00:00+05:45', channel: 'sms', outcome: 'delivered' },
  { id: 'o1', type: 'opt_out', at: '2025-03-03T09:00:00Z', channel: 'robocall' },
  { id: 'pp', type: 'promise_to_pay', at: '2025-03-04T09:00:00Z', amount: 200, promisedDate: '2025-03-10' },
  { id: 'h1', type: 'hardship_reported', at: '2025-03-05T09:00:00Z', reason: 'wage_arrears' },
  { id: 'ao', type: 'arrangement_offered', at: '2025-03-06T09:00:00Z', arrangementId: 'A1', kind: 'plan', proposedBy: 'borrower', plan: [{ dueDate: '2025-04-01', amount: 100 }, { dueDate: '2025-05-01', amount: 100 }] },
  { id: 'ao2', type: 'arrangement_offered', at: '2025-03-06T09:00:00Z', arrangementId: 'A2', kind: 'grace', graceUntil: '2025-04-01' },
  { id: 'aa', type: 'arrangement_agreed', at: '2025-03-07T09:00:00Z', arrangementId: 'A1', kind: 'plan', plan: [{ dueDate: '2025-04-01', amount: 100 }] },
  { id: 'ab', type: 'arrangement_broken', at: '2025-04-02T09:00:00Z', arrangementId: 'A1' },
  { id: 'cd', type: 'contact_details_changed', at: '2025-04-03T09:00:00Z', field: 'phone' },
  { id: 'ec', type: 'employment_changed', at: '2025-04-04T09:00:00Z', change: 'occupation_change', occupation: 'logistics_delivery' },
  { id: 'lr', type: 'legal_referral', at: '2025-05-04T09:00:00Z', reason: 'refused_contact' },
  { id: 'cl', type: 'closed', at: '2025-06-04T09:00:00Z', reason: 'written_off' },
];

/** A history using every field of the contract (defaults given explicitly or left out, by `explicit`). */
export function fullHistoryInput(explicit: boolean): LoanHistoryInput {
  return {
    ...(explicit ? { schemaVersion: 1, timeZone: 'America/Sao_Paulo', currency: 'BRL' } : {}),
    loanId: 'L-full',
    borrowerId: 'B-full',
    contract: {
      product: 'phone',
      ...(explicit ? { kind: 'revolving', maxOverdueDays: 60 } : {}),
      originationDate: '2025-01-05',
      principal: 5000,
      instalmentCount: 2,
      apr: 0.24,
      fees: 0,
      creditLimit: 8000,
    },
    borrower: {
      ...(explicit ? { occupation: 'seasonal_farm', attributes: { bureau: 612, region: 'north' } } : {}),
      age: 16,
      monthlyIncome: 0,
      payFrequency: 'semi_monthly',
      payday: 31,
      employerTenureMonths: 2.5,
      migrant: false,
      dependents: 20,
      priorLoans: 0,
      priorWorstDpd: 45,
      meta: {},
    },
    schedule: [
      { seq: 2, dueDate: '2025-03-05', amountDue: 2600, principalDue: 2500 },
      { seq: 1, dueDate: '2025-02-05', amountDue: 2600 },
    ],
    events: [...EVERY_EVENT],
    meta: { source: 'test', tags: ['a', 'b'], n: null },
  };
}
