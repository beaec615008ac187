// The slice of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      setupRequest?: (req: { body?: string; [k: string]: unknown }) => { body?: string; [k: string]: unknown };
    }
    interface Options {
      url: string;
      method?: string;
      connections?: number;
      duration?: number;
      headers?: Record<string, string>;
      body?: string;
      requests?: Request[];
      /** Requests per second over all connections (a fixed rate instead of as fast as possible). */
      overallRate?: number;
    }
    interface Histogram {
      average: number;
      p50: number;
      p99: number;
      /** Only on result.requests: how many were sent in all. */
      total: number;
    }
    interface Result {
      requests: Histogram;
      latency: Histogram;
      non2xx: number;
      errors: number;
    }
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
