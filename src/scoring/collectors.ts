// Collector use cases over the alert queue: list with filters, acknowledge, assign, replay for SSE.
import type { Alert, AlertFilter, AlertStore, Page } from './store-port.js';

export interface Collectors {
  list(filter: AlertFilter): Page<Alert>;
  get(id: number): Alert | null;
  acknowledge(id: number, by: string): Alert | null;
  assign(id: number, assignee: string | null): Alert | null;
  after(id: number, limit: number): Alert[];
}

export function createCollectors(store: AlertStore, now: () => number): Collectors {
  return {
    list: (filter) => store.listAlerts(filter),
    get: (id) => store.getAlert(id),
    acknowledge: (id, by) => store.acknowledge(id, by, new Date(now()).toISOString()),
    assign: (id, assignee) => store.assign(id, assignee),
    after: (id, limit) => store.alertsAfter(id, limit),
  };
}
