// CPU time per thread of a process from /proc (Linux; elsewhere empty), and the CPU of this process,
// so that a benchmark can say where each request's CPU went: the server's event loop, its busiest
// other threads (the score workers under batch load), the rest, and the load generator itself.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const TICK_US = 10_000; // USER_HZ = 100 on Linux

/** CPU µs used so far by each thread of the process (tid -> µs); kernel: system time only. */
export function threadCpu(pid: number, kernel = false): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync(`/proc/${pid}/task`)) return out;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(tid, ((kernel ? 0 : Number(fields[11])) + Number(fields[12])) * TICK_US);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

export interface CpuSplit {
  /** CPU µs per unit (e.g. per loan): the server's main thread. */
  readonly mainUs: number;
  /** The part of mainUs spent in the kernel (socket reads and writes). */
  readonly mainKernelUs: number;
  /** Its other threads, busiest first (under batch load the first ones are the score workers). */
  readonly threadsUs: number[];
  /** All the server's threads together. */
  readonly serverUs: number;
  /** The load generator (this process: autocannon). */
  readonly clientUs: number;
}

/** Starts counting; the returned function ends it and divides by the units of work done. */
export function cpuMeter(pid: number): (units: number) => CpuSplit {
  const before = threadCpu(pid);
  const kernelBefore = threadCpu(pid, true).get(String(pid)) ?? 0;
  const client = process.cpuUsage();
  return (units) => {
    const after = threadCpu(pid);
    const kernel = (threadCpu(pid, true).get(String(pid)) ?? 0) - kernelBefore;
    const { user, system } = process.cpuUsage(client);
    let main = 0;
    const others: number[] = [];
    for (const [tid, us] of after) {
      const used = us - (before.get(tid) ?? 0);
      if (tid === String(pid)) main = used;
      else if (used > 0) others.push(used);
    }
    others.sort((a, b) => b - a);
    const per = (x: number) => Math.round((x / Math.max(1, units)) * 10) / 10;
    return {
      mainUs: per(main),
      mainKernelUs: per(kernel),
      threadsUs: others.map(per),
      serverUs: per(main + others.reduce((a, b) => a + b, 0)),
      clientUs: per(user + system),
    };
  };
}
