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
  /**
   * The whole machine over the same interval (/proc/stat, all cores; null elsewhere): the share of its CPU
   * time left idle and the share taken by the hypervisor (steal). A slow batch run with little of either
   * was slow in its own CPU time, not short of cores (a run bound by one event loop leaves about a core idle).
   */
  readonly machine: { readonly idleShare: number; readonly stealShare: number } | null;
}

/** The machine's CPU time so far, in ticks: all, idle (with iowait) and steal; null without /proc/stat. */
function machineTicks(): { all: number; idle: number; steal: number } | null {
  if (!existsSync('/proc/stat')) return null;
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { all: cpu.reduce((a, b) => a + b, 0), idle: (cpu[3] ?? 0) + (cpu[4] ?? 0), steal: cpu[7] ?? 0 };
}

/** Starts counting; the returned function ends it and divides by the units of work done. */
export function cpuMeter(pid: number): (units: number) => CpuSplit {
  const before = threadCpu(pid);
  const kernelBefore = threadCpu(pid, true).get(String(pid)) ?? 0;
  const client = process.cpuUsage();
  const machineBefore = machineTicks();
  return (units) => {
    const after = threadCpu(pid);
    const machineAfter = machineTicks();
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
      machine: machineShares(machineBefore, machineAfter),
    };
  };
}

/** The idle and steal shares of the machine's CPU time between two readings (null when unknown). */
function machineShares(before: ReturnType<typeof machineTicks>, after: ReturnType<typeof machineTicks>): CpuSplit['machine'] {
  if (before === null || after === null || after.all <= before.all) return null;
  const all = after.all - before.all;
  const share = (x: number) => Math.round((x / all) * 1000) / 1000;
  return { idleShare: share(after.idle - before.idle), stealShare: share(after.steal - before.steal) };
}
