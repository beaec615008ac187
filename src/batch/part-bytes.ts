// One loan's three JSON texts from the flat tables (history-sql.ts's parts: the loan, the schedule
// items, the events items) as UTF-8 bytes in its range's shared buffer (text-bytes.ts). Strings are
// made only when the loan is read, so they die young.
import { isAscii } from 'node:buffer';
import { readHistoryParts, type HistoryTexts } from '../domain/history/text-history.js';
import type { LoanHistory } from '../domain/history/schema.js';

export interface PartBytes {
  /** The range's texts. */
  readonly bytes: Buffer;
  /** Per loan of the range, six bounds: part p (0 loan, 1 schedule, 2 events) is bytes [at[6k + 2p],
   * at[6k + 2p + 1]); -1 for a part that is null (the loan part never is). */
  readonly at: Int32Array;
  /** This loan's k. */
  readonly k: number;
}

const NO_BYTES = Buffer.alloc(0);

function part(p: PartBytes, i: number, encoding: 'latin1' | 'utf8'): string | null {
  const from = p.at[6 * p.k + 2 * i]!;
  return from < 0 ? null : p.bytes.toString(encoding, from, p.at[6 * p.k + 2 * i + 1]!);
}

function view(p: PartBytes, i: number): Buffer {
  const from = p.at[6 * p.k + 2 * i]!;
  return from < 0 ? NO_BYTES : p.bytes.subarray(from, p.at[6 * p.k + 2 * i + 1]!);
}

/** The texts as strings (for JSON.parse and the reject file). */
export function partTexts(p: PartBytes): HistoryTexts {
  return { loan: part(p, 0, 'utf8')!, schedule: part(p, 1, 'utf8'), events: part(p, 2, 'utf8') };
}

const VIEWS: Buffer[] = [NO_BYTES, NO_BYTES, NO_BYTES];

/** readHistoryParts of the texts: scanning their bytes when they are ASCII (byte i is char i), else the texts. */
export function readPartBytes(p: PartBytes): LoanHistory | undefined {
  for (let i = 0; i < 3; i++) VIEWS[i] = view(p, i);
  try {
    if (!isAscii(VIEWS[0]!) || !isAscii(VIEWS[1]!) || !isAscii(VIEWS[2]!)) return readHistoryParts(partTexts(p));
    return readHistoryParts({ loan: part(p, 0, 'latin1')!, schedule: part(p, 1, 'latin1'), events: part(p, 2, 'latin1') }, VIEWS);
  } finally {
    VIEWS.fill(NO_BYTES);
  }
}
