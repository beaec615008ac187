// Records a batch run's decisions in the service's store, like the service's own rescoring does:
// each decision is saved with its provenance, and the service's alert rule (band rose, or a rule
// fired that did not fire last time) raises an alert for the collectors' queue.
import type { Decision } from '../domain/decision/schema.js';
import { alertFor } from '../scoring/alerting.js';
import type { Store } from '../scoring/store-port.js';
import type { LoanProvenance } from './read-store.js';

export interface RecordOutcome {
  readonly saved: number;
  readonly alerts: number;
}

export function recordDecisions(store: Store, decisions: readonly Decision[], provenance: (loanId: string) => LoanProvenance | undefined, createdAt: string): RecordOutcome {
  let saved = 0;
  let alerts = 0;
  store.transaction(() => {
    for (const decision of decisions) {
      const p = provenance(decision.loanId);
      if (p === undefined) continue;
      const previous = store.latestDecision(decision.loanId);
      const record = store.saveDecision({ loanId: decision.loanId, createdAt, trigger: 'rescore', revision: p.revision, eventWatermark: p.eventWatermark, fingerprint: p.fingerprint, decision });
      saved++;
      const raised = alertFor(previous?.decision ?? null, decision, record);
      if (raised === null) continue;
      store.raiseAlert(raised);
      alerts++;
    }
  });
  return { saved, alerts };
}
