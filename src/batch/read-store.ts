// The service's own store as a batch input: every loan in id order, a page per chunk. The store
// holds histories the contract already validated. What is needed to record each decision back
// (revision, event watermark, input fingerprint) is kept per loan until its chunk is committed.
import { inputFingerprint } from '../scoring/fingerprint.js';
import type { LoanStore } from '../scoring/store-port.js';
import type { RawRecord } from './chunk.js';
import type { ChunkSource, SourceChunk } from './source.js';

export interface LoanProvenance {
  readonly revision: number;
  readonly eventWatermark: number;
  readonly fingerprint: string;
}

export interface StoreSource extends ChunkSource {
  /** The provenance of a loan read for scoring; forgotten once taken. */
  take(loanId: string): LoanProvenance | undefined;
}

export function storeSource(store: LoanStore, chunkSize: number, asOf: number): StoreSource {
  const total = store.countLoans();
  const pending = new Map<string, LoanProvenance>();
  let read = 0;
  return {
    fingerprint: `store:${total}`,
    totalRecords: total,
    fractionRead: () => (total === 0 ? 1 : Math.min(1, read / total)),
    take(loanId) {
      const p = pending.get(loanId);
      pending.delete(loanId);
      return p;
    },
    async *chunks(fromIndex: number): AsyncGenerator<SourceChunk> {
      let after: string | null = null;
      for (let index = 0; ; index++) {
        const ids = store.listLoanIds(after, chunkSize);
        if (ids.length === 0) return;
        after = ids[ids.length - 1]!;
        read += ids.length;
        if (index < fromIndex) continue;
        const records: RawRecord[] = [];
        for (const id of ids) {
          const loan = store.getLoan(id);
          if (loan === null) continue; // removed while paging
          pending.set(id, { revision: loan.revision, eventWatermark: loan.eventWatermark, fingerprint: inputFingerprint(loan.history, asOf) });
          records.push({ position: `store loan ${id}`, value: loan.history, trusted: true });
        }
        yield { index, records };
      }
    },
    close: async () => {},
  };
}
