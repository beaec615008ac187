// The events the lender knew at asOf (happened and recorded by then), read in the order the history
// lists them, and whether the ones a reader keeps come in timeline (at, id) order: buildTimeline keeps
// all of them, evidenceAt the ledger's types, and each skips a sort when what it kept came in order
// (inputs almost always do). Readers that need no recording instant (contactStateAt's in-order pass,
// evidenceAt's counted events) settle visibility by date prefix instead (decision/known.ts: cheaper
// than a parse, property-tested against one).
import { parseInstant } from './calendar.js';

/**
 * One walk over one history's events. Methods on a small object rather than a visitor callback: the
 * readers' loops differ (contactStateAt skips other types before parsing and leaves at the first event
 * out of order), and their per-event work stays inlined in their own loop.
 */
export class VisibleWalk {
  /** The instants of the event `sees` last said yes to, epoch ms (recordedAt = at when the source does not say). */
  at = 0;
  recordedAt = 0;
  /** Every event kept so far came in (at, id) order. */
  ordered = true;
  private prevAt = -Infinity;
  private prevId = '';

  constructor(readonly asOf: number) {}

  /**
   * Whether an event that happened at `atIso` and was recorded at `recordedIso` is visible at asOf;
   * when it is, its instants are in `at` and `recordedAt`. The caller reads the event's fields: its
   * own property loads see only the event types it walks (contactStateAt: three), not all of them.
   */
  sees(atIso: string, recordedIso: string | undefined): boolean {
    const at = parseInstant(atIso);
    if (at > this.asOf) return false;
    const recordedAt = recordedIso === undefined ? at : parseInstant(recordedIso);
    if (recordedAt > this.asOf) return false;
    this.at = at;
    this.recordedAt = recordedAt;
    return true;
  }

  /** Notes that the reader keeps the event `sees` last said yes to; false once the kept events have left (at, id) order. */
  keep(id: string): boolean {
    if (this.ordered && (this.at < this.prevAt || (this.at === this.prevAt && id <= this.prevId))) this.ordered = false;
    this.prevAt = this.at;
    this.prevId = id;
    return this.ordered;
  }
}
