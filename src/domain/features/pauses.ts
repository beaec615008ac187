// Arrangements as the ledger sees them: each agreed grace period or plan pauses the DPD clock from the
// day it was agreed to its end, or to the day before it was broken. Agreements are noted in time
// order during the event walk; intervals are merged once per loan for counting paused days.
import { I32 } from './scratch.js';

export class Pauses {
  private ids: string[] = [];
  private readonly kind = new I32();
  private readonly from = new I32();
  private readonly to = new I32();
  private brokenIds: string[] = [];
  private readonly brokenDay = new I32();
  private mergedFrom = new Int32Array(8);
  private mergedTo = new Int32Array(8);
  private merged = 0;
  /** 0 none, 1 grace, 2 plan: the arrangement in force at asOf. */
  activeKind = 0;

  reset(): void {
    this.kind.n = this.from.n = this.to.n = this.brokenDay.n = 0;
    if (this.ids.length > 0) this.ids = [];
    if (this.brokenIds.length > 0) this.brokenIds = [];
    this.merged = 0;
    this.activeKind = 0;
  }

  /** A later agreement under the same id replaces the earlier one (as in the ledger). */
  agreed(id: string, kind: number, from: number, to: number): void {
    const at = this.ids.indexOf(id);
    if (at >= 0) {
      this.kind.a[at] = kind;
      this.from.a[at] = from;
      this.to.a[at] = to;
    } else {
      this.ids.push(id);
      this.kind.push(kind);
      this.from.push(from);
      this.to.push(to);
    }
  }

  /** The first break of an arrangement counts. */
  broken(id: string, day: number): void {
    if (!this.brokenIds.includes(id)) {
      this.brokenIds.push(id);
      this.brokenDay.push(day);
    }
  }

  /** Pause intervals ended early by a break, merged; and the arrangement in force on asOfDay. */
  build(asOfDay: number): void {
    const m = this.ids.length;
    this.merged = 0;
    this.activeKind = 0;
    if (m === 0) return;
    const items: Array<{ id: string; kind: number; from: number; to: number }> = [];
    for (let i = 0; i < m; i++) {
      const id = this.ids[i]!;
      const b = this.brokenIds.indexOf(id);
      const brokeDay = b >= 0 ? this.brokenDay.a[b]! : Number.POSITIVE_INFINITY;
      const to = brokeDay <= this.to.a[i]! ? brokeDay - 1 : this.to.a[i]!;
      items.push({ id, kind: this.kind.a[i]!, from: this.from.a[i]!, to });
    }
    items.sort((a, b) => a.from - b.from || (a.id < b.id ? -1 : 1));
    const active = items.find((p) => p.from <= asOfDay && asOfDay <= p.to);
    this.activeKind = active === undefined ? 0 : active.kind;
    if (this.mergedFrom.length < m) {
      this.mergedFrom = new Int32Array(m * 2);
      this.mergedTo = new Int32Array(m * 2);
    }
    let n = 0;
    for (const p of items) {
      if (p.to < p.from) continue;
      if (n > 0 && p.from <= this.mergedTo[n - 1]! + 1) this.mergedTo[n - 1] = Math.max(this.mergedTo[n - 1]!, p.to);
      else {
        this.mergedFrom[n] = p.from;
        this.mergedTo[n] = p.to;
        n++;
      }
    }
    this.merged = n;
  }

  /** Paused days in (from, to]. */
  days(from: number, to: number): number {
    if (this.merged === 0) return 0;
    let total = 0;
    for (let i = 0; i < this.merged; i++) {
      const lo = Math.max(this.mergedFrom[i]!, from + 1);
      const hi = Math.min(this.mergedTo[i]!, to);
      if (hi >= lo) total += hi - lo + 1;
    }
    return total;
  }
}
