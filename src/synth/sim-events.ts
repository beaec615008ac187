// What the simulator emits: an event body at a local day and minute, with a recording delay.
// The history builder turns these into contract events (ids, ISO instants, recordedAt).
import type { LoanEvent } from '../domain/history/schema.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type EventBody = DistributiveOmit<LoanEvent, 'id' | 'at' | 'recordedAt' | 'meta'>;

export interface SimEvent {
  readonly day: number;
  /** Local minute of day (0..1439) when it happened. */
  readonly minute: number;
  /** Minutes between happening and being recorded (0 = at once). */
  readonly delayMin: number;
  readonly body: EventBody;
}

/** Time-of-day slots keep a day's events in a causal order: overnight, reminders, calls, payments, referral. */
export const SLOT = {
  overnight: 60,
  morning: 8 * 60,
  reminder: 9 * 60,
  call: 10 * 60,
  payment: 13 * 60,
  referral: 23 * 60,
} as const;
