// A small Prometheus registry (text exposition 0.0.4): counters and histograms with fixed label sets.
// Labels carry only route templates, methods, status codes, bands and triggers: never personal data.
import { BANDS } from '../domain/decision/schema.js';

type Labels = Record<string, string>;

const key = (labels: Labels) => Object.keys(labels).sort().map((k) => `${k}="${labels[k]!.replace(/["\\\n]/g, '_')}"`).join(',');

class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels)) ?? 0;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) out.push(`${this.name}${k === '' ? '' : `{${k}}`} ${v}`);
    return out;
  }
}

class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, readonly buckets: readonly number[]) {}
  observe(labels: Labels, value: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (s === undefined) this.series.set(k, (s = { counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 }));
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }
  count(labels: Labels): number {
    return this.series.get(key(labels))?.count ?? 0;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const sep = k === '' ? '' : `${k},`;
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${sep}le="${b}"} ${s.counts[i]}`));
      out.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`);
      out.push(`${this.name}_sum${k === '' ? '' : `{${k}}`} ${s.sum}`);
      out.push(`${this.name}_count${k === '' ? '' : `{${k}}`} ${s.count}`);
    }
    return out;
  }
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const GC_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

export class Metrics {
  readonly requestDuration = new Histogram('ews_http_request_duration_seconds', 'HTTP request latency by route template', LATENCY_BUCKETS);
  readonly decisions = new Counter('ews_decisions_total', 'Decisions made, by band');
  readonly alerts = new Counter('ews_alerts_raised_total', 'Collector alerts raised, by trigger');
  readonly events = new Counter('ews_events_ingested_total', 'Events received, by outcome');
  readonly inference = new Histogram('ews_inference_duration_seconds', 'Scoring time (features, model, rules), by call kind', LATENCY_BUCKETS);
  // The count of major collections is the one to watch: a steady few a second is the spiral docs/service.md describes.
  readonly gc = new Histogram('ews_gc_duration_seconds', "The event loop's garbage-collection pauses, by kind (major, minor, incremental, weakcb)", GC_BUCKETS);

  /** Score jobs' decisions per band, counted in BANDS order as the score workers report them. */
  decided(bands: readonly number[]): void {
    bands.forEach((n, i) => {
      if (n > 0) this.decisions.inc({ band: BANDS[i]! }, n);
    });
  }

  render(): string {
    const all = [this.requestDuration, this.decisions, this.alerts, this.events, this.inference, this.gc];
    return `${all.flatMap((m) => m.render()).join('\n')}\n`;
  }
}
