// In-process fan-out of freshly committed alerts to open SSE streams.
import type { Alert } from '../scoring/store-port.js';

export type AlertListener = (alert: Alert) => void;

export class AlertHub {
  private readonly listeners = new Set<AlertListener>();

  subscribe(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  publish(alert: Alert): void {
    for (const l of this.listeners) l(alert);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
