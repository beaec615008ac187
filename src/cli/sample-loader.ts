// Loads a gzip (or plain) NDJSON file of loan histories into the store through the register use case,
// so that a fresh `ews serve` has a portfolio, decisions and an alert queue. A bad line is reported
// and skipped; the rest goes on.
import { describeProblems, parseHistory } from '../domain/history/validate.js';
import { NdjsonFile } from '../ndjson-file.js';
import type { Servicing } from '../scoring/servicing.js';
import type { Store } from '../scoring/store-port.js';

export interface SampleLoad {
  readonly loaded: number;
  readonly rejected: number;
  readonly problems: string[];
}

const BATCH = 500;

export async function loadSample(path: string, servicing: Servicing, store: Pick<Store, 'transaction'>, maxProblems = 10): Promise<SampleLoad> {
  let loaded = 0;
  let rejected = 0;
  const problems: string[] = [];
  let pending: Array<Parameters<Servicing['registerLoan']>[0]> = [];
  const flush = () => {
    // One transaction per batch: registration of each loan nests inside it as a savepoint.
    store.transaction(() => pending.forEach((h) => servicing.registerLoan(h)));
    loaded += pending.length;
    pending = [];
  };
  for await (const r of new NdjsonFile(path)) {
    let problem: string;
    if (r.ok) {
      const parsed = parseHistory(r.value);
      if (parsed.ok) {
        pending.push(parsed.value);
        if (pending.length >= BATCH) flush();
        continue;
      }
      problem = describeProblems(parsed.problems, 3);
    } else problem = r.error;
    rejected++;
    if (problems.length < maxProblems) problems.push(`line ${r.line}: ${problem}`);
  }
  if (pending.length > 0) flush();
  return { loaded, rejected, problems };
}

/**
 * The latest instant the sample knows of (an event's `at` or `recordedAt`): a demo service clock
 * starts there, so that the historical sample portfolio is current instead of years overdue.
 */
export async function latestSampleInstant(path: string): Promise<number | null> {
  let latest: number | null = null;
  for await (const r of new NdjsonFile(path)) {
    if (!r.ok) continue;
    const events = (r.value as { events?: unknown } | null)?.events;
    if (!Array.isArray(events)) continue;
    for (const e of events as Array<{ at?: unknown; recordedAt?: unknown }>) {
      for (const t of [e.at, e.recordedAt]) {
        const ms = typeof t === 'string' ? Date.parse(t) : Number.NaN;
        if (!Number.isNaN(ms) && (latest === null || ms > latest)) latest = ms;
      }
    }
  }
  return latest;
}
