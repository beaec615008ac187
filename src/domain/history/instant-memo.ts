// The instants of a history's events as the text reader's byte mode found them while checking each
// `at` (iso-bytes.ts), so that the feature scan need not parse those date-times again: parseInstant
// reads the reader's sliced strings at ~3 ns a character, the check reads the bytes anyway.
// A memo holds each instant beside the very string it was computed from, and a user takes `ms[i]` only
// when `at[i] === event.at`: an event replaced or edited afterwards is parsed afresh, never misread.
// Memos live in a ring of the last INSTANT_MEMOS events arrays read, not a WeakMap: in a probe by turns
// a WeakMap entry a history cost the reader more than the parsing it saved. Histories are scored soon
// after they are read (16 at a time in a batch job or an NDJSON block, 32 in a rescore chunk); one
// scored later is parsed as before.
// The strings are slices of the text read (a batch's cut of up to 2 MiB), so a memo keeps that text
// alive: the ring also holds at most MEMO_EVENTS events in all, so a few very long histories do not keep
// many large texts alive between requests.

import { parseInstant } from './calendar.js';

export interface EventInstants {
  /** The `at` of each event, as read. */
  readonly at: readonly string[];
  /** Its instant (epoch ms): what parseInstant(at[i]) gives. */
  readonly ms: readonly number[];
}

/** Memos kept (a power of two): more than a batch of histories read before they are scored. */
export const INSTANT_MEMOS = 64;
/** Events remembered in all, at most: 32 histories of 256 events each. */
export const MEMO_EVENTS = 8192;
const keys: (readonly unknown[] | null)[] = new Array<readonly unknown[] | null>(INSTANT_MEMOS).fill(null);
const memos: (EventInstants | null)[] = new Array<EventInstants | null>(INSTANT_MEMOS).fill(null);
/** The next slot to write; the memos are the `count` slots before it. */
let head = 0;
let count = 0;
let events = 0;

/** Lets the oldest memo go. */
function dropOldest(): void {
  const i = (head - count) & (INSTANT_MEMOS - 1);
  events -= memos[i]!.ms.length;
  keys[i] = null;
  memos[i] = null;
  count--;
}

/**
 * Keeps the first n of `ats` and `ms` (the reader's scratch) for `list`, and clears those `ats`:
 * scratch must not keep the text they were sliced from alive. A list longer than MEMO_EVENTS is not kept.
 */
export function rememberInstants(list: readonly unknown[], ats: string[], ms: readonly number[], n: number): void {
  if (n <= MEMO_EVENTS) {
    if (count === INSTANT_MEMOS) dropOldest();
    while (count > 0 && events + n > MEMO_EVENTS) dropOldest();
    keys[head] = list;
    memos[head] = { at: ats.slice(0, n), ms: ms.slice(0, n) };
    head = (head + 1) & (INSTANT_MEMOS - 1);
    count++;
    events += n;
  }
  ats.fill('', 0, n);
}

/** The memo of an events array, if the reader left one and it is still kept. */
export function eventInstantsOf(list: readonly unknown[]): EventInstants | undefined {
  for (let k = 1; k <= count; k++) {
    const i = (head - k) & (INSTANT_MEMOS - 1);
    if (keys[i] === list) return memos[i]!;
  }
  return undefined;
}

/** events[i]'s instant given its `at`: the memo's when it holds that very string, else parsed. */
export function instantOf(memo: EventInstants | undefined, i: number, at: string): number {
  return memo !== undefined && i < memo.at.length && memo.at[i] === at ? memo.ms[i]! : parseInstant(at);
}
