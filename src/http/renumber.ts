// Batch indices and NDJSON line numbers written by a worker that does not know its job's place (a cut of
// a JSON batch, a block of lines): it numbers from 0 or 1 and lists where each number lies; the event
// loop adds the job's first number while it copies the job's bytes into the reply.

/** A part of the reply whose batch indices are relative to its cut (batch-job.ts): add `first` to each slot's. */
export interface Renumber {
  readonly first: number;
  /** [byte offset in the part, relative index] pairs, in order. */
  readonly slots: Int32Array;
}

const digits = (x: number): number => (x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : x < 10_000 ? 4 : x < 100_000 ? 5 : String(x).length);

/** The part's bytes with every slot's index renumbered, written at `at` of `out`; where they end. */
export function copyRenumbered(part: Uint8Array, renumber: Renumber, out: Buffer, at: number): number {
  const source = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
  const { first, slots } = renumber;
  let from = 0;
  for (let i = 0; i < slots.length; i += 2) {
    const offset = slots[i]!;
    const relative = slots[i + 1]!;
    at += source.copy(out, at, from, offset);
    at += out.write(String(first + relative), at, 'latin1');
    from = offset + digits(relative);
  }
  return at + source.copy(out, at, from);
}

/** The part's length once renumbered. */
export function renumberedLength(part: Uint8Array, renumber: Renumber | null | undefined): number {
  if (renumber === null || renumber === undefined || renumber.first === 0) return part.byteLength;
  let n = part.byteLength;
  for (let i = 1; i < renumber.slots.length; i += 2) n += digits(renumber.first + renumber.slots[i]!) - digits(renumber.slots[i]!);
  return n;
}
