// Which events the scan sees and in what order: those that happened and were recorded at or before
// asOf, in (at, id) order, one per id (the first-recorded version wins, as in buildTimeline).
// Inputs almost always arrive in time order without duplicates, so the fast path visits them as they
// come while checking that this holds; otherwise the walk starts over: collect, sort, dedupe, visit.
import { FIXED_OFFSETS_FROM_MS, fixedOffsetMinutes, localDayOf, parseInstant } from '../history/calendar.js';
import { eventInstantsOf, instantOf } from '../history/instant-memo.js';
import type { LoanEvent } from '../history/schema.js';
import { dayOfMs } from './days.js';
import { countContact, tallyContact, visitEvent } from './event-facts.js';
import { datePrefixKey, safeDateKey } from './instants.js';
import type { LoanScan } from './scan.js';
import { ensureF64, ensureI32, F64, I32 } from './scratch.js';

const NO_STRINGS: readonly string[] = [];
const NO_INSTANTS: readonly number[] = [];

export class EventWalk {
  // Visible events (slow path): index into the events, instants, and the (at, id) order.
  private readonly vIdx = new I32();
  private readonly vAt = new F64();
  private readonly vRec = new F64();
  private ord = new Int32Array(64);
  private sortKeys = new Float64Array(64);
  private idTable = new Int32Array(128);
  private idStamps = new Int32Array(128);
  private stamp = 0;
  /** The last zone seen and its constant offset (minutes), if it has one: loans of a book share a zone. */
  private zone = '';
  private fixedOffset: number | undefined = undefined;
  /** The last asOf seen and its safeDateKey: a batch shares one asOf. */
  private asOf = Number.NaN;
  private safeKey = 0;

  /**
   * The fast path: visit events in input order while checking that the input is in (at, id) order
   * without duplicate ids; false (and a half-done walk to discard) as soon as it is not.
   */
  inInputOrder(s: LoanScan, events: readonly LoanEvent[], asOf: number, zone: string): boolean {
    const m = events.length;
    // A slot is taken when its stamp is this loan's: no table to clear per loan.
    const mask = this.stampIdTable(m);
    const table = this.idTable;
    const stamps = this.idStamps;
    const stamp = this.stamp;
    let prevAt = -Infinity;
    let prevId = '';
    // Most loans live in a zone with a constant offset: then a local day is a multiply (dayOfMs).
    if (zone !== this.zone) {
      this.zone = zone;
      this.fixedOffset = fixedOffsetMinutes(zone);
    }
    if (asOf !== this.asOf) {
      this.asOf = asOf;
      this.safeKey = safeDateKey(asOf);
    }
    const safeKey = this.safeKey;
    const fixed = this.fixedOffset;
    const offsetMs = fixed === undefined ? 0 : fixed * 60_000;
    // The reader's instants, each taken only beside the very `at` it was computed from (instant-memo.ts).
    const memo = eventInstantsOf(events);
    const memoAt = memo === undefined ? NO_STRINGS : memo.at;
    const memoMs = memo === undefined ? NO_INSTANTS : memo.ms;
    const known = Math.min(memoAt.length, memoMs.length);
    for (let i = 0; i < m; i++) {
      const e = events[i]!;
      // The head fields are read in one branch per common type: each branch has its own inline caches,
      // which see the two shapes of one type (with and without recordedAt) rather than the sixteen of
      // all events; a megamorphic load costs about as much as the rest of the event's visit.
      const type = e.type;
      let iso: string;
      let rec: string | undefined;
      let id: string;
      if (type === 'contact') {
        iso = e.at;
        rec = e.recordedAt;
        id = e.id;
      } else if (type === 'payment') {
        iso = e.at;
        rec = e.recordedAt;
        id = e.id;
      } else if (type === 'promise_to_pay') {
        iso = e.at;
        rec = e.recordedAt;
        id = e.id;
      } else {
        iso = e.at;
        rec = e.recordedAt;
        id = e.id;
      }
      const at = i < known && memoAt[i] === iso ? memoMs[i]! : parseInstant(iso);
      if (at > asOf) continue;
      // Inline atOrBefore: most recordings are settled by their date prefix.
      if (rec !== undefined && datePrefixKey(rec) > safeKey && parseInstant(rec) > asOf) continue;
      if (at < prevAt || (at === prevAt && id <= prevId)) return false;
      let h = hashId(id) & mask;
      while (stamps[h] === stamp) {
        if (events[table[h]!]!.id === id) return false;
        h = (h + 1) & mask;
      }
      stamps[h] = stamp;
      table[h] = i;
      prevAt = at;
      prevId = id;
      const day = fixed !== undefined && at >= FIXED_OFFSETS_FROM_MS ? dayOfMs(at + offsetMs) : localDayOf(at, zone);
      // Contacts are two thirds of all events: counted here without the full dispatch.
      if (type === 'contact') {
        const direction = e.direction;
        const outcome = e.outcome;
        tallyContact(s, direction, outcome);
        if (e.thirdParty !== true) countContact(s, e.channel, direction, outcome, day);
      } else {
        visitEvent(s, e, type, day, at);
      }
    }
    return true;
  }

  /** The general path: keep events known at asOf, order them by (at, id), drop duplicate ids, visit. */
  sorted(s: LoanScan, events: readonly LoanEvent[], asOf: number, zone: string): void {
    this.collectVisible(events, asOf);
    const n = this.vIdx.n;
    const ord = this.ord;
    for (let k = 0; k < n; k++) {
      const v = ord[k]!;
      const e = events[this.vIdx.a[v]!]!;
      const at = this.vAt.a[v]!;
      visitEvent(s, e, e.type, localDayOf(at, zone), at);
    }
  }

  /** Room for m ids at load <= 1/4 (few collisions, each a mispredicted branch) and a fresh stamp; returns the table's size - 1. */
  private stampIdTable(m: number): number {
    let cap = this.idTable.length;
    while (cap < 4 * m) cap *= 2;
    if (cap > this.idTable.length) {
      this.idTable = new Int32Array(cap);
      this.idStamps = new Int32Array(cap);
    }
    if (this.stamp === 0x7fffffff) {
      this.idStamps.fill(0);
      this.stamp = 0;
    }
    this.stamp++;
    return this.idTable.length - 1;
  }

  /** Zeroes the first cap slots of the id table (room for m ids at load <= 1/2); returns cap - 1. */
  private clearIdTable(m: number): number {
    let cap = this.idTable.length;
    while (cap < 2 * m) cap *= 2;
    if (cap > this.idTable.length) {
      this.idTable = new Int32Array(cap);
      this.idStamps = new Int32Array(cap);
    }
    this.idTable.fill(0, 0, cap);
    return cap - 1;
  }

  private collectVisible(events: readonly LoanEvent[], asOf: number): void {
    this.vIdx.n = this.vAt.n = this.vRec.n = 0;
    let sorted = true;
    let prevAt = -Infinity;
    let prevId = '';
    const memo = eventInstantsOf(events);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const at = instantOf(memo, i, e.at);
      if (at > asOf) continue;
      const rec = e.recordedAt === undefined ? at : parseInstant(e.recordedAt);
      if (rec > asOf) continue;
      if (at < prevAt || (at === prevAt && e.id <= prevId)) sorted = false;
      prevAt = at;
      prevId = e.id;
      this.vIdx.push(i);
      this.vAt.push(at);
      this.vRec.push(rec);
    }
    const n = this.vIdx.n;
    this.ord = ensureI32(this.ord, n);
    const ord = this.ord;
    for (let k = 0; k < n; k++) ord[k] = k;
    if (!sorted) this.sortVisible(events, n);
    // Sorted by (at, id): any duplicate id with equal `at` is adjacent; equal ids at different
    // instants are found by the id set, built only when the cheap adjacency test is not enough.
    if (n > 1 && this.hasDuplicateIds(events, n)) this.dropDuplicates(events);
  }

  private sortVisible(events: readonly LoanEvent[], n: number): void {
    const ord = this.ord;
    const at = this.vAt.a;
    const idx = this.vIdx.a;
    // Pre-sort by instant with a native numeric sort on packed (at, position) keys when they fit
    // exactly in a double; the insertion sort below then only settles ties by id.
    let packable = n <= 4096;
    for (let k = 0; k < n && packable; k++) packable = at[k]! >= 0 && at[k]! < 2 ** 41;
    if (packable) {
      this.sortKeys = ensureF64(this.sortKeys, n);
      const keys = this.sortKeys.subarray(0, n);
      for (let k = 0; k < n; k++) keys[k] = at[k]! * 4096 + k;
      keys.sort();
      for (let k = 0; k < n; k++) ord[k] = keys[k]! % 4096;
    }
    for (let i = 1; i < n; i++) {
      const k = ord[i]!;
      const kAt = at[k]!;
      const kId = events[idx[k]!]!.id;
      let j = i - 1;
      while (j >= 0) {
        const o = ord[j]!;
        const oAt = at[o]!;
        if (oAt < kAt || (oAt === kAt && events[idx[o]!]!.id <= kId)) break;
        ord[j + 1] = o;
        j--;
      }
      ord[j + 1] = k;
    }
  }

  /** Open-addressing table over a cheap string hash: a Set here costs more than the rest of the scan. */
  private hasDuplicateIds(events: readonly LoanEvent[], n: number): boolean {
    const mask = this.clearIdTable(n);
    const table = this.idTable;
    const idx = this.vIdx.a;
    for (let i = 0; i < n; i++) {
      const id = events[idx[i]!]!.id;
      let h = hashId(id) & mask;
      for (let slot = table[h]!; slot !== 0; slot = table[h]!) {
        if (events[idx[slot - 1]!]!.id === id) return true;
        h = (h + 1) & mask;
      }
      table[h] = i + 1;
    }
    return false;
  }

  /** Rare path: keep, per id, the first-recorded version (then earliest, then by content). */
  private dropDuplicates(events: readonly LoanEvent[]): void {
    const n = this.vIdx.n;
    const best = new Map<string, number>();
    const idx = this.vIdx.a;
    const better = (a: number, b: number): boolean => {
      const ra = this.vRec.a[a]!;
      const rb = this.vRec.a[b]!;
      if (ra !== rb) return ra < rb;
      const aa = this.vAt.a[a]!;
      const ab = this.vAt.a[b]!;
      if (aa !== ab) return aa < ab;
      return JSON.stringify(events[idx[a]!]) < JSON.stringify(events[idx[b]!]);
    };
    for (let k = 0; k < n; k++) {
      const id = events[idx[k]!]!.id;
      const prev = best.get(id);
      if (prev === undefined || better(k, prev)) best.set(id, k);
    }
    // Keep winners, then restore (at, id) order among them.
    const kept: number[] = [];
    for (let k = 0; k < n; k++) if (best.get(events[idx[k]!]!.id) === k) kept.push(k);
    kept.sort((a, b) => {
      const d = this.vAt.a[a]! - this.vAt.a[b]!;
      if (d !== 0) return d;
      const x = events[idx[a]!]!.id;
      const y = events[idx[b]!]!.id;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    for (let k = 0; k < kept.length; k++) this.ord[k] = kept[k]!;
    this.vIdx.n = kept.length;
  }
}

/** FNV-1a over the id's last (up to) 12 characters, where ids of one loan usually differ, and its length. */
function hashId(id: string): number {
  const len = id.length;
  let h = 0x811c9dc5 ^ len;
  for (let i = len > 12 ? len - 12 : 0; i < len; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}
