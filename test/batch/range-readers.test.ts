import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../../src/batch/chunk.js';
import { defaultReaders, RangeReaders, readAhead, type RangeReader } from '../../src/batch/range-readers.js';
import type { IdRange } from '../../src/batch/source.js';

/** A reader whose reads end when the test says so; it records what it was asked and whether two overlapped. */
class FakeReader implements RangeReader {
  readonly asked: string[] = [];
  readonly finish: Array<(fail?: boolean) => void> = [];
  running = 0;
  overlapped = false;
  closed = false;

  readRange(range: IdRange): Promise<RawRecord[]> {
    this.asked.push(range.from!);
    if (++this.running > 1) this.overlapped = true;
    return new Promise((resolve, reject) => {
      this.finish.push((fail = false) => {
        this.running--;
        if (fail) reject(new Error(`read ${range.from} failed`));
        else resolve([{ position: range.from!, loanId: range.from! }]);
      });
    });
  }

  close(): void {
    this.closed = true;
  }
}

const range = (id: string): IdRange => ({ from: id, to: null });
const tick = () => new Promise((r) => setImmediate(r));

describe('RangeReaders', () => {
  it('deals ranges to the readers in turn, reads two ranges at once on two readers and never two on one', async () => {
    const [a, b] = [new FakeReader(), new FakeReader()];
    const readers = new RangeReaders([a, b]);
    const reads = ['r0', 'r1', 'r2', 'r3', 'r4'].map((id) => readers.read(range(id)));
    await tick();
    // r0 and r1 start at once; r2 waits for r0 on reader a, r3 for r1 on reader b.
    expect([a.asked, b.asked]).toEqual([['r0'], ['r1']]);
    b.finish[0]!();
    await tick();
    expect(b.asked).toEqual(['r1', 'r3']);
    expect(a.asked).toEqual(['r0']);
    a.finish[0]!(true); // a failed read does not stop the reader's next one
    await tick();
    expect(a.asked).toEqual(['r0', 'r2']);
    a.finish[1]!();
    b.finish[1]!();
    await tick();
    a.finish[2]!();
    await expect(reads[0]).rejects.toThrow('read r0 failed');
    expect((await Promise.all(reads.slice(1))).map((r) => r[0]!.loanId)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(a.overlapped || b.overlapped).toBe(false);
    readers.close();
    expect(a.closed && b.closed).toBe(true);
  });

  it('gives a single worker two readers by default and more workers one each (memory)', () => {
    expect([0, 1, 2, 4].map(defaultReaders)).toEqual([2, 2, 1, 1]);
  });

  it('needs a reader', () => {
    expect(() => new RangeReaders([])).toThrow('at least one reader');
  });

  it('keeps one chunk scored and one read ahead per reader in flight per worker', () => {
    const tables = { format: 'parquet', loans: 'l', schedule: 's', events: 'e' } as const;
    expect(readAhead({})).toBe(2);
    expect(readAhead({ tables })).toBe(2);
    expect(readAhead({ tables, readers: 2 })).toBe(3);
    expect(readAhead({ tables, readers: 4 })).toBe(5);
  });
});
