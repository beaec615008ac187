// "Has this event id been seen in this loan?" without a Set per loan: the scoring fast paths ask it of
// every event of every loan, and a fresh Set (allocated, grown, rehashed, collected) cost more than the
// rest of their pass. One open-addressing table, reused: a slot is taken when its stamp is the current
// loan's, so nothing is cleared between loans. Single-threaded use only (one table per module instance).
export class IdTable {
  private keys: string[] = new Array<string>(64).fill('');
  private stamps = new Int32Array(64);
  private mask = 63;
  private stamp = 0;

  /** Starts a new set for up to n ids. */
  reset(n: number): void {
    if (n * 2 > this.stamps.length) {
      let size = this.stamps.length;
      while (size < n * 2) size *= 2;
      this.keys = new Array<string>(size).fill('');
      this.stamps = new Int32Array(size);
      this.mask = size - 1;
      this.stamp = 0;
    }
    this.stamp++;
    if (this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** Adds an id; false when it was already there. At most the n of reset(n) ids per set. */
  add(id: string): boolean {
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    const mask = this.mask;
    const stamps = this.stamps;
    const stamp = this.stamp;
    let slot = h & mask;
    while (stamps[slot] === stamp) {
      if (this.keys[slot] === id) return false;
      slot = (slot + 1) & mask;
    }
    stamps[slot] = stamp;
    this.keys[slot] = id;
    return true;
  }
}

const shared = new IdTable();

/** True when no two events share an id. */
export function eventIdsUnique(events: readonly { readonly id: string }[]): boolean {
  shared.reset(events.length);
  for (let i = 0; i < events.length; i++) if (!shared.add(events[i]!.id)) return false;
  return true;
}
