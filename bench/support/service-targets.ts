// Issue 6's targets for the service benchmark, in one place: bench/service.ts records them beside each run,
// bench/service-runs-met.ts tallies the recorded runs against them.
export const SERVICE_TARGETS = {
  /** POST /v1/score: req/s at least this share of its floor's, and p99 at most this, at 10 connections. */
  score: { ratio: 0.6, p99Ms: 10 },
  /** POST /v1/score/batch with 1,000 histories. */
  batchLoansPerSecond: 30_000,
  /** POST /v1/events, alerting included. */
  eventsPerSecond: 3_000,
} as const;
