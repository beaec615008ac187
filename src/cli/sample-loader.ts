// Loads a gzip (or plain) NDJSON file of loan histories into the store through the register use case,
// so that a fresh `ews serve` has a portfolio, decisions and an alert queue. A bad line is reported
// and skipped; the rest goes on.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { describeProblems, parseHistory } from '../domain/history/validate.js';
import type { Servicing } from '../scoring/servicing.js';
import type { Store } from '../scoring/store-port.js';

export interface SampleLoad {
  readonly loaded: number;
  readonly rejected: number;
  readonly problems: string[];
}

const BATCH = 500;

export async function loadSample(path: string, servicing: Servicing, store: Pick<Store, 'transaction'>, maxProblems = 10): Promise<SampleLoad> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
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
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      rejected++;
      if (problems.length < maxProblems) problems.push(`line ${n}: not JSON (${(error as Error).message})`);
      continue;
    }
    const parsed = parseHistory(value);
    if (!parsed.ok) {
      rejected++;
      if (problems.length < maxProblems) problems.push(`line ${n}: ${describeProblems(parsed.problems, 3)}`);
      continue;
    }
    pending.push(parsed.value);
    if (pending.length >= BATCH) flush();
  }
  if (pending.length > 0) flush();
  return { loaded, rejected, problems };
}

/**
 * The latest instant the sample knows of (an event's `at` or `recordedAt`): a demo service clock
 * starts there, so that the historical sample portfolio is current instead of years overdue.
 */
export async function latestSampleInstant(path: string): Promise<number | null> {
  const raw = createReadStream(path);
  const lines = createInterface({ input: path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw, crlfDelay: Infinity });
  let latest: number | null = null;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const events = (value as { events?: unknown }).events;
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
